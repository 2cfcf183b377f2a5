//! The grid worker's workspace (`/w`): light pages for a phone outdoors. They load in a
//! few kilobytes on a weak network (no application WASM), work as plain forms, and
//! `public/worker.js` adds the report draft, retries, photo downscaling and the map pin.

pub mod case;
pub mod home;
pub mod households;
pub mod ledger;
pub mod report;
pub mod visits;

use super::{LangSwitch, PageCtx};
use crate::i18n::{Lang, Msg, t};
use leptos::prelude::*;

/// The tabs of the bottom bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Home,
    Report,
    Households,
    Visits,
    Ledger,
}

/// A worker page: its document with the top bar, the page and the bottom tabs.
pub fn page(
    ctx: &PageCtx,
    title: Msg,
    tab: Tab,
    with_map: bool,
    body: impl FnOnce() -> AnyView + 'static,
) -> String {
    let lang = ctx.lang;
    let c = ctx.clone();
    let styles: &[&str] = if with_map {
        &[
            "/resident.css",
            "/worker.css",
            "/vendor/leaflet/leaflet.css",
        ]
    } else {
        &["/resident.css", "/worker.css"]
    };
    let scripts: &[&str] = if with_map {
        &["/vendor/leaflet/leaflet.js", "/worker.js"]
    } else {
        &["/worker.js"]
    };
    super::document_with(ctx, t(lang, title), styles, scripts, move || {
        view! {
            <header class="top">
                <span class="brand">{t(lang, title)}</span>
                <span class="top-links">
                    <a class="lang" href="/cases">{t(lang, Msg::BackToApp)}</a>
                    <LangSwitch ctx=c/>
                </span>
            </header>
            <main class="wrap worker">{body()}</main>
            <Tabs lang=lang active=tab/>
        }
        .into_any()
    })
}

#[component]
fn Tabs(lang: Lang, active: Tab) -> impl IntoView {
    let tab = move |tab: Tab, href: &'static str, icon: &'static str, msg: Msg| {
        let current = (tab == active).then_some("page");
        view! {
            <a href=href class="tab" aria-current=current>
                <span class="tab-icon" aria-hidden="true">{icon}</span>
                <span>{t(lang, msg)}</span>
            </a>
        }
    };
    view! {
        <nav class="tabs" aria-label=t(lang, Msg::WorkerHome)>
            {tab(Tab::Home, "/w", "⌂", Msg::WorkerHome)}
            {tab(Tab::Report, "/w/report", "＋", Msg::QuickReport)}
            {tab(Tab::Households, "/w/households", "户", Msg::Households)}
            {tab(Tab::Visits, "/w/visits", "访", Msg::VisitsTitle)}
            {tab(Tab::Ledger, "/w/ledger", "账", Msg::LedgerTitle)}
        </nav>
    }
}

/// A refusal at the top of a form.
#[component]
pub fn Alert(lang: Lang, msg: Msg) -> impl IntoView {
    view! { <div class="alert" role="alert" id="form-alert"><strong>{t(lang, Msg::ErrNotSaved)}</strong>{t(lang, msg)}</div> }
}

/// `2026-11-22 09:30` in district time, from ms since the epoch.
pub fn when(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(crate::components::labels::local_time)
        .unwrap_or_default()
}
