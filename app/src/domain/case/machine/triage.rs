//! Before the clock runs: triage (受理分级) sets the tier and the deadline; escalation
//! hands the case to the level above, which triages it afresh.

use super::{Actor, CaseState, Context, GRID_HANDLERS, Refusal, TRIAGERS, required};
use super::{COORDINATION_DAYS, KEY_DAYS, KEY_DAYS_DEFAULT, SIMPLE_HOURS};
use super::{URGENT_COORDINATION_DAYS, URGENT_SIMPLE_HOURS};
use crate::domain::case::types::{InvalidReason, Status, Tier};
use crate::domain::people::Role;
use crate::domain::territory::Level;
use crate::i18n::Msg;
use Refusal::{Conflict, Forbidden};
use chrono::{DateTime, Duration, Utc};

/// What triage asks for, besides the actor.
pub(super) struct Triage<'a> {
    pub tier: Tier,
    pub category: Option<&'a str>,
    pub subcategory: Option<&'a str>,
    pub key_days: Option<u32>,
    pub urgent: bool,
}

pub(super) fn triage(
    s: &mut CaseState,
    actor: &Actor,
    ask: &Triage,
    now: DateTime<Utc>,
    ctx: &Context,
) -> Result<(), Refusal> {
    if !s.status.awaits_triage() {
        return Err(Conflict(Msg::RefuseNotAwaitingTriage));
    }
    if !may_triage(s, actor, ask.tier) {
        return Err(Forbidden(Msg::RefuseRole));
    }
    if let Some(c) = ask.category {
        if !(ctx.category_exists)(c) {
            return Err(Conflict(Msg::ErrUnknownCategory));
        }
        if *c != s.category {
            s.subcategory = None;
        }
        s.category = c.to_owned();
    }
    if let Some(sub) = ask.subcategory {
        if (ctx.subcategory_of)(sub).as_deref() != Some(s.category.as_str()) {
            return Err(Conflict(Msg::ErrUnknownSubcategory));
        }
        s.subcategory = Some(sub.to_owned());
    }
    let urgent = ask.urgent || ctx.category_urgent;
    let deadline = deadline(ask.tier, ask.key_days, urgent, now, ctx)?;
    s.tier = Some(ask.tier);
    s.urgent = urgent;
    s.clock_started_at = Some(now);
    s.deadline = Some(deadline);
    s.status = if ask.tier == Tier::Simple {
        Status::InGrid
    } else {
        Status::Triaged
    };
    Ok(())
}

/// The clock from now: the category's handling limit if the standards table sets one,
/// else the tier's, shorter when urgent (a key case keeps the days chosen at triage: its
/// consultation sets the pace).
fn deadline(
    tier: Tier,
    key_days: Option<u32>,
    urgent: bool,
    now: DateTime<Utc>,
    ctx: &Context,
) -> Result<DateTime<Utc>, Refusal> {
    let cal = ctx.calendar;
    let by_standard = ctx
        .limits
        .handle_hours
        .map(|h| cal.add_working_time(now, Duration::hours(i64::from(h))));
    Ok(match (tier, key_days, urgent) {
        (Tier::Simple | Tier::Coordination, Some(_), _) => {
            return Err(Conflict(Msg::RefuseKeyDaysOnlyForKey));
        }
        (Tier::Simple | Tier::Coordination, None, _) if by_standard.is_some() => {
            by_standard.unwrap_or(now)
        }
        (Tier::Simple, None, false) => cal.add_working_time(now, Duration::hours(SIMPLE_HOURS)),
        (Tier::Simple, None, true) => {
            cal.add_working_time(now, Duration::hours(URGENT_SIMPLE_HOURS))
        }
        (Tier::Coordination, None, false) => cal.add_working_days(now, COORDINATION_DAYS),
        (Tier::Coordination, None, true) => cal.add_working_days(now, URGENT_COORDINATION_DAYS),
        (Tier::Key, days, _) => {
            let days = days.unwrap_or(KEY_DAYS_DEFAULT);
            if !KEY_DAYS.contains(&days) {
                return Err(Conflict(Msg::RefuseKeyDays));
            }
            cal.add_working_days(now, days)
        }
    })
}

/// 不予立案: the report is not a case. Whoever may triage it may say so, with a reason the
/// reporter reads; a duplicate names its case and "not ours" says where to go instead.
pub(super) fn invalidate(
    s: &mut CaseState,
    actor: &Actor,
    reason: InvalidReason,
    note: &str,
    now: DateTime<Utc>,
) -> Result<(), Refusal> {
    if !s.status.awaits_triage() {
        return Err(Conflict(Msg::RefuseNotAwaitingTriage));
    }
    if !actor.is_in_scope(TRIAGERS) || !actor.at_or_above(s.handling_level) {
        return Err(Forbidden(Msg::RefuseRole));
    }
    if reason.needs_note() && note.trim().is_empty() {
        return Err(Conflict(Msg::RefuseInvalidNeedsNote));
    }
    s.status = Status::Invalid;
    s.invalid_reason = Some(reason);
    s.closed_at = Some(now);
    s.clock_started_at = None;
    s.deadline = None;
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
