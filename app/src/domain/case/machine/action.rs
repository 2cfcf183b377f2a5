//! What an actor can ask of a case: the input of `decide` and of the REST API.

use super::super::types::{DispatchRole, Satisfaction, Tier};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DispatchTarget {
    pub department: String,
    pub role: DispatchRole,
}

/// What an actor asks for (`POST /api/v1/cases/{id}/actions`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(tag = "action", rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Action {
    Triage {
        tier: Tier,
        #[serde(default)]
        category: Option<String>,
        #[serde(default)]
        key_days: Option<u32>,
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
            | Action::Close { note } => note,
            Action::Return { reason }
            | Action::Escalate { reason }
            | Action::RequestExtension { reason, .. } => reason,
            Action::Resolve { result } => result,
            Action::Feedback { comment, .. } => comment,
            Action::Merge { .. } => "",
        }
    }
}
