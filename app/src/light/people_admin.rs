//! `/admin/accounts`, `/admin/departments` and `/admin/members`: administrators create the
//! district's accounts and departments one by one or from a table, reset passwords,
//! deactivate, and assign the people serving each grid (1+3+N). Light pages: every form
//! works without JavaScript and posts back to its page.

use super::admin_parts::{AdminHeader, AdminOutcome, button_form, import_form, outcome_view};
use super::{PageCtx, document_with};
use crate::components::labels;
use crate::domain::people::{GridMember, MemberKind, Role, SupportRole};
use crate::i18n::{Lang, Msg, t};
use crate::ssr::services::departments::DepartmentAdmin;
use crate::ssr::store::accounts::AccountListed;
use crate::ssr::store::catalogue::CategoryRow;
use leptos::prelude::*;

const STYLES: [&str; 2] = ["/resident.css", "/worker.css"];

fn post_to(ctx: &PageCtx, path: &str) -> String {
    format!("{path}?_csrf={}", ctx.csrf)
}

/// The accounts page: the accounts, a form for one, a table import.
pub struct AccountsView {
    /// The administrator looking: their own account cannot be deactivated here.
    pub me: String,
    pub accounts: Vec<AccountListed>,
    /// (code, label) of the nodes and departments an account can be attached to.
    pub attachments: Vec<(String, String)>,
    pub outcome: Option<AdminOutcome>,
}

pub fn accounts_page(ctx: &PageCtx, v: AccountsView) -> String {
    let lang = ctx.lang;
    let c = ctx.clone();
    let action = post_to(ctx, "/admin/accounts");
    let body = move || {
        view! {
            <AdminHeader ctx=c current="/admin/accounts"/>
            <main class="wrap wide">
                <h1>{t(lang, Msg::AdminAccountsTitle)}</h1>
                {v.outcome.map(|o| outcome_view(lang, o))}
                <div class="admin-forms">
                    <form class="stack card" method="post" action=action.clone() enctype="multipart/form-data">
                        <h2>{t(lang, Msg::AdminCreateAccount)}</h2>
                        <input type="hidden" name="action" value="create"/>
                        <label for="username">{t(lang, Msg::Username)}</label>
                        <input id="username" name="username" required pattern="[A-Za-z0-9._\\-]{2,32}" autocomplete="off"/>
                        <label for="display_name">{t(lang, Msg::AdminDisplayName)}</label>
                        <input id="display_name" name="display_name" required maxlength="40"/>
                        <label for="role">{t(lang, Msg::Role)}</label>
                        <select id="role" name="role" required>
                            <option value="">"—"</option>
                            {Role::ALL.into_iter().map(|r| view! { <option value=r.as_str()>{t(lang, labels::role(r))}</option> }).collect_view()}
                        </select>
                        <label for="attachment">{t(lang, Msg::AdminAttachment)}</label>
                        <input id="attachment" name="attachment" list="attachments" required aria-describedby="attachment-hint"/>
                        <datalist id="attachments">
                            {v.attachments.into_iter().map(|(code, label)| view! { <option value=code>{label}</option> }).collect_view()}
                        </datalist>
                        <p id="attachment-hint" class="muted">{t(lang, Msg::AdminAttachmentHint)}</p>
                        <label for="work_phone">{t(lang, Msg::AdminWorkPhone)}</label>
                        <input id="work_phone" name="work_phone" type="tel" inputmode="tel"/>
                        <button type="submit" class="primary">{t(lang, Msg::AdminCreate)}</button>
                    </form>
                    {import_form(lang, &action, Msg::AdminAccountsHint)}
                </div>
                <div class="table-scroll"><table class="touched accounts">
                    <thead><tr>
                        <th>{t(lang, Msg::Username)}</th><th>{t(lang, Msg::AdminDisplayName)}</th><th>{t(lang, Msg::Role)}</th>
                        <th>{t(lang, Msg::AdminAttachment)}</th><th>{t(lang, Msg::AdminWorkPhone)}</th><th>{t(lang, Msg::AdminState)}</th><th></th>
                    </tr></thead>
                    <tbody>
                        {v.accounts.into_iter().map(|a| account_row(lang, &action, &v.me, a)).collect_view()}
                    </tbody>
                </table></div>
            </main>
        }
        .into_any()
    };
    document_with(ctx, t(lang, Msg::AdminAccountsTitle), &STYLES, &[], body)
}

fn account_row(lang: Lang, action: &str, me: &str, a: AccountListed) -> impl IntoView {
    let may_deactivate = a.active && a.username != me;
    let role = Role::parse(&a.role).map_or(a.role.clone(), |r| t(lang, labels::role(r)).to_owned());
    let attached = a.node_name.or(a.department_name).unwrap_or_default();
    let state = match (a.active, a.must_change_password) {
        (false, _) => Msg::AdminInactive,
        (true, true) => Msg::AdminMustChange,
        (true, false) => Msg::AdminActive,
    };
    view! {
        <tr class=if a.active { "" } else { "inactive" }>
            <td class="mono">{a.username.clone()}</td>
            <td>{a.display_name}</td>
            <td>{role}</td>
            <td>{attached}</td>
            <td class="mono">{a.work_phone}</td>
            <td>{t(lang, state)}</td>
            <td class="row-actions">
                {a.active.then(|| button_form(action, "reset", "username", a.username.clone(), t(lang, Msg::AdminResetPassword)))}
                {may_deactivate.then(|| button_form(action, "deactivate", "username", a.username.clone(), t(lang, Msg::AdminDeactivate)))}
            </td>
        </tr>
    }
}

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

/// The grid members page: one grid at a time.
pub struct MembersView {
    /// (code, name) of the grids of the administrator's area.
    pub grids: Vec<(String, String)>,
    /// The grid shown, with its members.
    pub grid: Option<(String, Vec<GridMember>)>,
    pub outcome: Option<AdminOutcome>,
}

/// Member kinds as one choice: the 1 and the 3, then the eight support roles.
fn kind_choices() -> Vec<(String, Msg)> {
    let mut out: Vec<(String, Msg)> = MemberKind::ALL
        .into_iter()
        .filter(|k| *k != MemberKind::Support)
        .map(|k| (k.as_str().to_owned(), labels::member(k, None)))
        .collect();
    out.extend(
        SupportRole::ALL
            .into_iter()
            .map(|r| (format!("support:{}", r.as_str()), labels::support_role(r))),
    );
    out
}

pub fn members_page(ctx: &PageCtx, v: MembersView) -> String {
    let lang = ctx.lang;
    let c = ctx.clone();
    let body = move || {
        let shown = v.grid.as_ref().map(|(g, _)| g.clone()).unwrap_or_default();
        view! {
            <AdminHeader ctx=c.clone() current="/admin/members"/>
            <main class="wrap wide">
                <h1>{t(lang, Msg::AdminMembersTitle)}</h1>
                {v.outcome.map(|o| outcome_view(lang, o))}
                <form class="row card" method="get" action="/admin/members">
                    <label for="grid">{t(lang, Msg::AdminChooseGrid)}</label>
                    <select id="grid" name="grid">
                        {v.grids.into_iter().map(|(code, name)| {
                            let selected = code == shown;
                            view! { <option value=code.clone() selected=selected>{format!("{name} ({code})")}</option> }
                        }).collect_view()}
                    </select>
                    <button type="submit">{t(lang, Msg::AdminShowGrid)}</button>
                </form>
                {v.grid.map(|(grid, members)| grid_members(lang, &c, grid, members))}
            </main>
        }
        .into_any()
    };
    document_with(ctx, t(lang, Msg::AdminMembersTitle), &STYLES, &[], body)
}

fn grid_members(
    lang: Lang,
    ctx: &PageCtx,
    grid: String,
    members: Vec<GridMember>,
) -> impl IntoView {
    let action = format!("/admin/members?grid={grid}&_csrf={}", ctx.csrf);
    let poster = format!("/posters/{grid}");
    let qr = format!("/r/{grid}");
    view! {
        <p><a href=qr>{format!("/r/{grid}")}</a>" · "<a href=poster>{t(lang, Msg::GridWorkersPublic)}</a></p>
        {if members.is_empty() {
            view! { <p class="muted">{t(lang, Msg::AdminNoMembers)}</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll"><table class="touched members">
                    <thead><tr><th>{t(lang, Msg::AdminPersonName)}</th><th>{t(lang, Msg::AdminMemberKind)}</th><th>{t(lang, Msg::Duties)}</th><th>{t(lang, Msg::AdminWorkPhone)}</th><th></th></tr></thead>
                    <tbody>
                        {members.into_iter().map(|m| view! {
                            <tr>
                                <td>{m.name.clone()}</td>
                                <td>{t(lang, labels::member(m.kind, m.support_role))}</td>
                                <td>{m.duties.clone()}</td>
                                <td class="mono">{m.work_phone.clone()}</td>
                                <td class="row-actions">{button_form(&action, "remove", "id", m.id.to_string(), t(lang, Msg::AdminRemove))}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table></div>
            }.into_any()
        }}
        <form class="stack card" method="post" action=action.clone() enctype="multipart/form-data">
            <h2>{t(lang, Msg::AdminAddMember)}</h2>
            <input type="hidden" name="action" value="add"/>
            <label for="name">{t(lang, Msg::AdminPersonName)}</label>
            <input id="name" name="name" required maxlength="40"/>
            <label for="kind">{t(lang, Msg::AdminMemberKind)}</label>
            <select id="kind" name="kind" required>
                <option value="">"—"</option>
                {kind_choices().into_iter().map(|(value, msg)| view! { <option value=value>{t(lang, msg)}</option> }).collect_view()}
            </select>
            <label for="duties">{t(lang, Msg::Duties)}</label>
            <input id="duties" name="duties" maxlength="200"/>
            <label for="work_phone">{t(lang, Msg::AdminWorkPhone)}</label>
            <input id="work_phone" name="work_phone" type="tel" inputmode="tel"/>
            <label for="member_username">{t(lang, Msg::AdminMemberAccount)}</label>
            <input id="member_username" name="username" autocomplete="off"/>
            <button type="submit" class="primary">{t(lang, Msg::AdminAddMember)}</button>
        </form>
    }
}
