//! `/admin/territory` (辖区边界): administrators import the district's boundaries from
//! GeoJSON — check first, see every problem on a map and in a list, see what a re-import
//! changes, then apply — and export them. A light page: the form works without
//! JavaScript; `territory-admin.js` draws the map from the JSON block in the page.

use super::admin_parts::AdminHeader;
use super::{PageCtx, document_with};
use crate::domain::territory_import::{Plan, Problem, ProblemKind};
use crate::i18n::{Lang, Msg, t};
use leptos::prelude::*;

/// What an upload led to.
#[derive(Clone, Debug)]
pub enum ImportOutcome {
    /// Refused: every reason, nothing written; when removed nodes still hold people, the
    /// choice of where they go.
    Refused {
        problems: Vec<Problem>,
        reassign: Option<ReassignChoices>,
    },
    /// Checked and planned; the file comes back in the confirmation form.
    Planned { plan: Plan, geojson: String },
    /// Applied.
    Applied(Plan),
    /// The building list: written (new, moved), or refused row by row.
    Buildings(super::AdminOutcome),
}

/// Where the households and people of removed nodes may go.
#[derive(Clone, Debug)]
pub struct ReassignChoices {
    /// The file, sent again with the choices.
    pub geojson: String,
    /// Each removed node that holds people, and the nodes of its level in the file
    /// (code, name).
    pub removed: Vec<(String, Vec<(String, String)>)>,
}

#[derive(Clone, Debug)]
pub struct TerritoryAdminView {
    /// Streets, communities, grids and listed buildings now.
    pub counts: [i64; 4],
    pub outcome: Option<ImportOutcome>,
    /// `{features, problems, tile_url}` for the map (the upload, or the territory now).
    pub map_data: String,
}

pub fn territory_admin_page(ctx: &PageCtx, v: TerritoryAdminView) -> String {
    let lang = ctx.lang;
    let c = ctx.clone();
    let action = format!("/admin/territory?_csrf={}", ctx.csrf);
    let body = move || {
        view! {
            <AdminHeader ctx=c current="/admin/territory"/>
            <main class="wrap wide">
                <h1>{t(lang, Msg::TerritoryAdminTitle)}</h1>
                <p class="muted">{format!("{} {} · {} {} · {} {} · {} {}", t(lang, Msg::Streets), v.counts[0], t(lang, Msg::Communities), v.counts[1], t(lang, Msg::Grids), v.counts[2], t(lang, Msg::Buildings), v.counts[3])}</p>
                <p>
                    <a href="/api/v1/admin/territory/export" download="territory.geojson">{t(lang, Msg::TerritoryExport)}</a>
                </p>
                {v.outcome.clone().map(|o| outcome(lang, &action, o))}
                <div id="territory-map" class="admin-map" aria-label=t(lang, Msg::TerritoryMap)></div>
                <script type="application/json" id="territory-data" inner_html=v.map_data.replace("</", "<\\/")></script>
                <form class="stack card" method="post" action=action.clone() enctype="multipart/form-data">
                    <label for="file">{t(lang, Msg::TerritoryFile)}</label>
                    <input id="file" name="file" type="file" accept=".geojson,.json,application/geo+json,application/json" required/>
                    <p class="muted">{t(lang, Msg::TerritoryFileHint)}</p>
                    <input type="hidden" name="step" value="check"/>
                    <button type="submit" class="primary">{t(lang, Msg::TerritoryCheck)}</button>
                </form>
                <form class="stack card" method="post" action=action.clone() enctype="multipart/form-data">
                    <h2>{t(lang, Msg::BuildingList)}</h2>
                    <label for="buildings">{t(lang, Msg::AdminChooseFile)}</label>
                    <input id="buildings" name="file" type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required/>
                    <p class="muted">{t(lang, Msg::BuildingListHint)}</p>
                    <input type="hidden" name="step" value="buildings"/>
                    <button type="submit" class="primary">{t(lang, Msg::AdminImport)}</button>
                </form>
            </main>
        }
        .into_any()
    };
    document_with(
        ctx,
        t(lang, Msg::TerritoryAdminTitle),
        &[
            "/resident.css",
            "/worker.css",
            "/vendor/leaflet/leaflet.css",
        ],
        &["/vendor/leaflet/leaflet.js", "/territory-admin.js"],
        body,
    )
}

fn outcome(lang: Lang, action: &str, o: ImportOutcome) -> AnyView {
    match o {
        ImportOutcome::Refused { problems, reassign } => view! {
            <section class="card" role="alert">
                <h2 class="alert">{format!("{} {}", t(lang, Msg::TerritoryRefused), problems.len())}</h2>
                <table class="problems">
                    <thead><tr><th>{t(lang, Msg::TerritoryProblem)}</th><th>{t(lang, Msg::TerritoryCode)}</th><th>{t(lang, Msg::TerritoryWhat)}</th><th>"m²"</th><th>{t(lang, Msg::TerritoryWhere)}</th></tr></thead>
                    <tbody>
                        {problems.into_iter().map(|p| view! {
                            <tr class=format!("problem-{}", kind_name(p.kind))>
                                <td>{kind_label(lang, p.kind)}</td>
                                <td class="mono">{p.code.clone()}</td>
                                <td>{if lang == Lang::En { p.message_en.clone() } else { p.message.clone() }}</td>
                                <td class="num">{p.area_m2.map(|a| format!("{a:.0}"))}</td>
                                <td class="mono">{p.lng.zip(p.lat).map(|(x, y)| format!("{x:.6}, {y:.6}"))}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                {reassign.map(|r| reassign_form(lang, action, r))}
            </section>
        }
        .into_any(),
        ImportOutcome::Planned { plan, geojson } => view! {
            <section class="card plan">
                <h2>{t(lang, Msg::TerritoryPlan)}</h2>
                <PlanSummary lang=lang plan=plan/>
                <form method="post" action=action.to_owned() enctype="multipart/form-data">
                    <textarea name="geojson" hidden>{geojson}</textarea>
                    <input type="hidden" name="step" value="apply"/>
                    <button type="submit" class="primary">{t(lang, Msg::TerritoryApply)}</button>
                </form>
            </section>
        }
        .into_any(),
        ImportOutcome::Buildings(o) => super::admin_parts::outcome_view(lang, o),
        ImportOutcome::Applied(plan) => view! {
            <section class="card plan" role="status">
                <h2 class="notice-ok">{t(lang, Msg::TerritoryApplied)}</h2>
                <PlanSummary lang=lang plan=plan/>
            </section>
        }
        .into_any(),
    }
}

fn reassign_form(lang: Lang, action: &str, r: ReassignChoices) -> impl IntoView {
    view! {
        <form class="stack reassign" method="post" action=action.to_owned() enctype="multipart/form-data">
            <p>{t(lang, Msg::TerritoryReassignHint)}</p>
            <textarea name="geojson" hidden>{r.geojson}</textarea>
            <input type="hidden" name="step" value="check"/>
            {r.removed.into_iter().map(|(code, choices)| {
                let id = format!("reassign-{code}");
                view! {
                    <label for=id.clone()>{format!("{code} {}", t(lang, Msg::TerritoryReassignTo))}</label>
                    <select id=id name=format!("reassign:{code}") required>
                        <option value="">"—"</option>
                        {choices.into_iter().map(|(c, name)| view! { <option value=c.clone()>{format!("{name} ({c})")}</option> }).collect_view()}
                    </select>
                }
            }).collect_view()}
            <button type="submit" class="primary">{t(lang, Msg::TerritoryCheck)}</button>
        </form>
    }
}

#[component]
fn PlanSummary(lang: Lang, plan: Plan) -> impl IntoView {
    view! {
        <p>{format!("{} {} · {} {} · {} {}", t(lang, Msg::TerritoryAdded), plan.added.len(), t(lang, Msg::TerritoryChanged), plan.changed.len(), t(lang, Msg::TerritoryRemoved), plan.removed.len())}</p>
        {(!plan.touched.is_empty()).then(|| view! {
            <table class="touched">
                <thead><tr><th>{t(lang, Msg::TerritoryCode)}</th><th>{t(lang, Msg::TerritoryWhat)}</th><th>{t(lang, Msg::TerritoryOpenCases)}</th><th>{t(lang, Msg::TerritoryHouseholds)}</th><th>{t(lang, Msg::TerritoryPeople)}</th></tr></thead>
                <tbody>
                    {plan.touched.iter().map(|x| view! {
                        <tr>
                            <td class="mono">{x.code.clone()}</td>
                            <td>{t(lang, if x.change == "removed" { Msg::TerritoryRemoved } else { Msg::TerritoryChanged })}</td>
                            <td class="num">{x.open_cases}</td>
                            <td class="num">{x.households}</td>
                            <td class="num">{x.people}{x.moved_to.clone().map(|to| format!(" → {to}"))}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        })}
    }
}

fn kind_name(k: ProblemKind) -> String {
    serde_json::to_value(k)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn kind_label(lang: Lang, k: ProblemKind) -> &'static str {
    use ProblemKind::*;
    let (zh, en) = match k {
        NotAFeatureCollection => ("文件格式", "file format"),
        TooLarge => ("文件过大", "too large"),
        MissingProperty => ("缺少属性", "missing property"),
        InvalidCode => ("编码无效", "invalid code"),
        InvalidLevel => ("层级无效", "invalid level"),
        DuplicateCode => ("编码重复", "duplicate code"),
        UnknownParent => ("上级不存在", "unknown parent"),
        WrongParentLevel => ("上级层级不对", "wrong parent level"),
        CodePrefix => ("编码规则", "code scheme"),
        MissingGeometry => ("缺少边界", "no boundary"),
        InvalidGeometry => ("边界无效", "invalid boundary"),
        OutsideParent => ("超出上级", "outside its parent"),
        Overlap => ("重叠", "overlap"),
        Gap => ("缝隙", "gap"),
        ParentChanged => ("改变上级", "parent changed"),
        LevelChanged => ("改变层级", "level changed"),
        InUse => ("仍在使用", "still in use"),
        BadReassign => ("转移去向", "reassignment"),
        RetiredCode => ("已撤销编码", "retired code"),
    };
    if lang == Lang::En { en } else { zh }
}
