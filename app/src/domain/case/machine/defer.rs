//! 缓办 (挂账): a case that cannot be solved now — budget, season, planning — leaves the
//! clock until a review date. The handler asks, the level above approves; on the review
//! date (or earlier, by decision) it returns to where it stood with the working time it
//! had left, at least one working day.

use super::{APPROVERS, DISPATCHERS, MAX_DEFERRAL_DAYS};
use super::{Actor, CaseState, Context, Deferral, Refusal, required};
use crate::domain::calendar::district_tz;
use crate::domain::case::types::Status;
use crate::domain::people::Role;
use crate::domain::territory::Level;
use crate::i18n::Msg;
use Refusal::{Conflict, Forbidden};
use chrono::{DateTime, Duration, NaiveDate, Utc};

/// A review date after today (district time) and within a year.
pub fn review_date_ok(review_on: NaiveDate, now: DateTime<Utc>) -> bool {
    let today = now.with_timezone(&district_tz()).date_naive();
    review_on > today && review_on <= today + Duration::days(MAX_DEFERRAL_DAYS)
}

/// Cases past triage in the hands of departments: a simple case has hours, not seasons —
/// one that needs a budget is escalated instead.
fn in_hand(status: Status) -> bool {
    matches!(
        status,
        Status::Triaged | Status::Dispatched | Status::Handling
    )
}

pub(super) fn request(
    s: &mut CaseState,
    actor: &Actor,
    reason: &str,
    review_on: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(), Refusal> {
    required(reason)?;
    if !in_hand(s.status) {
        return Err(Conflict(Msg::RefuseNotInHand));
    }
    if matches!(s.deferral, Deferral::Requested { .. }) {
        return Err(Conflict(Msg::RefuseDeferralPending));
    }
    if !review_date_ok(review_on, now) {
        return Err(Conflict(Msg::RefuseReviewDate));
    }
    let asks = match s.status {
        Status::Triaged => actor.is_in_scope(DISPATCHERS),
        _ => {
            actor.is_in_scope(DISPATCHERS)
                || actor.department().is_some_and(|dept| {
                    s.lead()
                        .is_some_and(|l| l.department == dept && l.is_active())
                })
        }
    };
    if !asks {
        return Err(Forbidden(Msg::RefuseRole));
    }
    s.deferral = Deferral::Requested { review_on };
    Ok(())
}

/// The level above the handler, never the grid itself (as for extensions).
fn approver(actor: &Actor) -> bool {
    actor.is_in_scope(APPROVERS)
        && actor.staff_role() != Some(Role::Worker)
        && actor.at_or_above(Level::Community)
}

pub(super) fn approve(
    s: &mut CaseState,
    actor: &Actor,
    approve: bool,
    now: DateTime<Utc>,
    ctx: &Context,
) -> Result<(), Refusal> {
    let Deferral::Requested { review_on } = s.deferral else {
        return Err(Conflict(Msg::RefuseNoDeferralRequest));
    };
    if !in_hand(s.status) {
        return Err(Conflict(Msg::RefuseNotInHand));
    }
    if !approver(actor) {
        return Err(Forbidden(Msg::RefuseRole));
    }
    if !approve {
        s.deferral = Deferral::Rejected;
        return Ok(());
    }
    let remaining = s.deadline.map_or(0, |d| {
        if d > now {
            ctx.calendar.working_time_between(now, d).num_seconds()
        } else {
            0
        }
    });
    s.deferral = Deferral::Deferred {
        review_on,
        resume_to: s.status,
        remaining_secs: remaining,
    };
    s.status = Status::Deferred;
    s.deferrals += 1;
    Ok(())
}

pub(super) fn resume(
    s: &mut CaseState,
    actor: &Actor,
    now: DateTime<Utc>,
    ctx: &Context,
) -> Result<(), Refusal> {
    let Deferral::Deferred {
        review_on,
        resume_to,
        remaining_secs,
    } = s.deferral
    else {
        return Err(Conflict(Msg::RefuseNotDeferred));
    };
    if s.status != Status::Deferred {
        return Err(Conflict(Msg::RefuseNotDeferred));
    }
    let due = now.with_timezone(&district_tz()).date_naive() >= review_on;
    let may = match actor {
        Actor::System => due,
        _ => approver(actor) || actor.is_in_scope(DISPATCHERS),
    };
    if !may {
        return Err(if matches!(actor, Actor::System) {
            Conflict(Msg::RefuseReviewDate)
        } else {
            Forbidden(Msg::RefuseRole)
        });
    }
    let floor = ctx.calendar.add_working_days(now, 1);
    let left = ctx
        .calendar
        .add_working_time(now, Duration::seconds(remaining_secs));
    s.deadline = s.deadline.map(|_| left.max(floor));
    // Departments that had not yet acknowledged get a fresh window.
    let ack_due = ctx.calendar.add_working_days(now, ctx.ack_days);
    for d in s.dispatches.iter_mut().filter(|d| d.awaits_ack()) {
        d.ack_due = d.ack_due.map(|a| a.max(ack_due));
    }
    s.status = resume_to;
    s.deferral = Deferral::None;
    Ok(())
}
