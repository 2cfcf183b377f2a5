//! A ranking as a sheet (the rankings page's 导出 XLSX): every worker, department or area
//! with its score, each part's value and points, and the figures shown beside the score.
//! An empty period is a sheet that says so, never zeros ranked.

use super::units::UnitPart;
use super::{Part, Ranking, RankingKind};
use crate::domain::sheet::{Cell, Sheet};

fn num(x: f64) -> Cell {
    Cell::Number(x)
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn value(v: Option<f64>) -> Cell {
    v.map_or_else(|| text("无数据"), num)
}

fn part_name(p: Part) -> &'static str {
    match p {
        Part::Found => "发现上报",
        Part::SelfClosed => "自办自结",
        Part::OnTime => "按期办结",
        Part::Satisfaction => "满意度",
        Part::Visits => "走访完成",
    }
}

fn unit_part_name(p: UnitPart) -> &'static str {
    match p {
        UnitPart::AckOnTime => "按时报到率",
        UnitPart::Completion => "办结率",
        UnitPart::OnTime => "按期办结率",
        UnitPart::Satisfaction => "满意度",
    }
}

/// The sheet's name: what is ranked.
fn title(kind: RankingKind) -> &'static str {
    match kind {
        RankingKind::Worker => "十佳格格",
        RankingKind::Department => "部门排名",
        RankingKind::Area => "区域排名",
    }
}

pub fn sheet(r: &Ranking) -> Sheet {
    if r.empty {
        return Sheet {
            name: title(r.kind).into(),
            headers: vec![format!("{} {}", r.area_name, r.period_label)],
            rows: vec![vec![text("本期暂无数据")]],
        };
    }
    match r.kind {
        RankingKind::Worker => workers(r),
        RankingKind::Department | RankingKind::Area => units(r),
    }
}

fn workers(r: &Ranking) -> Sheet {
    let mut headers: Vec<String> = ["名次", "网格员", "网格", "得分"]
        .map(String::from)
        .to_vec();
    for p in [
        Part::Found,
        Part::SelfClosed,
        Part::OnTime,
        Part::Satisfaction,
        Part::Visits,
    ] {
        headers.push(format!("{}（值）", part_name(p)));
        headers.push(format!("{}（得分）", part_name(p)));
    }
    headers.extend(["红色扣分", "核查", "及时核查", "被作废"].map(String::from));
    let rows = r
        .workers
        .iter()
        .map(|s| {
            let mut row = vec![
                num(s.rank as f64),
                text(s.facts.name.clone()),
                text(s.facts.grid_name.clone()),
                num(s.score),
            ];
            for p in &s.parts {
                row.push(value(p.value));
                row.push(num(p.points));
            }
            row.extend([
                num(s.penalty),
                num(f64::from(s.facts.checks)),
                num(f64::from(s.facts.checks_on_time)),
                num(f64::from(s.facts.invalid_reports)),
            ]);
            row
        })
        .collect();
    Sheet {
        name: title(r.kind).into(),
        headers,
        rows,
    }
}

fn units(r: &Ranking) -> Sheet {
    let first = match r.kind {
        RankingKind::Department => UnitPart::AckOnTime,
        _ => UnitPart::Completion,
    };
    let who = if r.kind == RankingKind::Department {
        "部门"
    } else {
        "区域"
    };
    let mut headers: Vec<String> = vec!["名次".into(), who.into(), "受理".into(), "得分".into()];
    for p in [first, UnitPart::OnTime, UnitPart::Satisfaction] {
        headers.push(format!("{}（%）", unit_part_name(p)));
    }
    headers.extend(["红色未办结", "返工率（%）", "及时核查率（%）"].map(String::from));
    let rows = r
        .units
        .iter()
        .map(|s| {
            let rank = if s.ranked {
                num(s.rank as f64)
            } else {
                text(format!("不足{}件，不排名", r.min_cases))
            };
            let mut row = vec![
                rank,
                text(s.facts.name.clone()),
                num(f64::from(s.facts.received)),
                num(s.score),
            ];
            row.extend(s.parts.iter().map(|p| value(p.value)));
            row.extend([
                num(f64::from(s.facts.red_open)),
                value(s.facts.rework_rate()),
                value(s.facts.verification_on_time_rate()),
            ]);
            row
        })
        .collect();
    Sheet {
        name: title(r.kind).into(),
        headers,
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn empty(kind: RankingKind) -> Ranking {
        Ranking {
            kind,
            area_code: "360199".into(),
            area_name: "青湾区".into(),
            period: "2026-12".into(),
            period_label: "2026年12月".into(),
            weights: Default::default(),
            workers: vec![],
            units: vec![],
            empty: true,
            periods: vec![],
            min_cases: 5,
        }
    }

    #[test]
    fn an_empty_period_says_so_instead_of_ranking() {
        let s = sheet(&empty(RankingKind::Worker));
        assert_eq!(s.rows, vec![vec![text("本期暂无数据")]]);
        assert_eq!(s.name, "十佳格格");
    }

    #[test]
    fn units_below_the_minimum_say_why_they_are_not_ranked() {
        let mut r = empty(RankingKind::Department);
        r.empty = false;
        r.units.push(super::super::units::UnitScore {
            rank: 0,
            ranked: false,
            facts: Default::default(),
            parts: vec![],
            score: 0.0,
        });
        let s = sheet(&r);
        assert_eq!(s.headers[1], "部门");
        assert_eq!(s.rows[0][0], text("不足5件，不排名"));
    }
}
