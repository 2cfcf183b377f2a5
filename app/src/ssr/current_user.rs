//! The logged-in account of a request. The server's session middleware loads it once per
//! request into the request extensions; handlers and server functions read it from there.

use crate::domain::people::{Attachment, Me, Role};
use crate::domain::scope::Scope;
use crate::error::AppError;

#[derive(Clone, Debug)]
pub struct CurrentUser {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub attachment: Attachment,
    pub scope: Scope,
    /// Logged in with a temporary password: nothing but choosing a new one is allowed.
    pub must_change_password: bool,
    /// Sessions that began with an older version have ended (a password was changed).
    pub credentials_version: i64,
}

impl CurrentUser {
    pub fn me(&self) -> Me {
        Me {
            id: self.id,
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            role: self.role,
            attached_to: self.attachment.clone(),
        }
    }

    /// For what only administrators may do (accounts, territory, departments).
    pub fn require_admin(&self) -> Result<(), AppError> {
        if self.role == Role::Admin {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }
}

/// The current user inside a server function, or `Unauthorized`.
pub fn require_user() -> Result<CurrentUser, AppError> {
    optional_user().ok_or(AppError::Unauthorized)
}

pub fn optional_user() -> Option<CurrentUser> {
    let parts = leptos::prelude::use_context::<http::request::Parts>()?;
    parts.extensions.get::<CurrentUser>().cloned()
}
