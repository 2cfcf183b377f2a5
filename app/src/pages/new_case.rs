//! The staff report form: category, description, location. The grid is found from the
//! point; a phone fills the location from its GPS.

use crate::api::cases::{ReportCase, get_case_forms};
use crate::app::{tr, use_lang};
use crate::components::csrf::CsrfField;
use crate::components::error_note::ErrorNote;
use crate::i18n::{Lang, Msg, t};
use leptos::either::Either;
use leptos::prelude::*;

#[component]
pub fn NewCasePage() -> impl IntoView {
    let lang = use_lang();
    let forms = Resource::new(|| (), |_| get_case_forms());
    let report = ServerAction::<ReportCase>::new();
    let (lat, set_lat) = signal(String::new());
    let (lng, set_lng) = signal(String::new());
    view! {
        <h1 class="page-title">{tr(Msg::NewCaseTitle)}</h1>
        <Transition fallback=move || view! { <p class="muted">{t(lang, Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match forms.await {
                    Ok(f) => {
                        if let Some((a, b)) = f.centre {
                            if lat.get_untracked().is_empty() {
                                set_lat.set(format!("{a:.6}"));
                                set_lng.set(format!("{b:.6}"));
                            }
                        }
                        Either::Left(view! {
                            <section class="card narrow-form">
                                {move || report.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorNote error=e/> })}
                                <ActionForm action=report>
                                    <CsrfField/>
                                    <fieldset class="choices">
                                        <legend>{t(lang, Msg::Category)}</legend>
                                        // Nothing pre-chosen: a wrong default files wrong data.
                                        {f.categories.iter().map(|c| {
                                            let name = if lang == Lang::Zh { c.name.clone() } else { c.name_en.clone() };
                                            view! {
                                                <label class="choice">
                                                    <input type="radio" name="category" value=c.code.clone() required/>
                                                    <span>{name}</span>
                                                </label>
                                            }
                                        }).collect::<Vec<_>>()}
                                    </fieldset>
                                    <label class="block">{t(lang, Msg::Description)}
                                        <textarea name="description" rows="4" required maxlength="2000"></textarea>
                                    </label>
                                    <fieldset class="location">
                                        <legend>{t(lang, Msg::Location)}</legend>
                                        <label>{t(lang, Msg::Latitude)}<input name="lat" inputmode="decimal" required prop:value=lat on:input=move |ev| set_lat.set(event_target_value(&ev))/></label>
                                        <label>{t(lang, Msg::Longitude)}<input name="lng" inputmode="decimal" required prop:value=lng on:input=move |ev| set_lng.set(event_target_value(&ev))/></label>
                                        <button type="button" class="button" on:click=move |_| locate(set_lat, set_lng)>{t(lang, Msg::UseMyLocation)}</button>
                                    </fieldset>
                                    <button type="submit" class="primary">{t(lang, Msg::Submit)}</button>
                                </ActionForm>
                            </section>
                        })
                    }
                    Err(e) => Either::Right(view! { <ErrorNote error=e/> }),
                }
            })}
        </Transition>
    }
}

/// Fills the location from the browser's geolocation (phones); nothing happens elsewhere.
fn locate(set_lat: WriteSignal<String>, set_lng: WriteSignal<String>) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        use wasm_bindgen::closure::Closure;
        let Some(geo) = web_sys::window().and_then(|w| w.navigator().geolocation().ok()) else {
            return;
        };
        let ok = Closure::once_into_js(move |pos: wasm_bindgen::JsValue| {
            let get = |o: &wasm_bindgen::JsValue, k: &str| js_sys::Reflect::get(o, &k.into()).ok();
            if let Some(coords) = get(&pos, "coords") {
                if let (Some(a), Some(b)) = (
                    get(&coords, "latitude").and_then(|v| v.as_f64()),
                    get(&coords, "longitude").and_then(|v| v.as_f64()),
                ) {
                    set_lat.set(format!("{a:.6}"));
                    set_lng.set(format!("{b:.6}"));
                }
            }
        });
        let _ = geo.get_current_position(ok.unchecked_ref());
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (set_lat, set_lng);
}
