//! The one error type that crosses from server to client. Internal detail is logged on the
//! server and never shown; the client gets a kind and a message key it translates.

use crate::i18n::{Lang, Msg, t};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("login required")]
    Unauthorized,
    #[error("wrong username or password")]
    InvalidCredentials,
    #[error("forbidden")]
    Forbidden,
    /// Forbidden, with the reason (who may do this).
    #[error("not allowed")]
    NotAllowed { msg: Msg },
    #[error("invalid input in {field}")]
    Validation { field: String, msg: Msg },
    #[error("conflict")]
    Conflict { msg: Msg },
    #[error("rate limited")]
    RateLimited { retry_after_secs: u64 },
    /// A part the server needs is away for now (the database, room on the disk): 503 with
    /// `Retry-After`. Nothing was stored; the client keeps what the user typed and retries.
    #[error("unavailable")]
    Unavailable { msg: Msg, retry_after_secs: u64 },
    #[error("internal error")]
    Internal,
    /// The request did not reach the server or its answer could not be read (client side).
    #[error("transport: {0}")]
    Transport(String),
}

impl AppError {
    pub fn validation(field: &str, msg: Msg) -> AppError {
        AppError::Validation {
            field: field.to_owned(),
            msg,
        }
    }

    pub fn msg(&self) -> Msg {
        match self {
            AppError::NotFound => Msg::ErrNotFound,
            AppError::Unauthorized => Msg::ErrUnauthorized,
            AppError::InvalidCredentials => Msg::ErrInvalidCredentials,
            AppError::Forbidden => Msg::ErrForbidden,
            AppError::NotAllowed { msg } => *msg,
            AppError::Validation { msg, .. } | AppError::Conflict { msg } => *msg,
            AppError::RateLimited { .. } => Msg::ErrRateLimited,
            AppError::Unavailable { msg, .. } => *msg,
            AppError::Internal => Msg::ErrInternal,
            AppError::Transport(_) => Msg::ErrNetwork,
        }
    }

    pub fn message(&self, lang: Lang) -> &'static str {
        t(lang, self.msg())
    }

    /// The HTTP status for the JSON API.
    pub fn status(&self) -> u16 {
        match self {
            AppError::NotFound => 404,
            AppError::Unauthorized | AppError::InvalidCredentials => 401,
            AppError::Forbidden | AppError::NotAllowed { .. } => 403,
            AppError::Validation { .. } => 422,
            AppError::Conflict { .. } => 409,
            AppError::RateLimited { .. } => 429,
            AppError::Unavailable { .. } => 503,
            AppError::Internal => 500,
            AppError::Transport(_) => 502,
        }
    }
}

impl AppError {
    /// The database is away (down, restarting, out of connections): try again shortly.
    pub fn database_unavailable() -> AppError {
        AppError::Unavailable {
            msg: Msg::ErrDatabaseUnavailable,
            retry_after_secs: 5,
        }
    }

    /// No room (or no write) where photos are kept: the report waits, the text is kept.
    pub fn photo_storage_unavailable() -> AppError {
        AppError::Unavailable {
            msg: Msg::ErrPhotoStorage,
            retry_after_secs: 60,
        }
    }

    /// The seconds a client should wait before trying again (`Retry-After`), if any.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            AppError::RateLimited { retry_after_secs }
            | AppError::Unavailable {
                retry_after_secs, ..
            } => Some(*retry_after_secs),
            _ => None,
        }
    }
}

impl leptos::server_fn::error::FromServerFnError for AppError {
    type Encoder = leptos::server_fn::codec::JsonEncoding;

    fn from_server_fn_error(value: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        use leptos::server_fn::error::ServerFnErrorErr as E;
        match value {
            // Bad arguments are the caller's fault, not the server's.
            E::Args(_) | E::MissingArg(_) => AppError::validation("request", Msg::ErrRequired),
            other => AppError::Transport(other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_with_a_kind() {
        let e = AppError::validation("lat", Msg::ErrInvalidPoint);
        let s = serde_json::to_string(&e).unwrap();
        assert_eq!(
            s,
            r#"{"kind":"validation","field":"lat","msg":"ErrInvalidPoint"}"#
        );
        assert_eq!(serde_json::from_str::<AppError>(&s).unwrap(), e);
        assert_eq!(e.status(), 422);
        assert_eq!(
            AppError::Internal.message(Lang::Zh),
            "服务器出错了，请稍后重试。我们已记录此问题。"
        );
    }
}
