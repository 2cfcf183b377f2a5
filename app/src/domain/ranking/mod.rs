//! Rankings (排名, 十佳格格): explainable, reproducible scores of grid workers.
//!
//! A worker's score for a period is a weighted mean of five parts, each 0–100, minus a
//! penalty for red cases:
//!
//! | part | from | 100 means |
//! |---|---|---|
//! | found (发现上报) | cases the worker reported | `found_target` or more |
//! | self-closed (自办自结) | simple cases the worker resolved within their clock | `self_closed_target` or more |
//! | on time (按期办结率) | cases of the worker's grid resolved in the period: share on time | all on time |
//! | satisfaction (满意率) | ratings of those cases: satisfied 100, basically 60, dissatisfied 0; ratings recorded by staff count half as much as residents' own | all satisfied |
//! | visits (走访完成率) | visits done ÷ visits due in the period | all done |
//!
//! A part without data (no case resolved, no rating, no visit due) is left out and the
//! weights of the others are scaled up, so that nobody gains or loses for what did not
//! happen; the part is shown as "no data". Red cases of the grid open at the end of the
//! period cost `red_penalty` points each, at most `red_penalty_cap`. Scores are rounded to
//! one decimal. Ties break by on-time part, then cases found, then the lower account id —
//! the same inputs always give the same order.

use serde::{Deserialize, Serialize};

pub mod sheet;
pub mod units;

/// What a worker did in the period, counted by the server.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct WorkerFacts {
    pub account_id: i64,
    pub name: String,
    pub grid_name: String,
    pub found: u32,
    pub self_closed_in_time: u32,
    pub resolved: u32,
    pub resolved_on_time: u32,
    pub resident_ratings: Ratings,
    pub staff_ratings: Ratings,
    pub visits_done: u32,
    pub visits_due: u32,
    pub red_open: u32,
    /// Shown beside the score, not scored: the worker's reports declared invalid (作废), and
    /// the on-site checks they made (核查) with those in time.
    #[serde(default)]
    pub invalid_reports: u32,
    #[serde(default)]
    pub checks: u32,
    #[serde(default)]
    pub checks_on_time: u32,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Ratings {
    pub satisfied: u32,
    pub basically: u32,
    pub dissatisfied: u32,
}

impl Ratings {
    pub fn count(self) -> u32 {
        self.satisfied + self.basically + self.dissatisfied
    }

    pub fn points(self) -> f64 {
        f64::from(self.satisfied) * 100.0 + f64::from(self.basically) * 60.0
    }
}

/// The satisfaction part (0–100) of residents' own ratings and of those staff recorded
/// (回访), which count `staff_weight` each; `None` without any rating.
pub fn satisfaction(resident: Ratings, staff: Ratings, staff_weight: f64) -> Option<f64> {
    let count = f64::from(resident.count()) + f64::from(staff.count()) * staff_weight;
    (count > 0.0).then(|| (resident.points() + staff.points() * staff_weight) / count)
}

/// The configurable weights and targets (defaults documented above).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Weights {
    pub found: f64,
    pub self_closed: f64,
    pub on_time: f64,
    pub satisfaction: f64,
    pub visits: f64,
    pub found_target: u32,
    pub self_closed_target: u32,
    pub red_penalty: f64,
    pub red_penalty_cap: f64,
    /// How much one rating recorded by staff counts against one by the resident.
    pub staff_rating_weight: f64,
}

impl Default for Weights {
    fn default() -> Weights {
        Weights {
            found: 20.0,
            self_closed: 15.0,
            on_time: 25.0,
            satisfaction: 20.0,
            visits: 20.0,
            found_target: 10,
            self_closed_target: 5,
            red_penalty: 5.0,
            red_penalty_cap: 30.0,
            staff_rating_weight: 0.5,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Part {
    Found,
    SelfClosed,
    OnTime,
    Satisfaction,
    Visits,
}

/// One part of a score: its value (None: no data), its weight after scaling, and the points
/// it brought.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ScorePart {
    pub part: Part,
    pub value: Option<f64>,
    pub weight: f64,
    pub points: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct WorkerScore {
    pub rank: usize,
    pub facts: WorkerFacts,
    pub parts: Vec<ScorePart>,
    pub penalty: f64,
    pub score: f64,
}

pub(crate) fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn capped(n: u32, target: u32) -> f64 {
    if target == 0 {
        100.0
    } else {
        (f64::from(n) / f64::from(target)).min(1.0) * 100.0
    }
}

/// One worker's score with its parts.
pub fn score(f: &WorkerFacts, w: &Weights) -> (Vec<ScorePart>, f64, f64) {
    let satisfaction = satisfaction(f.resident_ratings, f.staff_ratings, w.staff_rating_weight);
    let raw = [
        (Part::Found, Some(capped(f.found, w.found_target)), w.found),
        (
            Part::SelfClosed,
            Some(capped(f.self_closed_in_time, w.self_closed_target)),
            w.self_closed,
        ),
        (
            Part::OnTime,
            (f.resolved > 0).then(|| f64::from(f.resolved_on_time) / f64::from(f.resolved) * 100.0),
            w.on_time,
        ),
        (Part::Satisfaction, satisfaction, w.satisfaction),
        (
            Part::Visits,
            (f.visits_due > 0)
                .then(|| (f64::from(f.visits_done) / f64::from(f.visits_due)).min(1.0) * 100.0),
            w.visits,
        ),
    ];
    let total_weight: f64 = raw
        .iter()
        .filter(|(_, v, _)| v.is_some())
        .map(|(_, _, w)| w)
        .sum();
    let parts: Vec<ScorePart> = raw
        .iter()
        .map(|(part, value, weight)| {
            let scaled = match value {
                Some(_) if total_weight > 0.0 => weight / total_weight * 100.0,
                _ => 0.0,
            };
            let points = value.map_or(0.0, |v| v * scaled / 100.0);
            ScorePart {
                part: *part,
                value: value.map(round1),
                weight: round1(scaled),
                points: round1(points),
            }
        })
        .collect();
    let sum: f64 = raw
        .iter()
        .filter_map(|(_, v, weight)| v.map(|v| v * weight))
        .sum::<f64>()
        / total_weight.max(f64::MIN_POSITIVE);
    let penalty = (f64::from(f.red_open) * w.red_penalty).min(w.red_penalty_cap);
    (parts, round1(penalty), round1((sum - penalty).max(0.0)))
}

/// All workers ranked, best first (ties: on-time part, then cases found, then account id).
pub fn rank_workers(facts: Vec<WorkerFacts>, w: &Weights) -> Vec<WorkerScore> {
    let mut scored: Vec<WorkerScore> = facts
        .into_iter()
        .map(|f| {
            let (parts, penalty, score) = score(&f, w);
            WorkerScore {
                rank: 0,
                facts: f,
                parts,
                penalty,
                score,
            }
        })
        .collect();
    let on_time = |s: &WorkerScore| {
        s.parts
            .iter()
            .find(|p| p.part == Part::OnTime)
            .and_then(|p| p.value)
            .unwrap_or(-1.0)
    };
    scored.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(on_time(b).total_cmp(&on_time(a)))
            .then(b.facts.found.cmp(&a.facts.found))
            .then(a.facts.account_id.cmp(&b.facts.account_id))
    });
    for (i, s) in scored.iter_mut().enumerate() {
        s.rank = i + 1;
    }
    scored
}

/// Which ranking: grid workers, departments, or the child areas of an area.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RankingKind {
    Worker,
    Department,
    Area,
}

impl RankingKind {
    pub fn parse(s: &str) -> Option<RankingKind> {
        match s {
            "worker" => Some(RankingKind::Worker),
            "department" => Some(RankingKind::Department),
            "area" => Some(RankingKind::Area),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            RankingKind::Worker => "worker",
            RankingKind::Department => "department",
            RankingKind::Area => "area",
        }
    }
}

/// A ranking as pages, the API and reports show it: `workers` for the worker kind,
/// `units` for departments and areas.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Ranking {
    pub kind: RankingKind,
    pub area_code: String,
    pub area_name: String,
    pub period: String,
    pub period_label: String,
    pub weights: Weights,
    pub workers: Vec<WorkerScore>,
    pub units: Vec<units::UnitScore>,
    /// Nothing happened in the period (or it has not begun): the page says so instead of
    /// ranking named people with zeros.
    #[serde(default)]
    pub empty: bool,
    /// The neighbouring periods a user may switch to, `(code, label)`: none in the future.
    #[serde(default)]
    pub periods: Vec<(String, String)>,
    /// Departments and areas with fewer cases than this are shown but not ranked.
    #[serde(default)]
    pub min_cases: u32,
}

impl Ranking {
    /// Whether the ranking has anything to rank: some case, visit or rating in the period.
    pub fn has_activity(&self) -> bool {
        self.workers.iter().any(|w| {
            let f = &w.facts;
            f.found + f.resolved + f.visits_done > 0
                || f.resident_ratings.count() + f.staff_ratings.count() > 0
        }) || self.units.iter().any(|u| u.facts.received > 0)
    }
}

/// `name=value` pairs separated by commas, each value a number ≥ 0 (configuration text
/// such as `found=30,visits=10`).
pub fn weight_overrides(text: &str) -> Result<Vec<(&str, f64)>, String> {
    text.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (name, value) = pair
                .split_once('=')
                .ok_or_else(|| format!("{pair:?}: expected name=value"))?;
            let v: f64 = value
                .trim()
                .parse()
                .ok()
                .filter(|v: &f64| v.is_finite() && *v >= 0.0)
                .ok_or_else(|| format!("{pair:?}: not a number ≥ 0"))?;
            Ok((name.trim(), v))
        })
        .collect()
}

impl Weights {
    /// Overrides from configuration text such as `found=30,visits=10,red_penalty=3`; names
    /// are the fields of `Weights`. Unknown names and negative numbers are refused.
    pub fn with_overrides(mut self, text: &str) -> Result<Weights, String> {
        for (name, v) in weight_overrides(text)? {
            match name {
                "found" => self.found = v,
                "self_closed" => self.self_closed = v,
                "on_time" => self.on_time = v,
                "satisfaction" => self.satisfaction = v,
                "visits" => self.visits = v,
                "found_target" => self.found_target = v as u32,
                "self_closed_target" => self.self_closed_target = v as u32,
                "red_penalty" => self.red_penalty = v,
                "red_penalty_cap" => self.red_penalty_cap = v,
                "staff_rating_weight" => self.staff_rating_weight = v,
                other => return Err(format!("{other:?}: no such weight")),
            }
        }
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn worker(id: i64) -> WorkerFacts {
        WorkerFacts {
            account_id: id,
            name: format!("W{id}"),
            ..WorkerFacts::default()
        }
    }

    #[test]
    fn a_hand_computed_score() {
        let f = WorkerFacts {
            found: 5,               // 50 of 100
            self_closed_in_time: 5, // 100
            resolved: 4,
            resolved_on_time: 3, // 75
            resident_ratings: Ratings {
                satisfied: 2,
                basically: 1,
                dissatisfied: 1,
            },
            staff_ratings: Ratings {
                satisfied: 2,
                ..Ratings::default()
            },
            visits_done: 9,
            visits_due: 12, // 75
            red_open: 1,
            ..worker(1)
        };
        // satisfaction = (200 + 60 + 0.5·200) / (4 + 0.5·2) = 360 / 5 = 72
        // sum = (20·50 + 15·100 + 25·75 + 20·72 + 20·75) / 100 = 73.15; penalty 5
        let (parts, penalty, total) = score(&f, &Weights::default());
        assert_eq!(parts[3].value, Some(72.0));
        assert_eq!(penalty, 5.0);
        assert_eq!(total, 68.2);
        let points: f64 = parts.iter().map(|p| p.points).sum();
        assert!(
            (points - 73.2).abs() < 0.11,
            "the parts add up to the score before the penalty"
        );
    }

    #[test]
    fn parts_without_data_are_left_out_not_counted_as_zero() {
        let f = WorkerFacts {
            found: 10,
            self_closed_in_time: 5,
            ..worker(1)
        };
        let (parts, _, total) = score(&f, &Weights::default());
        assert_eq!(total, 100.0);
        assert_eq!(parts[2].value, None);
        assert_eq!(parts[2].weight, 0.0);
        // found and self-closed share the whole weight: 20/35 and 15/35.
        assert_eq!(parts[0].weight, 57.1);
    }

    #[test]
    fn the_penalty_is_capped_and_scores_never_go_negative() {
        let f = WorkerFacts {
            red_open: 20,
            ..worker(1)
        };
        let (_, penalty, total) = score(&f, &Weights::default());
        assert_eq!((penalty, total), (30.0, 0.0));
    }

    #[test]
    fn ties_break_by_on_time_then_found_then_id_and_the_order_is_reproducible() {
        let base = WorkerFacts {
            found: 10,
            self_closed_in_time: 5,
            ..WorkerFacts::default()
        };
        let a = WorkerFacts {
            account_id: 7,
            ..base.clone()
        };
        let b = WorkerFacts {
            account_id: 3,
            ..base.clone()
        };
        let c = WorkerFacts {
            account_id: 9,
            found: 12,
            ..base.clone()
        };
        let ranked = rank_workers(vec![a.clone(), b.clone(), c.clone()], &Weights::default());
        let ids: Vec<i64> = ranked.iter().map(|s| s.facts.account_id).collect();
        assert_eq!(ids, [9, 3, 7]); // same score 100: more found first, then lower id
        let again = rank_workers(vec![c, a, b], &Weights::default());
        assert_eq!(again, ranked);
        assert_eq!(ranked.iter().map(|s| s.rank).collect::<Vec<_>>(), [1, 2, 3]);
    }

    #[test]
    fn weights_are_configurable() {
        let f = WorkerFacts {
            found: 10,
            visits_due: 10,
            visits_done: 0,
            ..worker(1)
        };
        let w = Weights {
            visits: 0.0,
            ..Weights::default()
        };
        assert!(score(&f, &w).2 > score(&f, &Weights::default()).2);
    }

    #[test]
    fn weights_are_overridden_from_text() {
        let w = Weights::default()
            .with_overrides("found=30, visits=0,red_penalty=2")
            .unwrap();
        assert_eq!((w.found, w.visits, w.red_penalty), (30.0, 0.0, 2.0));
        assert!(Weights::default().with_overrides("speed=1").is_err());
        assert!(Weights::default().with_overrides("found=-1").is_err());
        assert!(Weights::default().with_overrides("found").is_err());
    }
}
