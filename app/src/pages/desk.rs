//! 部门工作台: a department's dispatches — waiting for our 报到 (with the countdown and a
//! one-click acknowledge), in hand, copies for information, and recently finished.

use crate::api::cases::ActOnCase;
use crate::api::desk::get_department_desk;
use crate::app::{tr, use_lang};
use crate::components::case_bits::ColourChip;
use crate::components::csrf::CsrfField;
use crate::components::error_note::ErrorNote;
use crate::components::labels;
use crate::domain::case::DispatchRole;
use crate::domain::case::view::DeskItem;
use crate::i18n::{Lang, Msg, t};
use crate::pages::inbox::keyboard_navigation;
use chrono::{DateTime, Utc};
use leptos::either::Either;
use leptos::prelude::*;

#[component]
pub fn DeskPage() -> impl IntoView {
    let lang = use_lang();
    let act = ServerAction::<ActOnCase>::new();
    let desk = Resource::new(move || act.version().get(), |_| get_department_desk());
    keyboard_navigation(".desk a.desk-open");
    view! {
        <div class="page-head">
            <h1 class="page-title">{tr(Msg::DeskTitle)}</h1>
            <span class="muted small">{t(lang, Msg::InboxHint)}</span>
        </div>
        {move || act.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorNote error=e/> })}
        <Transition fallback=move || view! { <p class="muted">{t(lang, Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match desk.await {
                    Ok(d) => {
                        let now = d.now.unwrap_or_else(Utc::now);
                        Either::Left(view! {
                            <div class="desk">
                                <DeskSection title=Msg::AwaitingAck items=d.awaiting_ack now=now act=act open=true/>
                                <DeskSection title=Msg::InHand items=d.in_hand now=now act=act open=true/>
                                <DeskSection title=Msg::CopiesForInfo items=d.copies now=now act=act open=true/>
                                <DeskSection title=Msg::DoneRecently items=d.done now=now act=act open=false/>
                            </div>
                        })
                    }
                    Err(e) => Either::Right(view! { <ErrorNote error=e/> }),
                }
            })}
        </Transition>
    }
}

#[component]
fn DeskSection(
    title: Msg,
    items: Vec<DeskItem>,
    now: DateTime<Utc>,
    act: ServerAction<ActOnCase>,
    /// Finished work folds away; what needs doing stays open.
    open: bool,
) -> impl IntoView {
    let lang = use_lang();
    let count = items.len();
    view! {
        <section class="card desk-section">
            <details open=open>
                <summary><h2>{t(lang, title)}" "<span class="count-badge">{count}</span></h2></summary>
                {if items.is_empty() {
                    Either::Left(view! { <p class="muted">{t(lang, Msg::NothingHere)}</p> })
                } else {
                    Either::Right(view! {
                        <ul class="desk-list">{items.into_iter().map(|i| view! { <DeskRow item=i now=now lang=lang act=act/> }).collect::<Vec<_>>()}</ul>
                    })
                }}
            </details>
        </section>
    }
}

#[component]
fn DeskRow(
    item: DeskItem,
    now: DateTime<Utc>,
    lang: Lang,
    act: ServerAction<ActOnCase>,
) -> impl IntoView {
    let c = item.case;
    let href = format!("/cases/{}", c.id);
    let category = if lang == Lang::Zh {
        c.category_name.clone()
    } else {
        c.category_name_en.clone()
    };
    let role = t(lang, labels::dispatch_role(item.role));
    let waiting = item.acknowledged_at.is_none()
        && item.role != DispatchRole::Copy
        && c.status.is_open()
        && item.returned_at.is_none()
        && item.resolved_at.is_none();
    // The clock that matters: the acknowledgement while we have not reported, then the deadline.
    let clock = if waiting {
        item.ack_due.map(|d| (Msg::AckDueLabel, d))
    } else {
        None
    }
    .or_else(|| {
        c.deadline
            .filter(|_| c.status.is_open())
            .map(|d| (Msg::DeadlineLabel, d))
    });
    let id = c.id.to_string();
    view! {
        <li class=format!("desk-row bar-{}", c.colour.colour.as_str())>
            <div class="desk-main">
                <a class="desk-open" href=href>
                    <strong>{category}</strong>" "<span class="badge">{role}</span>
                    {c.supervised.then(|| view! { " "<span class="badge badge-red">{t(lang, Msg::Supervised)}</span> })}
                </a>
                <ColourChip verdict=c.colour.clone()/>
                <p class="case-desc">{c.description.clone()}</p>
                <p class="muted small">
                    {c.grid_name.clone()}" · "{t(lang, labels::status(c.status))}" · "
                    {t(lang, Msg::DispatchedAt)}" "{labels::local_time(item.dispatched_at)}
                </p>
            </div>
            <div class="desk-side">
                {clock.map(|(label, due)| {
                    let (overdue, text) = labels::countdown(lang, now, due);
                    view! {
                        <p class=if overdue { "countdown overdue" } else { "countdown" }>
                            <span class="muted small">{t(lang, label)}" "{labels::local_time(due)}</span><br/>
                            <strong>{text}</strong>
                        </p>
                    }
                })}
                {waiting.then(|| view! {
                    <ActionForm action=act>
                        <CsrfField/>
                        <input type="hidden" name="fields[id]" value=id.clone()/>
                        <input type="hidden" name="fields[action]" value="acknowledge"/>
                        <button type="submit" class="primary">{t(lang, Msg::ActAcknowledge)}</button>
                    </ActionForm>
                })}
            </div>
        </li>
    }
}
