//! `/admin/accounts`: the accounts, a form for one, a table import, resets and deactivation.

use super::{STYLES, post_to};
use crate::components::labels;
use crate::domain::people::Role;
use crate::i18n::{Lang, Msg, t};
use crate::light::admin_parts::{
    AdminHeader, AdminOutcome, button_form, import_form, outcome_view,
};
use crate::light::{PageCtx, document_with};
use crate::ssr::store::accounts::AccountListed;
use leptos::prelude::*;

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
