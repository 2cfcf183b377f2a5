//! Reusable pieces of UI, each named for what the user sees.

pub mod browser;
pub mod case_bits;
pub mod case_map;
pub mod chart;
pub mod csrf;
pub mod error_note;
pub mod grid_map;
pub mod labels;
pub mod live;
pub mod nav;
pub mod outcome;
pub mod script;
