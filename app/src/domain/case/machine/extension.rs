//! 延期: the handler asks once for 1–10 more working days; the level above decides.

use super::{APPROVERS, GRID_HANDLERS, MAX_EXTENSION_DAYS};
use super::{Actor, CaseState, Context, Extension, Refusal, required};
use crate::domain::case::types::Status;
use crate::domain::people::Role;
use crate::domain::territory::Level;
use crate::i18n::Msg;
use Refusal::{Conflict, Forbidden};
use chrono::{DateTime, Utc};

pub(super) fn request(
    s: &mut CaseState,
    actor: &Actor,
    days: u32,
    reason: &str,
) -> Result<(), Refusal> {
    required(reason)?;
    if !(1..=MAX_EXTENSION_DAYS).contains(&days) {
        return Err(Conflict(Msg::RefuseExtensionDays));
    }
    if s.extension != Extension::None {
        return Err(Conflict(Msg::RefuseExtensionUsed));
    }
    let asks = match s.status {
        Status::InGrid => actor.is_in_scope(GRID_HANDLERS),
        Status::Dispatched | Status::Handling => actor.department().is_some_and(|dept| {
            s.lead()
                .is_some_and(|l| l.department == dept && l.is_active())
        }),
        _ => return Err(Conflict(Msg::RefuseNotInHand)),
    };
    if !asks {
        return Err(Forbidden(Msg::RefuseRole));
    }
    s.extension = Extension::Requested { days };
    Ok(())
}

pub(super) fn approve(
    s: &mut CaseState,
    actor: &Actor,
    approve: bool,
    now: DateTime<Utc>,
    ctx: &Context,
) -> Result<(), Refusal> {
    let Extension::Requested { days } = s.extension else {
        return Err(Conflict(Msg::RefuseNoExtensionRequest));
    };
    // A request left pending when the work was finished has lapsed: a deadline no longer
    // runs, so there is nothing to extend.
    if !matches!(
        s.status,
        Status::InGrid | Status::Dispatched | Status::Handling
    ) {
        return Err(Conflict(Msg::RefuseNotInHand));
    }
    // The level above the handler approves: never the grid itself.
    let above = actor.is_in_scope(APPROVERS) && actor.staff_role() != Some(Role::Worker);
    if !above || !actor.at_or_above(Level::Community) {
        return Err(Forbidden(Msg::RefuseRole));
    }
    if approve {
        let base = s.deadline.unwrap_or(now);
        s.deadline = Some(ctx.calendar.add_working_days(base, days));
        s.extension = Extension::Approved { days };
    } else {
        s.extension = Extension::Rejected;
    }
    Ok(())
}
