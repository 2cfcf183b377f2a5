//! The HTTP edge every surface shares — the JSON API, Open311, the light pages of
//! residents, workers and administrators: the error body, responses (HTML, photos,
//! downloads), extractors (the user, a JSON body, a page's context) and multipart forms
//! and the resident report's form. Handlers import this module, never each other.

pub mod doc;
mod error;
mod extract;
mod multipart;
mod report_upload;
mod respond;

pub use error::{ApiError, ApiResult, set_retry_after};
pub use extract::{
    Auth, FileBody, JsonBody, MultipartBody, PageUser, Query, new_key, page_ctx, user_or_login,
};
pub use multipart::{Parts, read_parts};
pub use report_upload::{BODY_LIMIT, Received, body_allowed, read_report};
pub use respond::{XLSX_TYPE, download, download_named, html, jpeg};
