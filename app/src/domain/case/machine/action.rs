//! What an actor can ask of a case: the input of `decide` and of the REST API.

use super::super::types::{DispatchRole, InvalidReason, Satisfaction, Tier};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DispatchTarget {
    pub department: String,
    pub role: DispatchRole,
}

/// What an actor asks for (`POST /api/v1/cases/{id}/actions`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, strum::IntoStaticStr)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(tag = "action", rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Action {
    Triage {
        tier: Tier,
        #[serde(default)]
        category: Option<String>,
        /// A subcategory of the (new or current) category: its limits and standards apply.
        #[serde(default)]
        subcategory: Option<String>,
        #[serde(default)]
        key_days: Option<u32>,
        /// 紧急: shorter clocks for handling and acknowledgement.
        #[serde(default)]
        urgent: bool,
        #[serde(default)]
        note: String,
    },
    /// 不予立案: the report is not a case; the reporter is told why.
    Invalidate {
        reason: InvalidReason,
        #[serde(default)]
        note: String,
    },
    Dispatch {
        departments: Vec<DispatchTarget>,
        #[serde(default)]
        note: String,
    },
    Acknowledge {
        #[serde(default)]
        note: String,
    },
    Return {
        reason: String,
    },
    Progress {
        note: String,
    },
    Resolve {
        result: String,
    },
    Feedback {
        satisfaction: Satisfaction,
        #[serde(default)]
        comment: String,
    },
    Escalate {
        reason: String,
    },
    RequestExtension {
        days: u32,
        reason: String,
    },
    ApproveExtension {
        approve: bool,
        #[serde(default)]
        note: String,
    },
    Supervise {
        note: String,
    },
    Merge {
        into: i64,
    },
    Close {
        #[serde(default)]
        note: String,
    },
    /// 核查: the grid checks a department's result on site; a failure sends it back (返工).
    Verify {
        passed: bool,
        #[serde(default)]
        note: String,
    },
    /// 缓办: asks to take the case off the clock until `review_on`.
    Defer {
        reason: String,
        review_on: NaiveDate,
    },
    ApproveDeferral {
        #[serde(default = "yes")]
        approve: bool,
        #[serde(default)]
        note: String,
    },
    /// A deferred case back in hand (on its review date, or earlier by decision).
    Resume {
        #[serde(default)]
        note: String,
    },
}

fn yes() -> bool {
    true
}

impl Action {
    /// The action's wire name, as the event log keeps it.
    pub fn name(&self) -> &'static str {
        self.into()
    }

    /// The free text the event keeps as its note.
    pub fn note(&self) -> &str {
        match self {
            Action::Triage { note, .. }
            | Action::Dispatch { note, .. }
            | Action::Acknowledge { note }
            | Action::Progress { note }
            | Action::ApproveExtension { note, .. }
            | Action::Supervise { note }
            | Action::Close { note }
            | Action::Invalidate { note, .. }
            | Action::Verify { note, .. }
            | Action::ApproveDeferral { note, .. }
            | Action::Resume { note } => note,
            Action::Defer { reason, .. } => reason,
            Action::Return { reason }
            | Action::Escalate { reason }
            | Action::RequestExtension { reason, .. } => reason,
            Action::Resolve { result } => result,
            Action::Feedback { comment, .. } => comment,
            Action::Merge { .. } => "",
        }
    }
}
