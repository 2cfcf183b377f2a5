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
/// script says in the user's language.
#[component]
fn OutboxBar(lang: Lang, account: i64) -> impl IntoView {
    let w = |m: Msg| t(lang, m);
    view! {
        <p id="outbox-bar" class="outbox-bar" role="status" hidden data-account=account.to_string()
            data-waiting-count=w(Msg::OutboxWaitingCount) data-kind-report=w(Msg::QuickReport)
            data-kind-visit=w(Msg::OutboxKindVisit) data-kind-resolve=w(Msg::ResolveOnSpot)
            data-state-waiting=w(Msg::OutboxStateWaiting) data-state-sent=w(Msg::OutboxStateSent)
            data-state-refused=w(Msg::OutboxStateRefused) data-sent-as=w(Msg::OutboxSentAs)
            data-open=w(Msg::OutboxOpen) data-refused-why=w(Msg::OutboxRefusedWhy)
            data-edit-text=w(Msg::OutboxEditText) data-resend=w(Msg::OutboxResend)
            data-discard=w(Msg::OutboxDiscard) data-confirm-discard=w(Msg::OutboxConfirmDiscard)
            data-usage=w(Msg::OutboxUsage) data-full=w(Msg::OutboxFull)
            data-no-storage=w(Msg::OutboxNoStorage) data-offline=w(Msg::OutboxOffline)
            data-signed-out=w(Msg::OutboxSignedOut) data-server-trouble=w(Msg::OutboxServerTrouble)
            data-will-send=w(Msg::OutboxWillSend) data-sending=w(Msg::Sending)
            data-not-saved=w(Msg::ErrNotSaved) data-offline-note=w(Msg::OfflineNote)>
            <span class="offline-note"></span>
            <a href="/w/outbox"></a>
        </p>
    }
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
