//! The bell's page: the newest notifications, unread first in bold, each opening its case.

use crate::api::desk::{MarkNotificationsRead, get_notifications};
use crate::app::{tr, use_lang};
use crate::components::csrf::CsrfField;
use crate::components::error_note::ErrorNote;
use crate::components::labels;
use crate::i18n::{Lang, Msg, t};
use leptos::either::Either;
use leptos::prelude::*;

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let lang = use_lang();
    let read = ServerAction::<MarkNotificationsRead>::new();
    let inbox = Resource::new(move || read.version().get(), |_| get_notifications());
    view! {
        <div class="page-head">
            <h1 class="page-title">{tr(Msg::Notifications)}</h1>
            <ActionForm action=read>
                <CsrfField/>
                <button type="submit" class="button">{t(lang, Msg::MarkAllRead)}</button>
            </ActionForm>
        </div>
        <Transition fallback=move || view! { <p class="muted">{t(lang, Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match inbox.await {
                    Ok(i) if i.items.is_empty() => Either::Left(view! { <p class="card">{t(lang, Msg::NoNotifications)}</p> }),
                    Ok(i) => Either::Right(Either::Left(view! {
                        <p class="muted">{format!("{} {}", i.unread, t(lang, Msg::Unread))}</p>
                        <ul class="notice-list card">
                            {i.items.into_iter().map(|n| {
                                let category = if lang == Lang::Zh { n.category_name.clone() } else { n.category_name_en.clone() };
                                view! {
                                    <li class=if n.read { "notice" } else { "notice unread" }>
                                        <a href=format!("/cases/{}", n.case_id)>
                                            <span class=format!("badge notice-{}", n.kind.as_str())>{t(lang, labels::notice(n.kind))}</span>
                                            " "<strong>{category}</strong>
                                            {n.supervised.then(|| view! { " "<span class="badge badge-red">{t(lang, Msg::Supervised)}</span> })}
                                            <span class="case-desc">{n.description.clone()}</span>
                                            <span class="muted small">{labels::local_time(n.created_at)}" · "{n.tracking_code.clone()}</span>
                                        </a>
                                    </li>
                                }
                            }).collect::<Vec<_>>()}
                        </ul>
                    })),
                    Err(e) => Either::Right(Either::Right(view! { <ErrorNote error=e/> })),
                }
            })}
        </Transition>
    }
}
