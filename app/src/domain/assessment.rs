//! The digital-city-management assessment (数字城管考核, GB/T 30428) of an area and period,
//! beside the KPIs. Of the reports made in `[from, to)` (merged reports left out):
//!
//! - 立案率 filing rate = filed ÷ (filed + invalid), where filed (立案数) = reports taken up
//!   as cases (triaged at least once) and invalid (作废数) = declared invalid; reports still
//!   waiting for triage are in neither;
//! - 应结案数 due = filed; 缓办数 deferred = of them deferred now;
//! - 按期结案率 closing on-time rate = completed on time ÷ (due − deferred);
//! - 返工率 rework rate = failed on-site checks ÷ on-site checks;
//! - 及时核查率 verification on-time rate = checks within their limit ÷ checks;
//! - 延期率 extension rate = cases with an approved extension ÷ filed;
//! - urgent on-time rate = urgent cases completed on time ÷ urgent cases completed;
//! - 综合指标值 composite index = Σ weight × part ÷ Σ weight over the parts that have data:
//!   closing on-time rate (40), satisfaction rate (30), verification on-time rate (10),
//!   100 − rework rate (10), 100 − extension rate (10); the weights are configurable
//!   (`GRIDGOV_COMPOSITE_WEIGHTS="on_time=40,satisfaction=30,…"`).
//!
//! Rates are percentages with one decimal; `None` when nothing is there to divide by.

use super::kpi::rate;
use serde::{Deserialize, Serialize};

/// What the server counted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentFacts {
    pub filed: u32,
    pub invalid: u32,
    pub deferred: u32,
    pub completed_on_time: u32,
    pub extended: u32,
    pub checks: u32,
    pub checks_failed: u32,
    pub checks_on_time: u32,
    pub urgent_completed: u32,
    pub urgent_on_time: u32,
}

/// The composite index's weights (default 40/30/10/10/10).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompositeWeights {
    pub on_time: f64,
    pub satisfaction: f64,
    pub verification: f64,
    pub rework: f64,
    pub extension: f64,
}

impl Default for CompositeWeights {
    fn default() -> CompositeWeights {
        CompositeWeights {
            on_time: 40.0,
            satisfaction: 30.0,
            verification: 10.0,
            rework: 10.0,
            extension: 10.0,
        }
    }
}

impl CompositeWeights {
    /// Overrides such as `on_time=50,rework=0`; unknown names and negative numbers are
    /// refused.
    pub fn with_overrides(mut self, text: &str) -> Result<CompositeWeights, String> {
        for (name, v) in super::ranking::weight_overrides(text)? {
            let slot = match name {
                "on_time" => &mut self.on_time,
                "satisfaction" => &mut self.satisfaction,
                "verification" => &mut self.verification,
                "rework" => &mut self.rework,
                "extension" => &mut self.extension,
                other => return Err(format!("{other:?}: no such weight")),
            };
            *slot = v;
        }
        Ok(self)
    }
}

/// One part of the composite index: its value (0–100, higher is better) and weight.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CompositePart {
    /// `on_time`, `satisfaction`, `verification`, `rework`, `extension`.
    pub part: String,
    pub value: Option<f64>,
    pub weight: f64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CompositeIndex {
    pub value: Option<f64>,
    pub parts: Vec<CompositePart>,
}

/// The assessment's figures (`GET /api/v1/kpis` carries them beside the KPIs).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Assessment {
    pub filed: u32,
    pub invalid: u32,
    pub filing_rate: Option<f64>,
    pub due: u32,
    pub deferred: u32,
    pub closing_on_time_rate: Option<f64>,
    pub rework_rate: Option<f64>,
    pub extension_rate: Option<f64>,
    pub verification_on_time_rate: Option<f64>,
    pub urgent_on_time_rate: Option<f64>,
    pub composite_index: CompositeIndex,
    /// 立案率 and 作废数 per source (grid workers, residents, the hotline …).
    #[serde(default)]
    pub by_source: Vec<SourceFiling>,
}

/// One source's reports: filed, invalid, and its filing rate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SourceFiling {
    pub source: super::case::Source,
    pub filed: u32,
    pub invalid: u32,
    pub filing_rate: Option<f64>,
}

impl SourceFiling {
    pub fn new(source: super::case::Source, filed: u32, invalid: u32) -> SourceFiling {
        SourceFiling {
            source,
            filed,
            invalid,
            filing_rate: rate(filed, filed + invalid),
        }
    }
}

/// The figures of `f`; `satisfaction_rate` is the KPIs' (same cases, same rule).
pub fn assess(
    f: &AssessmentFacts,
    satisfaction_rate: Option<f64>,
    w: &CompositeWeights,
) -> Assessment {
    let closing_on_time_rate = rate(f.completed_on_time, f.filed.saturating_sub(f.deferred));
    let rework_rate = rate(f.checks_failed, f.checks);
    let extension_rate = rate(f.extended, f.filed);
    let verification_on_time_rate = rate(f.checks_on_time, f.checks);
    let inverse = |r: Option<f64>| r.map(|r| round1(100.0 - r));
    let parts = vec![
        part("on_time", closing_on_time_rate, w.on_time),
        part("satisfaction", satisfaction_rate, w.satisfaction),
        part("verification", verification_on_time_rate, w.verification),
        part("rework", inverse(rework_rate), w.rework),
        part("extension", inverse(extension_rate), w.extension),
    ];
    Assessment {
        filed: f.filed,
        invalid: f.invalid,
        filing_rate: rate(f.filed, f.filed + f.invalid),
        due: f.filed,
        deferred: f.deferred,
        closing_on_time_rate,
        rework_rate,
        extension_rate,
        verification_on_time_rate,
        urgent_on_time_rate: rate(f.urgent_on_time, f.urgent_completed),
        composite_index: CompositeIndex {
            value: weighted(&parts),
            parts,
        },
        by_source: Vec::new(),
    }
}

fn part(name: &str, value: Option<f64>, weight: f64) -> CompositePart {
    CompositePart {
        part: name.to_owned(),
        value,
        weight,
    }
}

/// Σ weight × value ÷ Σ weight over the parts with a value (none: no index).
fn weighted(parts: &[CompositePart]) -> Option<f64> {
    let with: Vec<_> = parts
        .iter()
        .filter_map(|p| p.value.map(|v| (v, p.weight)))
        .collect();
    let total: f64 = with.iter().map(|(_, w)| w).sum();
    (total > 0.0).then(|| round1(with.iter().map(|(v, w)| v * w).sum::<f64>() / total))
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The README's worked example.
    #[test]
    fn the_worked_example() {
        let f = AssessmentFacts {
            filed: 40,
            invalid: 10,
            deferred: 2,
            completed_on_time: 30,
            extended: 4,
            checks: 20,
            checks_failed: 2,
            checks_on_time: 18,
            urgent_completed: 5,
            urgent_on_time: 4,
        };
        let a = assess(&f, Some(95.0), &CompositeWeights::default());
        assert_eq!(a.filing_rate, Some(80.0), "40 ÷ 50");
        assert_eq!(a.closing_on_time_rate, Some(78.9), "30 ÷ (40 − 2)");
        assert_eq!(a.rework_rate, Some(10.0), "2 ÷ 20");
        assert_eq!(a.verification_on_time_rate, Some(90.0), "18 ÷ 20");
        assert_eq!(a.extension_rate, Some(10.0), "4 ÷ 40");
        assert_eq!(a.urgent_on_time_rate, Some(80.0), "4 ÷ 5");
        // (40 × 78.9 + 30 × 95 + 10 × 90 + 10 × 90 + 10 × 90) ÷ 100 = 87.06
        assert_eq!(a.composite_index.value, Some(87.1));
    }

    #[test]
    fn parts_without_data_leave_the_index() {
        let f = AssessmentFacts {
            filed: 10,
            completed_on_time: 8,
            ..AssessmentFacts::default()
        };
        let a = assess(&f, None, &CompositeWeights::default());
        // on time 80 (weight 40) and no extension 100 (weight 10): 4200 ÷ 50.
        assert_eq!(a.composite_index.value, Some(84.0));
        assert_eq!(a.rework_rate, None);
        assert_eq!(
            assess(
                &AssessmentFacts::default(),
                None,
                &CompositeWeights::default()
            )
            .composite_index
            .value,
            None
        );
    }

    #[test]
    fn a_source_s_filing_rate() {
        let s = SourceFiling::new(crate::domain::case::Source::ResidentQr, 9, 3);
        assert_eq!(s.filing_rate, Some(75.0));
        assert_eq!(
            SourceFiling::new(crate::domain::case::Source::Hotline, 0, 0).filing_rate,
            None
        );
    }

    #[test]
    fn weights_are_configurable() {
        let w = CompositeWeights::default()
            .with_overrides("on_time=50, rework=0")
            .unwrap();
        assert_eq!((w.on_time, w.rework, w.satisfaction), (50.0, 0.0, 30.0));
        assert!(
            CompositeWeights::default()
                .with_overrides("speed=1")
                .is_err()
        );
        assert!(
            CompositeWeights::default()
                .with_overrides("rework=-1")
                .is_err()
        );
    }
}
