//! Three-colour boards (红黄绿三色看板): how many cases of an area are red, yellow and green,
//! per child area and per department, and the red list with the reason for each.
//!
//! What a board counts: the cases reported in the period, plus every case reported before
//! it and still open (a backlog must not vanish when the month turns). Merged
//! reports are left out (their target carries the repeat). Colours are those of
//! `case::colour` at the moment the board is asked for.

use super::case::{Colour, RedReason};
use super::territory::Level;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ColourCounts {
    pub red: u32,
    pub yellow: u32,
    pub green: u32,
}

impl ColourCounts {
    pub fn add(&mut self, colour: Colour, n: u32) {
        match colour {
            Colour::Red => self.red += n,
            Colour::Yellow => self.yellow += n,
            Colour::Green => self.green += n,
        }
    }

    pub fn merge(&mut self, other: ColourCounts) {
        self.red += other.red;
        self.yellow += other.yellow;
        self.green += other.green;
    }

    pub fn total(self) -> u32 {
        self.red + self.yellow + self.green
    }

    pub fn get(self, colour: Colour) -> u32 {
        match colour {
            Colour::Red => self.red,
            Colour::Yellow => self.yellow,
            Colour::Green => self.green,
        }
    }
}

/// One child area (street, community or grid) of the board's area.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AreaCounts {
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub level: Level,
    pub counts: ColourCounts,
}

/// One department: the cases dispatched to it (as lead or co-handler) on the board.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DepartmentCounts {
    pub code: String,
    pub name: String,
    pub counts: ColourCounts,
}

/// A red case and why it is red.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RedItem {
    pub id: i64,
    pub tracking_code: String,
    pub category: String,
    pub category_name: String,
    pub grid_name: String,
    pub reported_at: i64,
    pub reasons: Vec<RedReason>,
    /// Hours past the deadline (wall clock), when overdue.
    pub overdue_hours: Option<u32>,
    /// Hours past the acknowledgement due time, when a department has not acknowledged.
    pub ack_overdue_hours: Option<u32>,
    pub repeat_count: u32,
    pub supervised: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Board {
    pub area_code: String,
    pub area_name: String,
    pub area_level: Level,
    /// The period's code (`2026-11`) and label (`2026年11月`).
    pub period: String,
    pub period_label: String,
    pub totals: ColourCounts,
    /// The children of the area (streets of the district, communities of a street, grids
    /// of a community), in territory order. Empty for a grid.
    pub areas: Vec<AreaCounts>,
    pub departments: Vec<DepartmentCounts>,
    /// The red cases, most overdue first, at most `RED_LIST_LIMIT`.
    pub red: Vec<RedItem>,
    pub red_total: u32,
}

pub const RED_LIST_LIMIT: usize = 200;

/// Adds per-grid counts up into the children of an area: each grid's path starts with
/// exactly one child's path. Grids under no child (not possible in a consistent tree) are
/// ignored.
pub fn roll_up(child_paths: &[&str], per_grid: &[(String, Colour, u32)]) -> Vec<ColourCounts> {
    let mut out = vec![ColourCounts::default(); child_paths.len()];
    for (grid_path, colour, n) in per_grid {
        if let Some(i) = child_paths.iter().position(|p| grid_path.starts_with(p)) {
            out[i].add(*colour, *n);
        }
    }
    out
}

/// Whole hours from `since` to `now`, when `now` is past it.
pub fn hours_past(since: Option<i64>, now_ms: i64) -> Option<u32> {
    since
        .filter(|&s| now_ms > s)
        .map(|s| u32::try_from((now_ms - s) / 3_600_000).unwrap_or(u32::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grids_roll_up_into_their_own_child_only() {
        let children = ["/D/S1/", "/D/S10/"];
        let rows = vec![
            ("/D/S1/C1/G1/".to_owned(), Colour::Red, 2),
            ("/D/S1/C2/G1/".to_owned(), Colour::Green, 3),
            // S10 starts with "S1" but its paths end with "/": no double counting.
            ("/D/S10/C1/G1/".to_owned(), Colour::Yellow, 4),
        ];
        let out = roll_up(&children, &rows);
        assert_eq!(
            out[0],
            ColourCounts {
                red: 2,
                yellow: 0,
                green: 3
            }
        );
        assert_eq!(out[1].total(), 4);
    }

    #[test]
    fn hours_past_only_after_the_moment() {
        assert_eq!(hours_past(Some(0), 3 * 3_600_000 + 5), Some(3));
        assert_eq!(hours_past(Some(10), 5), None);
        assert_eq!(hours_past(None, 5), None);
    }
}
