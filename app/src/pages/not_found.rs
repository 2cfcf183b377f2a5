use crate::app::tr;
use crate::i18n::Msg;
use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(opts) = use_context::<leptos_axum::ResponseOptions>() {
        opts.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <section class="card narrow">
            <h1>{tr(Msg::PageNotFound)}</h1>
            <a href="/">{tr(Msg::BackHome)}</a>
        </section>
    }
}
