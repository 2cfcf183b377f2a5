//! The audit log as administrators search it: who read or changed which personal data or
//! account, and when (PIPL Art. 28, ASVS V16). Rows are append-only and kept six months at
//! least (database triggers).

use crate::domain::people::Role;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::ssr::current_user::CurrentUser;
use crate::ssr::db::from_millis;
use crate::ssr::state::AppState;
use crate::ssr::store::audit::{self, AuditFilter};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// `GET /api/v1/admin/audit` parameters.
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams))]
pub struct AuditQuery {
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub action: String,
    /// RFC 3339; default: 30 days before `to`.
    pub from: Option<DateTime<Utc>>,
    /// RFC 3339; default: now.
    pub to: Option<DateTime<Utc>>,
    /// At most 500 (default 100).
    pub limit: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub username: String,
    pub action: String,
    pub subject_kind: String,
    pub subject_id: i64,
    pub detail: String,
}

pub async fn search(
    state: &AppState,
    user: &CurrentUser,
    q: AuditQuery,
    now: DateTime<Utc>,
) -> Result<Vec<AuditEntry>, AppError> {
    if user.role != Role::Admin {
        return Err(AppError::Forbidden);
    }
    let to = q.to.unwrap_or(now);
    let from = q.from.unwrap_or(to - chrono::Duration::days(30));
    if from > to {
        return Err(AppError::validation("from", Msg::ErrBadRequest));
    }
    let limit = q.limit.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        return Err(AppError::validation("limit", Msg::ErrBadRequest));
    }
    let rows = audit::search(
        &state.db.pool,
        &AuditFilter {
            username: q.username.trim(),
            action: q.action.trim(),
            from_ms: from.timestamp_millis(),
            to_ms: to.timestamp_millis() + 1,
            limit,
        },
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| AuditEntry {
            id: r.id,
            at: from_millis(r.at),
            username: r.username,
            action: r.action,
            subject_kind: r.subject_kind,
            subject_id: r.subject_id,
            detail: r.detail,
        })
        .collect())
}
