//! The reporter's word on a resolved case (评价): satisfied closes it, dissatisfied sends
//! it back; without an answer the centre closes it after the feedback window.

use super::{Actor, CaseState, Context, FEEDBACK_DAYS, Refusal};
use crate::domain::case::types::{DispatchRole, Satisfaction, Status, Tier};
use crate::domain::people::Role;
use crate::i18n::Msg;
use Refusal::{Conflict, Forbidden};
use chrono::{DateTime, Duration, Utc};

pub(super) fn feedback(
    s: &mut CaseState,
    actor: &Actor,
    satisfaction: Satisfaction,
    comment: &str,
    now: DateTime<Utc>,
    ctx: &Context,
) -> Result<(), Refusal> {
    if s.status != Status::Resolved {
        return Err(Conflict(Msg::RefuseNotResolved));
    }
    may_record_feedback(s, actor, comment, ctx)?;
    s.feedback = Some(satisfaction);
    if satisfaction == Satisfaction::Dissatisfied {
        reopen(s);
    } else {
        s.status = Status::Closed;
        s.closed_at = Some(now);
    }
    Ok(())
}

/// The reporter, or the centre recording the reporter's answer (回访) — never the account
/// that resolved the case: satisfaction weighs in the workers' ranking.
fn may_record_feedback(
    s: &CaseState,
    actor: &Actor,
    comment: &str,
    ctx: &Context,
) -> Result<(), Refusal> {
    let may = matches!(actor, Actor::Reporter)
        || actor.is_in_scope(&[Role::Center, Role::Admin])
        || matches!(actor, Actor::Staff { account_id, .. } if Some(*account_id) == s.reporter_account);
    if !may {
        return Err(Forbidden(Msg::RefuseRole));
    }
    if matches!(actor, Actor::Staff { account_id, .. } if Some(*account_id) == ctx.resolved_by) {
        return Err(Forbidden(Msg::RefuseRateOwnWork));
    }
    // Staff record the resident's answer, never their own opinion.
    if !matches!(actor, Actor::Reporter) && comment.trim().is_empty() {
        return Err(Conflict(Msg::RefuseFeedbackNeedsAnswer));
    }
    Ok(())
}

/// Back to whoever resolved it, with the same deadline.
fn reopen(s: &mut CaseState) {
    s.resolved_at = None;
    if s.tier == Some(Tier::Simple) || s.lead().is_none() {
        s.status = Status::InGrid;
        return;
    }
    s.status = Status::Handling;
    if let Some(lead) = s.dispatches.iter_mut().find(|d| {
        d.role == DispatchRole::Lead && d.withdrawn_at.is_none() && d.returned_at.is_none()
    }) {
        lead.resolved_at = None;
    }
}

pub(super) fn close(s: &mut CaseState, actor: &Actor, now: DateTime<Utc>) -> Result<(), Refusal> {
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
    Ok(())
}
