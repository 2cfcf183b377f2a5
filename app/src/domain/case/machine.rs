//! The state machine of a case. `decide` takes the case, who acts, what they ask and the
//! time, and returns either the new state plus the event to append, or a refusal with a
//! reason. Storage applies a decision in one transaction; nothing else changes a case.

use super::types::{DispatchRole, InvalidReason, Satisfaction, Status, Tier};
use crate::domain::calendar::WorkCalendar;
use crate::domain::category_standard::StageLimits;
use crate::domain::people::Role;
use crate::domain::territory::Level;
use crate::i18n::Msg;
use chrono::{DateTime, NaiveDate, Utc};
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
/// Working hours an urgent (紧急) case gives a department to acknowledge.
pub const URGENT_ACK_HOURS: i64 = 2;
/// Working time an urgent simple case has from triage.
pub const URGENT_SIMPLE_HOURS: i64 = 1;
/// Working days an urgent coordination case has from triage.
pub const URGENT_COORDINATION_DAYS: u32 = 2;
/// Working days the grid has to check a department's result on site (核查), by default.
pub const VERIFY_DAYS_DEFAULT: u32 = 1;
/// How far ahead a deferral's review date may lie.
pub const MAX_DEFERRAL_DAYS: i64 = 366;

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

/// 缓办: asked for with a review date, approved by the level above; while deferred the
/// case is off the clock, and it returns to `resume_to` with the working time it had left.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum Deferral {
    None,
    Requested {
        review_on: NaiveDate,
    },
    Deferred {
        review_on: NaiveDate,
        resume_to: Status,
        /// Working seconds left before the deadline when it was deferred (0 if overdue).
        remaining_secs: i64,
    },
    Rejected,
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
    /// The subcategory chosen at triage (its limits and standards apply).
    pub subcategory: Option<String>,
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
    /// 紧急: shorter clocks, marked in every list.
    pub urgent: bool,
    pub invalid_reason: Option<InvalidReason>,
    /// When the on-site check (核查) of the lead department's result is due.
    pub verify_due: Option<DateTime<Utc>>,
    /// Results that failed verification (返工).
    pub rework_count: u32,
    /// On-site checks made, and of them within their time limit (及时核查).
    pub checks: u32,
    pub checks_on_time: u32,
    pub deferral: Deferral,
    /// Times the case was deferred (缓办).
    pub deferrals: u32,
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
            subcategory: None,
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
            urgent: false,
            invalid_reason: None,
            verify_due: None,
            rework_count: 0,
            checks: 0,
            checks_on_time: 0,
            deferral: Deferral::None,
            deferrals: 0,
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
    /// The server's own clock: a deferred case returning on its review date.
    System,
}

impl Actor {
    fn staff_role(&self) -> Option<Role> {
        match self {
            Actor::Staff { role, .. } => Some(*role),
            Actor::Reporter | Actor::System => None,
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
    /// event's actor): it may not record the case's feedback, nor check its own result.
    pub resolved_by: Option<i64>,
    /// The stage limits of the case's category and subcategory (after triage: those it
    /// asks for), in working hours; `None` stages run on the tier's defaults.
    pub limits: StageLimits,
    /// The category (or subcategory) is urgent by standard: triage marks the case so.
    pub category_urgent: bool,
    /// The category a subcategory belongs to, if the code is a subcategory.
    pub subcategory_of: &'a (dyn Fn(&str) -> Option<String> + Sync),
    /// Who checks results on site (核查), as the centre chose: of the grid's worker, grid
    /// leader, centre and administrator, in scope (`DEFAULT_VERIFIERS`).
    pub verifiers: &'a [Role],
    /// This case is drawn for a spot check (抽查) when its grid resolves it itself: it
    /// waits for the grid leader's check on site like a department's result.
    pub spot_check: bool,
    /// The case's category asks for a photo of the result with the result (办结须附照片).
    pub result_photo_required: bool,
    /// The photos this step carries (a result's, taken with it).
    pub step_photos: usize,
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
/// Who may check a result on site unless the district chooses fewer.
pub const DEFAULT_VERIFIERS: &[Role] = GRID_HANDLERS;

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
            subcategory,
            key_days,
            urgent,
            ..
        } => {
            let ask = triage::Triage {
                tier: *tier,
                category: category.as_deref(),
                subcategory: subcategory.as_deref(),
                key_days: *key_days,
                urgent: *urgent,
            };
            triage::triage(&mut s, actor, &ask, now, ctx)?
        }
        Action::Invalidate { reason, note } => {
            triage::invalidate(&mut s, actor, *reason, note, now)?
        }
        Action::Escalate { reason } => triage::escalate(&mut s, actor, reason)?,
        Action::Merge { into } => merge_target = Some(merge::merge(&mut s, actor, *into, ctx)?),
        Action::Dispatch { departments, .. } => {
            dispatch::dispatch(&mut s, actor, departments, now, ctx)?
        }
        Action::Acknowledge { .. } => dispatch::acknowledge(&mut s, actor, now)?,
        Action::Return { reason } => dispatch::return_case(&mut s, actor, reason, now)?,
        Action::Progress { note } => respond::progress(&s, actor, note)?,
        Action::Resolve { result } => respond::resolve(&mut s, actor, result, now, ctx)?,
        Action::Supervise { note } => respond::supervise(&mut s, actor, note)?,
        Action::Feedback {
            satisfaction,
            comment,
        } => feedback::feedback(&mut s, actor, *satisfaction, comment, now, ctx)?,
        Action::Close { .. } => feedback::close(&mut s, actor, now)?,
        Action::Verify { passed, note } => verify::verify(
            &mut s,
            actor,
            *passed,
            note,
            now,
            ctx.resolved_by,
            ctx.verifiers,
        )?,
        Action::Defer { reason, review_on } => {
            defer::request(&mut s, actor, reason, *review_on, now)?
        }
        Action::ApproveDeferral { approve, .. } => {
            defer::approve(&mut s, actor, *approve, now, ctx)?
        }
        Action::Resume { .. } => defer::resume(&mut s, actor, now, ctx)?,
        Action::RequestExtension { days, reason } => {
            extension::request(&mut s, actor, *days, reason)?
        }
        Action::ApproveExtension { approve, .. } => {
            extension::approve(&mut s, actor, *approve, now, ctx)?
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
mod defer;
mod dispatch;
mod extension;
mod feedback;
mod merge;
mod respond;
mod triage;
mod verify;
pub use action::{Action, DispatchTarget};
pub use defer::review_date_ok;
pub use verify::{drawn_for_spot_check, verified_on_time};

#[cfg(test)]
mod tests;
