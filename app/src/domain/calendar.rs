//! The working calendar and working-time arithmetic (SPEC §4: deadlines pause outside
//! working time). Pure: the calendar's days come from the database (editable by
//! administrators) or from `calendar_cn::official()`.
//!
//! Rules, written down once:
//! - A day is a working day if it is listed as an adjusted working day (调休), else not if
//!   it is listed as a holiday, else if it is Monday to Friday.
//! - Working hours are `[start, end)` local time on working days (default 08:30–17:30).
//! - "N working days after t": the end of working hours on the N-th working day after the
//!   local date of t (the day of t itself never counts, whatever the hour).
//! - "H working hours after t": H hours of working time counted from t, skipping
//!   non-working time (a case reported at 17:00 with two hours left ends 09:30 next
//!   working day).
//! - Time zone: Asia/Shanghai, UTC+8 all year (no daylight saving since 1991), explicit.

use chrono::{
    DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc, Weekday,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The district's time zone, Asia/Shanghai.
pub fn district_tz() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("+08:00 is a valid offset")
}

/// What a listed day is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// A statutory holiday (放假).
    Holiday,
    /// A weekend day that is worked (调休上班).
    Workday,
}

impl DayKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DayKind::Holiday => "holiday",
            DayKind::Workday => "workday",
        }
    }

    pub fn parse(s: &str) -> Option<DayKind> {
        match s {
            "holiday" => Some(DayKind::Holiday),
            "workday" => Some(DayKind::Workday),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkCalendar {
    days: BTreeMap<NaiveDate, DayKind>,
    start: NaiveTime,
    end: NaiveTime,
}

impl Default for WorkCalendar {
    fn default() -> Self {
        WorkCalendar::new(std::iter::empty())
    }
}

impl WorkCalendar {
    pub fn new(days: impl IntoIterator<Item = (NaiveDate, DayKind)>) -> WorkCalendar {
        WorkCalendar {
            days: days.into_iter().collect(),
            start: NaiveTime::from_hms_opt(8, 30, 0).expect("valid"),
            end: NaiveTime::from_hms_opt(17, 30, 0).expect("valid"),
        }
    }

    /// Working hours other than 08:30–17:30; `start < end` is required.
    pub fn with_hours(mut self, start: NaiveTime, end: NaiveTime) -> WorkCalendar {
        assert!(start < end, "working hours must start before they end");
        self.start = start;
        self.end = end;
        self
    }

    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        match self.days.get(&d) {
            Some(DayKind::Workday) => true,
            Some(DayKind::Holiday) => false,
            None => !matches!(d.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }

    fn local(&self, t: DateTime<Utc>) -> DateTime<FixedOffset> {
        t.with_timezone(&district_tz())
    }

    fn at(&self, d: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
        district_tz()
            .from_local_datetime(&d.and_time(time))
            .single()
            .expect("a fixed offset has no gaps")
            .with_timezone(&Utc)
    }

    /// The end of working hours on the N-th working day after the local date of `from`.
    pub fn add_working_days(&self, from: DateTime<Utc>, n: u32) -> DateTime<Utc> {
        let mut d = self.local(from).date_naive();
        let mut left = n;
        while left > 0 {
            d = d.succ_opt().expect("dates far from the end of time");
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        if n == 0 {
            // Zero days: the end of today's hours, or of the next working day's.
            while !self.is_working_day(d) {
                d = d.succ_opt().expect("dates far from the end of time");
            }
        }
        self.at(d, self.end)
    }

    /// `amount` of working time after `from`.
    pub fn add_working_time(&self, from: DateTime<Utc>, amount: Duration) -> DateTime<Utc> {
        let mut left = amount;
        let mut t = from;
        loop {
            let local = self.local(t);
            let d = local.date_naive();
            let (open, close) = (self.at(d, self.start), self.at(d, self.end));
            if !self.is_working_day(d) || t >= close {
                t = self.at(d.succ_opt().expect("far from the end of time"), self.start);
                continue;
            }
            let begin = t.max(open);
            let available = close - begin;
            if left <= available {
                return begin + left;
            }
            left -= available;
            t = self.at(d.succ_opt().expect("far from the end of time"), self.start);
        }
    }

    /// Working time between two instants (zero if `b <= a`).
    pub fn working_time_between(&self, a: DateTime<Utc>, b: DateTime<Utc>) -> Duration {
        if b <= a {
            return Duration::zero();
        }
        let mut total = Duration::zero();
        let mut d = self.local(a).date_naive();
        let last = self.local(b).date_naive();
        while d <= last {
            if self.is_working_day(d) {
                let (open, close) = (self.at(d, self.start), self.at(d, self.end));
                let (s, e) = (open.max(a), close.min(b));
                if e > s {
                    total += e - s;
                }
            }
            d = d.succ_opt().expect("far from the end of time");
        }
        total
    }

    /// The listed days, for display and storage.
    pub fn days(&self) -> impl Iterator<Item = (NaiveDate, DayKind)> + '_ {
        self.days.iter().map(|(d, k)| (*d, *k))
    }

    /// Years that have at least one listed day (a year with none is probably missing).
    pub fn years(&self) -> Vec<i32> {
        let mut y: Vec<i32> = self.days.keys().map(|d| d.year()).collect();
        y.dedup();
        y
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar_cn;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn local(y: i32, m: u32, day: u32, h: u32, min: u32) -> DateTime<Utc> {
        district_tz()
            .with_ymd_and_hms(y, m, day, h, min, 0)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn cal() -> WorkCalendar {
        calendar_cn::official()
    }

    #[test]
    fn the_offset_is_shanghai_time() {
        // Checked against the tz database for every hour of 2025 and 2026.
        use chrono_tz::Asia::Shanghai;
        let mut t = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
        while t.year() < 2027 {
            assert_eq!(
                t.with_timezone(&Shanghai).naive_local(),
                t.with_timezone(&district_tz()).naive_local()
            );
            t += Duration::hours(1);
        }
    }

    #[test]
    fn holidays_and_adjusted_weekends() {
        let c = cal();
        assert!(!c.is_working_day(d(2026, 10, 1)), "National Day");
        assert!(!c.is_working_day(d(2026, 10, 7)));
        assert!(c.is_working_day(d(2026, 10, 10)), "Saturday 调休");
        assert!(c.is_working_day(d(2026, 9, 20)), "Sunday 调休");
        assert!(!c.is_working_day(d(2026, 11, 21)), "an ordinary Saturday");
        assert!(c.is_working_day(d(2026, 11, 23)), "an ordinary Monday");
        assert!(!c.is_working_day(d(2026, 2, 16)), "Spring Festival");
        assert!(
            c.is_working_day(d(2026, 2, 14)),
            "Saturday before Spring Festival is worked"
        );
    }

    #[test]
    fn five_working_days_across_national_day() {
        // Triaged Wednesday 30 Sept 2026 at 10:00. Oct 1–7 are off, Oct 8 (Thu) is day 1,
        // Oct 9 (Fri) day 2, Oct 10 (Sat, 调休) day 3, Oct 12 (Mon) day 4, Oct 13 day 5.
        let due = cal().add_working_days(local(2026, 9, 30, 10, 0), 5);
        assert_eq!(due, local(2026, 10, 13, 17, 30));
        // The hour of triage does not matter: the day of triage never counts.
        assert_eq!(cal().add_working_days(local(2026, 9, 30, 23, 59), 5), due);
    }

    #[test]
    fn two_working_hours_pause_overnight_and_at_weekends() {
        let c = cal();
        assert_eq!(
            c.add_working_time(local(2026, 11, 23, 9, 0), Duration::hours(2)),
            local(2026, 11, 23, 11, 0)
        );
        assert_eq!(
            c.add_working_time(local(2026, 11, 23, 17, 0), Duration::hours(2)),
            local(2026, 11, 24, 10, 0)
        );
        // Friday 17:00 → Monday 10:00.
        assert_eq!(
            c.add_working_time(local(2026, 11, 20, 17, 0), Duration::hours(2)),
            local(2026, 11, 23, 10, 0)
        );
        // Reported Saturday night → Monday 10:30.
        assert_eq!(
            c.add_working_time(local(2026, 11, 21, 22, 0), Duration::hours(2)),
            local(2026, 11, 23, 10, 30)
        );
    }

    #[test]
    fn working_time_between_counts_only_hours() {
        let c = cal();
        let a = local(2026, 11, 20, 17, 0);
        let b = local(2026, 11, 23, 10, 0);
        assert_eq!(c.working_time_between(a, b), Duration::hours(2));
        assert_eq!(c.working_time_between(b, a), Duration::zero());
    }

    fn any_instant() -> impl Strategy<Value = DateTime<Utc>> {
        // 2025-01-01 .. 2026-12-20, any minute.
        (0i64..(719 * 24 * 60)).prop_map(|m| {
            Utc.with_ymd_and_hms(2024, 12, 31, 16, 0, 0).unwrap() + Duration::minutes(m)
        })
    }

    proptest! {
        #[test]
        fn deadlines_never_fall_on_a_day_off(t in any_instant(), n in 0u32..20) {
            let c = cal();
            let due = c.add_working_days(t, n);
            let day = due.with_timezone(&district_tz()).date_naive();
            prop_assert!(c.is_working_day(day));
            prop_assert!(due > t || n == 0);
        }

        #[test]
        fn adding_working_days_is_monotonic(t in any_instant(), n in 0u32..15, m in 0u32..5, s in 0i64..(3 * 24 * 60)) {
            let c = cal();
            prop_assert!(c.add_working_days(t, n) <= c.add_working_days(t, n + m));
            let later = t + Duration::minutes(s);
            prop_assert!(c.add_working_days(t, n) <= c.add_working_days(later, n));
        }

        #[test]
        fn working_time_round_trips(t in any_instant(), minutes in 1i64..(5 * 9 * 60)) {
            let c = cal();
            let due = c.add_working_time(t, Duration::minutes(minutes));
            prop_assert_eq!(c.working_time_between(t, due), Duration::minutes(minutes));
            let day = due.with_timezone(&district_tz()).date_naive();
            prop_assert!(c.is_working_day(day));
        }
    }
}
