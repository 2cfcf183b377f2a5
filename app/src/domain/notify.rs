//! Who must hear of a step (in-app notifications and outbound webhooks): a case sent to a
//! department, a department's acknowledgement overdue, a case returned, an extension
//! requested, a case supervised. Plain rules; the server turns audiences into accounts.

use crate::domain::case::{Action, CaseState, DispatchRole};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// 吹哨: the case was dispatched to my department.
    Dispatched,
    /// 报到超时: a department has not acknowledged in time.
    AckOverdue,
    /// 退回: a department sent the case back for triage.
    Returned,
    /// 申请延期: a handler asks for more time.
    ExtensionRequested,
    /// 督办: a leader marked the case.
    Supervised,
    /// 返工: the on-site check failed the lead department's result.
    Rework,
    /// 申请缓办: a handler asks to put the case on hold.
    DeferralRequested,
    /// 恢复办理: a deferred case is back in hand.
    Resumed,
}

impl NoticeKind {
    pub const ALL: [NoticeKind; 8] = [
        NoticeKind::Dispatched,
        NoticeKind::AckOverdue,
        NoticeKind::Returned,
        NoticeKind::ExtensionRequested,
        NoticeKind::Supervised,
        NoticeKind::Rework,
        NoticeKind::DeferralRequested,
        NoticeKind::Resumed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::Dispatched => "dispatched",
            NoticeKind::AckOverdue => "ack_overdue",
            NoticeKind::Returned => "returned",
            NoticeKind::ExtensionRequested => "extension_requested",
            NoticeKind::Supervised => "supervised",
            NoticeKind::Rework => "rework",
            NoticeKind::DeferralRequested => "deferral_requested",
            NoticeKind::Resumed => "resumed",
        }
    }

    pub fn parse(s: &str) -> Option<NoticeKind> {
        NoticeKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One notification in the bell's list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NotificationView {
    pub id: i64,
    pub kind: NoticeKind,
    pub case_id: i64,
    pub tracking_code: String,
    pub category_name: String,
    pub category_name_en: String,
    pub description: String,
    pub grid_code: String,
    pub supervised: bool,
    pub created_at: DateTime<Utc>,
    pub read: bool,
}

/// The bell: unread count and the newest notifications.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Inbox {
    pub unread: i64,
    pub items: Vec<NotificationView>,
}

/// An outbound webhook as administrators see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct WebhookView {
    pub id: i64,
    pub url: String,
    /// Notice kinds it receives; empty: all.
    pub kinds: Vec<String>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    /// Only in the answer to the creation: shown once, stored sealed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

/// One queued notice for a webhook and how its delivery went.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DeliveryView {
    pub id: i64,
    pub kind: String,
    pub attempts: i64,
    pub delivered_at: Option<DateTime<Utc>>,
    pub failed_at: Option<DateTime<Utc>>,
    pub next_attempt_at: DateTime<Utc>,
    pub last_status: Option<i64>,
    pub last_error: String,
}

/// A group of people, resolved to accounts by the server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Audience {
    /// Every account of one department.
    Department(String),
    /// The command staff whose area holds the case: centres and grid leaders above its grid.
    AreaCommand,
    /// The grid workers of the case's grid.
    GridWorkers,
}

/// One notice: what happened and who must hear of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub kind: NoticeKind,
    pub audiences: Vec<Audience>,
    /// Departments the notice is about (dispatched to, overdue, returning).
    pub departments: Vec<String>,
}

/// The notices a decided step raises.
pub fn notices(
    action: &Action,
    actor_department: Option<&str>,
    before: &CaseState,
    after: &CaseState,
) -> Vec<Notice> {
    match action {
        Action::Dispatch { .. } => {
            let new: Vec<String> = after
                .dispatches
                .iter()
                .skip(before.dispatches.len())
                .map(|d| d.department.clone())
                .collect();
            if new.is_empty() {
                return vec![];
            }
            vec![Notice {
                kind: NoticeKind::Dispatched,
                audiences: new.iter().cloned().map(Audience::Department).collect(),
                departments: new,
            }]
        }
        Action::Return { .. } => vec![Notice {
            kind: NoticeKind::Returned,
            audiences: vec![Audience::AreaCommand],
            departments: actor_department.map(str::to_owned).into_iter().collect(),
        }],
        Action::RequestExtension { .. } => vec![Notice {
            kind: NoticeKind::ExtensionRequested,
            audiences: vec![Audience::AreaCommand],
            departments: actor_department.map(str::to_owned).into_iter().collect(),
        }],
        Action::Verify { passed: false, .. } => {
            let lead: Vec<String> = after
                .lead()
                .map(|l| l.department.clone())
                .into_iter()
                .collect();
            vec![Notice {
                kind: NoticeKind::Rework,
                audiences: lead.iter().cloned().map(Audience::Department).collect(),
                departments: lead,
            }]
        }
        Action::Defer { .. } => vec![Notice {
            kind: NoticeKind::DeferralRequested,
            audiences: vec![Audience::AreaCommand],
            departments: actor_department.map(str::to_owned).into_iter().collect(),
        }],
        Action::Resume { .. } => {
            let handlers: Vec<String> = after
                .dispatches
                .iter()
                .filter(|d| d.is_active())
                .map(|d| d.department.clone())
                .collect();
            let mut audiences: Vec<Audience> =
                handlers.iter().cloned().map(Audience::Department).collect();
            audiences.push(Audience::AreaCommand);
            if handlers.is_empty() {
                audiences.push(Audience::GridWorkers);
            }
            vec![Notice {
                kind: NoticeKind::Resumed,
                audiences,
                departments: handlers,
            }]
        }
        Action::Supervise { .. } => {
            let handlers: Vec<String> = after
                .dispatches
                .iter()
                .filter(|d| {
                    d.is_active() && d.role != DispatchRole::Copy && d.resolved_at.is_none()
                })
                .map(|d| d.department.clone())
                .collect();
            let mut audiences: Vec<Audience> =
                handlers.iter().cloned().map(Audience::Department).collect();
            audiences.push(Audience::AreaCommand);
            audiences.push(Audience::GridWorkers);
            vec![Notice {
                kind: NoticeKind::Supervised,
                audiences,
                departments: handlers,
            }]
        }
        _ => vec![],
    }
}

/// Departments whose acknowledgement (报到) is overdue at `now`: each is told once, with
/// the command staff of the area.
pub fn overdue_acknowledgements(case: &CaseState, now: DateTime<Utc>) -> Vec<String> {
    case.dispatches
        .iter()
        .filter(|d| d.awaits_ack() && d.ack_due.is_some_and(|due| now > due))
        .map(|d| d.department.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::case::{DispatchState, Tier};
    use chrono::TimeZone;

    fn at(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, h, 0, 0).unwrap()
    }

    fn dispatch(dept: &str, role: DispatchRole) -> DispatchState {
        DispatchState {
            department: dept.into(),
            role,
            dispatched_at: at(1),
            ack_due: Some(at(5)),
            acknowledged_at: None,
            resolved_at: None,
            returned_at: None,
            withdrawn_at: None,
        }
    }

    fn case_with(dispatches: Vec<DispatchState>) -> CaseState {
        let mut c = CaseState::reported("city_order", "g", at(0), None);
        c.tier = Some(Tier::Coordination);
        c.dispatches = dispatches;
        c
    }

    #[test]
    fn a_dispatch_tells_each_new_department() {
        let before = case_with(vec![]);
        let after = case_with(vec![
            dispatch("urban", DispatchRole::Lead),
            dispatch("police", DispatchRole::CoHandler),
            dispatch("market", DispatchRole::Copy),
        ]);
        let action = Action::Dispatch {
            departments: vec![],
            note: String::new(),
        };
        let n = notices(&action, None, &before, &after);
        assert_eq!(n.len(), 1);
        assert_eq!(n[0].kind, NoticeKind::Dispatched);
        assert_eq!(n[0].departments, ["urban", "police", "market"]);
    }

    #[test]
    fn supervision_reaches_the_working_departments_and_the_grid() {
        let c = case_with(vec![
            dispatch("urban", DispatchRole::Lead),
            dispatch("market", DispatchRole::Copy),
        ]);
        let n = notices(
            &Action::Supervise {
                note: "督办".into(),
            },
            None,
            &c,
            &c,
        );
        assert_eq!(n[0].departments, ["urban"]);
        assert!(n[0].audiences.contains(&Audience::GridWorkers));
        assert!(n[0].audiences.contains(&Audience::AreaCommand));
    }

    #[test]
    fn overdue_acknowledgements_name_the_late_departments() {
        let mut late = dispatch("urban", DispatchRole::Lead);
        late.ack_due = Some(at(3));
        let mut done = dispatch("police", DispatchRole::CoHandler);
        done.ack_due = Some(at(3));
        done.acknowledged_at = Some(at(2));
        let c = case_with(vec![late, done, dispatch("market", DispatchRole::Copy)]);
        assert_eq!(overdue_acknowledgements(&c, at(4)), ["urban"]);
        assert!(overdue_acknowledgements(&c, at(2)).is_empty());
    }

    #[test]
    fn kinds_round_trip() {
        for k in NoticeKind::ALL {
            assert_eq!(NoticeKind::parse(k.as_str()), Some(k));
        }
    }
}
