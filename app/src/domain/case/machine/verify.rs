//! 核查: the grid checks a department's result on site. Passed, the reporter is asked for
//! feedback; failed, the case goes back to the lead department (返工) with the reason and
//! its original deadline — usually red at once, as the standard means it to be.

use super::{Actor, CaseState, GRID_HANDLERS, Refusal};
use crate::domain::case::types::{DispatchRole, Status};
use crate::i18n::Msg;
use Refusal::{Conflict, Forbidden};
use chrono::{DateTime, Utc};

pub(super) fn verify(
    s: &mut CaseState,
    actor: &Actor,
    passed: bool,
    note: &str,
    now: DateTime<Utc>,
) -> Result<(), Refusal> {
    if s.status != Status::Verifying {
        return Err(Conflict(Msg::RefuseNotVerifying));
    }
    // The grid's own people (or the centre above it), never the department that did the work.
    if !actor.is_in_scope(GRID_HANDLERS) {
        return Err(Forbidden(Msg::RefuseRole));
    }
    if !passed && note.trim().is_empty() {
        return Err(Conflict(Msg::RefuseReworkNeedsReason));
    }
    s.checks += 1;
    if verified_on_time(s, now) {
        s.checks_on_time += 1;
    }
    s.verify_due = None;
    if passed {
        s.status = Status::Resolved;
        return Ok(());
    }
    s.status = Status::Handling;
    s.rework_count += 1;
    s.resolved_at = None;
    if let Some(lead) = s.dispatches.iter_mut().rev().find(|d| {
        d.role == DispatchRole::Lead && d.withdrawn_at.is_none() && d.returned_at.is_none()
    }) {
        lead.resolved_at = None;
    }
    Ok(())
}

/// Whether a verification at `at` kept its time limit (及时核查).
pub fn verified_on_time(case: &CaseState, at: DateTime<Utc>) -> bool {
    case.verify_due.is_none_or(|due| at <= due)
}
