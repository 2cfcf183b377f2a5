//! Residents (码上办): the report a resident files from a grid's QR page, checked at the
//! edge, and what a resident may see of the grid and of their case.

use crate::domain::case::{Colour, Satisfaction, Status};
use crate::domain::geo_point::GeoPoint;
use crate::domain::people::GridMember;
use crate::domain::privacy;
use crate::i18n::Msg;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub const DESCRIPTION_MIN: usize = 5;
pub const DESCRIPTION_MAX: usize = 1000;
pub const NAME_MAX: usize = 30;
pub const COMMENT_MAX: usize = 500;

/// A report as the resident typed it: every field a string, nothing trusted yet. The
/// same struct refills the form after a refusal, so nothing typed is lost.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReportFields {
    pub category: String,
    pub description: String,
    #[serde(default)]
    pub lat: String,
    #[serde(default)]
    pub lng: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub phone: String,
    /// The honeypot: hidden from people, filled in by form-spamming robots.
    #[serde(default)]
    pub website: String,
}

/// A report that passed every check.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidReport {
    pub category: String,
    pub description: String,
    pub point: Option<GeoPoint>,
    pub name: Option<String>,
    pub phone: Option<String>,
}

/// One refused field and why, in the user's language via `Msg`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub msg: Msg,
}

impl ReportFields {
    /// A robot filled the hidden field.
    pub fn is_robot(&self) -> bool {
        !self.website.trim().is_empty()
    }

    /// Every problem at once, so the resident fixes them in one go.
    pub fn validate(
        &self,
        category_exists: impl Fn(&str) -> bool,
    ) -> Result<ValidReport, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut fail = |field: &str, msg: Msg| {
            errors.push(FieldError {
                field: field.to_owned(),
                msg,
            })
        };
        let category = self.category.trim();
        if category.is_empty() {
            fail("category", Msg::ErrChooseCategory);
        } else if !category_exists(category) {
            fail("category", Msg::ErrUnknownCategory);
        }
        let description = self.description.trim();
        let len = description.chars().count();
        if len == 0 {
            fail("description", Msg::ErrRequired);
        } else if len < DESCRIPTION_MIN {
            fail("description", Msg::ErrDescriptionShort);
        } else if len > DESCRIPTION_MAX {
            fail("description", Msg::ErrTooLong);
        }
        let point = match (self.lat.trim(), self.lng.trim()) {
            ("", "") => None,
            (lat, lng) => match (lat.parse::<f64>(), lng.parse::<f64>()) {
                (Ok(a), Ok(b)) => match GeoPoint::parse(a, b) {
                    Ok(p) => Some(p),
                    Err(_) => {
                        fail("lat", Msg::ErrInvalidPoint);
                        None
                    }
                },
                _ => {
                    fail("lat", Msg::ErrInvalidPoint);
                    None
                }
            },
        };
        let name = self.name.trim();
        if name.chars().count() > NAME_MAX {
            fail("name", Msg::ErrTooLong);
        }
        let phone = match self.phone.trim() {
            "" => None,
            p => match privacy::parse_phone(p) {
                Ok(p) => Some(p),
                Err(_) => {
                    fail("phone", Msg::ErrPhone);
                    None
                }
            },
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ValidReport {
            category: category.to_owned(),
            description: description.to_owned(),
            point,
            name: (!name.is_empty()).then(|| name.to_owned()),
            phone,
        })
    }
}

impl ValidReport {
    /// The normalised content, for idempotency: the same report sent twice has the same
    /// text whatever spaces or number formats the retry carried.
    pub fn canonical(&self, grid: &str) -> String {
        serde_json::json!({
            "grid": grid,
            "category": self.category,
            "description": self.description,
            "point": self.point.map(|p| [p.lat(), p.lng()]),
            "name": self.name,
            "phone": self.phone,
        })
        .to_string()
    }
}

/// The public card of a grid (网格员公示) on its QR page and poster.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct GridCard {
    pub grid_code: String,
    pub grid_name: String,
    pub community_name: String,
    pub street_name: String,
    pub district_name: String,
    pub members: Vec<GridMember>,
    /// Cases of this grid resolved since the first of this month (Asia/Shanghai).
    pub resolved_this_month: i64,
    pub open_now: i64,
}

/// A category as the report form offers it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CategoryChoice {
    pub code: String,
    pub name: String,
    pub name_en: String,
}

/// What a resident gets back for a stored report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReportReceipt {
    pub tracking_code: String,
    /// The reporter's own tracking link, `/t/{tracking_code}?k={feedback_token}`: it opens
    /// the case and lets its holder rate the result.
    pub url: String,
    /// The secret that rates the case (`POST /api/v1/public/reports/{code}/feedback`).
    /// Given only here: staff, webhooks and logs see the tracking code, never this.
    pub feedback_token: String,
}

/// A case as its reporter may see it: no staff names, no other resident's data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PublicCase {
    pub tracking_code: String,
    pub category_name: String,
    pub category_name_en: String,
    pub description: String,
    pub grid_name: String,
    pub status: Status,
    pub colour: Colour,
    pub reported_at: DateTime<Utc>,
    pub deadline: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub feedback: Option<Satisfaction>,
    /// Resolved and waiting for the reporter's rating.
    pub can_rate: bool,
    pub steps: Vec<PublicStep>,
}

impl PublicCase {
    /// How the case is going, in the words a resident uses: never a colour name.
    pub fn progress(&self) -> Msg {
        progress(self.status, self.colour)
    }
}

/// How a case is going, as a resident is told it: on time, overdue and being chased,
/// waiting for their rating, done — the board's colour put in plain words.
pub fn progress(
    status: crate::domain::case::Status,
    colour: crate::domain::case::types::Colour,
) -> Msg {
    use crate::domain::case::Status;
    use crate::domain::case::types::Colour;
    match status {
        Status::Closed => Msg::ProgressDone,
        Status::Resolved => Msg::ProgressAwaitingRating,
        Status::Merged => Msg::ProgressMerged,
        Status::Invalid => Msg::ProgressInvalid,
        Status::Verifying => Msg::ProgressVerifying,
        Status::Deferred => Msg::ProgressDeferred,
        Status::Reported | Status::Returned => match colour {
            Colour::Red => Msg::ProgressOverdue,
            _ => Msg::ProgressReceived,
        },
        _ => match colour {
            Colour::Red => Msg::ProgressOverdue,
            _ => Msg::ProgressOnTime,
        },
    }
}

/// One step of the public timeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PublicStep {
    pub at: DateTime<Utc>,
    /// The event's action name (`report`, `triage`, `dispatch`, `resolve`…).
    pub action: String,
    /// Who acted, as a unit: a department or a territory node, never a person.
    pub unit: String,
    pub unit_en: String,
    /// Text meant for the resident: the result, their own comment, department names.
    pub text: String,
    /// What the step means for the resident, in a sentence (empty for steps without one).
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub message_en: String,
    pub photos: Vec<String>,
}

/// What a public step tells the resident: `action` is the event's name, `data` its
/// recorded facts (a verification's outcome, an invalid report's reason, whether a
/// department's result waits for the on-site check). Written for residents: no names.
pub fn step_message(action: &str, data: &serde_json::Value) -> Option<Msg> {
    use crate::domain::case::InvalidReason;
    Some(match action {
        "report" => Msg::SaysReport,
        "triage" => Msg::SaysTriage,
        "dispatch" => Msg::SaysDispatch,
        "acknowledge" => Msg::SaysAcknowledge,
        "resolve" if data["status"] == "verifying" => Msg::SaysResolveVerify,
        "resolve" if data["status"] == "resolved" => Msg::SaysResolve,
        "verify" if data["passed"] == true => Msg::SaysVerifyPassed,
        "verify" => Msg::SaysVerifyFailed,
        "approve_deferral" => Msg::SaysDeferred,
        "resume" => Msg::SaysResumed,
        "invalidate" => match data["reason"].as_str().and_then(InvalidReason::parse)? {
            InvalidReason::Duplicate => Msg::SaysDuplicate,
            InvalidReason::NotOurRemit => Msg::SaysNotOurRemit,
            InvalidReason::NotAProblem => Msg::SaysNotAProblem,
            InvalidReason::CannotLocate => Msg::SaysCannotLocate,
            InvalidReason::Malicious => Msg::SaysMalicious,
        },
        _ => return None,
    })
}

/// The reporter's rating from the tracking page.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FeedbackFields {
    pub satisfaction: String,
    #[serde(default)]
    pub comment: String,
    /// The case's feedback token, from the reporter's receipt or tracking link.
    #[serde(default)]
    pub token: String,
}

impl FeedbackFields {
    pub fn validate(&self) -> Result<(Satisfaction, String), FieldError> {
        let s = Satisfaction::parse(self.satisfaction.trim()).ok_or(FieldError {
            field: "satisfaction".into(),
            msg: Msg::ErrChooseSatisfaction,
        })?;
        let comment = self.comment.trim();
        if comment.chars().count() > COMMENT_MAX {
            return Err(FieldError {
                field: "comment".into(),
                msg: Msg::ErrTooLong,
            });
        }
        Ok((s, comment.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn residents_hear_progress_in_words_not_colours() {
        use crate::domain::case::Status;
        use crate::domain::case::types::Colour;
        let cases = [
            (Status::Reported, Colour::Yellow, Msg::ProgressReceived),
            (Status::Handling, Colour::Yellow, Msg::ProgressOnTime),
            (Status::Dispatched, Colour::Red, Msg::ProgressOverdue),
            (Status::Reported, Colour::Red, Msg::ProgressOverdue),
            (
                Status::Resolved,
                Colour::Yellow,
                Msg::ProgressAwaitingRating,
            ),
            (Status::Closed, Colour::Green, Msg::ProgressDone),
            (Status::Merged, Colour::Green, Msg::ProgressMerged),
            (Status::Invalid, Colour::Green, Msg::ProgressInvalid),
            (Status::Verifying, Colour::Yellow, Msg::ProgressVerifying),
            (Status::Deferred, Colour::Yellow, Msg::ProgressDeferred),
        ];
        for (status, colour, said) in cases {
            assert_eq!(progress(status, colour), said, "{status:?} {colour:?}");
            for word in ["红", "黄", "绿"] {
                assert!(!said.zh().contains(word), "{said:?}");
            }
            for word in ["red", "yellow", "green"] {
                assert!(!said.en().to_lowercase().contains(word), "{said:?}");
            }
        }
    }
    fn fields() -> ReportFields {
        ReportFields {
            category: "sanitation".into(),
            description: "  小区门口垃圾堆积三天无人清运 ".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_plain_report_passes_trimmed() {
        let v = fields().validate(|c| c == "sanitation").unwrap();
        assert_eq!(v.description, "小区门口垃圾堆积三天无人清运");
        assert_eq!((v.point, v.name, v.phone), (None, None, None));
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let f = ReportFields {
            category: "nope".into(),
            description: "脏".into(),
            lat: "91".into(),
            lng: "116".into(),
            phone: "12345".into(),
            name: "名".repeat(31),
            website: String::new(),
        };
        let errs = f.validate(|c| c == "sanitation").unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["category", "description", "lat", "name", "phone"]);
        assert_eq!(errs[1].msg, Msg::ErrDescriptionShort);
    }

    #[test]
    fn the_canonical_form_ignores_formatting() {
        let mut a = fields();
        a.phone = "138 1234 1234".into();
        let mut b = fields();
        b.description = "小区门口垃圾堆积三天无人清运".into();
        b.phone = "+86 13812341234".into();
        let ok = |f: &ReportFields| f.validate(|_| true).unwrap().canonical("g");
        assert_eq!(ok(&a), ok(&b));
        b.category = "fire".into();
        assert_ne!(ok(&a), ok(&b));
    }

    #[test]
    fn robots_fill_the_honeypot() {
        let mut f = fields();
        assert!(!f.is_robot());
        f.website = "http://spam".into();
        assert!(f.is_robot());
    }

    #[test]
    fn feedback_needs_a_choice() {
        let f = FeedbackFields {
            satisfaction: "dissatisfied".into(),
            comment: " 没修好 ".into(),
            ..Default::default()
        };
        assert_eq!(
            f.validate().unwrap(),
            (Satisfaction::Dissatisfied, "没修好".to_owned())
        );
        assert_eq!(
            FeedbackFields::default().validate().unwrap_err().msg,
            Msg::ErrChooseSatisfaction
        );
    }
}
