//! The result (办结) with its photos: one multipart form to `POST /api/v1/cases/{id}/resolution`,
//! so that a department's result carries its photos in the same step as a grid worker's
//! (the category's standard says whether one is required). Before the app's script runs
//! the browser posts the form and comes back to the case page; once it runs, the form is
//! sent in place, the page says what happened or why not, and the text stays on refusal.

use crate::app::use_lang;
use crate::domain::case::view::CaseDetail;
use crate::i18n::{Msg, t};
use leptos::prelude::*;

/// What the case page keeps across its reloads: the latest result sent from here, and a
/// counter the page's case resource follows so that it reloads after one.
#[derive(Clone, Copy)]
pub(crate) struct Resolution {
    pub(crate) sent: RwSignal<u32>,
    pub(crate) outcome: RwSignal<Option<Result<CaseDetail, String>>>,
}

impl Resolution {
    pub(crate) fn new() -> Resolution {
        Resolution {
            sent: RwSignal::new(0),
            outcome: RwSignal::new(None),
        }
    }
}

/// The result's text and up to three photos; the photo is `required` where the category's
/// standard asks for one (the server refuses a result without it either way).
#[component]
pub(super) fn ResolveForm(
    id: i64,
    photo_required: bool,
    text: AnyView,
    act: ServerAction<crate::api::cases::ActOnCase>,
) -> impl IntoView {
    let lang = use_lang();
    let action = format!(
        "/api/v1/cases/{id}/resolution?_csrf={}",
        crate::components::csrf::token()
    );
    let url = action.clone();
    let pending = RwSignal::new(false);
    // Taken here: an event handler runs outside the component's owner.
    let resolution = use_context::<Resolution>();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        #[cfg(feature = "hydrate")]
        if let Some(r) = resolution {
            send_in_place(ev, url.clone(), pending, r, lang, act);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (&ev, &url, pending, resolution, act);
    };
    let legend = if photo_required {
        Msg::ResultPhotoRequired
    } else {
        Msg::ResultPhotoOptional
    };
    view! {
        <form class="resolve-form" method="post" enctype="multipart/form-data" action=action on:submit=on_submit>
            {text}
            <label>{t(lang, legend)}
                <input type="file" name="photo" accept="image/jpeg,image/png,image/webp" capture="environment" multiple required=photo_required/>
            </label>
            <button type="submit" class="primary" disabled=move || pending.get()>{t(lang, Msg::ActResolve)}</button>
        </form>
    }
}

/// Sends the form with the page's script: the answer (the case, or the reason in the
/// user's language) goes to the page's [`Resolution`].
#[cfg(feature = "hydrate")]
fn send_in_place(
    ev: leptos::ev::SubmitEvent,
    url: String,
    pending: RwSignal<bool>,
    resolution: Resolution,
    lang: crate::i18n::Lang,
    act: ServerAction<crate::api::cases::ActOnCase>,
) {
    use wasm_bindgen::JsCast;
    let Some(form) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())
    else {
        return;
    };
    let Ok(data) = web_sys::FormData::new_with_form(&form) else {
        return;
    };
    ev.prevent_default();
    pending.set(true);
    leptos::task::spawn_local(async move {
        let answer = post(&url, data, lang)
            .await
            .map_err(|e| e.unwrap_or_else(|| t(lang, Msg::ErrNetwork).to_owned()));
        pending.set(false);
        let done = answer.is_ok();
        // The latest step's answer is the one shown.
        act.value().set(None);
        resolution.outcome.set(Some(answer));
        if done {
            resolution.sent.update(|n| *n += 1);
        }
    });
}

/// The case after the result, or the server's reason (`None`: no answer came).
#[cfg(feature = "hydrate")]
async fn post(
    url: &str,
    data: web_sys::FormData,
    lang: crate::i18n::Lang,
) -> Result<CaseDetail, Option<String>> {
    let response = gloo_net::http::Request::post(url)
        .header("Accept", "application/json")
        .body(data)
        .map_err(|_| None)?
        .send()
        .await
        .map_err(|_| None)?;
    let body = response.text().await.map_err(|_| None)?;
    if response.ok() {
        serde_json::from_str(&body).map_err(|_| None)
    } else {
        let reason = serde_json::from_str::<serde_json::Value>(&body)
            .ok()
            .and_then(|v| {
                let key = if lang == crate::i18n::Lang::Zh {
                    "message"
                } else {
                    "message_en"
                };
                v[key].as_str().map(str::to_owned)
            });
        Err(reason)
    }
}
