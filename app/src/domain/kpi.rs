//! Key figures (KPIs) of an area and a time range, and the formulas behind them.
//!
//! Of the cases *reported* in `[from, to)` (merged reports left out):
//! - received (受理量): their number;
//! - completion rate (办结率) = resolved or closed ÷ received;
//! - on-time rate (按期办结率) = of those completed, resolved no later than their deadline
//!   (a case completed without a clock, e.g. closed at triage, counts as on time) ÷ completed;
//! - satisfaction rate (满意率) = (satisfied + basically satisfied + closed without a rating,
//!   which counts as satisfied, 逾期未评价视为满意) ÷ (all rated + closed without a rating);
//! - average handling time per tier = mean of (resolved − reported), wall-clock hours.
//!
//! Trends count received cases by the day they were reported and completed ones by the
//! day they were resolved, then add days up into ISO weeks and calendar months.
//! Rates are percentages with one decimal; `None` when nothing is there to divide by.

use super::case::Tier;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// What the server counted; `Kpis::from_facts` applies the formulas.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KpiFacts {
    pub received: u32,
    pub completed: u32,
    pub on_time: u32,
    pub satisfied: u32,
    pub basically: u32,
    pub dissatisfied: u32,
    pub closed_unrated: u32,
    pub tiers: Vec<TierFacts>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TierFacts {
    pub tier: Tier,
    pub completed: u32,
    pub handling_ms: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TierHandling {
    pub tier: Tier,
    pub completed: u32,
    pub avg_hours: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TrendPoint {
    /// `2026-W47` or `2026-11` (the key scripts read).
    pub label: String,
    /// How Chinese pages say it: `11月第4周` (the month of the week's Monday, and which
    /// Monday of that month), `2026年11月`.
    #[serde(default)]
    pub label_zh: String,
    pub received: u32,
    pub completed: u32,
}

/// One cell row of the problem portrait: a child area and its count per category.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PortraitRow {
    pub code: String,
    pub name: String,
    pub counts: Vec<u32>,
}

/// 问题画像: categories × child areas, counts of cases received.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Portrait {
    /// Category codes and names, columns in this order.
    pub categories: Vec<(String, String)>,
    pub rows: Vec<PortraitRow>,
    pub max: u32,
}

/// 民生需求清单: one line per category and tier (urgency), most urgent first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Need {
    pub category: String,
    pub category_name: String,
    pub tier: Option<Tier>,
    pub received: u32,
    pub open: u32,
    pub red: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Kpis {
    pub area_code: String,
    pub area_name: String,
    /// ISO dates of the first day and the day after the last (district time).
    pub from: String,
    pub to: String,
    pub received: u32,
    pub completed: u32,
    pub on_time: u32,
    pub completion_rate: Option<f64>,
    pub on_time_rate: Option<f64>,
    pub satisfaction_rate: Option<f64>,
    pub handling: Vec<TierHandling>,
    pub weekly: Vec<TrendPoint>,
    pub monthly: Vec<TrendPoint>,
    pub portrait: Portrait,
    pub needs: Vec<Need>,
    /// The 数字城管 assessment of the same reports (立案率, 返工率, 综合指标值 …).
    #[serde(flatten)]
    pub assessment: crate::domain::assessment::Assessment,
}

pub fn rate(part: u32, whole: u32) -> Option<f64> {
    (whole > 0).then(|| (f64::from(part) / f64::from(whole) * 1000.0).round() / 10.0)
}

/// The rates and averages of `facts`.
pub fn figures(facts: &KpiFacts) -> (Option<f64>, Option<f64>, Option<f64>, Vec<TierHandling>) {
    let pleased = facts.satisfied + facts.basically + facts.closed_unrated;
    let judged = pleased + facts.dissatisfied;
    let handling = Tier::ALL
        .iter()
        .map(|&tier| {
            let t = facts.tiers.iter().find(|t| t.tier == tier);
            let completed = t.map_or(0, |t| t.completed);
            TierHandling {
                tier,
                completed,
                avg_hours: t.filter(|t| t.completed > 0).map(|t| {
                    let h = t.handling_ms as f64 / f64::from(t.completed) / 3_600_000.0;
                    (h * 10.0).round() / 10.0
                }),
            }
        })
        .collect();
    (
        rate(facts.completed, facts.received),
        rate(facts.on_time, facts.completed),
        rate(pleased, judged),
        handling,
    )
}

/// Days (received, completed) added up into ISO weeks and months, in date order.
pub fn trends(days: &[(NaiveDate, u32, u32)]) -> (Vec<TrendPoint>, Vec<TrendPoint>) {
    let mut sorted: Vec<_> = days.to_vec();
    sorted.sort_by_key(|d| d.0);
    let bucket = |key: &dyn Fn(NaiveDate) -> (String, String)| {
        let mut out: Vec<TrendPoint> = Vec::new();
        for (day, r, c) in &sorted {
            let (label, label_zh) = key(*day);
            match out.last_mut() {
                Some(p) if p.label == label => {
                    p.received += r;
                    p.completed += c;
                }
                _ => out.push(TrendPoint {
                    label,
                    label_zh,
                    received: *r,
                    completed: *c,
                }),
            }
        }
        out
    };
    let weekly = bucket(&|d| {
        let w = d.iso_week();
        let monday = d - chrono::Duration::days(i64::from(d.weekday().num_days_from_monday()));
        (
            format!("{}-W{:02}", w.year(), w.week()),
            format!("{}月第{}周", monday.month(), (monday.day() - 1) / 7 + 1),
        )
    });
    let monthly = bucket(&|d| {
        (
            format!("{}-{:02}", d.year(), d.month()),
            format!("{}年{}月", d.year(), d.month()),
        )
    });
    (weekly, monthly)
}

/// Urgency order of the needs list: red first, then key > coordination > simple > not
/// triaged, then most received, then category code (a stable order).
pub fn sort_needs(needs: &mut [Need]) {
    let tier_rank = |t: Option<Tier>| match t {
        Some(Tier::Key) => 0,
        Some(Tier::Coordination) => 1,
        Some(Tier::Simple) => 2,
        None => 3,
    };
    needs.sort_by(|a, b| {
        b.red
            .cmp(&a.red)
            .then(tier_rank(a.tier).cmp(&tier_rank(b.tier)))
            .then(b.received.cmp(&a.received))
            .then(a.category.cmp(&b.category))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_formulas_on_a_hand_counted_example() {
        let facts = KpiFacts {
            received: 8,
            completed: 6,
            on_time: 5,
            satisfied: 3,
            basically: 1,
            dissatisfied: 1,
            closed_unrated: 1,
            tiers: vec![
                TierFacts {
                    tier: Tier::Simple,
                    completed: 4,
                    handling_ms: 4 * 3_600_000,
                },
                TierFacts {
                    tier: Tier::Coordination,
                    completed: 2,
                    handling_ms: 2 * 50 * 3_600_000,
                },
            ],
        };
        let (completion, on_time, satisfaction, handling) = figures(&facts);
        assert_eq!(completion, Some(75.0));
        assert_eq!(on_time, Some(83.3));
        // (3 + 1 + 1) / 6
        assert_eq!(satisfaction, Some(83.3));
        assert_eq!(handling[0].avg_hours, Some(1.0));
        assert_eq!(handling[1].avg_hours, Some(50.0));
        assert_eq!(handling[2].avg_hours, None);
    }

    #[test]
    fn nothing_to_divide_gives_no_rate() {
        let (c, o, s, _) = figures(&KpiFacts::default());
        assert_eq!((c, o, s), (None, None, None));
    }

    #[test]
    fn days_add_up_into_iso_weeks_and_months() {
        let d = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        // 2026-11-29 is a Sunday (week 48), 11-30 a Monday (week 49), 12-01 week 49.
        let days = [(d(12, 1), 1, 0), (d(11, 29), 2, 1), (d(11, 30), 3, 2)];
        let (weekly, monthly) = trends(&days);
        let w: Vec<_> = weekly
            .iter()
            .map(|p| (p.label.as_str(), p.received))
            .collect();
        assert_eq!(w, [("2026-W48", 2), ("2026-W49", 4)]);
        // Chinese pages: the 23rd is the fourth Monday of November, the 30th the fifth.
        let zh: Vec<_> = weekly.iter().map(|p| p.label_zh.as_str()).collect();
        assert_eq!(zh, ["11月第4周", "11月第5周"]);
        assert_eq!(monthly[1].label_zh, "2026年12月");
        let m: Vec<_> = monthly
            .iter()
            .map(|p| (p.label.as_str(), p.received, p.completed))
            .collect();
        assert_eq!(m, [("2026-11", 5, 3), ("2026-12", 1, 0)]);
    }

    #[test]
    fn needs_most_urgent_first() {
        let need = |c: &str, tier, received, red| Need {
            category: c.into(),
            category_name: c.into(),
            tier,
            received,
            open: 0,
            red,
        };
        let mut v = vec![
            need("a", Some(Tier::Simple), 9, 0),
            need("b", Some(Tier::Key), 1, 0),
            need("c", None, 1, 2),
        ];
        sort_needs(&mut v);
        let order: Vec<_> = v.iter().map(|n| n.category.as_str()).collect();
        assert_eq!(order, ["c", "b", "a"]);
    }
}
