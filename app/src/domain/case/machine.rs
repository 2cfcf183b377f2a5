//! The state machine of a case. `decide` takes the case, who acts, what they ask and the
//! time, and returns either the new state plus the event to append, or a refusal with a
//! reason. Storage applies a decision in one transaction; nothing else changes a case.

use super::types::{DispatchRole, Satisfaction, Status, Tier};
use crate::domain::calendar::WorkCalendar;
use crate::domain::people::Role;
use crate::domain::territory::Level;
use crate::i18n::Msg;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// Working time a simple case has from triage.
pub const SIMPLE_HOURS: i64 = 2;
/// Working days a coordination case has from triage.
pub const COORDINATION_DAYS: u32 = 5;
/// Working days a key case has: chosen at triage in this range, 10 by default.
pub const KEY_DAYS: std::ops::RangeInclusive<u32> = 10..=15;
pub const KEY_DAYS_DEFAULT: u32 = 10;
/// Calendar days the reporter has to give feedback before a case may be closed without.
pub const FEEDBACK_DAYS: i64 = 3;
/// The most working days one extension may add.
pub const MAX_EXTENSION_DAYS: u32 = 10;

/// One department's part in a case.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DispatchState {
    pub department: String,
    pub role: DispatchRole,
    pub dispatched_at: DateTime<Utc>,
    /// When the acknowledgement (报到) is due; none for copies.
    pub ack_due: Option<DateTime<Utc>>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub returned_at: Option<DateTime<Utc>>,
    /// Withdrawn because the lead returned the case and it went back to triage.
    pub withdrawn_at: Option<DateTime<Utc>>,
}

impl DispatchState {
    /// Still expected to act: not a copy, not resolved, returned or withdrawn.
    pub fn is_active(&self) -> bool {
        self.role != DispatchRole::Copy
            && self.resolved_at.is_none()
            && self.returned_at.is_none()
            && self.withdrawn_at.is_none()
    }

    pub fn awaits_ack(&self) -> bool {
        self.is_active() && self.acknowledged_at.is_none()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum Extension {
    None,
    Requested { days: u32 },
    Approved { days: u32 },
    Rejected,
}

/// Everything about a case that the rules look at.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseState {
    pub status: Status,
    pub tier: Option<Tier>,
    pub category: String,
    pub grid_code: String,
    /// The level that currently owns the case: grid, then community, street, district.
    pub handling_level: Level,
    pub reported_at: DateTime<Utc>,
    /// When the clock started (triage) and when it runs out.
    pub clock_started_at: Option<DateTime<Utc>>,
    pub deadline: Option<DateTime<Utc>>,
    pub dispatches: Vec<DispatchState>,
    pub repeat_count: u32,
    pub supervised: bool,
    pub extension: Extension,
    /// The latest feedback; a later satisfied one replaces a dissatisfied one.
    pub feedback: Option<Satisfaction>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    /// Closed after the feedback window with no feedback (counts as 默认满意).
    pub closed_without_feedback: bool,
    pub merged_into: Option<i64>,
    pub reporter_account: Option<i64>,
}

impl CaseState {
    /// A newly reported case.
    pub fn reported(
        category: &str,
        grid_code: &str,
        at: DateTime<Utc>,
        reporter_account: Option<i64>,
    ) -> CaseState {
        CaseState {
            status: Status::Reported,
            tier: None,
            category: category.to_owned(),
            grid_code: grid_code.to_owned(),
            handling_level: Level::Grid,
            reported_at: at,
            clock_started_at: None,
            deadline: None,
            dispatches: vec![],
            repeat_count: 0,
            supervised: false,
            extension: Extension::None,
            feedback: None,
            resolved_at: None,
            closed_at: None,
            closed_without_feedback: false,
            merged_into: None,
            reporter_account,
        }
    }

    pub fn lead(&self) -> Option<&DispatchState> {
        self.dispatches.iter().rev().find(|d| {
            d.role == DispatchRole::Lead && d.withdrawn_at.is_none() && d.returned_at.is_none()
        })
    }

    /// The acting department's part that still expects it to act, or why not.
    fn active_dispatch_of(&mut self, actor: &Actor) -> Result<&mut DispatchState, Refusal> {
        let dept = actor
            .department()
            .ok_or(Forbidden(Msg::RefuseNotYourDispatch))?;
        self.dispatch_of(dept)
            .filter(|d| d.is_active())
            .ok_or(Forbidden(Msg::RefuseNotYourDispatch))
    }

    fn dispatch_of(&mut self, department: &str) -> Option<&mut DispatchState> {
        // The newest first: a department re-dispatched after a return has two entries.
        self.dispatches.iter_mut().rev().find(|d| {
            d.department == department && d.role != DispatchRole::Copy && d.withdrawn_at.is_none()
        })
    }
}

/// Who acts, as the service found them: role, whether the case is inside their scope, and
/// where they sit. A resident acting through a tracking code is `Reporter`.
#[derive(Clone, Debug, PartialEq)]
pub enum Actor {
    Staff {
        account_id: i64,
        role: Role,
        /// The case's grid lies in the actor's subtree (always false for departments).
        in_scope: bool,
        /// The level of the node the actor is attached to (none for departments).
        level: Option<Level>,
        department: Option<String>,
    },
    Reporter,
}

impl Actor {
    fn staff_role(&self) -> Option<Role> {
        match self {
            Actor::Staff { role, .. } => Some(*role),
            Actor::Reporter => None,
        }
    }

    /// Staff with one of `roles` whose scope covers the case.
    fn is_in_scope(&self, roles: &[Role]) -> bool {
        matches!(self, Actor::Staff { role, in_scope: true, .. } if roles.contains(role))
    }

    fn department(&self) -> Option<&str> {
        match self {
            Actor::Staff {
                role: Role::Dept,
                department: Some(d),
                ..
            } => Some(d),
            _ => None,
        }
    }

    /// Attached at the case's handling level or above it.
    fn at_or_above(&self, level: Level) -> bool {
        matches!(self, Actor::Staff { level: Some(l), .. } if *l <= level)
    }
}

/// Why an action was refused: `Forbidden` is about who asks (403), `Conflict` about the
/// case's state or the input (409).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    Forbidden(Msg),
    Conflict(Msg),
}

/// What the rules need to know besides the case.
pub struct Context<'a> {
    pub calendar: &'a WorkCalendar,
    /// Working days a department has to acknowledge (默认 1).
    pub ack_days: u32,
    /// The district's competent department for the case's category (知会), if any.
    pub copy_department: Option<&'a str>,
    /// Whether a department code exists.
    pub department_exists: &'a (dyn Fn(&str) -> bool + Sync),
    /// Whether a category code exists.
    pub category_exists: &'a (dyn Fn(&str) -> bool + Sync),
    /// For `merge`: the target case, if it exists.
    pub merge_target: Option<&'a CaseState>,
    /// The account whose resolve step the case now stands on (the latest `resolve`
    /// event's actor): it may not record the case's feedback.
    pub resolved_by: Option<i64>,
}

/// The outcome of an allowed action.
#[derive(Clone, Debug, PartialEq)]
pub struct Decision {
    pub state: CaseState,
    /// For a merge: the target's new state (its repeat count goes up).
    pub merge_target: Option<CaseState>,
}

use Refusal::{Conflict, Forbidden};

fn required(text: &str) -> Result<(), Refusal> {
    if text.trim().is_empty() {
        Err(Conflict(Msg::ErrReasonRequired))
    } else {
        Ok(())
    }
}

const TRIAGERS: &[Role] = &[Role::Center, Role::GridLeader, Role::Admin];
const DISPATCHERS: &[Role] = &[Role::Center, Role::Admin];
const GRID_HANDLERS: &[Role] = &[Role::Worker, Role::GridLeader, Role::Center, Role::Admin];
const APPROVERS: &[Role] = &[Role::Center, Role::Leader, Role::Admin];
const SUPERVISORS: &[Role] = &[Role::Leader, Role::Admin];

pub fn decide(
    case: &CaseState,
    actor: &Actor,
    action: &Action,
    now: DateTime<Utc>,
    ctx: &Context,
) -> Result<Decision, Refusal> {
    let mut s = case.clone();
    let mut merge_target = None;
    match action {
        Action::Triage {
            tier,
            category,
            key_days,
            ..
        } => {
            if !s.status.awaits_triage() {
                return Err(Conflict(Msg::RefuseNotAwaitingTriage));
            }
            // 自办自结: a grid worker takes a simple problem of their own grid themselves.
            let self_handled = *tier == Tier::Simple
                && s.handling_level == Level::Grid
                && actor.is_in_scope(&[Role::Worker])
                && matches!(
                    actor,
                    Actor::Staff {
                        level: Some(Level::Grid),
                        ..
                    }
                );
            if !self_handled
                && (!actor.is_in_scope(TRIAGERS) || !actor.at_or_above(s.handling_level))
            {
                return Err(Forbidden(Msg::RefuseRole));
            }
            if let Some(c) = category {
                if !(ctx.category_exists)(c) {
                    return Err(Conflict(Msg::ErrUnknownCategory));
                }
                s.category = c.clone();
            }
            let deadline = match tier {
                Tier::Simple => {
                    if key_days.is_some() {
                        return Err(Conflict(Msg::RefuseKeyDaysOnlyForKey));
                    }
                    ctx.calendar
                        .add_working_time(now, Duration::hours(SIMPLE_HOURS))
                }
                Tier::Coordination => {
                    if key_days.is_some() {
                        return Err(Conflict(Msg::RefuseKeyDaysOnlyForKey));
                    }
                    ctx.calendar.add_working_days(now, COORDINATION_DAYS)
                }
                Tier::Key => {
                    let days = key_days.unwrap_or(KEY_DAYS_DEFAULT);
                    if !KEY_DAYS.contains(&days) {
                        return Err(Conflict(Msg::RefuseKeyDays));
                    }
                    ctx.calendar.add_working_days(now, days)
                }
            };
            s.tier = Some(*tier);
            s.clock_started_at = Some(now);
            s.deadline = Some(deadline);
            s.status = if *tier == Tier::Simple {
                Status::InGrid
            } else {
                Status::Triaged
            };
        }
        Action::Dispatch { departments, .. } => {
            if s.status != Status::Triaged {
                return Err(Conflict(Msg::RefuseNotTriaged));
            }
            if !actor.is_in_scope(DISPATCHERS) {
                return Err(Forbidden(Msg::RefuseRole));
            }
            let leads = departments
                .iter()
                .filter(|d| d.role == DispatchRole::Lead)
                .count();
            if departments.is_empty()
                || leads != 1
                || departments.iter().any(|d| d.role == DispatchRole::Copy)
            {
                return Err(Conflict(Msg::RefuseOneLead));
            }
            let mut seen = std::collections::HashSet::new();
            for d in departments {
                if !(ctx.department_exists)(&d.department) {
                    return Err(Conflict(Msg::ErrUnknownDepartment));
                }
                if !seen.insert(d.department.as_str()) {
                    return Err(Conflict(Msg::RefuseDuplicateDepartment));
                }
            }
            let ack_due = ctx.calendar.add_working_days(now, ctx.ack_days);
            // Earlier dispatches (before a return) stay in the history, withdrawn.
            s.dispatches
                .extend(departments.iter().map(|d| DispatchState {
                    department: d.department.clone(),
                    role: d.role,
                    dispatched_at: now,
                    ack_due: Some(ack_due),
                    acknowledged_at: None,
                    resolved_at: None,
                    returned_at: None,
                    withdrawn_at: None,
                }));
            // Coordination cases are copied to the district's competent department (直通办理).
            if s.tier == Some(Tier::Coordination) {
                if let Some(copy) = ctx.copy_department.filter(|c| !seen.contains(c)) {
                    s.dispatches.push(DispatchState {
                        department: copy.to_owned(),
                        role: DispatchRole::Copy,
                        dispatched_at: now,
                        ack_due: None,
                        acknowledged_at: None,
                        resolved_at: None,
                        returned_at: None,
                        withdrawn_at: None,
                    });
                }
            }
            s.status = Status::Dispatched;
        }
        Action::Acknowledge { .. } => {
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
        }
        Action::Return { reason } => {
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
        }
        Action::Progress { note } => {
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
        }
        Action::Resolve { result } => {
            required(result)?;
            match s.status {
                Status::InGrid => {
                    if !actor.is_in_scope(GRID_HANDLERS) {
                        return Err(Forbidden(Msg::RefuseRole));
                    }
                    s.status = Status::Resolved;
                    s.resolved_at = Some(now);
                }
                Status::Dispatched | Status::Handling => {
                    let d = s.active_dispatch_of(actor)?;
                    if d.acknowledged_at.is_none() {
                        return Err(Conflict(Msg::RefuseAcknowledgeFirst));
                    }
                    d.resolved_at = Some(now);
                    if d.role == DispatchRole::Lead {
                        s.status = Status::Resolved;
                        s.resolved_at = Some(now);
                    }
                }
                _ => return Err(Conflict(Msg::RefuseNotInHand)),
            }
        }
        Action::Feedback {
            satisfaction,
            comment,
        } => {
            if s.status != Status::Resolved {
                return Err(Conflict(Msg::RefuseNotResolved));
            }
            let may = matches!(actor, Actor::Reporter)
                || actor.is_in_scope(&[Role::Center, Role::Admin])
                || matches!(actor, Actor::Staff { account_id, .. } if Some(*account_id) == s.reporter_account);
            if !may {
                return Err(Forbidden(Msg::RefuseRole));
            }
            // Nobody rates their own work: satisfaction weighs in the workers' ranking.
            if matches!(actor, Actor::Staff { account_id, .. } if Some(*account_id) == ctx.resolved_by)
            {
                return Err(Forbidden(Msg::RefuseRateOwnWork));
            }
            // Staff record the resident's answer (回访), never their own opinion.
            if !matches!(actor, Actor::Reporter) && comment.trim().is_empty() {
                return Err(Conflict(Msg::RefuseFeedbackNeedsAnswer));
            }
            s.feedback = Some(*satisfaction);
            if *satisfaction == Satisfaction::Dissatisfied {
                // Reopen: back to whoever resolved it, with the same deadline.
                s.resolved_at = None;
                if s.tier == Some(Tier::Simple) || s.lead().is_none() {
                    s.status = Status::InGrid;
                } else {
                    s.status = Status::Handling;
                    if let Some(lead) = s.dispatches.iter_mut().find(|d| {
                        d.role == DispatchRole::Lead
                            && d.withdrawn_at.is_none()
                            && d.returned_at.is_none()
                    }) {
                        lead.resolved_at = None;
                    }
                }
            } else {
                s.status = Status::Closed;
                s.closed_at = Some(now);
            }
        }
        Action::Escalate { reason } => {
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
            let at_level = matches!(actor, Actor::Staff { level: Some(l), .. } if *l == s.handling_level || Some(*l) == s.handling_level.parent());
            if !actor.is_in_scope(GRID_HANDLERS) || !at_level {
                return Err(Forbidden(Msg::RefuseRole));
            }
            s.handling_level = up;
            s.status = Status::Reported;
            s.tier = None;
            s.clock_started_at = None;
            s.deadline = None;
        }
        Action::RequestExtension { days, reason } => {
            required(reason)?;
            if !(1..=MAX_EXTENSION_DAYS).contains(days) {
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
            s.extension = Extension::Requested { days: *days };
        }
        Action::ApproveExtension { approve, .. } => {
            let Extension::Requested { days } = s.extension else {
                return Err(Conflict(Msg::RefuseNoExtensionRequest));
            };
            // A request left pending when the work was finished has lapsed:
            // a deadline no longer runs, so there is nothing to extend.
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
            if *approve {
                let base = s.deadline.unwrap_or(now);
                s.deadline = Some(ctx.calendar.add_working_days(base, days));
                s.extension = Extension::Approved { days };
            } else {
                s.extension = Extension::Rejected;
            }
        }
        Action::Supervise { note } => {
            required(note)?;
            if matches!(s.status, Status::Closed | Status::Merged) {
                return Err(Conflict(Msg::RefuseFinished));
            }
            if !actor.is_in_scope(SUPERVISORS) {
                return Err(Forbidden(Msg::RefuseRole));
            }
            s.supervised = true;
        }
        Action::Merge { .. } => {
            if !s.status.awaits_triage() {
                return Err(Conflict(Msg::RefuseNotAwaitingTriage));
            }
            if !actor.is_in_scope(TRIAGERS) {
                return Err(Forbidden(Msg::RefuseRole));
            }
            let target = ctx.merge_target.ok_or(Conflict(Msg::RefuseMergeTarget))?;
            if !(target.status.is_open()) || target.category != s.category {
                return Err(Conflict(Msg::RefuseMergeTarget));
            }
            let mut t = target.clone();
            t.repeat_count += 1 + s.repeat_count;
            merge_target = Some(t);
            s.status = Status::Merged;
            if let Action::Merge { into } = action {
                s.merged_into = Some(*into);
            }
        }
        Action::Close { .. } => {
            if s.status != Status::Resolved {
                return Err(Conflict(Msg::RefuseNotResolved));
            }
            if !actor.is_in_scope(&[Role::Center, Role::Admin]) {
                return Err(Forbidden(Msg::RefuseRole));
            }
            let resolved = s.resolved_at.unwrap_or(now);
            if now < resolved + Duration::days(FEEDBACK_DAYS) {
                return Err(Conflict(Msg::RefuseFeedbackWindow));
            }
            s.status = Status::Closed;
            s.closed_at = Some(now);
            s.closed_without_feedback = true;
        }
    }
    Ok(Decision {
        state: s,
        merge_target,
    })
}

/// Who may record a consultation (会商) on a key case: the command centre in scope or the
/// lead department, while the case is being handled.
pub fn may_consult(case: &CaseState, actor: &Actor) -> Result<(), Refusal> {
    if case.tier != Some(Tier::Key) {
        return Err(Conflict(Msg::RefuseConsultKeyOnly));
    }
    if !matches!(
        case.status,
        Status::Triaged | Status::Dispatched | Status::Handling
    ) {
        return Err(Conflict(Msg::RefuseNotInHand));
    }
    let lead = actor
        .department()
        .is_some_and(|d| case.lead().is_some_and(|l| l.department == d));
    if lead || actor.is_in_scope(DISPATCHERS) {
        Ok(())
    } else {
        Err(Forbidden(Msg::RefuseRole))
    }
}

mod action;
pub use action::{Action, DispatchTarget};

#[cfg(test)]
mod tests;
