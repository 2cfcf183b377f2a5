//! Rhythm reports (一月一调度、一季一督查、半年一通报): the figures of an area and period in
//! one document — key figures, three-colour boards, rankings and the red list — for the
//! print page and the XLSX download.

use super::board::Board;
use super::kpi::Kpis;
use super::period::Period;
use super::ranking::Ranking;
use super::sheet::{Cell, Sheet};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RhythmReport {
    pub title: String,
    pub area_name: String,
    pub period: String,
    pub period_label: String,
    pub board: Board,
    pub kpis: Kpis,
    pub workers: Ranking,
    pub departments: Ranking,
    pub areas: Ranking,
    /// The area's deferred cases (缓办), soonest review first.
    #[serde(default)]
    pub deferred: Vec<DeferredItem>,
}

/// A deferred case as the report lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DeferredItem {
    pub id: i64,
    pub tracking_code: String,
    pub category_name: String,
    pub grid_name: String,
    /// YYYY-MM-DD.
    pub review_on: String,
}

/// 月度调度表, 季度督查报告, 半年工作通报, 年度工作通报.
pub fn title(period: Period) -> &'static str {
    match period {
        Period::Month { .. } => "月度调度表",
        Period::Quarter { .. } => "季度督查报告",
        Period::Half { .. } => "半年工作通报",
        Period::Year { .. } => "年度工作通报",
    }
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn num(n: impl Into<f64>) -> Cell {
    Cell::Number(n.into())
}

fn rate(r: Option<f64>) -> Cell {
    r.map_or_else(|| text("无数据"), num)
}

fn headers(h: &[&str]) -> Vec<String> {
    h.iter().map(|s| (*s).to_owned()).collect()
}

fn reason(r: super::case::RedReason) -> &'static str {
    use super::case::RedReason::*;
    match r {
        Overdue => "超期未办结",
        AckOverdue => "部门超时未报到",
        Repeated => "重复投诉",
        Dissatisfied => "群众不满意",
    }
}

fn tier(t: super::case::Tier) -> &'static str {
    use super::case::Tier::*;
    match t {
        Simple => "简易问题",
        Coordination => "需协调问题",
        Key => "重点难点问题",
    }
}

impl RhythmReport {
    /// The workbook: one sheet per part, Chinese headers, numbers as numbers.
    pub fn sheets(&self) -> Vec<Sheet> {
        let k = &self.kpis;
        let b = &self.board;
        let mut summary = vec![
            vec![
                text("报告"),
                text(format!(
                    "{}{}{}",
                    self.area_name, self.period_label, self.title
                )),
            ],
            vec![text("受理"), num(k.received)],
            vec![text("办结"), num(k.completed)],
            vec![text("按期办结"), num(k.on_time)],
            vec![text("办结率（%）"), rate(k.completion_rate)],
            vec![text("按期办结率（%）"), rate(k.on_time_rate)],
            vec![text("满意率（%）"), rate(k.satisfaction_rate)],
            vec![text("立案率（%）"), rate(k.assessment.filing_rate)],
            vec![text("作废数"), num(k.assessment.invalid)],
            vec![text("应结案数"), num(k.assessment.due)],
            vec![text("缓办数"), num(k.assessment.deferred)],
            vec![
                text("按期结案率（%）"),
                rate(k.assessment.closing_on_time_rate),
            ],
            vec![text("返工率（%）"), rate(k.assessment.rework_rate)],
            vec![
                text("及时核查率（%）"),
                rate(k.assessment.verification_on_time_rate),
            ],
            vec![text("延期率（%）"), rate(k.assessment.extension_rate)],
            vec![
                text("紧急事件按期率（%）"),
                rate(k.assessment.urgent_on_time_rate),
            ],
            vec![text("综合指标值"), rate(k.assessment.composite_index.value)],
            vec![text("红色"), num(b.totals.red)],
            vec![text("黄色"), num(b.totals.yellow)],
            vec![text("绿色"), num(b.totals.green)],
        ];
        for h in &k.handling {
            summary.push(vec![
                text(format!("平均办理时长（小时）·{}", tier(h.tier))),
                h.avg_hours.map_or_else(|| text("无数据"), num),
            ]);
        }
        let colour_rows = |rows: Vec<(String, super::board::ColourCounts)>| -> Vec<Vec<Cell>> {
            rows.into_iter()
                .map(|(name, c)| {
                    vec![
                        text(name),
                        num(c.red),
                        num(c.yellow),
                        num(c.green),
                        num(c.total()),
                    ]
                })
                .collect()
        };
        let worker_rows = self
            .workers
            .workers
            .iter()
            .take(10)
            .map(|s| {
                let mut row = vec![
                    num(s.rank as f64),
                    text(s.facts.name.clone()),
                    text(s.facts.grid_name.clone()),
                    num(s.score),
                ];
                row.extend(s.parts.iter().map(|p| num(p.points)));
                row.push(num(s.penalty));
                row
            })
            .collect();
        let unit_rows = |r: &Ranking| -> Vec<Vec<Cell>> {
            r.units
                .iter()
                .map(|s| {
                    let mut row = vec![
                        num(s.rank as f64),
                        text(s.facts.name.clone()),
                        num(s.facts.received),
                        num(s.score),
                    ];
                    row.extend(s.parts.iter().map(|p| rate(p.value)));
                    row.push(num(s.facts.red_open));
                    row
                })
                .collect()
        };
        vec![
            Sheet {
                name: "总览".into(),
                headers: headers(&["指标", "数值"]),
                rows: summary,
            },
            Sheet {
                name: "三色看板·区域".into(),
                headers: headers(&["区域", "红", "黄", "绿", "合计"]),
                rows: colour_rows(b.areas.iter().map(|a| (a.name.clone(), a.counts)).collect()),
            },
            Sheet {
                name: "三色看板·部门".into(),
                headers: headers(&["部门", "红", "黄", "绿", "合计"]),
                rows: colour_rows(
                    b.departments
                        .iter()
                        .map(|d| (d.name.clone(), d.counts))
                        .collect(),
                ),
            },
            Sheet {
                name: "红色预警清单".into(),
                headers: headers(&[
                    "编号",
                    "类别",
                    "网格",
                    "原因",
                    "超期（小时）",
                    "超时未报到（小时）",
                    "督办",
                ]),
                rows: b
                    .red
                    .iter()
                    .map(|r| {
                        vec![
                            text(r.tracking_code.clone()),
                            text(r.category_name.clone()),
                            text(r.grid_name.clone()),
                            text(
                                r.reasons
                                    .iter()
                                    .map(|x| reason(*x))
                                    .collect::<Vec<_>>()
                                    .join("、"),
                            ),
                            r.overdue_hours.map_or_else(|| text(""), num),
                            r.ack_overdue_hours.map_or_else(|| text(""), num),
                            text(if r.supervised { "是" } else { "" }),
                        ]
                    })
                    .collect(),
            },
            Sheet {
                name: "缓办清单".into(),
                headers: headers(&["编号", "类别", "网格", "复查日期"]),
                rows: self
                    .deferred
                    .iter()
                    .map(|d| {
                        vec![
                            text(d.tracking_code.clone()),
                            text(d.category_name.clone()),
                            text(d.grid_name.clone()),
                            text(d.review_on.clone()),
                        ]
                    })
                    .collect(),
            },
            Sheet {
                name: "十佳格格".into(),
                headers: headers(&[
                    "名次",
                    "网格员",
                    "网格",
                    "得分",
                    "发现上报",
                    "自办自结",
                    "按期办结",
                    "满意度",
                    "走访完成",
                    "红色扣分",
                ]),
                rows: worker_rows,
            },
            Sheet {
                name: "部门排名".into(),
                headers: headers(&[
                    "名次",
                    "部门",
                    "受理",
                    "得分",
                    "按时报到率（%）",
                    "按期办结率（%）",
                    "满意度",
                    "红色未办结",
                ]),
                rows: unit_rows(&self.departments),
            },
            Sheet {
                name: "区域排名".into(),
                headers: headers(&[
                    "名次",
                    "区域",
                    "受理",
                    "得分",
                    "办结率（%）",
                    "按期办结率（%）",
                    "满意度",
                    "红色未办结",
                ]),
                rows: unit_rows(&self.areas),
            },
            Sheet {
                name: "民生需求清单".into(),
                headers: headers(&["类别", "分类", "受理", "未办结", "红色"]),
                rows: k
                    .needs
                    .iter()
                    .map(|n| {
                        vec![
                            text(n.category_name.clone()),
                            text(n.tier.map_or("未分类", tier)),
                            num(n.received),
                            num(n.open),
                            num(n.red),
                        ]
                    })
                    .collect(),
            },
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_follow_the_rhythm() {
        assert_eq!(title(Period::parse("2026-11").unwrap()), "月度调度表");
        assert_eq!(title(Period::parse("2026-Q4").unwrap()), "季度督查报告");
        assert_eq!(title(Period::parse("2026-H2").unwrap()), "半年工作通报");
    }
}
