//! Departments and areas side by side (赛马场): scores of rates, so that a large street and
//! a small one, or a busy department and a quiet one, compare fairly.
//!
//! | part | departments | areas (streets, communities) | weight |
//! |---|---|---|---|
//! | first | acknowledged on time (按时报到率) | completion rate (办结率) | 30 |
//! | on time (按期办结率) | resolved no later than the deadline ÷ resolved | same | 40 |
//! | satisfaction (满意率) | satisfied 100, basically 60, dissatisfied 0 | same | 30 |
//!
//! A department's ratings recorded by staff (回访) count `staff_rating_weight` each (default
//! 0.5), as for grid workers: the resident's own word weighs most. Areas count every rating.
//!
//! Parts without data are left out and the others scaled up, as for grid workers. Open
//! red cases are shown beside the score, not subtracted: the rates already carry them.
//! Ties break by on-time part, then more cases handled, then the code.

use super::{Ratings, round1};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    Department,
    Area,
}

/// What a department or an area did in the period.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UnitFacts {
    pub code: String,
    pub name: String,
    /// Departments: dispatches received; areas: cases reported.
    pub received: u32,
    /// Departments: dispatches that asked for an acknowledgement, and those acknowledged on
    /// time; unused for areas.
    pub ack_due: u32,
    pub ack_on_time: u32,
    /// Cases completed in the period, and of them on time.
    pub completed: u32,
    pub completed_on_time: u32,
    /// Residents' own ratings (areas: every rating).
    pub ratings: Ratings,
    /// Ratings staff recorded (回访), weighted as the grid workers' ranking weighs them.
    pub staff_ratings: Ratings,
    pub red_open: u32,
    /// On-site checks (核查) of the results of cases reported in the period — departments:
    /// their lead cases; areas: their grids' — failed ones (返工) and timely ones (及时核查).
    #[serde(default)]
    pub checks: u32,
    #[serde(default)]
    pub checks_failed: u32,
    #[serde(default)]
    pub checks_on_time: u32,
}

impl UnitFacts {
    /// 返工率: failed checks ÷ checks.
    pub fn rework_rate(&self) -> Option<f64> {
        share(self.checks_failed, self.checks).map(round1)
    }

    /// 及时核查率: checks within their limit ÷ checks.
    pub fn verification_on_time_rate(&self) -> Option<f64> {
        share(self.checks_on_time, self.checks).map(round1)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum UnitPart {
    AckOnTime,
    Completion,
    OnTime,
    Satisfaction,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UnitPartScore {
    pub part: UnitPart,
    pub value: Option<f64>,
    pub weight: f64,
    pub points: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UnitScore {
    /// 0 for a unit not ranked: fewer cases in the period than the minimum.
    pub rank: usize,
    /// Enough cases to be ranked (one lucky case cannot top the table).
    #[serde(default)]
    pub ranked: bool,
    pub facts: UnitFacts,
    pub parts: Vec<UnitPartScore>,
    pub score: f64,
}

fn share(part: u32, whole: u32) -> Option<f64> {
    (whole > 0).then(|| f64::from(part) / f64::from(whole) * 100.0)
}

pub fn score(kind: UnitKind, f: &UnitFacts, staff_weight: f64) -> (Vec<UnitPartScore>, f64) {
    let first = match kind {
        UnitKind::Department => (UnitPart::AckOnTime, share(f.ack_on_time, f.ack_due)),
        UnitKind::Area => (UnitPart::Completion, share(f.completed, f.received)),
    };
    let satisfaction = super::satisfaction(f.ratings, f.staff_ratings, staff_weight);
    let raw = [
        (first.0, first.1, 30.0),
        (
            UnitPart::OnTime,
            share(f.completed_on_time, f.completed),
            40.0,
        ),
        (UnitPart::Satisfaction, satisfaction, 30.0),
    ];
    let total: f64 = raw.iter().filter(|r| r.1.is_some()).map(|r| r.2).sum();
    let parts = raw
        .iter()
        .map(|&(part, value, weight)| {
            let scaled = if value.is_some() && total > 0.0 {
                weight / total * 100.0
            } else {
                0.0
            };
            UnitPartScore {
                part,
                value: value.map(round1),
                weight: round1(scaled),
                points: round1(value.map_or(0.0, |v| v * scaled / 100.0)),
            }
        })
        .collect();
    let sum =
        raw.iter().filter_map(|r| r.1.map(|v| v * r.2)).sum::<f64>() / total.max(f64::MIN_POSITIVE);
    (parts, round1(sum))
}

/// Units ranked, best first. Units with fewer than `min_cases` received (at least one)
/// are listed after them, scored but not ranked ("not ranked: N cases").
pub fn rank_units(
    kind: UnitKind,
    facts: Vec<UnitFacts>,
    staff_weight: f64,
    min_cases: u32,
) -> Vec<UnitScore> {
    let mut scored: Vec<UnitScore> = facts
        .into_iter()
        .map(|f| {
            let (parts, score) = score(kind, &f, staff_weight);
            UnitScore {
                rank: 0,
                ranked: f.received >= min_cases.max(1),
                facts: f,
                parts,
                score,
            }
        })
        .collect();
    let on_time = |s: &UnitScore| s.parts[1].value.unwrap_or(-1.0);
    scored.sort_by(|a, b| {
        b.ranked
            .cmp(&a.ranked)
            .then((b.facts.received > 0).cmp(&(a.facts.received > 0)))
            .then(b.score.total_cmp(&a.score))
            .then(on_time(b).total_cmp(&on_time(a)))
            .then(b.facts.completed.cmp(&a.facts.completed))
            .then(a.facts.code.cmp(&b.facts.code))
    });
    for (i, s) in scored.iter_mut().enumerate().filter(|(_, s)| s.ranked) {
        s.rank = i + 1;
    }
    scored
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(code: &str) -> UnitFacts {
        UnitFacts {
            code: code.into(),
            name: code.into(),
            ..UnitFacts::default()
        }
    }

    #[test]
    fn one_lucky_case_does_not_top_the_table() {
        let lucky = UnitFacts {
            received: 1,
            completed: 1,
            completed_on_time: 1,
            ..unit("lucky")
        };
        let busy = UnitFacts {
            received: 20,
            completed: 18,
            completed_on_time: 15,
            checks: 10,
            checks_failed: 1,
            checks_on_time: 9,
            ..unit("busy")
        };
        let ranked = rank_units(UnitKind::Area, vec![lucky, busy], 0.5, 5);
        assert_eq!(ranked[0].facts.code, "busy");
        assert_eq!((ranked[0].rank, ranked[0].ranked), (1, true));
        assert_eq!(
            (ranked[1].rank, ranked[1].ranked),
            (0, false),
            "shown, not ranked"
        );
        assert!(
            ranked[1].score > ranked[0].score,
            "it would have won on its score"
        );
        assert_eq!(ranked[0].facts.rework_rate(), Some(10.0));
        assert_eq!(ranked[0].facts.verification_on_time_rate(), Some(90.0));
        let all = rank_units(UnitKind::Area, vec![ranked[1].facts.clone()], 0.5, 1);
        assert_eq!(all[0].rank, 1);
    }

    #[test]
    fn a_hand_computed_department() {
        let f = UnitFacts {
            received: 10,
            ack_due: 10,
            ack_on_time: 8, // 80 × 0.3 = 24
            completed: 5,
            completed_on_time: 4, // 80 × 0.4 = 32
            ratings: Ratings {
                satisfied: 1,
                basically: 1,
                dissatisfied: 0,
            }, // 80 × 0.3 = 24
            ..unit("cg")
        };
        let (parts, s) = score(UnitKind::Department, &f, 0.5);
        assert_eq!(s, 80.0);
        assert_eq!(parts[0].points, 24.0);
        assert_eq!(parts[1].points, 32.0);
    }

    #[test]
    fn a_rating_staff_recorded_weighs_less_than_the_residents_own() {
        let resident_unhappy = Ratings {
            dissatisfied: 1,
            ..Ratings::default()
        };
        let staff_happy = Ratings {
            satisfied: 1,
            ..Ratings::default()
        };
        let f = UnitFacts {
            ratings: resident_unhappy,
            staff_ratings: staff_happy,
            ..unit("cg")
        };
        // One resident's 0 and a staff 100 at half weight: 100 × 0.5 / 1.5.
        let (parts, _) = score(UnitKind::Department, &f, 0.5);
        assert_eq!(parts[2].value.map(round1), Some(33.3));
        let (parts, _) = score(UnitKind::Department, &f, 1.0);
        assert_eq!(parts[2].value, Some(50.0));
    }

    #[test]
    fn an_area_without_ratings_is_scored_on_the_rest() {
        let f = UnitFacts {
            received: 4,
            completed: 2,         // 50, weight 30/70
            completed_on_time: 2, // 100, weight 40/70
            ..unit("S1")
        };
        let (parts, s) = score(UnitKind::Area, &f, 0.5);
        assert_eq!(parts[2].value, None);
        assert_eq!(parts[2].weight, 0.0);
        assert_eq!(s, round1((50.0 * 30.0 + 100.0 * 40.0) / 70.0));
    }

    #[test]
    fn ties_and_idle_units_order_stably() {
        let busy = UnitFacts {
            received: 2,
            completed: 2,
            completed_on_time: 2,
            ..unit("B")
        };
        let also = UnitFacts {
            code: "A".into(),
            ..busy.clone()
        };
        let idle = unit("0");
        let ranked = rank_units(UnitKind::Area, vec![idle, busy, also], 0.5, 1);
        let order: Vec<_> = ranked.iter().map(|s| s.facts.code.as_str()).collect();
        assert_eq!(order, ["A", "B", "0"]);
        assert_eq!(
            (ranked[2].rank, ranked[2].ranked),
            (0, false),
            "nothing received: not ranked"
        );
    }
}
