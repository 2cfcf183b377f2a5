//! A case row's rule-state columns, written in one place: by the INSERT of a new case
//! (so that a report is one row write, not an insert and an update of the same row and
//! its dozen indexes) and by the UPDATE of every step.

use super::StoreResult;
use crate::domain::case::CaseState;
use crate::domain::case::colour::{ColourFacts, turns_red_at};
use crate::domain::case::machine::{Deferral, DispatchState, Extension};
use crate::domain::case::{InvalidReason, Satisfaction, Tier};
use crate::ssr::db::to_millis;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::{Any, Transaction};
use std::sync::LazyLock;

/// The columns, in the order `bind` binds them.
pub const COLUMNS: [&str; 30] = [
    "status",
    "tier",
    "category",
    "handling_level",
    "clock_started_at",
    "deadline_at",
    "ack_due_at",
    "resolved_at",
    "closed_at",
    "repeat_count",
    "supervised",
    "extension",
    "extension_days",
    "feedback",
    "closed_without_feedback",
    "merged_into",
    "updated_at",
    "red_at",
    "urgent",
    "invalid_reason",
    "verify_due_at",
    "rework_count",
    "deferral",
    "deferral_review_on",
    "deferral_resume_to",
    "deferral_remaining_secs",
    "checks",
    "checks_on_time",
    "deferrals",
    "subcategory",
];

/// `UPDATE cases SET … WHERE id = $1` (the columns from `$2`).
pub static UPDATE: LazyLock<String> = LazyLock::new(|| {
    let sets: Vec<String> = COLUMNS
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{c} = ${}", i + 2))
        .collect();
    format!("UPDATE cases SET {} WHERE id = $1", sets.join(", "))
});

/// The case's own columns that a step never changes, before the state's in an INSERT.
const FIXED: [&str; 9] = [
    "tracking_code",
    "source",
    "description",
    "lat",
    "lng",
    "grid_code",
    "grid_path",
    "reported_at",
    "reporter_account",
];

/// `INSERT INTO cases (FIXED…, COLUMNS…) VALUES (…) RETURNING id`.
pub static INSERT: LazyLock<String> = LazyLock::new(|| {
    let names: Vec<&str> = FIXED.iter().chain(COLUMNS.iter()).copied().collect();
    let values: Vec<String> = (1..=names.len()).map(|i| format!("${i}")).collect();
    format!(
        "INSERT INTO cases ({}) VALUES ({}) RETURNING id",
        names.join(", "),
        values.join(", ")
    )
});

/// Binds `s`'s columns (as of `now`, the step's time) after whatever `q` bound already.
pub fn bind<'q>(
    q: Query<'q, Any, AnyArguments<'q>>,
    s: &'q CaseState,
    now: DateTime<Utc>,
) -> Query<'q, Any, AnyArguments<'q>> {
    let (extension, extension_days) = match s.extension {
        Extension::None => ("none", None),
        Extension::Requested { days } => ("requested", Some(days as i64)),
        Extension::Approved { days } => ("approved", Some(days as i64)),
        Extension::Rejected => ("rejected", None),
    };
    let deferral = deferral_columns(s.deferral);
    let ack_due = s
        .dispatches
        .iter()
        .filter(|d| d.awaits_ack())
        .filter_map(|d| d.ack_due)
        .min();
    q.bind(s.status.as_str())
        .bind(s.tier.map(Tier::as_str))
        .bind(&s.category)
        .bind(s.handling_level.as_str())
        .bind(s.clock_started_at.map(to_millis))
        .bind(s.deadline.map(to_millis))
        .bind(ack_due.map(to_millis))
        .bind(s.resolved_at.map(to_millis))
        .bind(s.closed_at.map(to_millis))
        .bind(s.repeat_count as i64)
        .bind(i64::from(s.supervised))
        .bind(extension)
        .bind(extension_days)
        .bind(s.feedback.map(Satisfaction::as_str))
        .bind(i64::from(s.closed_without_feedback))
        .bind(s.merged_into)
        .bind(to_millis(now))
        .bind(turns_red_at(&ColourFacts::of(s)).map(to_millis))
        .bind(i64::from(s.urgent))
        .bind(s.invalid_reason.map(InvalidReason::as_str))
        .bind(s.verify_due.map(to_millis))
        .bind(s.rework_count as i64)
        .bind(deferral.0)
        .bind(deferral.1)
        .bind(deferral.2)
        .bind(deferral.3)
        .bind(i64::from(s.checks))
        .bind(i64::from(s.checks_on_time))
        .bind(i64::from(s.deferrals))
        .bind(&s.subcategory)
}

/// The deferral columns: state, review day, the status to resume, the seconds left.
pub fn deferral_columns(
    d: Deferral,
) -> (
    &'static str,
    Option<String>,
    Option<&'static str>,
    Option<i64>,
) {
    let day = |d: NaiveDate| Some(d.format("%Y-%m-%d").to_string());
    match d {
        Deferral::None => ("none", None, None, None),
        Deferral::Rejected => ("rejected", None, None, None),
        Deferral::Requested { review_on } => ("requested", day(review_on), None, None),
        Deferral::Deferred {
            review_on,
            resume_to,
            remaining_secs,
        } => (
            "deferred",
            day(review_on),
            Some(resume_to.as_str()),
            Some(remaining_secs),
        ),
    }
}

/// The case's dispatches (matched by position: a step adds or changes, never removes).
pub async fn write_dispatches(
    tx: &mut Transaction<'_, Any>,
    id: i64,
    s: &CaseState,
) -> StoreResult<()> {
    write_dispatches_since(tx, id, &[], s).await
}

/// `write_dispatches` of the dispatches that differ from `was` (the case's before a step,
/// by position): a step changes one or two, and each row written is a turn of the writer.
pub async fn write_dispatches_since(
    tx: &mut Transaction<'_, Any>,
    id: i64,
    was: &[DispatchState],
    s: &CaseState,
) -> StoreResult<()> {
    for (seq, d) in changed_dispatches(was, s) {
        bind_dispatch(sqlx::query(DISPATCH_UPSERT), id, seq, d, &s.grid_code)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// The dispatches of `s` that differ from `was` (by position), with their positions.
pub fn changed_dispatches<'s>(
    was: &[DispatchState],
    s: &'s CaseState,
) -> Vec<(usize, &'s DispatchState)> {
    s.dispatches
        .iter()
        .enumerate()
        .filter(|(seq, d)| was.get(*seq) != Some(*d))
        .collect()
}

/// A dispatch row, written whole or updated in what a step may change.
pub const DISPATCH_UPSERT: &str = "INSERT INTO case_dispatches (case_id, seq, department, role, dispatched_at, ack_due_at, acknowledged_at, \
     resolved_at, returned_at, withdrawn_at, grid_code) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
     ON CONFLICT (case_id, seq) DO UPDATE SET ack_due_at = excluded.ack_due_at, acknowledged_at = excluded.acknowledged_at, \
     resolved_at = excluded.resolved_at, returned_at = excluded.returned_at, withdrawn_at = excluded.withdrawn_at";

/// How many values `bind_dispatch` binds.
pub const DISPATCH_BINDS: usize = 11;

/// Binds one dispatch row for `DISPATCH_UPSERT` after whatever `q` bound already.
pub fn bind_dispatch<'q>(
    q: Query<'q, Any, AnyArguments<'q>>,
    id: i64,
    seq: usize,
    d: &'q DispatchState,
    grid_code: &'q str,
) -> Query<'q, Any, AnyArguments<'q>> {
    q.bind(id)
        .bind(seq as i64)
        .bind(&d.department)
        .bind(d.role.as_str())
        .bind(to_millis(d.dispatched_at))
        .bind(d.ack_due.map(to_millis))
        .bind(d.acknowledged_at.map(to_millis))
        .bind(d.resolved_at.map(to_millis))
        .bind(d.returned_at.map(to_millis))
        .bind(d.withdrawn_at.map(to_millis))
        // A case's grid never changes (the state carries the row's).
        .bind(grid_code)
}
