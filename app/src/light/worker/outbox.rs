//! `/w/outbox` (待发箱): what waits on this phone to be sent, what was sent and what was
//! refused. The entries live in the browser (IndexedDB); `public/js/outbox-view.js` draws
//! them into this page, which the service worker keeps for use without a signal.

use super::{Tab, page};
use crate::i18n::{Msg, t};
use crate::light::PageCtx;
use leptos::prelude::*;

pub fn render(ctx: &PageCtx, queued: bool) -> String {
    let lang = ctx.lang;
    page(ctx, Msg::OutboxTitle, Tab::Other, false, move || {
        view! {
            <h1>{t(lang, Msg::OutboxTitle)}</h1>
            <p class="hint">{t(lang, Msg::OutboxIntro)}</p>
            // A queued entry lands here: say so on the first screen (the list follows).
            // (Shown by the script too: offline, the kept page has no query.)
            <p id="outbox-queued" class="notice-ok" role="status" hidden=!queued>{t(lang, Msg::OutboxQueued)}</p>
            <noscript><p class="alert">{t(lang, Msg::OutboxNeedsScript)}</p></noscript>
            <div class="outbox-tools js-only">
                <p id="outbox-status" class="send-status" aria-live="polite"></p>
                <p id="outbox-usage" class="hint"></p>
                <button id="outbox-send" type="button" class="primary">{t(lang, Msg::OutboxSendNow)}</button>
            </div>
            <p id="outbox-empty" class="hint" hidden>{t(lang, Msg::OutboxEmpty)}</p>
            <ol id="outbox" class="outbox"></ol>
        }
        .into_any()
    })
}
