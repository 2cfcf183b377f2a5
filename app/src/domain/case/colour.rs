//! Three colours (红黄绿三色预警), a pure function of the case and the time.
//!
//! - Red: past its deadline and not resolved; or a department's acknowledgement is
//!   overdue; or reported repeatedly (repeat count ≥ 2); or the reporter's latest feedback
//!   is "dissatisfied" — every reason is listed.
//! - Green: resolved and the reporter satisfied or basically satisfied; or closed after the
//!   feedback window with no feedback, which counts as satisfied (逾期未评价视为满意, the
//!   usual rule of 12345 hotlines). Merged and invalid reports take no colour of their own
//!   and show green (a merged report's target carries the repeat); lists and boards leave
//!   them out. A deferred case (缓办) is never red: it is off the clock until its review date.
//! - Yellow: everything else in progress — including a resolved case waiting for its
//!   feedback; `near_deadline` is set once 80 % of its working time is used.

use super::machine::CaseState;
use super::types::{Colour, RedReason, Satisfaction, Status};
use crate::domain::calendar::WorkCalendar;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Repeat count from which a case is red.
pub const RED_REPEATS: u32 = 2;
/// Share of the working time after which a yellow case is "near its deadline".
pub const NEAR_DEADLINE: f64 = 0.8;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ColourVerdict {
    pub colour: Colour,
    pub reasons: Vec<RedReason>,
    pub near_deadline: bool,
}

/// The facts the colour depends on; lists build it from one row without loading dispatches.
#[derive(Clone, Copy, Debug)]
pub struct ColourFacts {
    pub status: Status,
    pub clock_started_at: Option<DateTime<Utc>>,
    pub deadline: Option<DateTime<Utc>>,
    /// The earliest acknowledgement due among dispatches still waiting for one.
    pub ack_due: Option<DateTime<Utc>>,
    pub repeat_count: u32,
    pub feedback: Option<Satisfaction>,
    pub closed_without_feedback: bool,
}

impl ColourFacts {
    pub fn of(case: &CaseState) -> ColourFacts {
        ColourFacts {
            status: case.status,
            clock_started_at: case.clock_started_at,
            deadline: case.deadline,
            ack_due: case
                .dispatches
                .iter()
                .filter(|d| d.awaits_ack())
                .filter_map(|d| d.ack_due)
                .min(),
            repeat_count: case.repeat_count,
            feedback: case.feedback,
            closed_without_feedback: case.closed_without_feedback,
        }
    }
}

pub fn colour(case: &CaseState, now: DateTime<Utc>, calendar: &WorkCalendar) -> ColourVerdict {
    colour_of(&ColourFacts::of(case), now, calendar)
}

/// The rule itself. `store::case_list::COLOUR_SQL` says the same in SQL; a test keeps the two
/// in agreement.
pub fn colour_of(case: &ColourFacts, now: DateTime<Utc>, calendar: &WorkCalendar) -> ColourVerdict {
    let mut reasons = Vec::new();
    let unresolved = case.status.is_open();
    if unresolved && case.deadline.is_some_and(|d| now > d) {
        reasons.push(RedReason::Overdue);
    }
    if unresolved && case.ack_due.is_some_and(|due| now > due) {
        reasons.push(RedReason::AckOverdue);
    }
    // A deferred case is off the red list until it returns; invalid and merged reports
    // take no colour of their own.
    let may_be_red = case.status.is_counted() && case.status != Status::Deferred;
    if may_be_red && case.repeat_count >= RED_REPEATS {
        reasons.push(RedReason::Repeated);
    }
    if may_be_red && case.feedback == Some(Satisfaction::Dissatisfied) {
        reasons.push(RedReason::Dissatisfied);
    }
    if !reasons.is_empty() {
        return ColourVerdict {
            colour: Colour::Red,
            reasons,
            near_deadline: false,
        };
    }
    let satisfied = matches!(
        case.feedback,
        Some(Satisfaction::Satisfied | Satisfaction::BasicallySatisfied)
    );
    let done = match case.status {
        Status::Closed => satisfied || case.closed_without_feedback,
        Status::Resolved => satisfied,
        Status::Merged | Status::Invalid => true,
        _ => false,
    };
    if done {
        return ColourVerdict {
            colour: Colour::Green,
            reasons,
            near_deadline: false,
        };
    }
    let near_deadline = unresolved
        && match (case.clock_started_at, case.deadline) {
            (Some(start), Some(end)) => {
                let total = calendar.working_time_between(start, end).num_seconds();
                let used = calendar.working_time_between(start, now).num_seconds();
                total > 0 && used as f64 >= NEAR_DEADLINE * total as f64
            }
            _ => false,
        };
    ColourVerdict {
        colour: Colour::Yellow,
        reasons,
        near_deadline,
    }
}

/// When an open case turns red if nothing else happens: the epoch for one red for good (a
/// repeat, a dissatisfied rating), else its deadline or acknowledgement due, whichever
/// comes first; `None` while nothing is due or once it is no longer open. An open case is
/// red exactly when `now > turns_red_at` (the rule of `colour_of`), so boards count open
/// red cases from this instant, kept on the case, instead of colouring each one.
pub fn turns_red_at(case: &ColourFacts) -> Option<DateTime<Utc>> {
    if !case.status.is_open() {
        return None;
    }
    if case.repeat_count >= RED_REPEATS || case.feedback == Some(Satisfaction::Dissatisfied) {
        return Some(DateTime::UNIX_EPOCH);
    }
    [case.deadline, case.ack_due].into_iter().flatten().min()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    #[test]
    fn an_open_case_is_red_exactly_after_it_turns_red() {
        let calendar = WorkCalendar::new(std::iter::empty());
        let t0 = Utc.with_ymd_and_hms(2026, 11, 23, 1, 0, 0).unwrap();
        let hour = Duration::hours(1);
        let mut all = Vec::new();
        for status in [
            Status::Reported,
            Status::Triaged,
            Status::Dispatched,
            Status::Handling,
        ] {
            for deadline in [None, Some(t0), Some(t0 + hour)] {
                for ack_due in [None, Some(t0 - hour), Some(t0 + hour * 2)] {
                    for (repeat_count, feedback) in
                        [(0, None), (2, None), (0, Some(Satisfaction::Dissatisfied))]
                    {
                        all.push(ColourFacts {
                            status,
                            clock_started_at: None,
                            deadline,
                            ack_due,
                            repeat_count,
                            feedback,
                            closed_without_feedback: false,
                        });
                    }
                }
            }
        }
        for facts in &all {
            let from = turns_red_at(facts);
            for now in [
                t0 - hour * 2,
                t0 - hour,
                t0,
                t0 + Duration::milliseconds(1),
                t0 + hour * 3,
            ] {
                let red = colour_of(facts, now, &calendar).colour == Colour::Red;
                assert_eq!(red, from.is_some_and(|t| now > t), "{facts:?} at {now}");
            }
        }
        let closed = ColourFacts {
            status: Status::Closed,
            ..all[0].clone()
        };
        assert_eq!(turns_red_at(&closed), None);
    }
}
