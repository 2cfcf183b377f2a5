//! Multipart forms of the light pages and the API: text fields (each at most 16 KB) and
//! files by field name, within the body limit of the route that reads them.

use app::error::AppError;
use app::i18n::Msg;
use axum::extract::Multipart;
use axum::http::StatusCode;
use std::collections::HashMap;

const TEXT_LIMIT: usize = 16 * 1024;

/// Text fields and files (by field name) of a multipart form.
#[derive(Default)]
pub struct Parts {
    pub text: HashMap<String, String>,
    pub files: HashMap<String, Vec<Vec<u8>>>,
}

impl Parts {
    pub fn get(&self, k: &str) -> String {
        self.text.get(k).cloned().unwrap_or_default()
    }
}

pub async fn read_parts(mut form: Multipart, file_fields: &[&str]) -> Result<Parts, AppError> {
    let mut p = Parts::default();
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(AppError::validation("photo", Msg::ErrPhotoTooLarge));
            }
            Err(_) => return Err(AppError::validation("body", Msg::ErrBadRequest)),
        };
        let name = field.name().unwrap_or("").to_owned();
        let bytes = field
            .bytes()
            .await
            .map_err(|_| AppError::validation(&name, Msg::ErrBadRequest))?;
        if file_fields.contains(&name.as_str()) {
            if !bytes.is_empty() {
                p.files.entry(name).or_default().push(bytes.to_vec());
            }
        } else if bytes.len() <= TEXT_LIMIT {
            let text = String::from_utf8(bytes.to_vec())
                .map_err(|_| AppError::validation(&name, Msg::ErrBadRequest))?;
            p.text.insert(name, text);
        } else {
            return Err(AppError::validation(&name, Msg::ErrTooLong));
        }
    }
    Ok(p)
}
