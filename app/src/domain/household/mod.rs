//! Households (户档案), special populations (特殊人群) and the visit rules (入户走访).
//!
//! A household's visit rule is the shortest rule among its members' tags (an elderly
//! person living alone makes the whole household weekly). "Overdue" counts from the last
//! visit, or from registration for a household never visited.

pub mod id_number;
pub mod import;
pub mod ledger;
pub mod view;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// A tag on people needing attention, with its visit rule in days (None: no regular visit).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PopulationTag {
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub visit_every_days: Option<u32>,
}

/// The built-in tags and their default rules: elderly living alone weekly, the other
/// special populations monthly (the migration inserts the same rows).
pub const BUILTIN_TAGS: [(&str, &str, &str, u32); 5] = [
    ("elderly_alone", "独居老人", "Elderly living alone", 7),
    ("child_in_difficulty", "困境儿童", "Child in difficulty", 30),
    ("disabled", "残疾人", "Person with disability", 30),
    ("unemployed", "失业人员", "Unemployed", 30),
    ("subsistence", "低保/五保", "Subsistence allowance", 30),
];

/// The built-in tags as values.
pub fn builtin_tags() -> Vec<PopulationTag> {
    BUILTIN_TAGS
        .iter()
        .map(|(code, name, name_en, days)| PopulationTag {
            code: (*code).into(),
            name: (*name).into(),
            name_en: (*name_en).into(),
            visit_every_days: Some(*days),
        })
        .collect()
}

/// The shortest rule among the given tag codes; unknown codes and rule-less tags add none.
pub fn visit_interval<'a>(
    codes: impl IntoIterator<Item = &'a str>,
    tags: &[PopulationTag],
) -> Option<u32> {
    codes
        .into_iter()
        .filter_map(|c| tags.iter().find(|t| t.code == c)?.visit_every_days)
        .min()
}

/// Tag codes as stored: sorted, without duplicates, comma-separated.
pub fn join_tags<'a>(codes: impl IntoIterator<Item = &'a str>) -> String {
    let mut v: Vec<&str> = codes.into_iter().filter(|c| !c.is_empty()).collect();
    v.sort_unstable();
    v.dedup();
    v.join(",")
}

pub fn split_tags(stored: &str) -> impl Iterator<Item = &str> {
    stored.split(',').filter(|c| !c.is_empty())
}

/// Where a household stands with its visit rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum VisitState {
    /// No member needs regular visits.
    NoRule,
    /// The next visit is due at this time (ms since the epoch).
    Due { due_at: i64 },
    /// The visit was due this many whole days ago (0: due earlier today).
    Overdue { due_at: i64, days: i64 },
}

impl VisitState {
    pub fn of(
        every_days: Option<u32>,
        last_visit: Option<DateTime<Utc>>,
        registered: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> VisitState {
        let Some(every) = every_days else {
            return VisitState::NoRule;
        };
        let due = last_visit.unwrap_or(registered) + Duration::days(i64::from(every));
        if due > now {
            VisitState::Due {
                due_at: due.timestamp_millis(),
            }
        } else {
            VisitState::Overdue {
                due_at: due.timestamp_millis(),
                days: (now - due).num_days(),
            }
        }
    }

    pub fn is_overdue(self) -> bool {
        matches!(self, VisitState::Overdue { .. })
    }
}

/// The latest visit time that still counts as "on time" now, for a rule of `every` days:
/// households with `last_visit_at < overdue_before(now, every)` are overdue (the SQL form
/// of [`VisitState::of`]).
pub fn overdue_before(now: DateTime<Utc>, every_days: u32) -> DateTime<Utc> {
    now - Duration::days(i64::from(every_days))
}

/// Longest visit a worker may log (a working day).
pub const VISIT_MINUTES_MAX: u32 = 480;
pub const NOTES_MAX: usize = 1000;

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn tags() -> Vec<PopulationTag> {
        let mut v = builtin_tags();
        v.push(PopulationTag {
            code: "veteran".into(),
            name: "退役军人".into(),
            name_en: "Veteran".into(),
            visit_every_days: None,
        });
        v
    }

    #[test]
    fn the_shortest_rule_wins() {
        let t = tags();
        assert_eq!(visit_interval(["disabled", "elderly_alone"], &t), Some(7));
        assert_eq!(visit_interval(["unemployed"], &t), Some(30));
        assert_eq!(visit_interval(["veteran"], &t), None);
        assert_eq!(visit_interval(["nonsense"], &t), None);
        assert_eq!(visit_interval([], &t), None);
    }

    #[test]
    fn overdue_counts_from_the_last_visit_or_registration() {
        let at = |d: u32, h: u32| Utc.with_ymd_and_hms(2026, 11, d, h, 0, 0).unwrap();
        let now = at(20, 10);
        assert_eq!(
            VisitState::of(None, None, at(1, 0), now),
            VisitState::NoRule
        );
        // Visited on the 14th at 09:00, weekly: due the 21st, not yet overdue.
        assert!(matches!(
            VisitState::of(Some(7), Some(at(14, 9)), at(1, 0), now),
            VisitState::Due { .. }
        ));
        // Visited on the 12th: due the 19th, one day overdue.
        assert_eq!(
            VisitState::of(Some(7), Some(at(12, 9)), at(1, 0), now),
            VisitState::Overdue {
                due_at: at(19, 9).timestamp_millis(),
                days: 1
            }
        );
        // Never visited, registered on the 1st: due the 8th.
        assert!(VisitState::of(Some(7), None, at(1, 0), now).is_overdue());
        // The SQL boundary agrees with the rule.
        assert!(at(12, 9) < overdue_before(now, 7));
        assert!(at(14, 9) >= overdue_before(now, 7));
    }

    #[test]
    fn tags_are_stored_sorted_and_unique() {
        assert_eq!(join_tags(["b", "a", "b", ""]), "a,b");
        assert_eq!(split_tags("a,b").collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(split_tags("").count(), 0);
    }
}

/// Who may do what with households (SPEC §3, PIPL): departments never read them; lists are
/// masked for everyone; full numbers only for the people who call or visit (grid staff and
/// the community's centre), each time audited.
pub mod policy {
    use crate::domain::people::Role;

    pub fn may_read(role: Role) -> bool {
        !matches!(role, Role::Dept)
    }

    pub fn may_reveal(role: Role) -> bool {
        matches!(role, Role::Worker | Role::GridLeader | Role::Center)
    }

    pub fn may_visit(role: Role) -> bool {
        matches!(role, Role::Worker | Role::GridLeader)
    }

    pub fn may_import(role: Role) -> bool {
        matches!(
            role,
            Role::Worker | Role::GridLeader | Role::Center | Role::Admin
        )
    }
}
