//! Work on a case in hand: progress notes, the result (办结), and a leader's supervision
//! (督办).

use super::{
    Actor, CaseState, Context, GRID_HANDLERS, Refusal, SUPERVISORS, VERIFY_DAYS_DEFAULT, required,
};
use crate::domain::case::types::{DispatchRole, Status};
use crate::i18n::Msg;
use Refusal::{Conflict, Forbidden};
use chrono::{DateTime, Utc};

pub(super) fn progress(s: &CaseState, actor: &Actor, note: &str) -> Result<(), Refusal> {
    required(note)?;
    if !s.status.is_open() || s.status.awaits_triage() {
        return Err(Conflict(Msg::RefuseNotInHand));
    }
    let handles = actor.is_in_scope(GRID_HANDLERS)
        || actor.department().is_some_and(|dept| {
            s.dispatches
                .iter()
                .any(|d| d.department == dept && d.is_active())
        });
    if !handles {
        return Err(Forbidden(Msg::RefuseRole));
    }
    Ok(())
}

/// A result carries its photo when the category asks for one (one rule for the grid and
/// departments). A grid's own case is resolved at once; a dispatched one, when its lead department
/// resolves it, waits for the grid's check on site (核查) before the reporter is asked.
pub(super) fn resolve(
    s: &mut CaseState,
    actor: &Actor,
    result: &str,
    now: DateTime<Utc>,
    ctx: &Context,
) -> Result<(), Refusal> {
    required(result)?;
    if ctx.result_photo_required && ctx.step_photos == 0 {
        return Err(Conflict(Msg::RefuseResultPhoto));
    }
    match s.status {
        Status::InGrid => {
            if !actor.is_in_scope(GRID_HANDLERS) {
                return Err(Forbidden(Msg::RefuseRole));
            }
            s.resolved_at = Some(now);
            if ctx.spot_check {
                s.status = Status::Verifying;
                s.verify_due = Some(verify_due(now, ctx));
            } else {
                s.status = Status::Resolved;
            }
        }
        Status::Dispatched | Status::Handling => {
            let d = s.active_dispatch_of(actor)?;
            if d.acknowledged_at.is_none() {
                return Err(Conflict(Msg::RefuseAcknowledgeFirst));
            }
            d.resolved_at = Some(now);
            if d.role == DispatchRole::Lead {
                s.status = Status::Verifying;
                s.resolved_at = Some(now);
                s.verify_due = Some(verify_due(now, ctx));
            }
        }
        _ => return Err(Conflict(Msg::RefuseNotInHand)),
    }
    Ok(())
}

/// When the on-site check is due: the category's limit, or the end of the next working day.
fn verify_due(now: DateTime<Utc>, ctx: &Context) -> DateTime<Utc> {
    match ctx.limits.verify_hours {
        Some(h) => ctx
            .calendar
            .add_working_time(now, chrono::Duration::hours(i64::from(h))),
        None => ctx.calendar.add_working_days(now, VERIFY_DAYS_DEFAULT),
    }
}

pub(super) fn supervise(s: &mut CaseState, actor: &Actor, note: &str) -> Result<(), Refusal> {
    required(note)?;
    if matches!(s.status, Status::Closed | Status::Merged | Status::Invalid) {
        return Err(Conflict(Msg::RefuseFinished));
    }
    if !actor.is_in_scope(SUPERVISORS) {
        return Err(Forbidden(Msg::RefuseRole));
    }
    s.supervised = true;
    Ok(())
}
