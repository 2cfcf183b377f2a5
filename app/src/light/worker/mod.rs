//! The grid worker's workspace (`/w`): light pages for a phone outdoors. They load in a
//! few kilobytes on a weak network (no application WASM), work as plain forms, and
//! `public/js/worker.js` adds the outbox (offline), the report draft, photo downscaling and
//! the map pin; `public/sw.js` keeps the pages for use without a signal.

pub mod case;
pub mod home;
pub mod households;
pub mod ledger;
pub mod outbox;
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
    /// A page of its own, not on the bar (the outbox).
    Other,
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
        &["/vendor/leaflet/leaflet.js", "/js/worker.js"]
    } else {
        &["/js/worker.js"]
    };
    // Installable: the manifest starts at /w, standalone (public/worker.webmanifest).
    let head = "<link rel=\"manifest\" href=\"/worker.webmanifest\">\
                <link rel=\"apple-touch-icon\" href=\"/icons/worker-192.png\">";
    let account = ctx.account.unwrap_or_default();
    super::document_head(ctx, t(lang, title), styles, scripts, head, move || {
        view! {
            <header class="top">
                <span class="brand">{t(lang, title)}</span>
                <span class="top-links">
                    <a class="lang" href="/w/outbox">{t(lang, Msg::OutboxTitle)}</a>
                    <a class="lang" href="/cases">{t(lang, Msg::BackToApp)}</a>
                    <LangSwitch ctx=c/>
                </span>
            </header>
            <p id="update-bar" class="update-bar" role="status" hidden>
                {t(lang, Msg::NewVersionReady)}" "<button type="button">{t(lang, Msg::ReloadNow)}</button>
            </p>
            <OutboxBar lang=lang account=account/>
            <main class="wrap worker">{body()}</main>
            <Tabs lang=lang active=tab/>
        }
        .into_any()
    })
}

/// How many entries wait on this phone (drawn by worker.js), and the words the outbox's
/// script says in the user's language — one JSON attribute, `data-words` (an element with
/// an attribute per word passed tachys's limit of 26 and made release builds panic).
#[component]
fn OutboxBar(lang: Lang, account: i64) -> impl IntoView {
    view! {
        <p id="outbox-bar" class="outbox-bar" role="status" hidden data-account=account.to_string()
            data-words=outbox_words(lang)>
            <span class="offline-note"></span>
            <a href="/w/outbox"></a>
        </p>
    }
}

/// The outbox script's words, keyed as worker.js reads them.
fn outbox_words(lang: Lang) -> String {
    const WORDS: &[(&str, Msg)] = &[
        ("waitingCount", Msg::OutboxWaitingCount),
        ("kindReport", Msg::QuickReport),
        ("kindVisit", Msg::OutboxKindVisit),
        ("kindResolve", Msg::ResolveOnSpot),
        ("stateWaiting", Msg::OutboxStateWaiting),
        ("stateSent", Msg::OutboxStateSent),
        ("stateRefused", Msg::OutboxStateRefused),
        ("sentAs", Msg::OutboxSentAs),
        ("open", Msg::OutboxOpen),
        ("refusedWhy", Msg::OutboxRefusedWhy),
        ("editText", Msg::OutboxEditText),
        ("resend", Msg::OutboxResend),
        ("discard", Msg::OutboxDiscard),
        ("confirmDiscard", Msg::OutboxConfirmDiscard),
        ("usage", Msg::OutboxUsage),
        ("full", Msg::OutboxFull),
        ("noStorage", Msg::OutboxNoStorage),
        ("offline", Msg::OutboxOffline),
        ("signedOut", Msg::OutboxSignedOut),
        ("serverTrouble", Msg::OutboxServerTrouble),
        ("willSend", Msg::OutboxWillSend),
        ("sending", Msg::Sending),
        ("notSaved", Msg::ErrNotSaved),
        ("offlineNote", Msg::OfflineNote),
    ];
    let words: serde_json::Map<String, serde_json::Value> = WORDS
        .iter()
        .map(|(key, msg)| (key.to_string(), t(lang, *msg).into()))
        .collect();
    serde_json::Value::Object(words).to_string()
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
