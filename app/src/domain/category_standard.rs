//! The category standards table (部件事件立案结案标准, after CJ/T 214): per category and
//! subcategory its 部件/事件 code, the filing and closing standards staff read at triage
//! and at verification, the default tier, urgency, the competent department, and time
//! limits per stage that override the tier's defaults. A subcategory inherits what it
//! leaves empty from its category; the tier's clock applies where neither says.

use super::case::Tier;
use serde::{Deserialize, Serialize};

/// 部件 (a public facility: a manhole cover, a street light) or 事件 (an occurrence: street
/// vending, waterlogging), the two halves of CJ/T 214.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Component,
    #[default]
    Event,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Component => "component",
            Kind::Event => "event",
        }
    }

    /// `component`/`event`, or 部件/事件 as a table writes them.
    pub fn parse(s: &str) -> Option<Kind> {
        match s.trim() {
            "component" | "部件" => Some(Kind::Component),
            "event" | "事件" | "" => Some(Kind::Event),
            _ => None,
        }
    }
}

/// Working hours per stage; `None` leaves the stage to the category above or the tier.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StageLimits {
    /// 报到: for a department to acknowledge a dispatch.
    pub ack_hours: Option<u32>,
    /// 处置: from triage to the result (not for key cases: their days are chosen).
    pub handle_hours: Option<u32>,
    /// 核查: for the grid to check a department's result on site.
    pub verify_hours: Option<u32>,
}

impl StageLimits {
    /// Each stage from `self`, else from `above`.
    pub fn or(self, above: StageLimits) -> StageLimits {
        StageLimits {
            ack_hours: self.ack_hours.or(above.ack_hours),
            handle_hours: self.handle_hours.or(above.handle_hours),
            verify_hours: self.verify_hours.or(above.verify_hours),
        }
    }
}

/// The longest limit a stage may have: a working year.
pub const MAX_HOURS: u32 = 2_000;

/// One row of the table: a category (`parent` none) or a subcategory.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CategoryStandard {
    /// The path names it on `PUT /api/v1/categories/{code}`.
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub parent: Option<String>,
    /// The 部件/事件 code: 大类 and 小类, two digits each (`0101`), or empty.
    #[serde(default)]
    pub cj_code: String,
    #[serde(default)]
    pub kind: Kind,
    pub name: String,
    pub name_en: String,
    /// 立案标准: when a report is a case (shown at triage).
    #[serde(default)]
    pub filing_standard: String,
    /// 结案标准: when the problem counts as solved (shown at verification).
    #[serde(default)]
    pub closing_standard: String,
    #[serde(default)]
    pub default_tier: Option<Tier>,
    #[serde(default)]
    pub urgent: bool,
    /// The competent department (知会 on coordination dispatches; proposed as lead).
    #[serde(default)]
    pub copy_department: Option<String>,
    #[serde(default)]
    pub limits: StageLimits,
    /// 办结须附照片: the result must carry a photo of the result in the same step, for a
    /// grid worker and a department alike. `None` on a subcategory follows its category;
    /// a category that says nothing needs none.
    #[serde(default)]
    pub result_photo: Option<bool>,
}

/// What applies to a case of `category` (and `sub`, one of its subcategories): limits,
/// urgency, default tier and the standards' texts, the subcategory's first.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Effective {
    pub limits: StageLimits,
    pub urgent: bool,
    pub default_tier: Option<Tier>,
    pub filing_standard: String,
    pub closing_standard: String,
    /// A result (办结) of such a case carries a photo of the result.
    pub result_photo: bool,
}

pub fn effective(category: &CategoryStandard, sub: Option<&CategoryStandard>) -> Effective {
    let text = |own: Option<&String>, above: &String| {
        own.filter(|t| !t.trim().is_empty())
            .unwrap_or(above)
            .clone()
    };
    Effective {
        limits: sub.map_or(category.limits, |s| s.limits.or(category.limits)),
        urgent: category.urgent || sub.is_some_and(|s| s.urgent),
        default_tier: sub.and_then(|s| s.default_tier).or(category.default_tier),
        filing_standard: text(sub.map(|s| &s.filing_standard), &category.filing_standard),
        closing_standard: text(sub.map(|s| &s.closing_standard), &category.closing_standard),
        result_photo: sub
            .and_then(|s| s.result_photo)
            .or(category.result_photo)
            .unwrap_or(false),
    }
}

/// A category code: lower-case letters, digits, `_`, `-` and `.` (subcategories read
/// `city_order.vending`), at most 40.
pub fn code_ok(code: &str) -> bool {
    (1..=40).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"_-.".contains(&b))
}

/// A 部件/事件 code: empty, or 大类 + 小类 as four digits.
pub fn cj_code_ok(code: &str) -> bool {
    code.is_empty() || (code.len() == 4 && code.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cat(code: &str) -> CategoryStandard {
        CategoryStandard {
            code: code.into(),
            name: code.into(),
            name_en: code.into(),
            ..CategoryStandard::default()
        }
    }

    #[test]
    fn a_subcategory_inherits_what_it_leaves_empty() {
        let parent = CategoryStandard {
            limits: StageLimits {
                ack_hours: Some(4),
                handle_hours: Some(27),
                verify_hours: None,
            },
            filing_standard: "影响通行".into(),
            closing_standard: "恢复原状".into(),
            default_tier: Some(Tier::Coordination),
            ..cat("infrastructure")
        };
        let sub = CategoryStandard {
            parent: Some("infrastructure".into()),
            limits: StageLimits {
                ack_hours: Some(1),
                handle_hours: None,
                verify_hours: Some(2),
            },
            closing_standard: "井盖复位、牢固".into(),
            urgent: true,
            ..cat("infrastructure.manhole")
        };
        let e = effective(&parent, Some(&sub));
        assert_eq!(
            e.limits,
            StageLimits {
                ack_hours: Some(1),
                handle_hours: Some(27),
                verify_hours: Some(2)
            }
        );
        assert!(e.urgent);
        assert_eq!(e.default_tier, Some(Tier::Coordination));
        assert_eq!(
            (e.filing_standard.as_str(), e.closing_standard.as_str()),
            ("影响通行", "井盖复位、牢固")
        );
        assert_eq!(effective(&parent, None).limits.verify_hours, None);
    }

    #[test]
    fn the_result_photo_rule_follows_the_category_unless_the_subcategory_says() {
        let says = |c: Option<bool>, s: Option<bool>| {
            let parent = CategoryStandard {
                result_photo: c,
                ..cat("water")
            };
            let sub = CategoryStandard {
                result_photo: s,
                parent: Some("water".into()),
                ..cat("water.pipe")
            };
            effective(&parent, Some(&sub)).result_photo
        };
        assert!(!says(None, None), "nothing said: no photo needed");
        assert!(says(Some(true), None));
        assert!(!says(Some(true), Some(false)));
        assert!(says(Some(false), Some(true)));
        assert!(!says(Some(false), None));
    }

    #[test]
    fn codes() {
        assert!(code_ok("city_order.vending"));
        assert!(!code_ok("City Order"));
        assert!(!code_ok(""));
        assert!(cj_code_ok("0501") && cj_code_ok(""));
        assert!(!cj_code_ok("05-01"));
        assert_eq!(Kind::parse("部件"), Some(Kind::Component));
        assert_eq!(Kind::parse("其他"), None);
    }
}
