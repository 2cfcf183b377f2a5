//! The work ledger (工作台账): one worker's month, as figures and as the sheets of its
//! spreadsheet (one sheet per section, Chinese headers).

use crate::domain::sheet::{Cell, Sheet};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LedgerCase {
    pub id: i64,
    pub tracking_code: String,
    /// ms since the epoch: reported, resolved or dispatched, by section.
    pub at: i64,
    pub category: String,
    pub grid: String,
    pub description: String,
    pub status: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LedgerVisit {
    pub at: i64,
    pub address: String,
    pub minutes: u32,
    pub notes: String,
    pub needs: String,
    pub case_code: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Ledger {
    pub account_id: i64,
    pub worker: String,
    /// `YYYY-MM`
    pub month: String,
    /// Cases the worker reported (上报).
    pub found: Vec<LedgerCase>,
    /// Cases the worker resolved (办结).
    pub resolved: Vec<LedgerCase>,
    /// Cases the worker's reports led to a dispatch (吹哨) this month.
    pub dispatched: Vec<LedgerCase>,
    pub visits: Vec<LedgerVisit>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LedgerSummary {
    pub found: usize,
    pub resolved: usize,
    pub dispatched: usize,
    pub visits: usize,
    /// Visit time in hours, one decimal.
    pub visit_hours: f64,
}

impl Ledger {
    pub fn summary(&self) -> LedgerSummary {
        let minutes: u32 = self.visits.iter().map(|v| v.minutes).sum();
        LedgerSummary {
            found: self.found.len(),
            resolved: self.resolved.len(),
            dispatched: self.dispatched.len(),
            visits: self.visits.len(),
            visit_hours: (f64::from(minutes) / 6.0).round() / 10.0,
        }
    }

    /// The spreadsheet's sheets; times are shown in `offset` local time.
    pub fn sheets(&self, offset: chrono::FixedOffset) -> Vec<Sheet> {
        let time = |ms: i64| {
            chrono::DateTime::from_timestamp_millis(ms)
                .map(|t| {
                    t.with_timezone(&offset)
                        .format("%Y-%m-%d %H:%M")
                        .to_string()
                })
                .unwrap_or_default()
        };
        let s = self.summary();
        let summary = Sheet {
            name: "汇总".into(),
            headers: vec!["项目".into(), "数量".into()],
            rows: vec![
                vec![Cell::Text("网格员".into()), Cell::Text(self.worker.clone())],
                vec![Cell::Text("月份".into()), Cell::Text(self.month.clone())],
                vec![Cell::Text("上报事件".into()), Cell::Number(s.found as f64)],
                vec![
                    Cell::Text("办结事件".into()),
                    Cell::Number(s.resolved as f64),
                ],
                vec![
                    Cell::Text("吹哨派单".into()),
                    Cell::Number(s.dispatched as f64),
                ],
                vec![Cell::Text("入户走访".into()), Cell::Number(s.visits as f64)],
                vec![
                    Cell::Text("走访时长（小时）".into()),
                    Cell::Number(s.visit_hours),
                ],
            ],
        };
        let cases = |name: &str, when: &str, list: &[LedgerCase]| Sheet {
            name: name.into(),
            headers: ["事件编号", when, "类别", "网格", "描述", "状态"]
                .map(String::from)
                .to_vec(),
            rows: list
                .iter()
                .map(|c| {
                    vec![
                        Cell::Text(c.tracking_code.clone()),
                        Cell::Text(time(c.at)),
                        Cell::Text(c.category.clone()),
                        Cell::Text(c.grid.clone()),
                        Cell::Text(c.description.clone()),
                        Cell::Text(c.status.clone()),
                    ]
                })
                .collect(),
        };
        let visits = Sheet {
            name: "入户走访".into(),
            headers: [
                "走访时间",
                "住户地址",
                "时长（分钟）",
                "走访情况",
                "发现需求",
                "转事件",
            ]
            .map(String::from)
            .to_vec(),
            rows: self
                .visits
                .iter()
                .map(|v| {
                    vec![
                        Cell::Text(time(v.at)),
                        Cell::Text(v.address.clone()),
                        Cell::Number(f64::from(v.minutes)),
                        Cell::Text(v.notes.clone()),
                        Cell::Text(v.needs.clone()),
                        Cell::Text(v.case_code.clone().unwrap_or_default()),
                    ]
                })
                .collect(),
        };
        vec![
            summary,
            cases("上报事件", "上报时间", &self.found),
            cases("办结事件", "办结时间", &self.resolved),
            cases("吹哨派单", "派单时间", &self.dispatched),
            visits,
        ]
    }
}

/// `2026-11` → the month's first day, or None.
pub fn parse_month(s: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(&format!("{}-01", s.trim()), "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_counts_each_section_and_the_hours() {
        let visit = |m| LedgerVisit {
            at: 0,
            address: "1栋101".into(),
            minutes: m,
            notes: String::new(),
            needs: String::new(),
            case_code: None,
        };
        let l = Ledger {
            account_id: 1,
            worker: "王芳".into(),
            month: "2026-11".into(),
            found: vec![],
            resolved: vec![],
            dispatched: vec![],
            visits: vec![visit(30), visit(45), visit(20)],
        };
        let s = l.summary();
        assert_eq!((s.visits, s.visit_hours), (3, 1.6));
        let sheets = l.sheets(chrono::FixedOffset::east_opt(8 * 3600).unwrap());
        let names: Vec<&str> = sheets.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            ["汇总", "上报事件", "办结事件", "吹哨派单", "入户走访"]
        );
        assert_eq!(sheets[4].rows.len(), 3);
        assert_eq!(sheets[4].rows[0][0], Cell::Text("1970-01-01 08:00".into()));
    }

    #[test]
    fn months_parse_strictly() {
        assert_eq!(
            parse_month("2026-11"),
            chrono::NaiveDate::from_ymd_opt(2026, 11, 1)
        );
        assert_eq!(parse_month("2026-13"), None);
        assert_eq!(parse_month("nov"), None);
    }
}
