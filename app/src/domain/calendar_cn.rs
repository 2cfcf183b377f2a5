//! China's official holiday calendar shipped with the product. Source: the State Council
//! General Office notices on holiday arrangements — 国办发明电〔2024〕12号 (2024-11-12) for
//! 2025, and the notice of 2025-11-04 for 2026. Administrators add later years in the app
//! (the notice for each next year appears in November).

use super::calendar::{DayKind, WorkCalendar};
use chrono::NaiveDate;

/// (first day off, last day off, adjusted working days)
const HOLIDAYS: &[(&str, &str, &[&str])] = &[
    ("2025-01-01", "2025-01-01", &[]),
    ("2025-01-28", "2025-02-04", &["2025-01-26", "2025-02-08"]),
    ("2025-04-04", "2025-04-06", &[]),
    ("2025-05-01", "2025-05-05", &["2025-04-27"]),
    ("2025-05-31", "2025-06-02", &[]),
    ("2025-10-01", "2025-10-08", &["2025-09-28", "2025-10-11"]),
    ("2026-01-01", "2026-01-03", &["2026-01-04"]),
    ("2026-02-15", "2026-02-23", &["2026-02-14", "2026-02-28"]),
    ("2026-04-04", "2026-04-06", &[]),
    ("2026-05-01", "2026-05-05", &["2026-05-09"]),
    ("2026-06-19", "2026-06-21", &[]),
    ("2026-09-25", "2026-09-27", &[]),
    ("2026-10-01", "2026-10-07", &["2026-09-20", "2026-10-10"]),
];

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("the table holds valid dates")
}

/// Every listed day of 2025 and 2026.
pub fn official_days() -> Vec<(NaiveDate, DayKind)> {
    let mut out = Vec::new();
    for (first, last, workdays) in HOLIDAYS {
        let mut d = date(first);
        while d <= date(last) {
            out.push((d, DayKind::Holiday));
            d = d.succ_opt().expect("valid");
        }
        out.extend(workdays.iter().map(|w| (date(w), DayKind::Workday)));
    }
    out
}

pub fn official() -> WorkCalendar {
    WorkCalendar::new(official_days())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;

    #[test]
    fn adjusted_days_are_weekends_and_holidays_are_listed() {
        let days = official_days();
        assert_eq!(
            days.iter()
                .filter(|(d, k)| d.year() == 2026 && *k == DayKind::Holiday)
                .count(),
            3 + 9 + 3 + 5 + 3 + 3 + 7
        );
        for (d, k) in days {
            if k == DayKind::Workday {
                assert!(
                    matches!(d.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun),
                    "{d}"
                );
            }
        }
    }
}
