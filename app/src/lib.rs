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

#[cfg(feature = "ssr")]
pub mod ssr;

/// The browser entry point: hydrate the server-rendered page, then mark `<body>` so that
/// end-to-end tests can wait for interactivity instead of retrying clicks.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    if let Some(body) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
    {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}
