//! mySociety's service request updates: the published steps of published cases (each with
//! its reporter-facing sentence and the case's state after it), and comments posted by the
//! integrator that filed a request, kept as `comment` steps on the case.

use super::Refusal;
use super::requests::{parse_time, w3c};
use crate::domain::case::{InvalidReason, Status};
use crate::domain::open311::{RequestUpdate, extended_status};
use crate::domain::privacy::scrub_numbers;
use crate::domain::resident::step_message;
use crate::i18n::{Lang, t};
use crate::ssr::db::{from_millis, to_millis};
use crate::ssr::state::AppState;
use crate::ssr::store::{StoreError, cases, open311};
use chrono::{DateTime, Utc};

pub const LIST_MAX: i64 = 1000;
/// The longest comment (as any step's note).
pub const COMMENT_MAX: usize = 2000;

#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct UpdatesQuery {
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub jurisdiction_id: Option<String>,
}

fn update(row: open311::StepRow) -> RequestUpdate {
    let data: serde_json::Value = serde_json::from_str(&row.data).unwrap_or_default();
    let status = data["status"]
        .as_str()
        .and_then(Status::parse)
        .unwrap_or(Status::Reported);
    let reason = data["reason"].as_str().and_then(InvalidReason::parse);
    let description = match row.action.as_str() {
        "comment" => scrub_numbers(&row.note),
        "merge" => t(Lang::Zh, crate::i18n::Msg::SaysDuplicate).to_owned(),
        "close" => t(Lang::Zh, crate::i18n::Msg::SaysResolve).to_owned(),
        action => step_message(action, &data)
            .map(|m| t(Lang::Zh, m).to_owned())
            .unwrap_or_default(),
    };
    RequestUpdate {
        update_id: row.id.to_string(),
        service_request_id: row.tracking_code,
        status: extended_status(status, reason).into(),
        updated_datetime: w3c(from_millis(row.at)),
        description,
        media_url: String::new(),
    }
}

/// The updates between two times (default: the last day; at most 90 days), oldest first.
pub async fn list(
    state: &AppState,
    q: &UpdatesQuery,
    now: DateTime<Utc>,
) -> Result<Vec<RequestUpdate>, Refusal> {
    super::check_jurisdiction(state, q.jurisdiction_id.as_deref()).await?;
    let given = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let end = match given(&q.end_date) {
        Some(v) => parse_time("end_date", &v)?,
        None => now,
    };
    let start = match given(&q.start_date) {
        Some(v) => parse_time("start_date", &v)?,
        None => end - chrono::Duration::days(1),
    };
    if start > end || end - start > chrono::Duration::days(super::requests::RANGE_DAYS) {
        return Err(Refusal::new(
            400,
            "start_date/end_date: in order and at most 90 days apart",
        ));
    }
    let rows = open311::steps(&state.db.pool, to_millis(start), to_millis(end), LIST_MAX).await?;
    Ok(rows.into_iter().map(update).collect())
}

fn field<'a>(form: &'a [(String, String)], key: &str) -> Option<&'a str> {
    form.iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

/// An integrator's comment on a request its key filed; the same `update_id` again is
/// answered with the first update, not kept twice. The comment changes no state.
pub async fn post(
    state: &AppState,
    key: &open311::KeyRow,
    form: &[(String, String)],
    now: DateTime<Utc>,
) -> Result<RequestUpdate, Refusal> {
    let code = field(form, "service_request_id")
        .ok_or_else(|| Refusal::new(400, "service_request_id: required"))?;
    let text =
        field(form, "description").ok_or_else(|| Refusal::new(400, "description: required"))?;
    if text.chars().count() > COMMENT_MAX {
        return Err(Refusal::new(400, "description: at most 2000 characters"));
    }
    let client_id = field(form, "update_id");
    if client_id.is_some_and(|c| c.len() > 100) {
        return Err(Refusal::new(400, "update_id: at most 100 characters"));
    }
    let filed: Vec<_> = open311::published(
        &state.db.pool,
        &open311::RequestFilter {
            codes: vec![code.to_uppercase()],
            limit: 1,
            ..Default::default()
        },
    )
    .await?;
    let Some(row) = filed.into_iter().next() else {
        return Err(Refusal::new(404, "service_request_id: no such request"));
    };
    let filed_by = open311::code_of_case_key(&state.db.pool, row.case.id).await?;
    if filed_by != Some(key.id) {
        return Err(Refusal::new(
            403,
            "service_request_id: filed through another key",
        ));
    }
    if let Some(c) = client_id {
        if let Some(id) = open311::posted_update(&state.db.pool, key.id, c).await? {
            return one(state, id).await;
        }
    }
    let mut tx = state.db.begin_write().await.map_err(StoreError::from)?;
    let event = cases::NewEvent {
        at: now,
        actor_account: None,
        actor_name: &key.name,
        actor_role: "open311",
        action: "comment",
        note: text,
        data: serde_json::json!({ "status": row.case.status }),
    };
    let seq = cases::append_event(&mut tx, row.case.id, &event).await?;
    if let Some(c) = client_id {
        open311::remember_update(&mut tx, key.id, c, row.case.id, seq).await?;
    }
    let id = open311::step_id(&mut tx, row.case.id, seq).await?;
    tx.commit().await.map_err(StoreError::from)?;
    one(state, id).await
}

async fn one(state: &AppState, id: i64) -> Result<RequestUpdate, Refusal> {
    open311::step(&state.db.pool, id)
        .await?
        .map(update)
        .ok_or_else(|| Refusal::new(404, "update: not found"))
}
