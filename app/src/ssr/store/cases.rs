//! Cases, their dispatches and their append-only events.

use super::{StoreError, StoreResult, case_state};
use crate::domain::case::machine::{Deferral, Extension};
use crate::domain::case::{
    CaseState, DispatchRole, DispatchState, InvalidReason, Satisfaction, Source, Status, Tier,
};
use crate::domain::territory::Level;
use crate::ssr::db::{from_millis, to_millis};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{Any, Executor, Row, Transaction};

/// The columns of a case that are not part of its rule state.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct CaseRow {
    pub id: i64,
    pub tracking_code: String,
    pub source: String,
    pub category: String,
    pub subcategory: Option<String>,
    pub description: String,
    pub lat: f64,
    pub lng: f64,
    pub grid_code: String,
    pub grid_path: String,
    pub status: String,
    pub tier: Option<String>,
    pub handling_level: String,
    pub reported_at: i64,
    pub clock_started_at: Option<i64>,
    pub deadline_at: Option<i64>,
    pub resolved_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub repeat_count: i64,
    pub supervised: i64,
    pub extension: String,
    pub extension_days: Option<i64>,
    pub feedback: Option<String>,
    pub closed_without_feedback: i64,
    pub merged_into: Option<i64>,
    pub reporter_account: Option<i64>,
    pub updated_at: i64,
    pub urgent: i64,
    pub invalid_reason: Option<String>,
    pub verify_due_at: Option<i64>,
    pub rework_count: i64,
    pub checks: i64,
    pub checks_on_time: i64,
    pub deferrals: i64,
    pub deferral: String,
    pub deferral_review_on: Option<String>,
    pub deferral_resume_to: Option<String>,
    pub deferral_remaining_secs: Option<i64>,
}

pub const CASE_COLUMNS: &str = "c.id, c.tracking_code, c.source, c.category, c.subcategory, c.description, c.lat, c.lng, \
    c.grid_code, c.grid_path, c.status, c.tier, c.handling_level, c.reported_at, c.clock_started_at, c.deadline_at, \
    c.resolved_at, c.closed_at, c.repeat_count, c.supervised, c.extension, c.extension_days, c.feedback, \
    c.closed_without_feedback, c.merged_into, c.reporter_account, c.updated_at, c.urgent, c.invalid_reason, \
    c.verify_due_at, c.rework_count, c.checks, c.checks_on_time, c.deferrals, c.deferral, c.deferral_review_on, c.deferral_resume_to, c.deferral_remaining_secs";

#[derive(Clone, Debug, sqlx::FromRow)]
struct DispatchRow {
    department: String,
    role: String,
    dispatched_at: i64,
    ack_due_at: Option<i64>,
    acknowledged_at: Option<i64>,
    resolved_at: Option<i64>,
    returned_at: Option<i64>,
    withdrawn_at: Option<i64>,
}

fn corrupt(what: &str, v: &str) -> StoreError {
    StoreError::Corrupt(format!("{what} {v:?}"))
}

fn opt_time(ms: Option<i64>) -> Option<DateTime<Utc>> {
    ms.map(from_millis)
}

impl CaseRow {
    pub fn source(&self) -> StoreResult<Source> {
        Source::parse(&self.source).ok_or_else(|| corrupt("source", &self.source))
    }

    fn state(&self, dispatches: Vec<DispatchRow>) -> StoreResult<CaseState> {
        let extension = match (self.extension.as_str(), self.extension_days) {
            ("none", _) => Extension::None,
            ("requested", Some(d)) => Extension::Requested { days: d as u32 },
            ("approved", Some(d)) => Extension::Approved { days: d as u32 },
            ("rejected", _) => Extension::Rejected,
            (other, _) => return Err(corrupt("extension", other)),
        };
        let deferral = self.deferral()?;
        Ok(CaseState {
            status: Status::parse(&self.status).ok_or_else(|| corrupt("status", &self.status))?,
            tier: match &self.tier {
                Some(t) => Some(Tier::parse(t).ok_or_else(|| corrupt("tier", t))?),
                None => None,
            },
            category: self.category.clone(),
            subcategory: self.subcategory.clone(),
            grid_code: self.grid_code.clone(),
            handling_level: Level::parse(&self.handling_level)
                .ok_or_else(|| corrupt("level", &self.handling_level))?,
            reported_at: from_millis(self.reported_at),
            clock_started_at: opt_time(self.clock_started_at),
            deadline: opt_time(self.deadline_at),
            dispatches: dispatches
                .into_iter()
                .map(|d| {
                    Ok(DispatchState {
                        role: DispatchRole::parse(&d.role)
                            .ok_or_else(|| corrupt("dispatch role", &d.role))?,
                        department: d.department,
                        dispatched_at: from_millis(d.dispatched_at),
                        ack_due: opt_time(d.ack_due_at),
                        acknowledged_at: opt_time(d.acknowledged_at),
                        resolved_at: opt_time(d.resolved_at),
                        returned_at: opt_time(d.returned_at),
                        withdrawn_at: opt_time(d.withdrawn_at),
                    })
                })
                .collect::<StoreResult<_>>()?,
            repeat_count: self.repeat_count as u32,
            supervised: self.supervised == 1,
            extension,
            feedback: match &self.feedback {
                Some(f) => Some(Satisfaction::parse(f).ok_or_else(|| corrupt("feedback", f))?),
                None => None,
            },
            resolved_at: opt_time(self.resolved_at),
            closed_at: opt_time(self.closed_at),
            closed_without_feedback: self.closed_without_feedback == 1,
            merged_into: self.merged_into,
            reporter_account: self.reporter_account,
            urgent: self.urgent == 1,
            invalid_reason: match &self.invalid_reason {
                Some(r) => {
                    Some(InvalidReason::parse(r).ok_or_else(|| corrupt("invalid reason", r))?)
                }
                None => None,
            },
            verify_due: opt_time(self.verify_due_at),
            rework_count: self.rework_count as u32,
            checks: self.checks as u32,
            checks_on_time: self.checks_on_time as u32,
            deferral,
            deferrals: self.deferrals as u32,
        })
    }

    fn deferral(&self) -> StoreResult<Deferral> {
        let review_on = || {
            let text = self.deferral_review_on.as_deref().unwrap_or("");
            NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| corrupt("review date", text))
        };
        Ok(match self.deferral.as_str() {
            "none" => Deferral::None,
            "rejected" => Deferral::Rejected,
            "requested" => Deferral::Requested {
                review_on: review_on()?,
            },
            "deferred" => {
                let to = self.deferral_resume_to.as_deref().unwrap_or("");
                Deferral::Deferred {
                    review_on: review_on()?,
                    resume_to: Status::parse(to).ok_or_else(|| corrupt("resume to", to))?,
                    remaining_secs: self.deferral_remaining_secs.unwrap_or(0),
                }
            }
            other => return Err(corrupt("deferral", other)),
        })
    }
}

pub struct NewCase<'a> {
    pub tracking_code: &'a str,
    pub source: Source,
    pub description: &'a str,
    pub lat: f64,
    pub lng: f64,
    pub grid_path: &'a str,
    pub state: &'a CaseState,
}

/// Whether a write brings the case's tallies up to date itself (`Keep`), or leaves them to
/// its caller: one `tallies::settle` for a whole step, or one `tallies::rebuild_in` after
/// a bulk load (the demo's).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Tallies {
    Keep,
    AtEnd,
}

pub async fn insert(tx: &mut Transaction<'_, Any>, c: &NewCase<'_>) -> StoreResult<i64> {
    insert_with(tx, c, Tallies::Keep).await
}

pub async fn insert_with(
    tx: &mut Transaction<'_, Any>,
    c: &NewCase<'_>,
    tallies: Tallies,
) -> StoreResult<i64> {
    let s = c.state;
    let fixed = sqlx::query(&case_state::INSERT)
        .bind(c.tracking_code)
        .bind(c.source.as_str())
        .bind(c.description)
        .bind(c.lat)
        .bind(c.lng)
        .bind(&s.grid_code)
        .bind(c.grid_path)
        .bind(to_millis(s.reported_at))
        .bind(s.reporter_account);
    let row = case_state::bind(fixed, s, s.reported_at)
        .fetch_one(&mut **tx)
        .await?;
    let id: i64 = sqlx::Row::try_get(&row, 0)?;
    case_state::write_dispatches(tx, id, s).await?;
    if tallies == Tallies::Keep {
        tally_new(tx, id, s).await?;
    }
    Ok(id)
}

/// Adds a new case's whole contribution to the tallies (its months are known without a
/// read). A caller that inserts with `Tallies::AtEnd` calls it as its last statement before
/// committing: on PostgreSQL the tally rows stay locked from this statement to the commit,
/// and reports into one grid take turns on them — the shorter that stretch, the more
/// reports per second one grid takes.
pub async fn tally_new(tx: &mut Transaction<'_, Any>, id: i64, s: &CaseState) -> StoreResult<()> {
    let months = super::tallies::months_of_new(s);
    let after = super::tallies::contribution_in(tx, id, &months).await?;
    let before = super::tallies::Contribution::default();
    super::tallies::apply(tx, &super::tallies::difference(&before, &after)).await
}

/// Writes a case's rule state: its row and its dispatches (matched by position).
pub async fn save_state(
    tx: &mut Transaction<'_, Any>,
    id: i64,
    s: &CaseState,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    save_state_with(tx, id, s, now, Tallies::Keep).await
}

pub async fn save_state_with(
    tx: &mut Transaction<'_, Any>,
    id: i64,
    s: &CaseState,
    now: DateTime<Utc>,
    tallies: Tallies,
) -> StoreResult<()> {
    if tallies == Tallies::AtEnd {
        return write_state(tx, id, &[], s, now).await;
    }
    let before = super::tallies::contribution(tx, id).await?;
    write_state(tx, id, &[], s, now).await?;
    super::tallies::settle(tx, id, &before).await
}

/// The case's row and the dispatches that differ from `was` (all of them when `was` is
/// empty), tallies aside.
async fn write_state(
    tx: &mut Transaction<'_, Any>,
    id: i64,
    was: &[DispatchState],
    s: &CaseState,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    case_state::bind(sqlx::query(&case_state::UPDATE).bind(id), s, now)
        .execute(&mut **tx)
        .await?;
    case_state::write_dispatches_since(tx, id, was, s).await
}

/// A step on an existing case that stood at `was` (loaded by `load` in this transaction,
/// which holds it on PostgreSQL): its new state `s` and the event saying so, with one
/// change to the tallies for both (rows written once, in key order). Only the dispatches
/// the step changed are written, and the case's months are read once: after the step they
/// are those of before, of the times in `s` and of this event if it resolves.
pub async fn record_step(
    tx: &mut Transaction<'_, Any>,
    id: i64,
    was: &CaseState,
    s: &CaseState,
    e: &NewEvent<'_>,
) -> StoreResult<i64> {
    let (before, mut months) = super::tallies::contribution_and_months(tx, id).await?;
    let seq = write_step(tx, id, was, s, e).await?;
    months.extend(super::tallies::months_of_new(s));
    if e.action == "resolve" {
        months.insert(super::tallies::month_of(to_millis(e.at)).0);
    }
    super::tallies::settle_in(tx, id, &before, &months).await?;
    Ok(seq)
}

/// A step's row writes — the case's row, the dispatches it changed, its event — as one
/// text on SQLite (`batch`: one turn of the writer's thread instead of one per statement),
/// one by one on PostgreSQL. Returns the event's `seq`.
async fn write_step(
    tx: &mut Transaction<'_, Any>,
    id: i64,
    was: &CaseState,
    s: &CaseState,
    e: &NewEvent<'_>,
) -> StoreResult<i64> {
    if !super::batch::takes_one_text(tx) {
        write_state(tx, id, &was.dispatches, s, e.at).await?;
        return append_event_with(tx, id, e, Tallies::AtEnd).await;
    }
    let changed = case_state::changed_dispatches(&was.dispatches, s);
    let mut parts = vec![(case_state::UPDATE.as_str(), 1 + case_state::COLUMNS.len())];
    parts.extend(
        changed
            .iter()
            .map(|_| (case_state::DISPATCH_UPSERT, case_state::DISPATCH_BINDS)),
    );
    parts.push((EVENT_INSERT, EVENT_BINDS));
    let text = super::batch::join(&parts);
    let mut q = case_state::bind(sqlx::query(&text).bind(id), s, e.at);
    for (seq, d) in changed {
        q = case_state::bind_dispatch(q, id, seq, d, &s.grid_code);
    }
    // The event's INSERT comes last: the one row the text returns is its `seq`.
    // (`fetch_all`: sqlx's `fetch_one` stops at the first statement's end, rows or none.)
    let rows = bind_event(q, id, e).fetch_all(&mut **tx).await?;
    let row = rows.last().ok_or(sqlx::Error::RowNotFound)?;
    Ok(row.try_get(0)?)
}

/// Deferred cases whose review date (YYYY-MM-DD) is `today` or earlier.
pub async fn deferred_due<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    today: &str,
) -> StoreResult<Vec<i64>> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT id FROM cases WHERE status = 'deferred' AND deferral_review_on <= $1 ORDER BY id",
    )
    .bind(today)
    .fetch_all(ex)
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// One case with its rule state.
pub async fn load<'c>(
    tx: &mut Transaction<'c, Any>,
    id: i64,
) -> StoreResult<Option<(CaseRow, CaseState)>> {
    // On PostgreSQL a step holds its case until it commits: a concurrent step on the same
    // case waits and then decides on this one's outcome (SQLite's writer takes turns).
    let lock = tx.backend_name() == "PostgreSQL";
    load_with(tx, id, lock).await
}

/// One case with its rule state, for reading only: nothing is held.
pub async fn peek<'c>(
    tx: &mut Transaction<'c, Any>,
    id: i64,
) -> StoreResult<Option<(CaseRow, CaseState)>> {
    load_with(tx, id, false).await
}

async fn load_with<'c>(
    tx: &mut Transaction<'c, Any>,
    id: i64,
    for_update: bool,
) -> StoreResult<Option<(CaseRow, CaseState)>> {
    let lock = if for_update { " FOR UPDATE" } else { "" };
    let row: Option<CaseRow> = sqlx::query_as(&format!(
        "SELECT {CASE_COLUMNS} FROM cases c WHERE c.id = $1{lock}"
    ))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let dispatches: Vec<DispatchRow> = sqlx::query_as(
        "SELECT department, role, dispatched_at, ack_due_at, acknowledged_at, resolved_at, returned_at, withdrawn_at \
         FROM case_dispatches WHERE case_id = $1 ORDER BY seq",
    )
    .bind(id)
    .fetch_all(&mut **tx)
    .await?;
    let state = row.state(dispatches)?;
    Ok(Some((row, state)))
}

pub async fn id_by_tracking_code<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    code: &str,
) -> StoreResult<Option<i64>> {
    Ok(
        sqlx::query_as::<_, (i64,)>("SELECT id FROM cases WHERE tracking_code = $1")
            .bind(code)
            .fetch_optional(ex)
            .await?
            .map(|(id,)| id),
    )
}

/// A stored event of the timeline.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct EventRow {
    pub seq: i64,
    pub at: i64,
    pub actor_account: Option<i64>,
    pub actor_name: String,
    pub actor_role: String,
    pub action: String,
    pub note: String,
    pub data: String,
}

pub struct NewEvent<'a> {
    pub at: DateTime<Utc>,
    pub actor_account: Option<i64>,
    pub actor_name: &'a str,
    pub actor_role: &'a str,
    pub action: &'a str,
    pub note: &'a str,
    pub data: serde_json::Value,
}

/// An event's row; its `seq` (the case's next) is read by the INSERT itself (one turn of
/// the writer, not two). The cast: see `tallies::delta::case_months`.
const EVENT_INSERT: &str = "INSERT INTO case_events (case_id, seq, at, actor_account, actor_name, actor_role, action, note, data, grid_code) \
     VALUES ($1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM case_events WHERE case_id = CAST($1 AS BIGINT)), \
     $2, $3, $4, $5, $6, $7, $8, (SELECT grid_code FROM cases WHERE id = $1)) RETURNING seq";

/// How many values `bind_event` binds.
const EVENT_BINDS: usize = 8;

/// Binds an event for `EVENT_INSERT` after whatever `q` bound already.
fn bind_event<'q>(
    q: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>,
    case_id: i64,
    e: &'q NewEvent<'_>,
) -> sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>> {
    q.bind(case_id)
        .bind(to_millis(e.at))
        .bind(e.actor_account)
        .bind(e.actor_name)
        .bind(e.actor_role)
        .bind(e.action)
        .bind(e.note)
        .bind(e.data.to_string())
}

/// Appends an event; the sequence number is the case's next.
pub async fn append_event(
    tx: &mut Transaction<'_, Any>,
    case_id: i64,
    e: &NewEvent<'_>,
) -> StoreResult<i64> {
    append_event_with(tx, case_id, e, Tallies::Keep).await
}

pub async fn append_event_with(
    tx: &mut Transaction<'_, Any>,
    case_id: i64,
    e: &NewEvent<'_>,
    tallies: Tallies,
) -> StoreResult<i64> {
    // Who rated (the resident or staff), and who resolved, are read from these events.
    let counted = matches!(e.action, "feedback" | "resolve") && tallies == Tallies::Keep;
    let before = if counted {
        Some(super::tallies::contribution(tx, case_id).await?)
    } else {
        None
    };
    let seq: i64 = bind_event(sqlx::query(EVENT_INSERT), case_id, e)
        .fetch_one(&mut **tx)
        .await?
        .try_get(0)?;
    if let Some(before) = before {
        super::tallies::settle(tx, case_id, &before).await?;
    }
    Ok(seq)
}

pub async fn events<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    case_id: i64,
) -> StoreResult<Vec<EventRow>> {
    Ok(sqlx::query_as(
        "SELECT seq, at, actor_account, actor_name, actor_role, action, note, data FROM case_events \
         WHERE case_id = $1 ORDER BY seq",
    )
    .bind(case_id)
    .fetch_all(ex)
    .await?)
}

pub struct NewConsultation<'a> {
    pub held_on: chrono::NaiveDate,
    pub participants: &'a str,
    pub decision: &'a str,
    pub departments: &'a [String],
    pub minutes: &'a str,
    pub duties: &'a [crate::domain::case::view::ConsultationDuty],
    pub created_by: i64,
    pub at: DateTime<Utc>,
}

pub async fn insert_consultation(
    tx: &mut Transaction<'_, Any>,
    case_id: i64,
    c: &NewConsultation<'_>,
) -> StoreResult<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO consultations (case_id, held_on, participants, decision, departments, created_by, created_at, minutes, duties) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(case_id)
    .bind(c.held_on.format("%Y-%m-%d").to_string())
    .bind(c.participants)
    .bind(c.decision)
    .bind(serde_json::to_string(c.departments).unwrap_or_else(|_| "[]".into()))
    .bind(c.created_by)
    .bind(to_millis(c.at))
    .bind(c.minutes)
    .bind(serde_json::to_string(c.duties).unwrap_or_else(|_| "[]".into()))
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

pub async fn consultations<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    case_id: i64,
) -> StoreResult<Vec<crate::domain::case::view::Consultation>> {
    #[allow(clippy::type_complexity)] // one row of the SELECT below, read once
    let rows: Vec<(i64, String, String, String, String, String, i64, String, String)> = sqlx::query_as(
        "SELECT c.id, c.held_on, c.participants, c.decision, c.departments, a.display_name, c.created_at, \
                c.minutes, c.duties \
         FROM consultations c JOIN accounts a ON a.id = c.created_by WHERE c.case_id = $1 ORDER BY c.id",
    )
    .bind(case_id)
    .fetch_all(ex)
    .await?;
    rows.into_iter()
        .map(
            |(
                id,
                held_on,
                participants,
                decision,
                departments,
                recorded_by,
                at,
                minutes,
                duties,
            )| {
                Ok(crate::domain::case::view::Consultation {
                    id,
                    held_on: chrono::NaiveDate::parse_from_str(&held_on, "%Y-%m-%d")
                        .map_err(|_| corrupt("held_on", &held_on))?,
                    participants,
                    decision,
                    departments: serde_json::from_str(&departments)
                        .map_err(|_| corrupt("departments", &departments))?,
                    minutes,
                    duties: serde_json::from_str(&duties)
                        .map_err(|_| corrupt("duties", &duties))?,
                    recorded_by,
                    recorded_at: from_millis(at),
                })
            },
        )
        .collect()
}

pub struct NewAttachment<'a> {
    pub event_seq: i64,
    pub file_name: &'a str,
    pub width: u32,
    pub height: u32,
    pub bytes: usize,
    pub at: DateTime<Utc>,
}

pub async fn insert_attachment(
    tx: &mut Transaction<'_, Any>,
    case_id: i64,
    a: &NewAttachment<'_>,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO case_attachments (case_id, event_seq, file_name, content_type, width, height, bytes, created_at) \
         VALUES ($1, $2, $3, 'image/jpeg', $4, $5, $6, $7)",
    )
    .bind(case_id)
    .bind(a.event_seq)
    .bind(a.file_name)
    .bind(i64::from(a.width))
    .bind(i64::from(a.height))
    .bind(a.bytes as i64)
    .bind(to_millis(a.at))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// (event seq, file name) of a case's photos, in upload order.
pub async fn attachments<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    case_id: i64,
) -> StoreResult<Vec<(i64, String)>> {
    Ok(sqlx::query_as(
        "SELECT event_seq, file_name FROM case_attachments WHERE case_id = $1 ORDER BY id",
    )
    .bind(case_id)
    .fetch_all(ex)
    .await?)
}

/// The case a stored photo belongs to.
pub async fn attachment_case<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    file_name: &str,
) -> StoreResult<Option<i64>> {
    Ok(
        sqlx::query_as::<_, (i64,)>("SELECT case_id FROM case_attachments WHERE file_name = $1")
            .bind(file_name)
            .fetch_optional(ex)
            .await?
            .map(|(id,)| id),
    )
}

/// A case's tracking code (what a worker's outbox shows for a report it sent).
pub async fn tracking_code<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    id: i64,
) -> StoreResult<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT tracking_code FROM cases WHERE id = $1")
            .bind(id)
            .fetch_optional(ex)
            .await?,
    )
}
