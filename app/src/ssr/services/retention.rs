//! Keeping personal data no longer than needed (PIPL Art. 19, 47): residents' names and
//! phones are erased a configurable time after their case closed, and audit rows after
//! their own retention (six months at least: a trigger refuses younger deletions). The
//! case, its timeline and every figure stay. Run daily by the server's housekeeping.

use crate::error::AppError;
use crate::ssr::db::to_millis;
use crate::ssr::state::AppState;
use crate::ssr::store::StoreError;
use chrono::{DateTime, Months, Utc};

/// What one run erased.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Erased {
    pub contacts: u64,
    pub audit_rows: u64,
}

pub async fn run(state: &AppState, now: DateTime<Utc>) -> Result<Erased, AppError> {
    let contact_cutoff = months_before(now, state.config.retain_contact_months);
    let audit_cutoff = months_before(now, state.config.retain_audit_months.max(6));
    let pool = &state.db.pool;
    let contacts = sqlx::query(
        "DELETE FROM case_contacts WHERE case_id IN (SELECT id FROM cases \
         WHERE status IN ('closed', 'merged', 'invalid') AND COALESCE(closed_at, reported_at) < $1)",
    )
    .bind(to_millis(contact_cutoff))
    .execute(pool)
    .await
    .map_err(StoreError::from)?
    .rows_affected();
    let audit_rows = sqlx::query("DELETE FROM audit_log WHERE at < $1")
        .bind(to_millis(audit_cutoff))
        .execute(pool)
        .await
        .map_err(StoreError::from)?
        .rows_affected();
    Ok(Erased {
        contacts,
        audit_rows,
    })
}

fn months_before(now: DateTime<Utc>, months: u32) -> DateTime<Utc> {
    now.checked_sub_months(Months::new(months)).unwrap_or(now)
}
