//! A repeat report merged (合并) into an open case of the same category: the target's
//! repeat count carries the weight of both.

use super::{Actor, CaseState, Context, Refusal, TRIAGERS};
use crate::domain::case::types::Status;
use crate::i18n::Msg;
use Refusal::{Conflict, Forbidden};

/// Returns the target's new state.
pub(super) fn merge(
    s: &mut CaseState,
    actor: &Actor,
    into: i64,
    ctx: &Context,
) -> Result<CaseState, Refusal> {
    if !s.status.awaits_triage() {
        return Err(Conflict(Msg::RefuseNotAwaitingTriage));
    }
    if !actor.is_in_scope(TRIAGERS) {
        return Err(Forbidden(Msg::RefuseRole));
    }
    let target = ctx.merge_target.ok_or(Conflict(Msg::RefuseMergeTarget))?;
    if !target.status.is_open() || target.category != s.category {
        return Err(Conflict(Msg::RefuseMergeTarget));
    }
    let mut t = target.clone();
    t.repeat_count += 1 + s.repeat_count;
    s.status = Status::Merged;
    s.merged_into = Some(into);
    Ok(t)
}
