//! Deferred cases (缓办) come back by themselves: on its review date a case returns to the
//! step it was deferred from, recorded as the system's step, with notices to the
//! departments in charge and the area's command staff.

use super::*;
use crate::domain::calendar::district_tz;
use crate::domain::case::{Action, Actor};

/// Who the timeline names for the clock's own steps.
pub const SYSTEM_NAME: &str = "系统";
pub const SYSTEM_ROLE: &str = "system";

/// Resumes every deferred case whose review date has come (district time). Idempotent:
/// a case already resumed is no longer deferred. Returns how many came back.
#[tracing::instrument(skip_all, err(Debug))]
pub async fn resume_due(state: &AppState, now: DateTime<Utc>) -> Result<usize, AppError> {
    let today = now.with_timezone(&district_tz()).date_naive();
    let due = cases::deferred_due(&state.db.pool, &today.format("%Y-%m-%d").to_string()).await?;
    if due.is_empty() {
        return Ok(0);
    }
    let cat = catalogue(state).await?;
    let action = Action::Resume {
        note: String::new(),
    };
    let mut resumed = 0;
    for id in due {
        let mut tx = begin(state).await?;
        let Some((row, case)) = cases::load(&mut tx, id).await? else {
            continue;
        };
        // Moved on since the query (resumed by hand): nothing to do.
        let history = History::default();
        let Ok(decision) = cat.decide(state, &case, &Actor::System, &action, now, history) else {
            continue;
        };
        cases::save_state(&mut tx, id, &decision.state, now).await?;
        let event = NewEvent {
            at: now,
            actor_account: None,
            actor_name: SYSTEM_NAME,
            actor_role: SYSTEM_ROLE,
            action: action.name(),
            note: "",
            data: event_data(&action, &case, &decision.state, now),
        };
        cases::append_event(&mut tx, id, &event).await?;
        crate::ssr::services::notify::after_action(
            &mut tx,
            state,
            &row,
            &action,
            None,
            &case,
            &decision.state,
            now,
        )
        .await?;
        tx.commit().await.map_err(store::StoreError::from)?;
        resumed += 1;
    }
    Ok(resumed)
}
