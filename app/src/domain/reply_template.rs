//! Reply templates (常用回复): the sentences staff write again and again at a step — a
//! triage note, a result, a failed check, an invalid report's note — per step and
//! optionally per category. Staff pick one and edit it; nothing is sent unread.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReplyTemplate {
    pub id: i64,
    /// A category (or subcategory) code; none: every category.
    pub category: Option<String>,
    /// The action it is written for (`resolve`, `verify`, `invalidate` …).
    pub step: String,
    pub text: String,
}

/// The steps that take a note worth a template.
pub const STEPS: [&str; 9] = [
    "triage",
    "invalidate",
    "dispatch",
    "acknowledge",
    "progress",
    "resolve",
    "verify",
    "return",
    "defer",
];

/// The longest template.
pub const TEXT_MAX: usize = 500;

/// The templates a district starts with: (category or "", step, text).
pub const STANDARD_TEMPLATES: [(&str, &str, &str); 14] = [
    ("", "triage", "经核实，情况属实，予以受理。"),
    ("", "invalidate", "经现场核实，未发现所反映的问题。"),
    (
        "",
        "invalidate",
        "该问题不属于本平台受理范围，请向相关单位反映：（请填写单位和联系方式）",
    ),
    (
        "",
        "dispatch",
        "请按时限报到并处置，处置完毕后上传现场照片。",
    ),
    ("", "acknowledge", "已签收，立即安排人员到场处置。"),
    ("", "progress", "已安排人员到场，正在处置中。"),
    ("", "resolve", "已现场处置完毕，附处置后照片。"),
    ("", "verify", "经现场核查，问题已解决，符合结案标准。"),
    (
        "",
        "verify",
        "经现场核查，问题未彻底解决：（请写明未解决之处），请返工。",
    ),
    (
        "",
        "return",
        "该事件不属于本部门职责，建议派往：（请填写部门）",
    ),
    ("", "defer", "需纳入年度计划，待资金落实后实施。"),
    (
        "sanitation",
        "resolve",
        "垃圾已清运完毕，桶（箱）周边已清扫干净。",
    ),
    (
        "city_order",
        "resolve",
        "已劝离流动摊贩，现场恢复通行秩序。",
    ),
    (
        "infrastructure",
        "resolve",
        "设施已修复，现场已设置警示直至完全恢复。",
    ),
];

/// The templates for `step` of a case of `category` (and `sub`): the category's own
/// first, then those for every category.
pub fn for_step<'a>(
    all: &'a [ReplyTemplate],
    step: &str,
    category: &str,
    sub: Option<&str>,
) -> Vec<&'a ReplyTemplate> {
    let own = |t: &&ReplyTemplate| {
        t.category.as_deref() == Some(category) || (sub.is_some() && t.category.as_deref() == sub)
    };
    let mut out: Vec<&ReplyTemplate> = all.iter().filter(|t| t.step == step).filter(own).collect();
    out.extend(
        all.iter()
            .filter(|t| t.step == step && t.category.is_none()),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(id: i64, category: Option<&str>, step: &str) -> ReplyTemplate {
        ReplyTemplate {
            id,
            category: category.map(str::to_owned),
            step: step.into(),
            text: format!("t{id}"),
        }
    }

    #[test]
    fn a_category_s_own_templates_come_first() {
        let all = [
            t(1, None, "resolve"),
            t(2, Some("sanitation"), "resolve"),
            t(3, Some("water"), "resolve"),
            t(4, Some("sanitation.overflow"), "resolve"),
            t(5, None, "verify"),
        ];
        let ids: Vec<i64> = for_step(&all, "resolve", "sanitation", Some("sanitation.overflow"))
            .iter()
            .map(|t| t.id)
            .collect();
        assert_eq!(ids, [2, 4, 1]);
        assert!(
            STANDARD_TEMPLATES
                .iter()
                .all(|(_, step, _)| STEPS.contains(step))
        );
    }
}
