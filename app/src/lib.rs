//! gridgov's shared crate: domain rules, the Leptos UI and its server functions. Built with
//! `ssr` into the server and with `hydrate` into the browser's WASM.

pub mod api;
pub mod app;
pub mod components;
pub mod domain;
pub mod error;
pub mod i18n;
#[cfg(feature = "ssr")]
pub mod light;
pub mod pages;
pub mod routes;
pub mod stale_release;

#[cfg(feature = "ssr")]
pub mod ssr;

/// The browser entry point: hydrate the server-rendered page — waiting for the page's own
/// code first when the build is split by route (`routes.rs`) — then mark `<body>` so that
/// end-to-end tests can wait for interactivity instead of retrying clicks.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    stale_release::install_panic_hook();
    // What `leptos::mount::hydrate_lazy` does, with the mark set once hydration is done.
    wasm_bindgen_futures::spawn_local(async {
        let owner = leptos::mount::hydrate_from_async(leptos::tachys::dom::body(), app::App).await;
        owner.forget();
        if let Some(body) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.body())
        {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}
