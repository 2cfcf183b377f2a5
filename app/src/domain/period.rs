//! Reporting periods of the rhythm (一月一调度、一季一督查、半年一通报): a month, a
//! quarter, a half-year or a year, in district time. `parse` is the edge: `2026-11`,
//! `2026-Q4`, `2026-H2`, `2026`.

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Period {
    Month { year: i32, month: u32 },
    Quarter { year: i32, quarter: u32 },
    Half { year: i32, half: u32 },
    Year { year: i32 },
}

impl Period {
    pub fn parse(s: &str) -> Option<Period> {
        let s = s.trim();
        let (year, rest) = match s.split_once('-') {
            Some((y, r)) => (y, Some(r)),
            None => (s, None),
        };
        if year.len() != 4 {
            return None;
        }
        let year: i32 = year.parse().ok().filter(|y| (2000..=2100).contains(y))?;
        let number = |r: &str, max: u32| r.parse::<u32>().ok().filter(|n| (1..=max).contains(n));
        let p = match rest {
            None => Period::Year { year },
            Some(r) => match r.as_bytes().first()? {
                b'Q' | b'q' => Period::Quarter {
                    year,
                    quarter: number(&r[1..], 4)?,
                },
                b'H' | b'h' => Period::Half {
                    year,
                    half: number(&r[1..], 2)?,
                },
                _ if r.len() == 2 => Period::Month {
                    year,
                    month: number(r, 12)?,
                },
                _ => return None,
            },
        };
        Some(p)
    }

    /// The month containing `at` (district time).
    pub fn month_of(at: DateTime<Utc>) -> Period {
        let local = at.with_timezone(&super::calendar::district_tz());
        Period::Month {
            year: local.year(),
            month: local.month(),
        }
    }

    /// The canonical text, the inverse of `parse`.
    pub fn code(self) -> String {
        match self {
            Period::Month { year, month } => format!("{year}-{month:02}"),
            Period::Quarter { year, quarter } => format!("{year}-Q{quarter}"),
            Period::Half { year, half } => format!("{year}-H{half}"),
            Period::Year { year } => format!("{year}"),
        }
    }

    /// 2026年11月, 2026年第四季度, 2026年下半年, 2026年.
    pub fn label_zh(self) -> String {
        match self {
            Period::Month { year, month } => format!("{year}年{month}月"),
            Period::Quarter { year, quarter } => {
                let n = ["一", "二", "三", "四"][(quarter - 1) as usize];
                format!("{year}年第{n}季度")
            }
            Period::Half { year, half } => {
                format!("{year}年{}", if half == 1 { "上半年" } else { "下半年" })
            }
            Period::Year { year } => format!("{year}年"),
        }
    }

    /// First day and the first day after, as (year, month) pairs.
    fn months(self) -> ((i32, u32), (i32, u32)) {
        let (year, first, count) = match self {
            Period::Month { year, month } => (year, month, 1),
            Period::Quarter { year, quarter } => (year, (quarter - 1) * 3 + 1, 3),
            Period::Half { year, half } => (year, (half - 1) * 6 + 1, 6),
            Period::Year { year } => (year, 1, 12),
        };
        let end = first + count;
        let after = if end > 12 {
            (year + 1, end - 12)
        } else {
            (year, end)
        };
        ((year, first), after)
    }

    /// `[from, to)` in UTC: midnight district time on the first day, and after the last.
    pub fn bounds(self) -> (DateTime<Utc>, DateTime<Utc>) {
        let ((y1, m1), (y2, m2)) = self.months();
        (midnight(y1, m1), midnight(y2, m2))
    }

    /// The first and the last day (district time), both included.
    pub fn days(self) -> (NaiveDate, NaiveDate) {
        let ((y1, m1), (y2, m2)) = self.months();
        let first = NaiveDate::from_ymd_opt(y1, m1, 1).unwrap_or_default();
        let after = NaiveDate::from_ymd_opt(y2, m2, 1).unwrap_or_default();
        (first, after.pred_opt().unwrap_or(after))
    }

    /// The periods a leader jumps to from this one: the previous and next of the same kind,
    /// then the month, quarter, half-year and year that contain its first day.
    pub fn related(self) -> Vec<Period> {
        let ((year, month), _) = self.months();
        let step = |d: i32| -> Period {
            match self {
                Period::Month { .. } => {
                    let m = year * 12 + month as i32 - 1 + d;
                    Period::Month {
                        year: m.div_euclid(12),
                        month: m.rem_euclid(12) as u32 + 1,
                    }
                }
                Period::Quarter { quarter, .. } => {
                    let q = year * 4 + quarter as i32 - 1 + d;
                    Period::Quarter {
                        year: q.div_euclid(4),
                        quarter: q.rem_euclid(4) as u32 + 1,
                    }
                }
                Period::Half { half, .. } => {
                    let h = year * 2 + half as i32 - 1 + d;
                    Period::Half {
                        year: h.div_euclid(2),
                        half: h.rem_euclid(2) as u32 + 1,
                    }
                }
                Period::Year { .. } => Period::Year { year: year + d },
            }
        };
        let mut out = vec![step(-1), step(1)];
        for p in [
            Period::Month { year, month },
            Period::Quarter {
                year,
                quarter: (month - 1) / 3 + 1,
            },
            Period::Half {
                year,
                half: (month - 1) / 6 + 1,
            },
            Period::Year { year },
        ] {
            if p != self {
                out.push(p);
            }
        }
        out
    }
}

fn midnight(year: i32, month: u32) -> DateTime<Utc> {
    district_midnight(NaiveDate::from_ymd_opt(year, month, 1).unwrap_or_default())
}

/// The start of a day in district time, as UTC.
pub fn district_midnight(day: NaiveDate) -> DateTime<Utc> {
    super::calendar::district_tz()
        .from_local_datetime(&day.and_hms_opt(0, 0, 0).unwrap_or_default())
        .single()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_parses_and_round_trips() {
        for s in [
            "2026-11", "2026-01", "2026-Q4", "2026-Q1", "2026-H2", "2026",
        ] {
            assert_eq!(Period::parse(s).unwrap().code(), s);
        }
        for bad in [
            "", "26-11", "2026-13", "2026-00", "2026-Q5", "2026-H3", "2026-1", "x",
        ] {
            assert_eq!(Period::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn bounds_are_district_midnights() {
        let (from, to) = Period::parse("2026-Q4").unwrap().bounds();
        assert_eq!(from.to_rfc3339(), "2026-09-30T16:00:00+00:00");
        assert_eq!(to.to_rfc3339(), "2026-12-31T16:00:00+00:00");
        let (from, to) = Period::parse("2026-H1").unwrap().bounds();
        assert_eq!(from.to_rfc3339(), "2025-12-31T16:00:00+00:00");
        assert_eq!(to.to_rfc3339(), "2026-06-30T16:00:00+00:00");
        assert_eq!(
            Period::parse("2026-Q4").unwrap().label_zh(),
            "2026年第四季度"
        );
    }

    #[test]
    fn days_and_related_periods() {
        let p = Period::parse("2026-12").unwrap();
        assert_eq!(p.days().1.to_string(), "2026-12-31");
        let codes: Vec<String> = p.related().into_iter().map(Period::code).collect();
        assert_eq!(codes, ["2026-11", "2027-01", "2026-Q4", "2026-H2", "2026"]);
        let q: Vec<String> = Period::parse("2026-Q1")
            .unwrap()
            .related()
            .into_iter()
            .map(Period::code)
            .collect();
        assert_eq!(q, ["2025-Q4", "2026-Q2", "2026-01", "2026-H1", "2026"]);
    }

    #[test]
    fn the_month_of_a_moment_is_in_district_time() {
        let at = "2026-10-31T17:00:00Z".parse().unwrap();
        assert_eq!(Period::month_of(at).code(), "2026-11");
    }
}
