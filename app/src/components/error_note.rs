//! An error shown to the user in their language (never internal detail).

use crate::app::use_lang;
use crate::error::AppError;
use crate::i18n::{Msg, t};
use leptos::prelude::*;

#[component]
pub fn ErrorNote(error: AppError) -> impl IntoView {
    let lang = use_lang();
    let login = matches!(error, AppError::Unauthorized);
    view! {
        <div class="notice notice-error" role="alert">
            <p>{error.message(lang)}</p>
            {login.then(|| view! { <a href="/login" rel="external">{t(lang, Msg::Login)}</a> })}
        </div>
    }
}
