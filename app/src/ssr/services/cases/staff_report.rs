//! A staff member's report with everything that belongs to it — the case, its report
//! event, its photos, the self-handled triage (自办自结) and the idempotency key — in one
//! transaction. A retry, or a twin sent in parallel by a flaky connection, finds the key
//! and gets the first answer: one tap never files two cases.

use super::*;
use crate::ssr::photos::Processed;
use crate::ssr::store::residents::{self as keys, KeySpace};

/// What one report holds beyond its fields.
pub struct StaffReport {
    pub input: NewCaseInput,
    /// Already checked and re-encoded (decoding happens before any transaction).
    pub photos: Vec<Processed>,
    /// 自办自结: triage as a simple case right away (when the reporter may).
    pub handle_myself: bool,
    /// The client's key and the fingerprint of what it sent.
    pub key: Option<(String, String)>,
}

/// Files the report; returns the case id, the first one for a key seen before.
#[tracing::instrument(skip_all, err(Debug), fields(user = %user.username))]
pub async fn file_staff_report(
    state: &AppState,
    user: &CurrentUser,
    r: StaffReport,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let space = KeySpace::Staff(user.id);
    let key = r.key.as_ref().map(|(k, fp)| (space.stored(k), fp.as_str()));
    let _turn = match &key {
        Some((k, _)) => Some(state.key_locks.turn(k).await),
        None => None,
    };
    if let Some((k, fp)) = &key {
        if let Some(id) = replay(state, k, fp).await? {
            return Ok(id);
        }
    }
    let cat = catalogue(state).await?;
    let report = prepare(state, user, &r.input, &cat).await?;
    let mut written = Vec::new();
    let result = insert_all(
        state,
        user,
        &r,
        &report,
        key.as_ref(),
        &cat,
        now,
        &mut written,
    )
    .await;
    match result {
        Ok(id) => Ok(id),
        Err(e) => {
            photos::remove_files(written).await;
            // A twin with the same key committed first: its case is the answer.
            if let Some((k, fp)) = &key {
                if let Some(id) = replay(state, k, fp).await? {
                    return Ok(id);
                }
            }
            Err(e)
        }
    }
}

#[allow(clippy::too_many_arguments)] // one transaction's inputs
async fn insert_all(
    state: &AppState,
    user: &CurrentUser,
    r: &StaffReport,
    report: &PreparedReport,
    key: Option<&(String, &str)>,
    cat: &Catalogue,
    now: DateTime<Utc>,
    written: &mut Vec<std::path::PathBuf>,
) -> Result<i64, AppError> {
    let mut tx = begin(state).await?;
    let (id, seq) = insert_report(&mut tx, user, report, now).await?;
    photos::store_files(&mut tx, state, id, seq, &r.photos, now, written).await?;
    if r.handle_myself {
        let triage = Action::Triage {
            tier: Tier::Simple,
            category: None,
            subcategory: None,
            key_days: None,
            urgent: false,
            note: String::new(),
        };
        // A refusal writes nothing: the report then waits in the command centre's inbox
        // like any other. Anything else (the database) fails the whole report.
        match act_in(&mut tx, state, user, id, Step::plain(&triage), now, cat).await {
            Ok(_) => {}
            Err(AppError::Internal) => return Err(AppError::Internal),
            Err(e) => tracing::info!(case = id, error = ?e, "reported, not taken as simple"),
        }
    }
    // Last, so that a twin sent in parallel fails here (on the key's primary key, once this
    // transaction commits) and everything it wrote is rolled back.
    if let Some((k, fp)) = key {
        keys::remember_key(&mut tx, k, fp, id, now).await?;
    }
    tx.commit().await.map_err(store::StoreError::from)?;
    state.metrics.filed(report.source, 1);
    Ok(id)
}

/// The case filed under this key before, if any; a key reused for other content is a
/// conflict, never a second case.
async fn replay(state: &AppState, key: &str, fingerprint: &str) -> Result<Option<i64>, AppError> {
    match keys::idempotent_answer(&state.db.pool, key).await? {
        None => Ok(None),
        Some((fp, id)) if fp == fingerprint => Ok(Some(id)),
        Some(_) => Err(AppError::Conflict {
            msg: Msg::ErrIdempotencyMismatch,
        }),
    }
}
