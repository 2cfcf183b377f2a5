//! "My password" (修改密码): a light page for every account, phone-sized, working without
//! JavaScript. A temporary password leads here and nowhere else until it is replaced.

use super::{LangSwitch, PageCtx, document_with};
use crate::i18n::{Msg, t};
use leptos::prelude::*;

/// What the page shows besides the form.
#[derive(Clone, Debug, Default)]
pub struct PasswordPageState {
    /// The account must replace a temporary password before anything else.
    pub required: bool,
    /// The change went through.
    pub done: bool,
    /// Why the last attempt was refused, and for which field.
    pub error: Option<(String, Msg)>,
}

pub fn password_page(ctx: &PageCtx, username: &str, s: PasswordPageState) -> String {
    let lang = ctx.lang;
    let c = ctx.clone();
    let action = format!("/account/password?_csrf={}", ctx.csrf);
    let logout = format!("/logout?_csrf={}", ctx.csrf);
    let username = username.to_owned();
    let body = move || {
        let field_error = |field: &str| {
            s.error
                .as_ref()
                .filter(|(f, _)| f == field)
                .map(|(_, m)| view! { <p class="field-error" role="alert">{t(lang, *m)}</p> })
        };
        view! {
            <header class="top"><span class="brand">{t(lang, Msg::AppShort)}</span><LangSwitch ctx=c/></header>
            <main class="wrap">
                <h1>{t(lang, Msg::ChangePassword)}</h1>
                {s.required.then(|| view! { <p class="alert" role="alert">{t(lang, Msg::ErrPasswordChangeRequired)}</p> })}
                {s.done.then(|| view! { <p class="notice-ok" role="status">{t(lang, Msg::PasswordChanged)}</p> })}
                <form class="stack" method="post" action=action>
                    <input type="hidden" name="username" autocomplete="username" value=username/>
                    <label for="old_password">{t(lang, Msg::CurrentPassword)}</label>
                    <input id="old_password" name="old_password" type="password" autocomplete="current-password" required/>
                    {field_error("old_password")}
                    <label for="new_password">{t(lang, Msg::NewPassword)}</label>
                    <input id="new_password" name="new_password" type="password" autocomplete="new-password" minlength="8" maxlength="128" required aria-describedby="password-rules"/>
                    <p id="password-rules" class="muted">{t(lang, Msg::PasswordRules)}</p>
                    {field_error("new_password")}
                    <button type="submit" class="primary">{t(lang, Msg::ChangePassword)}</button>
                </form>
                <form class="row" method="post" action=logout>
                    <a href="/">{t(lang, Msg::NavHome)}</a>
                    <button type="submit">{t(lang, Msg::Logout)}</button>
                </form>
            </main>
        }
        .into_any()
    };
    document_with(
        ctx,
        t(lang, Msg::ChangePassword),
        &["/resident.css", "/worker.css"],
        &[],
        body,
    )
}
