//! The CSRF token of server-rendered forms (double-submit cookie). The server's CSRF
//! middleware sets the cookie and checks that a form post without an `Origin` header
//! carries the same value in the `_csrf` field.

use leptos::prelude::*;

pub const CSRF_COOKIE: &str = "gridgov_csrf";
pub const CSRF_FIELD: &str = "_csrf";

/// The token of this request, put into the request extensions by the middleware.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsrfToken(pub String);

/// The token of this page (server: the request's; browser: the cookie).
pub fn token() -> String {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|p| p.extensions.get::<CsrfToken>().map(|t| t.0.clone()))
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        super::browser::cookie_header()
            .and_then(|c| super::browser::cookie_value(&c, CSRF_COOKIE))
            .unwrap_or_default()
    }
}

#[component]
pub fn CsrfField() -> impl IntoView {
    view! { <input type="hidden" name=CSRF_FIELD value=token()/> }
}
