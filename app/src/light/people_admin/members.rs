//! `/admin/members`: the people serving one grid (1+3+N), added and removed.

use super::STYLES;
use crate::components::labels;
use crate::domain::people::{GridMember, MemberKind, SupportRole};
use crate::i18n::{Lang, Msg, t};
use crate::light::admin_parts::{AdminHeader, AdminOutcome, button_form, outcome_view};
use crate::light::{PageCtx, document_with};
use leptos::prelude::*;

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
