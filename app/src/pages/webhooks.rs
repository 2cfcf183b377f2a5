//! Administrators: the outbound webhooks that forward notices to the district's messaging
//! system — register one (its signing secret is shown once), see each delivery, switch off.

use crate::api::desk::{CreateWebhook, DeactivateWebhook, get_webhooks};
use crate::app::{tr, use_lang};
use crate::components::csrf::CsrfField;
use crate::components::error_note::ErrorNote;
use crate::components::labels;
use crate::domain::notify::NoticeKind;
use crate::i18n::{Msg, t};
use leptos::either::Either;
use leptos::prelude::*;

#[component]
pub fn WebhooksPage() -> impl IntoView {
    let lang = use_lang();
    let create = ServerAction::<CreateWebhook>::new();
    let off = ServerAction::<DeactivateWebhook>::new();
    let hooks = Resource::new(
        move || (create.version().get(), off.version().get()),
        |_| get_webhooks(),
    );
    let created = move || {
        create.value().get().map(|r| match r {
            Ok(h) => Either::Left(view! {
                <div class="notice notice-ok" role="status">
                    <p>{t(lang, Msg::WebhookSecretOnce)}</p>
                    <p><code class="secret">{h.secret.unwrap_or_default()}</code></p>
                </div>
            }),
            Err(e) => Either::Right(view! { <ErrorNote error=e/> }),
        })
    };
    view! {
        <div class="page-head"><h1 class="page-title">{tr(Msg::NavWebhooks)}</h1></div>
        <section class="card">
            <h2>{t(lang, Msg::AddWebhook)}</h2>
            <p class="muted small">{t(lang, Msg::WebhookHint)}</p>
            {created}
            <ActionForm action=create attr:class="stack">
                <CsrfField/>
                <label>"URL"<input type="url" name="form[url]" required placeholder="https://im.example.gov.cn/hooks/gridgov"/></label>
                <fieldset class="kinds">
                    <legend>{t(lang, Msg::WebhookKinds)}</legend>
                    {NoticeKind::ALL.into_iter().map(|k| view! {
                        <label class="check"><input type="checkbox" name=format!("form[{}]", k.as_str())/>" "{t(lang, labels::notice(k))}</label>
                    }).collect::<Vec<_>>()}
                </fieldset>
                <button type="submit" class="primary">{t(lang, Msg::AddWebhook)}</button>
            </ActionForm>
        </section>
        <Transition fallback=move || view! { <p class="muted">{t(lang, Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match hooks.await {
                    Ok(list) => Either::Left(list.into_iter().map(|w| {
                        let kinds = if w.hook.kinds.is_empty() {
                            t(lang, Msg::FilterAll).to_owned()
                        } else {
                            NoticeKind::ALL.into_iter().filter(|k| w.hook.kinds.iter().any(|x| x == k.as_str())).map(|k| t(lang, labels::notice(k))).collect::<Vec<_>>().join("、")
                        };
                        let id = w.hook.id.to_string();
                        view! {
                            <section class="card webhook">
                                <h2><code>{w.hook.url.clone()}</code>" "
                                    <span class=if w.hook.active { "badge" } else { "badge badge-muted" }>
                                        {t(lang, if w.hook.active { Msg::Active } else { Msg::Inactive })}
                                    </span>
                                </h2>
                                <p class="muted small">{t(lang, Msg::WebhookKinds)}"："{kinds}</p>
                                {w.hook.active.then(|| view! {
                                    <ActionForm action=off>
                                        <CsrfField/>
                                        <input type="hidden" name="id" value=id.clone()/>
                                        <button type="submit" class="button">{t(lang, Msg::SwitchOff)}</button>
                                    </ActionForm>
                                })}
                                <table class="deliveries">
                                    <thead><tr><th>"#"</th><th>{t(lang, Msg::NoticeKindLabel)}</th><th>{t(lang, Msg::Attempts)}</th><th>{t(lang, Msg::StatusLabel)}</th></tr></thead>
                                    <tbody>
                                        {w.deliveries.into_iter().map(|d| {
                                            let state = match (d.delivered_at, d.failed_at) {
                                                (Some(at), _) => format!("{} {}", t(lang, Msg::Delivered), labels::local_time(at)),
                                                (None, Some(at)) => format!("{} {} {}", t(lang, Msg::GaveUp), labels::local_time(at), d.last_error),
                                                (None, None) => format!("{} {} {}", t(lang, Msg::NextAttempt), labels::local_time(d.next_attempt_at), d.last_error),
                                            };
                                            view! { <tr><td>{d.id}</td><td>{d.kind.clone()}</td><td>{d.attempts}</td><td>{state}</td></tr> }
                                        }).collect::<Vec<_>>()}
                                    </tbody>
                                </table>
                            </section>
                        }
                    }).collect::<Vec<_>>()),
                    Err(e) => Either::Right(view! { <ErrorNote error=e/> }),
                }
            })}
        </Transition>
    }
}
