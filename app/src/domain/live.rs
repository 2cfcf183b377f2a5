//! Live updates (实时推送): one message per case event, pushed to every page that shows
//! cases. The id is the case event's id, so a client that reconnects says where it was
//! (`Last-Event-ID`) and is sent what it missed.

use super::case::Colour;
use super::scope::Scope;
use serde::{Deserialize, Serialize};

/// How many missed events a reconnecting client is sent; further behind, it is told to
/// reload its figures ("resync") instead.
pub const REPLAY_LIMIT: usize = 1000;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseChange {
    /// The case event's id: increasing, the SSE event id.
    pub id: i64,
    pub case_id: i64,
    /// The step (`report`, `dispatch`, `resolve`, …).
    pub action: String,
    pub status: String,
    /// The case's colour right after the step.
    pub colour: Colour,
    pub grid_code: String,
    pub grid_path: String,
    /// Departments the case is dispatched to (not withdrawn).
    pub departments: Vec<String>,
    pub lat: f64,
    pub lng: f64,
    /// Milliseconds since the epoch.
    pub at: i64,
}

impl CaseChange {
    /// The same rule as case reads: a subtree sees its cases, a department those
    /// dispatched to it.
    pub fn visible_to(&self, scope: &Scope) -> bool {
        match scope {
            Scope::Subtree { path } => self.grid_path.starts_with(path.as_str()),
            Scope::Department { code } => self.departments.iter().any(|d| d == code),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_reach_only_those_who_may_read_the_case() {
        let c = CaseChange {
            id: 1,
            case_id: 9,
            action: "dispatch".into(),
            status: "dispatched".into(),
            colour: Colour::Yellow,
            grid_code: "G1".into(),
            grid_path: "/D/S1/C1/G1/".into(),
            departments: vec!["urban".into()],
            lat: 0.0,
            lng: 0.0,
            at: 0,
        };
        let sub = |p: &str| Scope::Subtree { path: p.into() };
        assert!(c.visible_to(&sub("/D/")));
        assert!(c.visible_to(&sub("/D/S1/C1/G1/")));
        assert!(!c.visible_to(&sub("/D/S2/")));
        assert!(c.visible_to(&Scope::Department {
            code: "urban".into()
        }));
        assert!(!c.visible_to(&Scope::Department {
            code: "police".into()
        }));
    }
}
