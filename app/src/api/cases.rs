//! Case server functions for the UI. Forms post flat fields; `act_on_case` turns them into
//! the domain's `Action` so that the same rules apply as for the REST API.

use crate::domain::case::view::{CaseDetail, CasePage, ListParams};
use crate::domain::people::Department;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A category for the report form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CategoryOption {
    pub code: String,
    pub name: String,
    pub name_en: String,
}

#[server(prefix = "/api/fn", endpoint = "cases")]
pub async fn list_cases(params: ListParams) -> Result<CasePage, AppError> {
    use crate::ssr::services::cases;
    use crate::ssr::{current_user::require_user, state::app_state};
    super::respond(
        async {
            let state = app_state()?;
            let user = require_user()?;
            // The page pages by 30; what a script may ask for is not its to choose here.
            let params = ListParams {
                per_page: None,
                ..params
            };
            cases::list(&state, &user, params.parse(30)?, state.clock.now()).await
        }
        .await,
    )
}

#[server(prefix = "/api/fn", endpoint = "case")]
pub async fn get_case(id: i64) -> Result<CaseDetail, AppError> {
    use crate::ssr::{current_user::require_user, services::cases, state::app_state};
    super::respond(
        async {
            let state = app_state()?;
            cases::detail(&state, &require_user()?, id, state.clock.now()).await
        }
        .await,
    )
}

/// The fields of every action form; each action reads the ones it needs.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ActionFields {
    pub id: i64,
    pub action: String,
    #[serde(default)]
    pub tier: Option<String>,
    #[serde(default)]
    pub key_days: Option<String>,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub lead: Option<String>,
    #[serde(default)]
    pub co1: Option<String>,
    #[serde(default)]
    pub co2: Option<String>,
    #[serde(default)]
    pub days: Option<String>,
    #[serde(default)]
    pub satisfaction: Option<String>,
    #[serde(default)]
    pub approve: Option<String>,
    #[serde(default)]
    pub into: Option<String>,
    /// A subcategory chosen at triage.
    #[serde(default)]
    pub subcategory: Option<String>,
    /// "on" when the urgent box is ticked at triage.
    #[serde(default)]
    pub urgent: Option<String>,
    /// An invalid report's reason (`InvalidReason`), or "no" on a failed verification.
    #[serde(default)]
    pub reason: Option<String>,
    /// A deferral's review date, YYYY-MM-DD.
    #[serde(default)]
    pub review_on: Option<String>,
    /// "no" for a failed verification.
    #[serde(default)]
    pub passed: Option<String>,
}

impl ActionFields {
    /// The domain action these fields describe, or which field is wrong.
    pub fn to_action(&self) -> Result<crate::domain::case::Action, AppError> {
        use crate::domain::case::{
            Action, DispatchRole, DispatchTarget, InvalidReason, Satisfaction, Tier,
        };
        use crate::i18n::Msg;
        let text = self.text.clone().unwrap_or_default();
        let bad = |f: &str| AppError::validation(f, Msg::ErrBadRequest);
        let opt = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        Ok(match self.action.as_str() {
            "triage" => Action::Triage {
                tier: opt(&self.tier)
                    .and_then(|t| Tier::parse(&t))
                    .ok_or_else(|| bad("tier"))?,
                category: None,
                subcategory: opt(&self.subcategory),
                key_days: opt(&self.key_days)
                    .map(|d| d.parse().map_err(|_| bad("key_days")))
                    .transpose()?,
                urgent: opt(&self.urgent).is_some_and(|u| u == "on" || u == "true"),
                note: text,
            },
            "invalidate" => Action::Invalidate {
                reason: opt(&self.reason)
                    .and_then(|r| InvalidReason::parse(&r))
                    .ok_or_else(|| AppError::validation("reason", Msg::ErrRequired))?,
                note: text,
            },
            "verify" => Action::Verify {
                passed: match opt(&self.passed).as_deref() {
                    Some("yes") => true,
                    Some("no") => false,
                    _ => return Err(AppError::validation("passed", Msg::ErrRequired)),
                },
                note: text,
            },
            "defer" => Action::Defer {
                review_on: opt(&self.review_on)
                    .and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
                    .ok_or_else(|| AppError::validation("review_on", Msg::RefuseReviewDate))?,
                reason: text,
            },
            "approve_deferral" => Action::ApproveDeferral {
                approve: opt(&self.approve).as_deref() != Some("no"),
                note: text,
            },
            "resume" => Action::Resume { note: text },
            "dispatch" => {
                let lead = opt(&self.lead)
                    .ok_or_else(|| AppError::validation("lead", Msg::ErrRequired))?;
                let mut departments = vec![DispatchTarget {
                    department: lead,
                    role: DispatchRole::Lead,
                }];
                for co in [opt(&self.co1), opt(&self.co2)].into_iter().flatten() {
                    departments.push(DispatchTarget {
                        department: co,
                        role: DispatchRole::CoHandler,
                    });
                }
                Action::Dispatch {
                    departments,
                    note: text,
                }
            }
            "acknowledge" => Action::Acknowledge { note: text },
            "return" => Action::Return { reason: text },
            "progress" => Action::Progress { note: text },
            "resolve" => Action::Resolve { result: text },
            "feedback" => Action::Feedback {
                satisfaction: opt(&self.satisfaction)
                    .and_then(|s| Satisfaction::parse(&s))
                    .ok_or_else(|| bad("satisfaction"))?,
                comment: text,
            },
            "escalate" => Action::Escalate { reason: text },
            "request_extension" => Action::RequestExtension {
                days: opt(&self.days)
                    .and_then(|d| d.parse().ok())
                    .ok_or_else(|| bad("days"))?,
                reason: text,
            },
            "approve_extension" => Action::ApproveExtension {
                approve: opt(&self.approve).as_deref() != Some("no"),
                note: text,
            },
            "supervise" => Action::Supervise { note: text },
            "merge" => Action::Merge {
                into: opt(&self.into)
                    .and_then(|i| i.parse().ok())
                    .ok_or_else(|| bad("into"))?,
            },
            "close" => Action::Close { note: text },
            _ => return Err(bad("action")),
        })
    }
}

#[server(prefix = "/api/fn", endpoint = "case_action")]
pub async fn act_on_case(fields: ActionFields) -> Result<CaseDetail, AppError> {
    use crate::ssr::{current_user::require_user, services::cases, state::app_state};
    super::respond(
        async {
            let state = app_state()?;
            let user = require_user()?;
            let action = fields.to_action()?;
            cases::act(&state, &user, fields.id, action, state.clock.now()).await
        }
        .await,
    )
}

#[server(prefix = "/api/fn", endpoint = "new_case")]
pub async fn report_case(
    category: String,
    description: String,
    lat: String,
    lng: String,
) -> Result<i64, AppError> {
    use crate::i18n::Msg;
    use crate::ssr::services::cases::{self, NewCaseInput};
    use crate::ssr::{current_user::require_user, state::app_state};
    super::respond(
        async {
            let state = app_state()?;
            let user = require_user()?;
            let num = |s: &str, f: &str| {
                s.trim()
                    .parse::<f64>()
                    .map_err(|_| AppError::validation(f, Msg::ErrInvalidPoint))
            };
            let input = NewCaseInput {
                category,
                description,
                lat: num(&lat, "lat")?,
                lng: num(&lng, "lng")?,
            };
            let detail = cases::create(&state, &user, input, state.clock.now()).await?;
            leptos_axum::redirect(&format!("/cases/{}", detail.summary.id));
            Ok(detail.summary.id)
        }
        .await,
    )
}

/// Categories and departments for the forms, and where to put the report's pin first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseForms {
    pub categories: Vec<CategoryOption>,
    pub departments: Vec<Department>,
    /// The centre of the user's area, `(lat, lng)`.
    pub centre: Option<(f64, f64)>,
}

#[server(prefix = "/api/fn", endpoint = "case_forms")]
pub async fn get_case_forms() -> Result<CaseForms, AppError> {
    use crate::ssr::{current_user::require_user, state::app_state};
    super::respond(
        async {
            let state = app_state()?;
            let user = require_user()?;
            // The same for everyone with this scope: kept a few seconds (every staff page
            // and the dashboard ask for it).
            let prefix = user.scope.territory_prefix().to_owned();
            let key = format!("forms|{prefix}");
            let forms = |s| async move { case_forms(&s, &prefix).await };
            crate::ssr::figures_cache::cached(&state, key, state.clock.now(), forms).await
        }
        .await,
    )
}

/// Categories, departments and the first grid's centre for a scope (see `get_case_forms`).
#[cfg(feature = "ssr")]
async fn case_forms(
    state: &crate::ssr::state::AppState,
    prefix: &str,
) -> Result<CaseForms, AppError> {
    use crate::ssr::{services, store};
    let categories = services::cases::categories(state)
        .await?
        .into_iter()
        .map(|c| CategoryOption {
            code: c.code,
            name: c.name,
            name_en: c.name_en,
        })
        .collect();
    let departments = store::departments::list(&state.db.pool).await?;
    let grids = store::territory::boundaries(
        &state.db.pool,
        prefix,
        crate::domain::territory::Level::Grid,
    )
    .await?;
    let centre = grids.first().map(|(_, b)| {
        let c = b.centroid();
        (c.lat(), c.lng())
    });
    Ok(CaseForms {
        categories,
        departments,
        centre,
    })
}

/// A consultation form: up to two responsible departments, each with a due date.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ConsultationFields {
    pub id: i64,
    pub held_on: String,
    pub participants: String,
    pub decision: String,
    #[serde(default)]
    pub minutes: Option<String>,
    #[serde(default)]
    pub dept1: Option<String>,
    #[serde(default)]
    pub due1: Option<String>,
    #[serde(default)]
    pub dept2: Option<String>,
    #[serde(default)]
    pub due2: Option<String>,
}

#[server(prefix = "/api/fn", endpoint = "consultation")]
pub async fn record_consultation(form: ConsultationFields) -> Result<CaseDetail, AppError> {
    use crate::domain::case::view::ConsultationDuty;
    use crate::i18n::Msg;
    use crate::ssr::services::cases::{self, ConsultationInput};
    use crate::ssr::{current_user::require_user, state::app_state};
    super::respond(
        async {
            let state = app_state()?;
            let user = require_user()?;
            let date = |field: &str, v: &str| {
                chrono::NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d")
                    .map_err(|_| AppError::validation(field, Msg::ErrBadRequest))
            };
            let held_on = date("held_on", &form.held_on)?;
            let mut duties = Vec::new();
            for (dept, due) in [(&form.dept1, &form.due1), (&form.dept2, &form.due2)] {
                let Some(department) = dept.as_deref().map(str::trim).filter(|d| !d.is_empty())
                else {
                    continue;
                };
                let due_on = match due.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
                    Some(d) => Some(date("due_on", d)?),
                    None => None,
                };
                duties.push(ConsultationDuty {
                    department: department.to_owned(),
                    due_on,
                });
            }
            let input = ConsultationInput {
                held_on,
                participants: form.participants,
                decision: form.decision,
                departments: vec![],
                minutes: form.minutes.unwrap_or_default(),
                duties,
            };
            cases::consult(&state, &user, form.id, input, state.clock.now()).await
        }
        .await,
    )
}
