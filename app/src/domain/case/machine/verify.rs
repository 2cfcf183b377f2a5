//! 核查: the grid checks a department's result on site. Passed, the reporter is asked for
//! feedback; failed, the case goes back to the lead department (返工) with the reason and
//! its original deadline — usually red at once, as the standard means it to be.

use super::{Actor, CaseState, Refusal};
use crate::domain::case::types::{DispatchRole, Status};
use crate::domain::people::Role;
use crate::i18n::Msg;
use Refusal::{Conflict, Forbidden};
use chrono::{DateTime, Utc};

pub(super) fn verify(
    s: &mut CaseState,
    actor: &Actor,
    passed: bool,
    note: &str,
    now: DateTime<Utc>,
    resolved_by: Option<i64>,
    verifiers: &[Role],
) -> Result<(), Refusal> {
    if s.status != Status::Verifying {
        return Err(Conflict(Msg::RefuseNotVerifying));
    }
    // The grid's own people (or the centre above it), never the department that did the
    // work, and never the one who resolved it (a spot check of the grid's own result).
    if !actor.is_in_scope(verifiers) {
        return Err(Forbidden(Msg::RefuseRole));
    }
    if matches!(actor, Actor::Staff { account_id, .. } if Some(*account_id) == resolved_by) {
        return Err(Forbidden(Msg::RefuseCheckOwnWork));
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
    // A spot-checked grid result goes back to the grid; a department's to the department.
    s.status = if s.lead().is_some() {
        Status::Handling
    } else {
        Status::InGrid
    };
    s.rework_count += 1;
    s.resolved_at = None;
    if let Some(lead) = s.dispatches.iter_mut().rev().find(|d| {
        d.role == DispatchRole::Lead && d.withdrawn_at.is_none() && d.returned_at.is_none()
    }) {
        lead.resolved_at = None;
    }
    Ok(())
}

/// Whether the grid's own result on case `id` is drawn for a spot check (抽查), at
/// `percent` of cases: a fixed spread of the ids (Fibonacci hashing), so the draw is the
/// same on every instance and cannot be steered by resolving at a chosen moment.
pub fn drawn_for_spot_check(id: i64, percent: u32) -> bool {
    let spread = (id as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32;
    (spread % 100) < u64::from(percent.min(100))
}

/// Whether a verification at `at` kept its time limit (及时核查).
pub fn verified_on_time(case: &CaseState, at: DateTime<Utc>) -> bool {
    case.verify_due.is_none_or(|due| at <= due)
}

#[cfg(test)]
mod tests {
    use super::drawn_for_spot_check;

    #[test]
    fn about_the_asked_share_is_drawn() {
        let drawn = (1..=10_000)
            .filter(|id| drawn_for_spot_check(*id, 10))
            .count();
        assert!((900..=1100).contains(&drawn), "{drawn}");
        assert!((1..=100).all(|id| !drawn_for_spot_check(id, 0)));
        assert!((1..=100).all(|id| drawn_for_spot_check(id, 100)));
    }
}
