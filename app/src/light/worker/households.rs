//! `/w/households`: the grid's household archive (户档案) with import, and
//! `/w/households/{id}`: one household, the audited reveal and the visit form.

use super::{Alert, Tab, page, when};
use crate::domain::household::VisitState;
use crate::domain::household::import::ImportReport;
use crate::domain::household::view::{
    HouseholdDetail, HouseholdView, MemberView, Revealed, TagView,
};
use crate::domain::resident::CategoryChoice;
use crate::i18n::{Lang, Msg, t};
use crate::light::{PageCtx, pick};
use leptos::prelude::*;

#[component]
pub fn Tags(lang: Lang, tags: Vec<TagView>) -> impl IntoView {
    tags.into_iter()
        .map(|tag| view! { <span class=format!("tag tag-{}", tag.code)>{pick(lang, &tag.name, &tag.name_en).to_owned()}</span> })
        .collect::<Vec<_>>()
}

/// "下次走访 11-28" / "逾期 3 天" / nothing for households without a rule.
#[component]
pub fn VisitBadge(lang: Lang, state: VisitState) -> impl IntoView {
    match state {
        VisitState::NoRule => None,
        VisitState::Due { due_at } => Some(view! {
            <span class="visit-due">{t(lang, Msg::NextVisitDue)}" "{when(due_at).get(5..10).unwrap_or_default().to_owned()}</span>
        }.into_any()),
        VisitState::Overdue { days, .. } => Some(view! {
            <span class="visit-overdue">{t(lang, Msg::OverdueBy)}" "{days}" "{t(lang, Msg::CalendarDays)}</span>
        }.into_any()),
    }
}

fn member_line(lang: Lang, m: &MemberView) -> impl IntoView + use<> {
    let numbers = [m.phone_masked.clone(), m.id_masked.clone()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" · ");
    view! {
        <span class="member">
            <strong>{m.name.clone()}</strong>
            {(!m.relation.is_empty()).then(|| view! { <span class="hint">" "{m.relation.clone()}</span> })}
            " "<Tags lang=lang tags=m.tags.clone()/>
            {(!numbers.is_empty()).then(|| view! { <span class="mono numbers">{numbers}</span> })}
        </span>
    }
}

pub fn render_list(
    ctx: &PageCtx,
    grid_code: String,
    grid_name: String,
    households: Vec<HouseholdView>,
    can_import: bool,
    report: Option<ImportReport>,
) -> String {
    let lang = ctx.lang;
    let import_action = format!("/w/households/import?grid={grid_code}&_csrf={}", ctx.csrf);
    let add_action = format!("/w/households/add?grid={grid_code}&_csrf={}", ctx.csrf);
    page(ctx, Msg::Households, Tab::Households, false, move || {
        let count = households.len();
        let overdue = households.iter().filter(|h| h.visit.is_overdue()).count();
        view! {
            <h1>{grid_name}</h1>
            <p class="hint">{t(lang, Msg::Households)}" "{count}" · "{t(lang, Msg::VisitsOverdue)}" "{overdue}</p>
            {report.map(|r| import_report(lang, r))}
            <input id="household-filter" class="js-only filter" type="search" placeholder=t(lang, Msg::Search)/>
            {(count == 0).then(|| view! { <p class="hint">{t(lang, Msg::NoHouseholds)}</p> })}
            <ul class="household-list" id="households">
                {households.into_iter().map(|h| view! {
                    <li class=if h.visit.is_overdue() { "household overdue" } else { "household" }>
                        <a href=format!("/w/households/{}", h.id)>
                            <span class="address"><strong>{h.address.clone()}</strong>
                                {(!h.building.is_empty()).then(|| view! { <span class="hint">" "{h.building.clone()}</span> })}
                            </span>
                            <VisitBadge lang=lang state=h.visit/>
                            <span class="members">{h.members.iter().map(|m| member_line(lang, m)).collect::<Vec<_>>()}</span>
                        </a>
                    </li>
                }).collect::<Vec<_>>()}
            </ul>
            <p id="households-none" class="hint" role="status" hidden>{t(lang, Msg::NoHouseholdMatch)}</p>
            {can_import.then(|| add_form(lang, &add_action))}
            {can_import.then(|| view! {
                <details class="card import">
                    <summary>{t(lang, Msg::ImportHouseholds)}</summary>
                    <p class="hint">{t(lang, Msg::ImportHint)}</p>
                    <form method="post" action=import_action.clone() enctype="multipart/form-data">
                        <input type="file" name="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required/>
                        <button type="submit" class="secondary">{t(lang, Msg::ImportHouseholds)}</button>
                    </form>
                </details>
            })}
        }
        .into_any()
    })
}

/// One member by hand (a new household when the address is new), checked as a row of
/// the import; the numbers are sealed and shown masked like imported ones.
fn add_form(lang: Lang, action: &str) -> AnyView {
    let field = |id: &'static str, label: Msg, required: bool, kind: &'static str| {
        view! {
            <label for=id>{t(lang, label)}{required.then(|| view! { <span class="required" aria-hidden="true">" *"</span> })}</label>
            <input id=id name=id type=kind required=required/>
        }
    };
    view! {
        <details class="card add-member">
            <summary>{t(lang, Msg::AddHouseholdMember)}</summary>
            <form method="post" action=action.to_owned() enctype="multipart/form-data" class="stack">
                {field("address", Msg::HouseholdAddress, true, "text")}
                {field("building", Msg::HouseholdBuilding, false, "text")}
                {field("name", Msg::MemberName, true, "text")}
                {field("relation", Msg::MemberRelation, false, "text")}
                {field("phone", Msg::MemberPhone, false, "tel")}
                {field("id_number", Msg::MemberIdNumber, false, "text")}
                {field("tags", Msg::MemberTags, false, "text")}
                <button type="submit" class="primary">{t(lang, Msg::AddHouseholdMember)}</button>
            </form>
        </details>
    }
    .into_any()
}

fn import_report(lang: Lang, r: ImportReport) -> impl IntoView {
    if r.errors.is_empty() {
        view! {
            <div class="success" role="status">
                <p><strong>{t(lang, Msg::ImportDone)}</strong></p>
                <p>{t(lang, Msg::HouseholdsCreated)}" "{r.households_created}" · "
                   {t(lang, Msg::MembersCreated)}" "{r.members_created}" · "
                   {t(lang, Msg::MembersUpdated)}" "{r.members_updated}</p>
            </div>
        }
        .into_any()
    } else {
        view! {
            <div class="alert" role="alert" id="import-errors">
                <p><strong>{t(lang, Msg::ImportRefused)}</strong></p>
                <table class="errors">
                    <thead><tr><th>{t(lang, Msg::Row)}</th><th>{t(lang, Msg::Column)}</th><th></th></tr></thead>
                    <tbody>
                        {r.errors.into_iter().map(|e| view! {
                            <tr>
                                <td>{e.row}</td>
                                <td>{e.column.map(|c| c.header()).unwrap_or("")}</td>
                                <td>{t(lang, e.msg)}{(!e.value.is_empty()).then(|| format!("（{}）", e.value))}</td>
                            </tr>
                        }).collect::<Vec<_>>()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    }
}

/// What the household page confirms after a visit: the visit, and the case (id, tracking
/// code) its needs became.
#[derive(Clone, Debug, Default)]
pub struct VisitNotice {
    pub case: Option<(i64, String)>,
}

pub fn render_detail(
    ctx: &PageCtx,
    d: HouseholdDetail,
    revealed: Option<Revealed>,
    categories: Vec<CategoryChoice>,
    notice: Option<VisitNotice>,
    error: Option<Msg>,
) -> String {
    let lang = ctx.lang;
    let csrf = ctx.csrf.clone();
    page(ctx, Msg::Households, Tab::Households, false, move || {
        let h = d.household;
        let id = h.id;
        let visit_action = format!("/w/households/{id}/visits?_csrf={csrf}");
        let last = h
            .last_visit_at
            .map(when)
            .unwrap_or_else(|| t(lang, Msg::NeverVisited).to_owned());
        view! {
            {notice.map(|n| view! {
                <div class="success" role="status">
                    {t(lang, Msg::VisitLogged)}
                    {n.case.map(|(_, code)| view! { " "{t(lang, Msg::VisitCaseCreated)}" "<strong class="mono">{code}</strong> })}
                </div>
            })}
            {error.map(|m| view! { <Alert lang=lang msg=m/> })}
            <section class="card">
                <h1>{h.address.clone()}</h1>
                <p class="hint">{h.grid_name.clone()}{(!h.building.is_empty()).then(|| format!(" · {}", h.building))}</p>
                <dl class="facts">
                    <dt>{t(lang, Msg::LastVisit)}</dt><dd>{last}</dd>
                    {h.visit_every_days.map(|n| view! { <dt>{t(lang, Msg::VisitEvery)}</dt><dd>{n}" "{t(lang, Msg::CalendarDays)}" " <VisitBadge lang=lang state=h.visit/></dd> })}
                </dl>
                <ul class="member-list">
                    {h.members.iter().map(|m| {
                        let shown = revealed.as_ref().filter(|r| r.member_id == m.id).cloned();
                        let reveal_action = format!("/w/households/{id}/members/{}/reveal?_csrf={csrf}", m.id);
                        let has_numbers = !(m.phone_masked.is_empty() && m.id_masked.is_empty());
                        view! {
                            <li>
                                {member_line(lang, m)}
                                {shown.map(|r| view! {
                                    <span class="revealed mono" role="status">
                                        {r.phone.clone().map(|p| view! { <a href=format!("tel:{p}")>{p.clone()}</a> " " })}
                                        {r.id_number.clone()}
                                    </span>
                                })}
                                {(d.can_reveal && has_numbers).then(|| view! {
                                    <form method="post" action=reveal_action class="inline">
                                        <button type="submit" class="small secondary">{t(lang, Msg::Reveal)}</button>
                                    </form>
                                })}
                            </li>
                        }
                    }).collect::<Vec<_>>()}
                </ul>
                {d.can_reveal.then(|| view! { <p class="hint">{t(lang, Msg::RevealNote)}</p> })}
            </section>
            {d.can_visit.then(|| view! {
                <form id="visit" class="report" method="post" action=visit_action enctype="multipart/form-data"
                    data-locating=t(lang, Msg::LocatingNow) data-location-set=t(lang, Msg::LocationSet)>
                    <h2>{t(lang, Msg::LogVisit)}</h2>
                    <input type="hidden" name="lat"/>
                    <input type="hidden" name="lng"/>
                    <label for="minutes">{t(lang, Msg::VisitMinutes)}</label>
                    <input id="minutes" name="minutes" type="number" inputmode="numeric" min="1" max="480" value="30" required/>
                    <label for="notes">{t(lang, Msg::VisitNotes)}</label>
                    <textarea id="notes" name="notes" rows="3" required maxlength="1000"></textarea>
                    <label for="needs">{t(lang, Msg::NeedsFound)}</label>
                    <textarea id="needs" name="needs" rows="2" maxlength="1000"></textarea>
                    <label class="check"><input type="checkbox" name="to_case" value="1"/>" "{t(lang, Msg::NeedToCase)}</label>
                    <select name="category" aria-label=t(lang, Msg::Category)>
                        <option value="" selected>{t(lang, Msg::ChooseCategoryOption)}</option>
                        {categories.iter().map(|c| view! { <option value=c.code.clone()>{pick(lang, &c.name, &c.name_en).to_owned()}</option> }).collect::<Vec<_>>()}
                    </select>
                    <fieldset class="photos">
                        <legend>{t(lang, Msg::Photo)}</legend>
                        <input type="file" name="photo" accept="image/*" capture="environment"/>
                    </fieldset>
                    <button type="submit" class="primary">{t(lang, Msg::LogVisit)}</button>
                </form>
            })}
            <h2>{t(lang, Msg::VisitsTitle)}</h2>
            <ul class="visit-list">
                {d.visits.into_iter().map(|v| view! {
                    <li>
                        <span class="hint">{when(v.visited_at)}" · "{v.worker.clone()}" · "{v.minutes}" "{t(lang, Msg::Minutes)}</span>
                        <p>{v.notes.clone()}</p>
                        {v.photo.clone().map(|p| view! { <img class="visit-photo" alt="" loading="lazy" src=format!("/w/photos/{p}")/> })}
                        {(!v.needs.is_empty()).then(|| view! { <p class="needs">{t(lang, Msg::NeedsFound)}"："{v.needs.clone()}</p> })}
                        {v.case_id.map(|c| view! { <a href=format!("/cases/{c}")>{t(lang, Msg::NeedToCase)}" →"</a> })}
                    </li>
                }).collect::<Vec<_>>()}
            </ul>
        }
        .into_any()
    })
}
