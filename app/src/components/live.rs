//! Live updates in the browser: an `EventSource` on `/api/v1/stream`. Each case change
//! (or a "resync") calls `on_change` at most once per 600 ms, so a burst of steps reloads
//! the figures once. The browser reconnects by itself and sends `Last-Event-ID`.

use crate::app::use_lang;
use crate::i18n::{Msg, t};
use leptos::prelude::*;

#[component]
pub fn LiveUpdates(on_change: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let (status, set_status) = signal("connecting");
    let (count, set_count) = signal(0u32);
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        use wasm_bindgen::prelude::Closure;
        let source = StoredValue::new_local(web_sys::EventSource::new("/api/v1/stream").ok());
        let pending = StoredValue::new(false);
        source.with_value(|s| {
            let Some(s) = s else { return };
            let changed = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |_| {
                set_count.update(|n| *n += 1);
                if !pending.get_value() {
                    pending.set_value(true);
                    set_timeout(
                        move || {
                            pending.set_value(false);
                            on_change.run(());
                        },
                        std::time::Duration::from_millis(600),
                    );
                }
            });
            let _ = s.add_event_listener_with_callback("case", changed.as_ref().unchecked_ref());
            let _ = s.add_event_listener_with_callback("resync", changed.as_ref().unchecked_ref());
            changed.forget();
            let open = Closure::<dyn FnMut()>::new(move || set_status.set("live"));
            s.set_onopen(Some(open.as_ref().unchecked_ref()));
            open.forget();
            let error = Closure::<dyn FnMut()>::new(move || set_status.set("reconnecting"));
            s.set_onerror(Some(error.as_ref().unchecked_ref()));
            error.forget();
        });
        on_cleanup(move || {
            source.update_value(|s| {
                if let Some(s) = s.take() {
                    s.close();
                }
            })
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (on_change, set_status, set_count);
    view! {
        <span class="live-badge" data-live=move || status.get() data-events=move || count.get() role="status">
            {move || match status.get() {
                "live" => t(lang, Msg::LiveOn),
                "reconnecting" => t(lang, Msg::LiveReconnecting),
                _ => t(lang, Msg::LiveConnecting),
            }}
        </span>
    }
}
