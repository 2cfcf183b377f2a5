//! Light pages: server-rendered HTML with no application WASM, for residents on cheap
//! phones and weak networks (the app's WASM is ~500 KB; this page's budget is 100 KB in
//! all) and for print. They work with JavaScript off; `public/js/resident.js` only improves
//! them (photo downscaling, location, retries). Views are Leptos components rendered once
//! to a string: the same `view!` and translation table as the app, without hydration.

mod account;
#[cfg(feature = "ssr")]
mod admin_parts;
#[cfg(feature = "ssr")]
mod categories_admin;
#[cfg(feature = "ssr")]
mod hotline;
#[cfg(feature = "ssr")]
mod open311_admin;
#[cfg(feature = "ssr")]
mod people_admin;
mod poster;
mod report;
#[cfg(feature = "ssr")]
mod territory_admin;
mod track;
pub mod worker;

pub use account::{PasswordPageState, password_page};
#[cfg(feature = "ssr")]
pub use admin_parts::{AdminOutcome, RefusedRow};
#[cfg(feature = "ssr")]
pub use categories_admin::{CategoriesView, categories_page};
#[cfg(feature = "ssr")]
pub use hotline::{HotlineView, hotline_page};
#[cfg(feature = "ssr")]
pub use open311_admin::{Open311View, open311_page};
#[cfg(feature = "ssr")]
pub use people_admin::{
    AccountsView, DepartmentsView, MembersView, accounts_page, departments_page, members_page,
};
pub use poster::{Poster, PosterPage, PosterPageProps};
pub use report::{ReportPage, ReportPageProps};
#[cfg(feature = "ssr")]
pub use territory_admin::{
    ImportOutcome, ReassignChoices, TerritoryAdminView, territory_admin_page,
};
pub use track::{TrackPage, TrackPageProps};

use crate::i18n::{Lang, Msg, t};
use leptos::prelude::*;
use leptos::tachys::view::RenderHtml;

/// What every light page needs to know about the request.
#[derive(Clone, Debug)]
pub struct PageCtx {
    pub lang: Lang,
    /// The request's path and query, for the language switch to come back to.
    pub path: String,
    /// The double-submit CSRF token for forms (old browsers without `Origin`).
    pub csrf: String,
    /// The signed-in account, if any: the worker's outbox holds one account's entries.
    pub account: Option<i64>,
}

/// A complete HTML document around a body.
pub fn document(
    ctx: &PageCtx,
    title: &str,
    stylesheet: &str,
    script: bool,
    body: impl FnOnce() -> AnyView,
) -> String {
    let scripts: &[&str] = if script { &["/js/resident.js"] } else { &[] };
    document_with(ctx, title, &[stylesheet], scripts, body)
}

/// A complete HTML document with its stylesheets and deferred scripts (all ours).
pub fn document_with(
    ctx: &PageCtx,
    title: &str,
    stylesheets: &[&str],
    scripts: &[&str],
    body: impl FnOnce() -> AnyView,
) -> String {
    document_head(ctx, title, stylesheets, scripts, "", body)
}

/// `document_with` with more in the head (the workspace's web app manifest).
pub fn document_head(
    ctx: &PageCtx,
    title: &str,
    stylesheets: &[&str],
    scripts: &[&str],
    head: &str,
    body: impl FnOnce() -> AnyView,
) -> String {
    // Components are built and rendered inside a reactive owner, as under the router.
    let owner = Owner::new();
    let body = owner.with(|| body().to_html());
    let links: String = stylesheets
        .iter()
        .map(|s| format!("<link rel=\"stylesheet\" href=\"{s}\">"))
        .collect();
    let scripts: String = scripts
        .iter()
        // Our own scripts are ES modules (`public/js/`); vendored libraries stay classic.
        // Both kinds run after parsing, in document order.
        .map(|s| match s.starts_with("/js/") {
            true => format!("<script type=\"module\" src=\"{s}\"></script>"),
            false => format!("<script src=\"{s}\" defer></script>"),
        })
        .collect();
    format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"theme-color\" content=\"#b71c1c\">\
         <title>{title}</title><link rel=\"icon\" href=\"/favicon.svg\">\
         {head}{links}{scripts}</head><body>{body}</body></html>",
        lang = ctx.lang.html_code(),
        title = escape(title),
    )
}

/// The language switch of light pages: a plain link, works without JavaScript.
#[component]
pub fn LangSwitch(ctx: PageCtx) -> impl IntoView {
    let href = format!(
        "/lang/{}?next={}",
        ctx.lang.other().code(),
        crate::components::nav::percent_encode(&ctx.path)
    );
    view! { <a class="lang" href=href>{t(ctx.lang, Msg::SwitchLang)}</a> }
}

/// A page that says what went wrong, in the resident's language.
pub fn message_page(ctx: &PageCtx, msg: Msg) -> String {
    let lang = ctx.lang;
    let c = ctx.clone();
    let body = move || {
        view! {
            <header class="top"><span class="brand">{t(lang, Msg::ResidentTitle)}</span><LangSwitch ctx=c/></header>
            <main class="wrap">
                <p class="alert" role="alert">{t(lang, msg)}</p>
                <TrackLookup lang=lang/>
            </main>
        }
        .into_any()
    };
    document(ctx, t(lang, msg), "/resident.css", false, body)
}

/// "Enter a tracking code": a GET form, no script needed.
#[component]
pub fn TrackLookup(lang: Lang) -> impl IntoView {
    view! {
        <form class="lookup" method="get" action="/t">
            <label for="code">{t(lang, Msg::EnterCode)}</label>
            <div class="row">
                <input id="code" name="code" autocomplete="off" autocapitalize="characters" maxlength="16" required/>
                <button type="submit">{t(lang, Msg::Look)}</button>
            </div>
        </form>
    }
}

/// The name in the page's language, falling back to Chinese when there is no English.
pub fn pick<'a>(lang: Lang, zh: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::En if !en.is_empty() => en,
        _ => zh,
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
