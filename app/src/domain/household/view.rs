//! What the household pages and the API show. Phone and ID numbers appear here only
//! masked; the full value travels in [`Revealed`] alone, after an audited reveal.

use super::VisitState;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TagView {
    pub code: String,
    pub name: String,
    pub name_en: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MemberView {
    pub id: i64,
    pub name: String,
    pub relation: String,
    pub phone_masked: String,
    /// The last four characters only.
    pub id_masked: String,
    pub tags: Vec<TagView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct HouseholdView {
    pub id: i64,
    pub grid_code: String,
    pub grid_name: String,
    pub building: String,
    pub address: String,
    pub members: Vec<MemberView>,
    pub visit_every_days: Option<u32>,
    /// ms since the epoch
    pub last_visit_at: Option<i64>,
    pub visit: VisitState,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct VisitView {
    pub id: i64,
    pub household_id: i64,
    pub visited_at: i64,
    pub worker: String,
    pub minutes: u32,
    pub notes: String,
    pub needs: String,
    /// The photo's file name (served at `/w/photos/{name}` to those who may read the household).
    pub photo: Option<String>,
    pub case_id: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct HouseholdDetail {
    pub household: HouseholdView,
    pub visits: Vec<VisitView>,
    /// Whether this user may reveal full numbers (each reveal is audited).
    pub can_reveal: bool,
    pub can_visit: bool,
}

/// One member's full numbers, for one user, written to the audit log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Revealed {
    pub member_id: i64,
    pub name: String,
    pub phone: Option<String>,
    pub id_number: Option<String>,
}

/// Visits and overdue visits of one grid, for leaders' boards.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct GridVisitCount {
    pub grid_code: String,
    pub grid_name: String,
    pub households: i64,
    /// Households with a visit rule.
    pub with_rule: i64,
    pub overdue: i64,
}

/// Minutes of visits one worker logged in a week.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct WorkerWeek {
    pub account_id: i64,
    pub name: String,
    pub visits: i64,
    pub minutes: i64,
}
