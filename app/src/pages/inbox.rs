//! 受理台: the command centre's inbox — new reports, returned cases, cases to dispatch,
//! cases running out of time and extension requests, each a list of links. Keyboard:
//! j / k move between cases, Enter opens one.

use crate::api::desk::get_command_inbox;
use crate::app::{tr, use_lang};
use crate::components::case_bits::CaseCard;
use crate::components::error_note::ErrorNote;
use crate::domain::case::types::RedReason;
use crate::domain::case::view::CaseSummary;
use crate::i18n::{Msg, t};
use leptos::either::Either;
use leptos::prelude::*;

#[component]
pub fn InboxPage() -> impl IntoView {
    let lang = use_lang();
    let inbox = Resource::new(|| (), |_| get_command_inbox());
    keyboard_navigation(".inbox .case-card > a");
    let me = crate::app::use_me();
    // The 12345 import is the centres' (and administrators') own page.
    let imports = move || {
        me.get().and_then(|m| m.ok().flatten()).is_some_and(|m| {
            matches!(
                m.role,
                crate::domain::people::Role::Center | crate::domain::people::Role::Admin
            )
        })
    };
    view! {
        <div class="page-head">
            <h1 class="page-title">{tr(Msg::InboxTitle)}</h1>
            <span class="muted small">{t(lang, Msg::InboxHint)}</span>
            <Transition fallback=|| ()>
                {move || imports().then(|| view! { <a class="button" href="/hotline" rel="external">{t(lang, Msg::HotlineTitle)}</a> })}
            </Transition>
        </div>
        <Transition fallback=move || view! { <p class="muted">{t(lang, Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match inbox.await {
                    Ok(i) => {
                        // The urgent work first, each list named for what it holds.
                        let (overdue, soon): (Vec<_>, Vec<_>) = i.running_out.into_iter().partition(is_overdue);
                        Either::Left(view! {
                            <div class="inbox">
                                <Section title=Msg::OverdueCases cases=overdue anchor="overdue"/>
                                <Section title=Msg::RunningOut cases=soon anchor="running-out"/>
                                <Section title=Msg::ToTriage cases=i.to_triage anchor="triage"/>
                                <Section title=Msg::ReturnedCases cases=i.returned anchor="returned"/>
                                <Section title=Msg::ToDispatch cases=i.to_dispatch anchor="dispatch"/>
                                <Section title=Msg::ExtensionRequests cases=i.extension_requests anchor="extensions"/>
                            </div>
                        })
                    }
                    Err(e) => Either::Right(view! { <ErrorNote error=e/> }),
                }
            })}
        </Transition>
    }
}

/// Past its deadline or its acknowledgement time (not merely near it).
fn is_overdue(c: &CaseSummary) -> bool {
    c.colour
        .reasons
        .iter()
        .any(|r| matches!(r, RedReason::Overdue | RedReason::AckOverdue))
}

#[component]
fn Section(title: Msg, cases: Vec<CaseSummary>, anchor: &'static str) -> impl IntoView {
    let lang = use_lang();
    let count = cases.len();
    let heading = format!("inbox-{anchor}");
    let labelled_by = heading.clone();
    view! {
        <section class="card inbox-section" id=anchor aria-labelledby=labelled_by>
            <h2 id=heading>{t(lang, title)}" "<span class="count-badge">{count}</span></h2>
            {if cases.is_empty() {
                Either::Left(view! { <p class="muted">{t(lang, Msg::NothingHere)}</p> })
            } else {
                Either::Right(view! {
                    <ul class="case-list">{cases.into_iter().map(|c| view! { <CaseCard case=c/> }).collect::<Vec<_>>()}</ul>
                })
            }}
        </section>
    }
}

/// j / k move the focus along the links matched by `selector` (browser only).
pub fn keyboard_navigation(selector: &'static str) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let handle = window_event_listener(leptos::ev::keydown, move |ev| {
            let key = ev.key();
            if ev.ctrl_key() || ev.meta_key() || ev.alt_key() || !(key == "j" || key == "k") {
                return;
            }
            let doc = document();
            // Typing in a field is not navigation.
            if let Some(active) = doc.active_element() {
                if matches!(active.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT") {
                    return;
                }
            }
            let Ok(links) = doc.query_selector_all(selector) else {
                return;
            };
            let n = links.length();
            if n == 0 {
                return;
            }
            let current = (0..n).find(|i| {
                links
                    .item(*i)
                    .zip(doc.active_element())
                    .is_some_and(|(a, b)| a.is_same_node(Some(&b)))
            });
            let next = match (current, key.as_str()) {
                (None, _) => 0,
                (Some(i), "j") => (i + 1).min(n - 1),
                (Some(i), _) => i.saturating_sub(1),
            };
            if let Some(el) = links
                .item(next)
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = el.focus();
                ev.prevent_default();
            }
        });
        on_cleanup(move || handle.remove());
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = selector;
}
