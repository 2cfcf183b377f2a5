//! 派单 and the departments' answer: dispatch to one lead (主办) and co-handlers (协办),
//! acknowledgement (报到), and a return (退回) of a misrouted case.

use super::{Actor, CaseState, Context, DispatchState, DispatchTarget, Refusal, required};
use super::{DISPATCHERS, URGENT_ACK_HOURS};
use crate::domain::case::types::{DispatchRole, Status, Tier};
use crate::i18n::Msg;
use Refusal::{Conflict, Forbidden};
use chrono::{DateTime, Duration, Utc};
use std::collections::HashSet;

pub(super) fn dispatch(
    s: &mut CaseState,
    actor: &Actor,
    departments: &[DispatchTarget],
    now: DateTime<Utc>,
    ctx: &Context,
) -> Result<(), Refusal> {
    if s.status != Status::Triaged {
        return Err(Conflict(Msg::RefuseNotTriaged));
    }
    if !actor.is_in_scope(DISPATCHERS) {
        return Err(Forbidden(Msg::RefuseRole));
    }
    let seen = checked_targets(departments, ctx)?;
    let ack_due = if let Some(h) = ctx.limits.ack_hours {
        ctx.calendar
            .add_working_time(now, Duration::hours(i64::from(h)))
    } else if s.urgent {
        ctx.calendar
            .add_working_time(now, Duration::hours(URGENT_ACK_HOURS))
    } else {
        ctx.calendar.add_working_days(now, ctx.ack_days)
    };
    // Earlier dispatches (before a return) stay in the history, withdrawn.
    s.dispatches.extend(
        departments
            .iter()
            .map(|d| fresh(&d.department, d.role, now, Some(ack_due))),
    );
    // Coordination cases are copied to the district's competent department (直通办理).
    if s.tier == Some(Tier::Coordination) {
        if let Some(copy) = ctx.copy_department.filter(|c| !seen.contains(c)) {
            s.dispatches
                .push(fresh(copy, DispatchRole::Copy, now, None));
        }
    }
    s.status = Status::Dispatched;
    Ok(())
}

/// Exactly one lead, no copies asked for, known and distinct departments.
fn checked_targets<'a>(
    departments: &'a [DispatchTarget],
    ctx: &Context,
) -> Result<HashSet<&'a str>, Refusal> {
    let leads = departments
        .iter()
        .filter(|d| d.role == DispatchRole::Lead)
        .count();
    if leads != 1 || departments.iter().any(|d| d.role == DispatchRole::Copy) {
        return Err(Conflict(Msg::RefuseOneLead));
    }
    let mut seen = HashSet::new();
    for d in departments {
        if !(ctx.department_exists)(&d.department) {
            return Err(Conflict(Msg::ErrUnknownDepartment));
        }
        if !seen.insert(d.department.as_str()) {
            return Err(Conflict(Msg::RefuseDuplicateDepartment));
        }
    }
    Ok(seen)
}

fn fresh(
    department: &str,
    role: DispatchRole,
    now: DateTime<Utc>,
    ack_due: Option<DateTime<Utc>>,
) -> DispatchState {
    DispatchState {
        department: department.to_owned(),
        role,
        dispatched_at: now,
        ack_due,
        acknowledged_at: None,
        resolved_at: None,
        returned_at: None,
        withdrawn_at: None,
    }
}

pub(super) fn acknowledge(
    s: &mut CaseState,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(), Refusal> {
    if !matches!(s.status, Status::Dispatched | Status::Handling) {
        return Err(Conflict(Msg::RefuseNotDispatched));
    }
    let d = s.active_dispatch_of(actor)?;
    if d.acknowledged_at.is_some() {
        return Err(Conflict(Msg::RefuseAlreadyAcknowledged));
    }
    d.acknowledged_at = Some(now);
    if d.role == DispatchRole::Lead {
        s.status = Status::Handling;
    }
    Ok(())
}

pub(super) fn return_case(
    s: &mut CaseState,
    actor: &Actor,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), Refusal> {
    required(reason)?;
    if !matches!(s.status, Status::Dispatched | Status::Handling) {
        return Err(Conflict(Msg::RefuseNotDispatched));
    }
    let d = s.active_dispatch_of(actor)?;
    d.returned_at = Some(now);
    if d.role == DispatchRole::Lead {
        // A misrouted case goes back to triage; the other departments stand down.
        for other in s
            .dispatches
            .iter_mut()
            .filter(|o| o.withdrawn_at.is_none() && o.returned_at.is_none())
        {
            other.withdrawn_at = Some(now);
        }
        s.status = Status::Returned;
        s.clock_started_at = None;
        s.deadline = None;
    }
    Ok(())
}
