//! Wire types of cases: what the API returns and the UI shows.

use super::colour::ColourVerdict;
use super::types::{DispatchRole, Satisfaction, Source, Status, Tier};
use crate::domain::territory::Level;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A case in a list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CaseSummary {
    pub id: i64,
    pub tracking_code: String,
    pub category: String,
    pub category_name: String,
    pub category_name_en: String,
    pub description: String,
    pub grid_code: String,
    pub grid_name: String,
    pub status: Status,
    pub tier: Option<Tier>,
    pub colour: ColourVerdict,
    pub supervised: bool,
    pub repeat_count: u32,
    pub reported_at: DateTime<Utc>,
    pub deadline: Option<DateTime<Utc>>,
    /// Awaiting triage with an open case of the same category close by (疑似重复): the
    /// centre should merge rather than handle it twice. Set on the inbox's lists only.
    #[serde(default)]
    pub possible_repeat: bool,
    /// 紧急: shorter clocks; marked in every list and on the map.
    #[serde(default)]
    pub urgent: bool,
}

/// One department's part, with its name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DispatchView {
    pub department: String,
    pub department_name: String,
    pub department_name_en: String,
    pub role: DispatchRole,
    pub dispatched_at: DateTime<Utc>,
    pub ack_due: Option<DateTime<Utc>>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub returned_at: Option<DateTime<Utc>>,
    pub withdrawn_at: Option<DateTime<Utc>>,
}

/// One step of the timeline (immutable, in order).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CaseEvent {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub actor_name: String,
    pub actor_role: String,
    pub action: String,
    pub note: String,
    pub data: serde_json::Value,
    /// URLs of the photos taken at this step (re-encoded JPEGs, access-checked).
    #[serde(default)]
    pub photos: Vec<String>,
}

/// A case with everything its page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CaseDetail {
    pub summary: CaseSummary,
    pub source: Source,
    pub lat: f64,
    pub lng: f64,
    pub handling_level: Level,
    pub feedback: Option<Satisfaction>,
    pub extension: String,
    pub merged_into: Option<i64>,
    pub dispatches: Vec<DispatchView>,
    pub timeline: Vec<CaseEvent>,
    /// The actions the current user may take now (names as in `Action::name`).
    pub allowed_actions: Vec<String>,
    /// Open cases of the same category nearby, offered for merge while this one waits for triage.
    pub repeat_candidates: Vec<CaseSummary>,
    pub consultations: Vec<Consultation>,
    /// The user's own step is the latest and has room for photos.
    #[serde(default)]
    pub can_add_photos: bool,
    /// The resident's call-back contact, masked; only for staff of the case's area.
    #[serde(default)]
    pub reporter_contact: Option<ReporterContact>,
    /// The subcategory chosen at triage: (code, name, English name).
    #[serde(default)]
    pub subcategory: Option<(String, String, String)>,
    /// The subcategories of the case's category, offered at triage.
    #[serde(default)]
    pub subcategories: Vec<(String, String, String)>,
    /// 立案标准 and 结案标准 of the case's category (and subcategory), for triage and the
    /// on-site check.
    #[serde(default)]
    pub filing_standard: String,
    /// The tier the standards table gives the case's category (and subcategory).
    #[serde(default)]
    pub default_tier: Option<super::Tier>,
    #[serde(default)]
    pub closing_standard: String,
    /// The result (办结) must carry a photo of the result (the category's standard).
    #[serde(default)]
    pub result_photo_required: bool,
    /// Reply templates (常用回复) for the steps the user may take: (step, text).
    #[serde(default)]
    pub templates: Vec<(String, String)>,
    /// Why the report was declared invalid (不予立案).
    #[serde(default)]
    pub invalid_reason: Option<super::InvalidReason>,
    /// When the on-site check of the department's result is due (待核查).
    #[serde(default)]
    pub verify_due: Option<DateTime<Utc>>,
    /// Results that failed the on-site check (返工).
    #[serde(default)]
    pub rework_count: u32,
    /// A deferral's review date: asked for, or in force while deferred.
    #[serde(default)]
    pub review_on: Option<chrono::NaiveDate>,
    /// What a dispatch now would mean, for the dispatch form (when dispatch is allowed).
    #[serde(default)]
    pub dispatch_preview: Option<DispatchPreview>,
}

/// The dates a dispatch would set, computed from the working calendar before confirming.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DispatchPreview {
    /// The case's deadline (set at triage from its tier).
    pub deadline: Option<DateTime<Utc>>,
    /// When each department must acknowledge (报到) if dispatched now.
    pub ack_due: DateTime<Utc>,
    /// The department copied automatically (知会), with its names.
    pub copy_department: Option<(String, String, String)>,
    /// The lead proposed from the category's competent department (主管类别), if one is
    /// known: the form starts there instead of on the list's first entry.
    pub proposed_lead: Option<String>,
}

/// A resident's contact as staff see it: `张*`, `138****1234`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReporterContact {
    pub name: Option<String>,
    pub phone: Option<String>,
}

/// A consultation (会商) record of a key case.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Consultation {
    pub id: i64,
    pub held_on: chrono::NaiveDate,
    pub participants: String,
    pub decision: String,
    pub departments: Vec<String>,
    /// The minutes (会议纪要), if written.
    #[serde(default)]
    pub minutes: String,
    /// Each responsible department and the date it must finish its part by.
    #[serde(default)]
    pub duties: Vec<ConsultationDuty>,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

/// A responsible department of a consultation's decision and its due date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ConsultationDuty {
    pub department: String,
    #[serde(default)]
    pub due_on: Option<chrono::NaiveDate>,
}

/// One page of a list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CasePage {
    pub cases: Vec<CaseSummary>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// The command centre's inbox (受理台): what waits for the area's command staff.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CommandInbox {
    /// New reports to triage.
    pub to_triage: Vec<CaseSummary>,
    /// Sent back by a department: triage and dispatch again.
    pub returned: Vec<CaseSummary>,
    /// Triaged for departments, not yet dispatched.
    pub to_dispatch: Vec<CaseSummary>,
    /// Open cases whose acknowledgement or deadline runs out within a day (or has).
    pub running_out: Vec<CaseSummary>,
    /// Extension requests waiting for approval.
    pub extension_requests: Vec<CaseSummary>,
}

/// One department's part in a case, for its workspace.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DeskItem {
    pub case: CaseSummary,
    pub role: DispatchRole,
    pub dispatched_at: DateTime<Utc>,
    pub ack_due: Option<DateTime<Utc>>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub returned_at: Option<DateTime<Utc>>,
}

/// A department's workspace (部门工作台).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DepartmentDesk {
    /// Waiting for our 报到, soonest due first.
    pub awaiting_ack: Vec<DeskItem>,
    /// Acknowledged and being handled (as lead or co-handler).
    pub in_hand: Vec<DeskItem>,
    /// Copies for information (知会).
    pub copies: Vec<DeskItem>,
    /// Resolved or returned in the last two weeks.
    pub done: Vec<DeskItem>,
    /// The time the countdowns are measured from.
    pub now: Option<DateTime<Utc>>,
}

/// A case list's query as it arrives, every field text (checked on the server by
/// `ssr::services::cases::list_params`): the same for `GET /api/v1/cases` and `/cases`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "ssr", into_params(parameter_in = Query))]
pub struct ListParams {
    #[cfg_attr(feature = "ssr", param(value_type = Option<super::Colour>))]
    pub colour: Option<String>,
    #[cfg_attr(feature = "ssr", param(value_type = Option<super::Tier>))]
    pub tier: Option<String>,
    #[cfg_attr(feature = "ssr", param(value_type = Option<super::Status>))]
    pub status: Option<String>,
    /// A territory node's code inside the caller's area.
    pub area: Option<String>,
    /// A category's code (its subcategories included).
    pub category: Option<String>,
    /// `YYYY-MM-DD`, district time; `to` is inclusive.
    #[cfg_attr(feature = "ssr", param(value_type = Option<chrono::NaiveDate>))]
    pub from: Option<String>,
    #[cfg_attr(feature = "ssr", param(value_type = Option<chrono::NaiveDate>))]
    pub to: Option<String>,
    #[cfg_attr(feature = "ssr", param(value_type = Option<bool>))]
    pub supervised: Option<String>,
    /// Words in the description, or a whole tracking code (查询码).
    #[cfg_attr(feature = "ssr", param(max_length = 100))]
    pub q: Option<String>,
    /// From 1.
    #[cfg_attr(feature = "ssr", param(value_type = Option<u32>, minimum = 1))]
    pub page: Option<String>,
    /// 1–200, default 50.
    #[cfg_attr(feature = "ssr", param(value_type = Option<u32>, minimum = 1, maximum = 200))]
    pub per_page: Option<String>,
}
