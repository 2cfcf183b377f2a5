//! What the generated OpenAPI description says about refusals: the one error body and
//! the groups of statuses operations answer with it. Handlers name the groups that apply
//! in their `#[utoipa::path(responses(…))]`.

use utoipa::{IntoResponses, ToSchema};

/// Every refusal of the JSON API: a kind to act on and the message in both languages.
#[derive(ToSchema)]
#[allow(dead_code)] // the schema of `ApiError`'s body, which is written as JSON directly
pub struct ErrorBody {
    /// not_found, unauthorized, invalid_credentials, forbidden, not_allowed, validation,
    /// conflict, rate_limited, unavailable, csrf, password_change_required, …
    #[schema(example = "validation")]
    error: String,
    /// 中文
    message: String,
    message_en: String,
    /// The field that was refused (validation only).
    field: Option<String>,
}

/// Refusals every staff operation can answer.
#[derive(IntoResponses)]
#[allow(dead_code)]
pub enum Refused {
    /// Not logged in (no or an expired session).
    #[response(status = 401)]
    Unauthorized(ErrorBody),
    /// The role or the area does not allow it, a temporary password must be changed first,
    /// or a browser request came from another origin.
    #[response(status = 403)]
    Forbidden(ErrorBody),
    /// The database is away for a moment: nothing was stored; try again after `Retry-After`.
    #[response(status = 503)]
    Unavailable(ErrorBody),
}

/// The thing named in the path does not exist or lies outside the caller's area.
#[derive(IntoResponses)]
#[allow(dead_code)]
pub enum Missing {
    #[response(status = 404)]
    NotFound(ErrorBody),
}

/// The input was refused; `field` names what to correct. Nothing was written.
#[derive(IntoResponses)]
#[allow(dead_code)]
pub enum Invalid {
    #[response(status = 422)]
    Unprocessable(ErrorBody),
}

/// The thing's state does not allow it now (taken name, a case in another step, …).
#[derive(IntoResponses)]
#[allow(dead_code)]
pub enum Conflicting {
    #[response(status = 409)]
    Conflict(ErrorBody),
}

/// The body is larger than this operation takes (`too_large`); nothing was read.
#[derive(IntoResponses)]
#[allow(dead_code)]
pub enum TooLarge {
    #[response(status = 413)]
    PayloadTooLarge(ErrorBody),
}

/// Too many calls from this address or key: try again after `Retry-After` seconds.
#[derive(IntoResponses)]
#[allow(dead_code)]
pub enum Limited {
    #[response(status = 429)]
    TooMany(ErrorBody),
}

/// A file's bytes: a table (CSV in UTF-8, or XLSX), a workbook, a photo.
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code)]
pub struct Binary(Vec<u8>);

/// A refused table (422): every refused row, and nothing was written.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct TableRefused {
    /// accounts_refused, departments_refused, buildings_refused, categories_refused, …
    error: String,
    message: String,
    message_en: String,
    /// Absent when the request itself was refused (`validation`, with `field`).
    problems: Option<Vec<TableProblem>>,
    field: Option<String>,
}

/// One refused cell or row of an imported table.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct TableProblem {
    /// The row in the file, the header being row 1.
    row: u32,
    /// The column's field name, when one column is at fault.
    column: Option<String>,
    /// The column's header as the template writes it.
    header: Option<String>,
    message: String,
    message_en: String,
    /// The refused value as read.
    value: String,
}
