//! Leptos server functions: thin wrappers that find the user, call one service and map the
//! error. Their HTTP endpoints live under `/api/fn/`.

pub mod cases;
pub mod desk;
pub mod oversight;
pub mod session;
pub mod territory;

/// Sets the HTTP status of a failed server-function call from its `AppError`, so that the
/// response says 403 / 404 / 401 like the REST API does.
#[cfg(feature = "ssr")]
pub(crate) fn respond<T>(
    result: Result<T, crate::error::AppError>,
) -> Result<T, crate::error::AppError> {
    if let Err(e) = &result {
        if let Some(opts) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            opts.set_status(
                http::StatusCode::from_u16(e.status())
                    .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR),
            );
        }
    }
    result
}
