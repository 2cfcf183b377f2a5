//! Before the clock runs: triage (受理分级) sets the tier and the deadline; escalation
//! hands the case to the level above, which triages it afresh.

use super::{required, Actor, CaseState, Context, Refusal, GRID_HANDLERS, TRIAGERS};
use super::{COORDINATION_DAYS, KEY_DAYS, KEY_DAYS_DEFAULT, SIMPLE_HOURS};
use crate::domain::case::types::{Status, Tier};
use crate::domain::people::Role;
use crate::domain::territory::Level;
use crate::i18n::Msg;
use chrono::{DateTime, Duration, Utc};
use Refusal::{Conflict, Forbidden};

pub(super) fn triage(
    s: &mut CaseState,
    actor: &Actor,
    tier: Tier,
    category: Option<&str>,
    key_days: Option<u32>,
    now: DateTime<Utc>,
    ctx: &Context,
) -> Result<(), Refusal> {
    if !s.status.awaits_triage() {
        return Err(Conflict(Msg::RefuseNotAwaitingTriage));
    }
    if !may_triage(s, actor, tier) {
        return Err(Forbidden(Msg::RefuseRole));
    }
    if let Some(c) = category {
        if !(ctx.category_exists)(c) {
            return Err(Conflict(Msg::ErrUnknownCategory));
        }
        s.category = c.to_owned();
    }
    let deadline = match (tier, key_days) {
        (Tier::Simple | Tier::Coordination, Some(_)) => {
            return Err(Conflict(Msg::RefuseKeyDaysOnlyForKey))
        }
        (Tier::Simple, None) => ctx
            .calendar
            .add_working_time(now, Duration::hours(SIMPLE_HOURS)),
        (Tier::Coordination, None) => ctx.calendar.add_working_days(now, COORDINATION_DAYS),
        (Tier::Key, days) => {
            let days = days.unwrap_or(KEY_DAYS_DEFAULT);
            if !KEY_DAYS.contains(&days) {
                return Err(Conflict(Msg::RefuseKeyDays));
            }
            ctx.calendar.add_working_days(now, days)
        }
    };
    s.tier = Some(tier);
    s.clock_started_at = Some(now);
    s.deadline = Some(deadline);
    s.status = if tier == Tier::Simple {
        Status::InGrid
    } else {
        Status::Triaged
    };
    Ok(())
}

/// Triagers in scope at or above the handling level; or 自办自结: a grid worker takes a
/// simple problem of their own grid themselves.
fn may_triage(s: &CaseState, actor: &Actor, tier: Tier) -> bool {
    let self_handled = tier == Tier::Simple
        && s.handling_level == Level::Grid
        && actor.is_in_scope(&[Role::Worker])
        && matches!(
            actor,
            Actor::Staff {
                level: Some(Level::Grid),
                ..
            }
        );
    self_handled || (actor.is_in_scope(TRIAGERS) && actor.at_or_above(s.handling_level))
}

pub(super) fn escalate(s: &mut CaseState, actor: &Actor, reason: &str) -> Result<(), Refusal> {
    required(reason)?;
    if !matches!(
        s.status,
        Status::Reported | Status::Returned | Status::InGrid | Status::Triaged
    ) {
        return Err(Conflict(Msg::RefuseCannotEscalate));
    }
    let up = s
        .handling_level
        .parent()
        .ok_or(Conflict(Msg::RefuseCannotEscalate))?;
    // The level that owns the case, or the one just above it, pushes it further up.
    let at_level = matches!(actor, Actor::Staff { level: Some(l), .. }
        if *l == s.handling_level || Some(*l) == s.handling_level.parent());
    if !actor.is_in_scope(GRID_HANDLERS) || !at_level {
        return Err(Forbidden(Msg::RefuseRole));
    }
    s.handling_level = up;
    s.status = Status::Reported;
    s.tier = None;
    s.clock_started_at = None;
    s.deadline = None;
    Ok(())
}
