//! The staff login page. A plain form posted to `POST /login`: it works before the WASM
//! arrives and on any browser; errors come back as `?error=` and are shown translated.

use crate::app::{tr, use_lang};
use crate::components::csrf::CsrfField;
use crate::components::nav::Emblem;
use crate::i18n::{Msg, t};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The `error` codes `POST /login` redirects with.
pub fn login_error(code: &str) -> Option<Msg> {
    match code {
        "invalid" => Some(Msg::ErrInvalidCredentials),
        "rate_limited" => Some(Msg::ErrRateLimited),
        "required" => Some(Msg::ErrRequired),
        "csrf" => Some(Msg::ErrCsrf),
        "internal" => Some(Msg::ErrInternal),
        _ => None,
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let error = move || query.read().get("error").as_deref().and_then(login_error);
    let next = move || query.read().get("next").unwrap_or_else(|| "/".to_owned());
    let username = move || query.read().get("username").unwrap_or_default();
    let setup = Resource::new(|| (), |_| crate::api::session::setup_needed());
    forget_kept_workspace();
    view! {
        <section class="login">
            <div class="login-card">
                <div class="login-head">
                    <Emblem/>
                    <h1>{tr(Msg::LoginTitle)}</h1>
                </div>
                <p class="hint">{tr(Msg::LoginHint)}</p>
                <Suspense fallback=|| ()>
                    {move || setup.get().and_then(Result::ok).filter(|needed| *needed).map(|_| view! {
                        <div class="notice notice-info" role="status" data-setup="needed">{t(lang, Msg::NoAdminYet)}</div>
                    })}
                </Suspense>
                {move || error().map(|m| view! { <div class="notice notice-error" role="alert">{t(lang, m)}</div> })}
                <form method="post" action="/login" class="stack">
                    <CsrfField/>
                    <input type="hidden" name="next" value=next/>
                    <label for="username">{tr(Msg::Username)}</label>
                    <input id="username" name="username" autocomplete="username" required autocapitalize="none" value=username/>
                    <label for="password">{tr(Msg::Password)}</label>
                    <input id="password" name="password" type="password" autocomplete="current-password" required/>
                    <button type="submit" class="primary">{tr(Msg::Login)}</button>
                </form>
            </div>
        </section>
    }
}

/// Signed out (or a session that ended): the grid workspace's pages kept on this phone for
/// use without a signal go (`public/sw.js`), so that nobody opens them offline afterwards.
/// The outbox stays: unsent work is the worker's, and only their session sends it.
fn forget_kept_workspace() {
    #[cfg(feature = "hydrate")]
    Effect::new(|| {
        if let Some(caches) = web_sys::window().and_then(|w| w.caches().ok()) {
            let _ = caches.delete("gridgov-w-pages");
        }
    });
}
