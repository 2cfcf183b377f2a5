//! The page shell, the router and the app-wide context (language, current user).

use crate::api::session::get_me;
use crate::components::nav::TopBar;
use crate::i18n::{Lang, Msg};
use crate::pages::{home::HomePage, login::LoginPage, not_found::NotFound};
use crate::routes::*;
use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{Lazy, path};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = current_lang();
    hand_over_nonce();
    view! {
        <!DOCTYPE html>
        <html lang=lang.html_code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="theme-color" content="#0b4a8f"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                // `/pkg/gridgov.css`, or its content-hashed name in a hashed build.
                <HashedStylesheet options=options.clone()/>
                // Leaflet's script and style sheet are loaded by the first map (components::script).
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Tells the server's header middleware the nonce Leptos put on this page's inline scripts,
/// so that the Content-Security-Policy allows exactly those.
fn hand_over_nonce() {
    #[cfg(feature = "ssr")]
    if let (Some(nonce), Some(res)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) {
        if let Ok(v) = http::HeaderValue::from_str(&nonce) {
            res.insert_header(
                http::HeaderName::from_static(crate::ssr::headers::NONCE_HEADER),
                v,
            );
        }
    }
}

/// The visitor's language: from the request cookie on the server, from `document.cookie`
/// in the browser, so that both render the same first view.
pub fn current_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|p| {
                p.headers
                    .get(http::header::COOKIE)
                    .and_then(|v| v.to_str().ok())
                    .map(Lang::from_cookie_header)
            })
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        crate::components::browser::cookie_header()
            .map(|c| Lang::from_cookie_header(&c))
            .unwrap_or_default()
    }
}

/// The language of the current page (provided by `App`).
pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or_default()
}

/// Translate with the page's language.
pub fn tr(msg: Msg) -> &'static str {
    crate::i18n::t(use_lang(), msg)
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let lang = current_lang();
    provide_context(lang);
    // The logged-in account, read once per page load; pages and the top bar share it.
    let me = Resource::new_blocking(|| (), |_| get_me());
    provide_context(me);

    view! {
        <Title text=crate::i18n::t(lang, Msg::AppName)/>
        <Router>
            <TopBar/>
            <main class="page">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=HomePage/>
                    <Route path=path!("/login") view=LoginPage/>
                    <Route path=path!("/territory") view={Lazy::<TerritoryRoute>::new()}/>
                    <Route path=path!("/cases") view={Lazy::<CasesRoute>::new()}/>
                    <Route path=path!("/cases/new") view={Lazy::<NewCaseRoute>::new()}/>
                    <Route path=path!("/cases/:id") view={Lazy::<CaseRoute>::new()}/>
                    <Route path=path!("/inbox") view={Lazy::<InboxRoute>::new()}/>
                    <Route path=path!("/desk") view={Lazy::<DeskRoute>::new()}/>
                    <Route path=path!("/notifications") view={Lazy::<NotificationsRoute>::new()}/>
                    <Route path=path!("/admin/webhooks") view={Lazy::<WebhooksRoute>::new()}/>
                    <Route path=path!("/dashboard") view={Lazy::<DashboardRoute>::new()}/>
                    <Route path=path!("/rankings") view={Lazy::<RankingsRoute>::new()}/>
                    <Route path=path!("/reports") view={Lazy::<ReportsRoute>::new()}/>
                </Routes>
            </main>
        </Router>
    }
}

/// The shared current-user resource.
pub type MeResource = Resource<Result<Option<crate::domain::people::Me>, crate::error::AppError>>;

pub fn use_me() -> MeResource {
    expect_context::<MeResource>()
}
