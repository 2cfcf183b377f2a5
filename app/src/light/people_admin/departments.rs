//! `/admin/departments`: create, import, rename with competences, deactivate.

use super::{STYLES, post_to};
use crate::i18n::{Lang, Msg, t};
use crate::light::admin_parts::{
    AdminHeader, AdminOutcome, button_form, import_form, outcome_view,
};
use crate::light::{PageCtx, document_with};
use crate::ssr::services::departments::DepartmentAdmin;
use crate::ssr::store::catalogue::CategoryRow;
use leptos::prelude::*;

/// The departments page.
pub struct DepartmentsView {
    pub departments: Vec<DepartmentAdmin>,
    pub categories: Vec<CategoryRow>,
    pub outcome: Option<AdminOutcome>,
}

pub fn departments_page(ctx: &PageCtx, v: DepartmentsView) -> String {
    let lang = ctx.lang;
    let c = ctx.clone();
    let action = post_to(ctx, "/admin/departments");
    let names: std::collections::HashMap<String, String> = v
        .categories
        .iter()
        .map(|c| {
            (
                c.code.clone(),
                if lang == Lang::En {
                    c.name_en.clone()
                } else {
                    c.name.clone()
                },
            )
        })
        .collect();
    let body = move || {
        view! {
            <AdminHeader ctx=c current="/admin/departments"/>
            <main class="wrap wide">
                <h1>{t(lang, Msg::AdminDepartmentsTitle)}</h1>
                {v.outcome.map(|o| outcome_view(lang, o))}
                <div class="admin-forms">
                    <form class="stack card" method="post" action=action.clone() enctype="multipart/form-data">
                        <h2>{t(lang, Msg::AdminCreateDepartment)}</h2>
                        <input type="hidden" name="action" value="create"/>
                        <label for="code">{t(lang, Msg::TerritoryCode)}</label>
                        <input id="code" name="code" required pattern="[A-Za-z0-9\\-]{1,32}"/>
                        <label for="name">{t(lang, Msg::AdminName)}</label>
                        <input id="name" name="name" required maxlength="40"/>
                        <label for="name_en">{t(lang, Msg::AdminNameEn)}</label>
                        <input id="name_en" name="name_en" maxlength="80"/>
                        <fieldset class="choices">
                            <legend>{t(lang, Msg::AdminCompetent)}</legend>
                                {category_choices(&v.categories, &names, &[])}
                        </fieldset>
                        <button type="submit" class="primary">{t(lang, Msg::AdminCreate)}</button>
                    </form>
                    {import_form(lang, &action, Msg::AdminDepartmentsHint)}
                </div>
                <div class="table-scroll"><table class="touched departments">
                    <thead><tr>
                        <th>{t(lang, Msg::TerritoryCode)}</th><th>{t(lang, Msg::AdminName)}</th><th>{t(lang, Msg::AdminNameEn)}</th>
                        <th>{t(lang, Msg::AdminCompetent)}</th><th>{t(lang, Msg::AdminState)}</th><th></th>
                    </tr></thead>
                    <tbody>
                        {v.departments.into_iter().map(|d| {
                            let categories = v.categories.clone();
                            let competent: Vec<String> = d.categories.iter().map(|c| names.get(c).cloned().unwrap_or_else(|| c.clone())).collect();
                            view! {
                                <tr class=if d.active { "" } else { "inactive" }>
                                    <td class="mono">{d.code.clone()}</td><td>{d.name.clone()}</td><td>{d.name_en.clone()}</td>
                                    <td>{competent.join("、")}</td>
                                    <td>{t(lang, if d.active { Msg::AdminActive } else { Msg::AdminInactive })}</td>
                                    <td class="row-actions">{d.active.then(|| button_form(&action, "deactivate", "code", d.code.clone(), t(lang, Msg::AdminDeactivate)))}</td>
                                </tr>
                                <tr class="edit-row">
                                    <td colspan="6">
                                        <details>
                                            <summary>{format!("{} {}", t(lang, Msg::AdminEdit), d.code)}</summary>
                                            <form class="stack" method="post" action=action.clone() enctype="multipart/form-data">
                                                <input type="hidden" name="action" value="update"/>
                                                <input type="hidden" name="code" value=d.code.clone()/>
                                                <label>{t(lang, Msg::AdminName)}<input name="name" required maxlength="40" value=d.name.clone()/></label>
                                                <label>{t(lang, Msg::AdminNameEn)}<input name="name_en" maxlength="80" value=d.name_en.clone()/></label>
                                                <fieldset class="choices">
                                                    <legend>{t(lang, Msg::AdminCompetent)}</legend>
                                                    {category_choices(&categories, &names, &d.categories)}
                                                </fieldset>
                                                <button type="submit">{t(lang, Msg::AdminSave)}</button>
                                            </form>
                                        </details>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table></div>
            </main>
        }
        .into_any()
    };
    document_with(ctx, t(lang, Msg::AdminDepartmentsTitle), &STYLES, &[], body)
}

/// A checkbox per category, ticked for those in `ticked`.
fn category_choices(
    categories: &[CategoryRow],
    names: &std::collections::HashMap<String, String>,
    ticked: &[String],
) -> AnyView {
    categories
        .iter()
        .map(|c| {
            let label = names.get(&c.code).cloned().unwrap_or_default();
            let on = ticked.contains(&c.code);
            view! { <label class="choice"><input type="checkbox" name="categories" value=c.code.clone() checked=on/>{label}</label> }
        })
        .collect_view()
        .into_any()
}
