//! `/admin/categories`: the category standards table — every category with its
//! subcategories, codes, standards, default tier, urgency, competent department and stage
//! limits; each row editable in place, a new subcategory added, the whole table exported
//! as XLSX and imported back (all rows or none). Works without JavaScript.

use crate::components::labels;
use crate::domain::case::Tier;
use crate::domain::category_standard::{CategoryStandard, Kind};
use crate::domain::people::Department;
use crate::domain::reply_template::{ReplyTemplate, STEPS};
use crate::i18n::{Lang, Msg, t};
use crate::light::admin_parts::{
    AdminHeader, AdminOutcome, button_form, import_form, outcome_view,
};
use crate::light::{PageCtx, document_with};
use leptos::prelude::*;

const STYLES: [&str; 2] = ["/resident.css", "/worker.css"];

pub struct CategoriesView {
    pub standards: Vec<CategoryStandard>,
    pub templates: Vec<ReplyTemplate>,
    pub departments: Vec<Department>,
    pub outcome: Option<AdminOutcome>,
}

fn pick(lang: Lang, zh: &str, en: &str) -> String {
    if lang == Lang::En { en } else { zh }.to_owned()
}

fn hours(h: Option<u32>) -> String {
    h.map_or_else(|| "—".into(), |h| h.to_string())
}

pub fn categories_page(ctx: &PageCtx, v: CategoriesView) -> String {
    let lang = ctx.lang;
    let c = ctx.clone();
    let action = format!("/admin/categories?_csrf={}", ctx.csrf);
    let tops: Vec<CategoryStandard> = v
        .standards
        .iter()
        .filter(|s| s.parent.is_none())
        .cloned()
        .collect();
    let body = move || {
        let rows = tops
            .iter()
            .flat_map(|top| {
                std::iter::once(top.clone()).chain(
                    v.standards
                        .iter()
                        .filter(|s| s.parent.as_deref() == Some(top.code.as_str()))
                        .cloned(),
                )
            })
            .map(|s| row(lang, &action, s, &tops, &v.departments))
            .collect_view();
        let blank = CategoryStandard {
            parent: tops.first().map(|t| t.code.clone()),
            ..CategoryStandard::default()
        };
        view! {
            <AdminHeader ctx=c.clone() current="/admin/categories"/>
            <main class="wrap wide">
                <h1>{t(lang, Msg::AdminCategoriesTitle)}</h1>
                <p class="muted">{t(lang, Msg::AdminCategoriesIntro)}</p>
                {v.outcome.clone().map(|o| outcome_view(lang, o))}
                <div class="admin-forms">
                    <div class="stack card">
                        <h2>{t(lang, Msg::AdminExportTable)}</h2>
                        <p class="muted">{t(lang, Msg::AdminCategoriesExportHint)}</p>
                        <a class="button" href="/api/v1/categories.xlsx" download="categories.xlsx">{t(lang, Msg::AdminDownloadXlsx)}</a>
                    </div>
                    {import_form(lang, &action, Msg::AdminCategoriesHint)}
                    <details class="card">
                        <summary>{t(lang, Msg::AdminAddSubcategory)}</summary>
                        {standard_form(lang, &action, &blank, &tops, &v.departments, true)}
                    </details>
                </div>
                <div class="table-scroll"><table class="touched categories">
                    <thead><tr>
                        <th>{t(lang, Msg::AdminName)}</th><th>{t(lang, Msg::AdminCjCode)}</th>
                        <th>{t(lang, Msg::AdminDefaultTier)}</th><th>{t(lang, Msg::UrgentLabel)}</th><th>{t(lang, Msg::AdminResultPhoto)}</th><th>{t(lang, Msg::AdminCompetentDepartment)}</th>
                        <th class="num">{t(lang, Msg::AdminLimits)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table></div>
                {templates_section(lang, &action, &v.templates, &v.standards)}
            </main>
        }
        .into_any()
    };
    document_with(ctx, t(lang, Msg::AdminCategoriesTitle), &STYLES, &[], body)
}

fn row(
    lang: Lang,
    action: &str,
    s: CategoryStandard,
    tops: &[CategoryStandard],
    departments: &[Department],
) -> impl IntoView {
    let sub = s.parent.is_some();
    let dept = s
        .copy_department
        .as_ref()
        .and_then(|d| departments.iter().find(|x| &x.code == d))
        .map(|d| pick(lang, &d.name, &d.name_en))
        .unwrap_or_else(|| "—".into());
    let kind = t(
        lang,
        if s.kind == Kind::Component {
            Msg::KindComponent
        } else {
            Msg::KindEvent
        },
    );
    let limits = format!(
        "{} / {} / {}",
        hours(s.limits.ack_hours),
        hours(s.limits.handle_hours),
        hours(s.limits.verify_hours)
    );
    let edit = standard_form(lang, action, &s, tops, departments, false);
    view! {
        <tr class=if sub { "subcategory-row" } else { "category-row" } data-code=s.code.clone()>
            <td>{if sub { "└ " } else { "" }}<strong>{pick(lang, &s.name, &s.name_en)}</strong><br/><span class="mono muted small">{s.code.clone()}</span></td>
            <td class="mono">{format!("{} {}", kind, s.cj_code)}</td>
            <td>{s.default_tier.map(|x| t(lang, labels::tier(x))).unwrap_or("—")}</td>
            <td>{if s.urgent { t(lang, Msg::UrgentLabel) } else { "" }}</td>
            <td>{match s.result_photo { Some(true) => t(lang, Msg::AdminResultPhotoYes), Some(false) => t(lang, Msg::AdminResultPhotoNo), None => "" }}</td>
            <td>{dept}</td>
            <td class="num">{limits}</td>
        </tr>
        <tr class="edit-row"><td colspan="7">
            <details>
                <summary>{format!("{} {}", t(lang, Msg::AdminEdit), s.code)}</summary>
                {edit}
            </details>
        </td></tr>
    }
}

/// The fields of one row; `new` asks for the code, otherwise it is fixed.
fn standard_form(
    lang: Lang,
    action: &str,
    s: &CategoryStandard,
    tops: &[CategoryStandard],
    departments: &[Department],
    new: bool,
) -> AnyView {
    let hour = |name: &'static str, label: Msg, v: Option<u32>| {
        view! { <label>{t(lang, label)}<input name=name type="number" min="1" max="2000" value=v.map(|h| h.to_string()).unwrap_or_default()/></label> }
    };
    let parent_choices = tops
        .iter()
        .filter(|t| t.code != s.code)
        .map(|t| {
            let on = s.parent.as_deref() == Some(t.code.as_str());
            view! { <option value=t.code.clone() selected=on>{pick(lang, &t.name, &t.name_en)}</option> }
        })
        .collect_view();
    let dept_choices = departments
        .iter()
        .map(|d| {
            let on = s.copy_department.as_deref() == Some(d.code.as_str());
            view! { <option value=d.code.clone() selected=on>{pick(lang, &d.name, &d.name_en)}</option> }
        })
        .collect_view();
    let tier_choices = Tier::ALL
        .iter()
        .map(|x| view! { <option value=x.as_str() selected=s.default_tier == Some(*x)>{t(lang, labels::tier(*x))}</option> })
        .collect_view();
    view! {
        <form class="stack category-form" method="post" action=action.to_owned() enctype="multipart/form-data">
            <input type="hidden" name="action" value="save"/>
            {if new {
                view! { <label>{t(lang, Msg::TerritoryCode)}<input name="code" required pattern="[a-z0-9_.\\-]{1,40}" placeholder="city_order.banner"/></label> }.into_any()
            } else {
                view! { <input type="hidden" name="code" value=s.code.clone()/> }.into_any()
            }}
            {if new {
                view! { <label>{t(lang, Msg::AdminParentCategory)}<select name="parent" required>{parent_choices}</select></label> }.into_any()
            } else {
                // A row keeps its parent: cases and figures are kept by its code.
                view! { <input type="hidden" name="parent" value=s.parent.clone().unwrap_or_default()/> }.into_any()
            }}
            <label>{t(lang, Msg::AdminCjCode)}<input name="cj_code" pattern="[0-9]{4}" value=s.cj_code.clone()/></label>
            <label>{t(lang, Msg::AdminKind)}
                <select name="kind">
                    <option value="event" selected=s.kind == Kind::Event>{t(lang, Msg::KindEvent)}</option>
                    <option value="component" selected=s.kind == Kind::Component>{t(lang, Msg::KindComponent)}</option>
                </select>
            </label>
            <label>{t(lang, Msg::AdminName)}<input name="name" required maxlength="40" value=s.name.clone()/></label>
            <label>{t(lang, Msg::AdminNameEn)}<input name="name_en" maxlength="80" value=s.name_en.clone()/></label>
            <label>{t(lang, Msg::AdminFilingStandard)}<textarea name="filing_standard" rows="2" maxlength="500">{s.filing_standard.clone()}</textarea></label>
            <label>{t(lang, Msg::AdminClosingStandard)}<textarea name="closing_standard" rows="2" maxlength="500">{s.closing_standard.clone()}</textarea></label>
            <label>{t(lang, Msg::AdminDefaultTier)}<select name="default_tier"><option value="">"—"</option>{tier_choices}</select></label>
            <label class="choice"><input type="checkbox" name="urgent" value="on" checked=s.urgent/>{t(lang, Msg::UrgentLabel)}</label>
            <label>{t(lang, Msg::AdminCompetentDepartment)}<select name="department"><option value="">"—"</option>{dept_choices}</select></label>
            <label>{t(lang, Msg::AdminResultPhoto)}
                <select name="result_photo">
                    <option value="" selected=s.result_photo.is_none()>{t(lang, if s.parent.is_some() || new { Msg::AdminResultPhotoInherit } else { Msg::AdminResultPhotoNo })}</option>
                    <option value="yes" selected=s.result_photo == Some(true)>{t(lang, Msg::AdminResultPhotoYes)}</option>
                    <option value="no" selected=s.result_photo == Some(false)>{t(lang, Msg::AdminResultPhotoNo)}</option>
                </select>
            </label>
            {hour("ack_hours", Msg::AdminAckHours, s.limits.ack_hours)}
            {hour("handle_hours", Msg::AdminHandleHours, s.limits.handle_hours)}
            {hour("verify_hours", Msg::AdminVerifyHours, s.limits.verify_hours)}
            <button type="submit" class="primary">{t(lang, Msg::AdminSave)}</button>
        </form>
    }
    .into_any()
}

/// 常用回复: the templates by step, each removable, and a form to add one.
fn templates_section(
    lang: Lang,
    action: &str,
    templates: &[ReplyTemplate],
    standards: &[CategoryStandard],
) -> impl IntoView {
    let step_name = |step: &str| {
        labels::action(step)
            .map(|m| t(lang, m))
            .unwrap_or("")
            .to_owned()
    };
    let category_name = |code: &Option<String>| match code {
        None => t(lang, Msg::AllCategories).to_owned(),
        Some(c) => standards
            .iter()
            .find(|s| &s.code == c)
            .map(|s| pick(lang, &s.name, &s.name_en))
            .unwrap_or_else(|| c.clone()),
    };
    let rows = templates
        .iter()
        .map(|tpl| {
            view! {
                <tr>
                    <td>{step_name(&tpl.step)}</td>
                    <td>{category_name(&tpl.category)}</td>
                    <td>{tpl.text.clone()}</td>
                    <td class="row-actions">{button_form(action, "template_delete", "id", tpl.id.to_string(), t(lang, Msg::AdminRemove))}</td>
                </tr>
            }
        })
        .collect_view();
    let steps = STEPS
        .iter()
        .map(|s| view! { <option value=*s>{step_name(s)}</option> })
        .collect_view();
    let categories = standards
        .iter()
        .map(|s| view! { <option value=s.code.clone()>{pick(lang, &s.name, &s.name_en)}</option> })
        .collect_view();
    view! {
        <section class="templates-admin">
            <h2>{t(lang, Msg::ReplyTemplatesLabel)}</h2>
            <p class="muted">{t(lang, Msg::AdminTemplatesIntro)}</p>
            <form class="stack card" method="post" action=action.to_owned() enctype="multipart/form-data">
                <input type="hidden" name="action" value="template_add"/>
                <label>{t(lang, Msg::AdminTemplateStep)}<select name="step" required>{steps}</select></label>
                <label>{t(lang, Msg::AdminParentCategory)}<select name="category"><option value="">{t(lang, Msg::AllCategories)}</option>{categories}</select></label>
                <label>{t(lang, Msg::AdminTemplateText)}<textarea name="text" rows="2" maxlength="500" required></textarea></label>
                <button type="submit" class="primary">{t(lang, Msg::AdminAddTemplate)}</button>
            </form>
            <div class="table-scroll"><table class="touched templates">
                <thead><tr><th>{t(lang, Msg::AdminTemplateStep)}</th><th>{t(lang, Msg::AdminParentCategory)}</th><th>{t(lang, Msg::AdminTemplateText)}</th><th></th></tr></thead>
                <tbody>{rows}</tbody>
            </table></div>
        </section>
    }
}
