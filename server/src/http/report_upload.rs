//! Reading a resident's report from `multipart/form-data`, the same for the no-JS form
//! (`POST /r/{grid}`) and the API (`POST /api/v1/public/reports`).

use app::domain::resident::{FieldError, ReportFields};
use app::i18n::Msg;
use app::ssr::AppState;
use app::ssr::photos::{MAX_BYTES, MAX_PER_STEP};
use app::ssr::services::cases::intake::IntakeError;
use axum::extract::Multipart;
use axum::http::{Extensions, HeaderMap};

/// Three photos of 10 MB and the text around them.
pub const BODY_LIMIT: usize = MAX_PER_STEP * MAX_BYTES + 256 * 1024;
/// No text field of the form comes near this.
const TEXT_LIMIT: usize = 16 * 1024;

/// What the form carried. Text fields are kept even when a photo is refused, so the
/// resident gets them back.
#[derive(Default)]
pub struct Received {
    pub grid: Option<String>,
    pub fields: ReportFields,
    pub photos: Vec<Vec<u8>>,
    pub idempotency_key: Option<String>,
    /// A refusal met while reading (too large, broken body).
    pub error: Option<IntakeError>,
}

/// Whether this address may send another report body now: checked before the body is
/// read, so that a flood costs no memory (the report limit proper is counted later, once
/// the body is known not to be a retry).
pub fn body_allowed(
    state: &AppState,
    headers: &HeaderMap,
    extensions: &Extensions,
) -> Result<(), IntakeError> {
    let ip = crate::middleware::client_ip(headers, extensions, state.config.trust_proxy);
    state
        .upload_limiter
        .check(&format!("ip:{ip}"))
        .map_err(|secs| {
            tracing::info!(%ip, "public report body refused before reading");
            IntakeError::RateLimited {
                retry_after_secs: secs,
            }
        })
}

fn invalid(field: &str, msg: Msg) -> IntakeError {
    IntakeError::Invalid(vec![FieldError {
        field: field.to_owned(),
        msg,
    }])
}

pub async fn read_report(mut form: Multipart) -> Received {
    let mut r = Received::default();
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                r.error = Some(read_error(e.status().as_u16()));
                break;
            }
        };
        let name = field.name().unwrap_or("").to_owned();
        if name == "photo" {
            match field.bytes().await {
                // A file input left empty still sends an empty part.
                Ok(b) if b.is_empty() => {}
                Ok(b) => r.photos.push(b.to_vec()),
                Err(e) => {
                    r.error = Some(read_error(e.status().as_u16()));
                    break;
                }
            }
            continue;
        }
        let text = match field.bytes().await {
            Ok(b) if b.len() <= TEXT_LIMIT => String::from_utf8_lossy(&b).into_owned(),
            Ok(_) => {
                r.error = Some(invalid(&name, Msg::ErrTooLong));
                continue;
            }
            Err(e) => {
                r.error = Some(read_error(e.status().as_u16()));
                break;
            }
        };
        let f = &mut r.fields;
        match name.as_str() {
            "grid" => r.grid = Some(text),
            "idempotency_key" => r.idempotency_key = Some(text),
            "category" => f.category = text,
            "description" => f.description = text,
            "lat" => f.lat = text,
            "lng" => f.lng = text,
            "name" => f.name = text,
            "phone" => f.phone = text,
            "website" => f.website = text,
            _ => {}
        }
    }
    r
}

/// The body broke off or passed the size limit (only photos can make it that large).
fn read_error(status: u16) -> IntakeError {
    if status == 413 {
        invalid("photo", Msg::ErrPhotoTooLarge)
    } else {
        invalid("body", Msg::ErrBadRequest)
    }
}
