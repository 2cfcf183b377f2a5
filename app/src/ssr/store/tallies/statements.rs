//! The one definition of what a tally row counts: SELECTs yielding rows in the columns of
//! `case_tallies`, over every case (`rebuild`) or over one case (its contribution, which
//! `delta` adds and takes away as the case moves). Both uses run the same text, so a
//! tally kept step by step and one rebuilt from the cases cannot mean different things.

use crate::ssr::store::sql::{OPEN, colour_name_sql, count_if};

/// The open axes' buckets: weeks of `red_at` since the epoch (finer buckets would make a
/// row per case); `NEVER` holds open cases with nothing due.
pub const RED_BUCKET_MS: i64 = 7 * 86_400_000;
const NEVER: i64 = 9_000_000_000_000_000;

/// The key columns of `case_tallies` (its primary key is these but `grid_path`).
pub const KEY: &str = "grid_code, grid_path, month, axis, subject, colour";
/// The measures of `case_tallies`, in the order `Measures` holds them.
pub const MEASURES: [&str; 12] = [
    "cases",
    "completed",
    "on_time",
    "satisfied",
    "basically",
    "dissatisfied",
    "closed_unrated",
    "resident_satisfied",
    "resident_basically",
    "resident_dissatisfied",
    "ack_due",
    "ack_on_time",
];

/// Which cases a statement counts.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Scope {
    /// Every case (binds: `$1`, `$2` the month's bounds for the dated axes; none for open).
    All,
    /// One case (binds: `$1`, `$2` the month's bounds and `$3` the case id for the dated
    /// axes; `$1` the case id for open).
    Case,
}

impl Scope {
    /// What precedes a dated column in a month's range (see `dated_selects`).
    fn range_prefix(self) -> &'static str {
        match self {
            Scope::All => "",
            Scope::Case => "+",
        }
    }

    /// Conditions on the case `c`, a dispatch `d` and an event `e`, each ending in AND.
    fn conditions(self) -> [&'static str; 3] {
        match self {
            Scope::All => ["", "", ""],
            // The cast keeps the id out of SQLite's STAT4 reckoning (see `dated_selects`).
            Scope::Case => [
                "c.id = $3 AND",
                "d.case_id = CAST($3 AS BIGINT) AND",
                "e.case_id = CAST($3 AS BIGINT) AND",
            ],
        }
    }
}

/// The rows of the open axes (not dated: `month` is the week an open case turns red).
pub fn open_selects(scope: Scope) -> [String; 2] {
    let cond = match scope {
        Scope::All => "",
        Scope::Case => "c.id = $1 AND",
    };
    let bucket = format!("COALESCE((c.red_at / {RED_BUCKET_MS}) * {RED_BUCKET_MS}, {NEVER})");
    [
        format!(
            "SELECT c.grid_code, c.grid_path, {bucket}, 'open', '', '', COUNT(*), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 \
             FROM cases c WHERE {cond} {OPEN} GROUP BY c.grid_code, c.grid_path, 3"
        ),
        format!(
            "SELECT c.grid_code, c.grid_path, {bucket}, 'open_department', d.department, '', COUNT(DISTINCT c.id), \
                    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 \
             FROM cases c JOIN case_dispatches d ON d.case_id = c.id AND d.withdrawn_at IS NULL AND d.role <> 'copy' \
             WHERE {cond} {OPEN} GROUP BY c.grid_code, c.grid_path, 3, d.department"
        ),
    ]
}

/// The rows of one month `[$1, $2)` of every dated axis.
pub fn dated_selects(scope: Scope) -> [String; 6] {
    let [grid, dispatch_grid, event_grid] = scope.conditions();
    // For one case the planner always takes the case's rows, but a parameter compared
    // with an indexed column makes SQLite (with STAT4 statistics, after ANALYZE) prepare
    // the statement again whenever it is bound, to weigh the index for that value: 0.45 ms
    // of every step for this 6 KB text. A unary `+` on the month's range and a cast of the
    // case id keep them out of that reckoning and change no value.
    let at = scope.range_prefix();
    let done = "c.status IN ('resolved', 'closed')";
    let colour = format!(
        "CASE WHEN {OPEN} THEN 'open' ELSE {} END",
        colour_name_sql("0")
    );
    let by_resident = "EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id \
                       AND e.action = 'feedback' AND e.actor_account IS NULL)";
    let rated = |level: &str| count_if(&format!("c.feedback = '{level}'"));
    let rated_by_resident =
        |level: &str| count_if(&format!("c.feedback = '{level}' AND {by_resident}"));
    let lead_rated = |level: &str| count_if(&format!("d.role = 'lead' AND c.feedback = '{level}'"));
    let lead_rated_by_resident = |level: &str| {
        count_if(&format!(
            "d.role = 'lead' AND c.feedback = '{level}' AND {by_resident}"
        ))
    };
    let reported = format!(
        "SELECT c.grid_code, c.grid_path, $1, 'reported', COALESCE(CAST(c.reporter_account AS TEXT), ''), {colour}, \
                COUNT(*), {}, {}, {}, {}, {}, {}, 0, 0, 0, 0, 0 \
         FROM cases c WHERE {grid} {at}c.reported_at >= $1 AND {at}c.reported_at < $2 AND c.status NOT IN ('merged', 'invalid') \
         GROUP BY c.grid_code, c.grid_path, 5, 6",
        count_if(done),
        count_if(&format!(
            "{done} AND (c.deadline_at IS NULL OR c.resolved_at IS NULL OR c.resolved_at <= c.deadline_at)"
        )),
        rated("satisfied"),
        rated("basically_satisfied"),
        rated("dissatisfied"),
        count_if("c.feedback IS NULL AND c.status = 'closed' AND c.closed_without_feedback = 1"),
    );
    let department = format!(
        "SELECT c.grid_code, c.grid_path, $1, 'department', d.department, {colour}, \
                COUNT(DISTINCT c.id), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 \
         FROM cases c JOIN case_dispatches d ON d.case_id = c.id AND d.withdrawn_at IS NULL AND d.role <> 'copy' \
         WHERE {grid} {at}c.reported_at >= $1 AND {at}c.reported_at < $2 AND c.status NOT IN ('merged', 'invalid') \
         GROUP BY c.grid_code, c.grid_path, 5, 6"
    );
    let resolved = format!(
        "SELECT c.grid_code, c.grid_path, $1, 'resolved', '', '', COUNT(*), {}, {}, {}, {}, {}, 0, {}, {}, {}, 0, 0 \
         FROM cases c WHERE {grid} {at}c.resolved_at >= $1 AND {at}c.resolved_at < $2 \
         GROUP BY c.grid_code, c.grid_path",
        count_if(done),
        count_if(&format!(
            "{done} AND (c.deadline_at IS NULL OR c.resolved_at <= c.deadline_at)"
        )),
        rated("satisfied"),
        rated("basically_satisfied"),
        rated("dissatisfied"),
        rated_by_resident("satisfied"),
        rated_by_resident("basically_satisfied"),
        rated_by_resident("dissatisfied"),
    );
    let dispatched = format!(
        "SELECT c.grid_code, c.grid_path, $1, 'dispatched', d.department, '', COUNT(*), 0, 0, 0, 0, 0, 0, 0, 0, 0, {}, {} \
         FROM case_dispatches d JOIN cases c ON c.id = d.case_id \
         WHERE {dispatch_grid} {at}d.dispatched_at >= $1 AND {at}d.dispatched_at < $2 \
         AND d.withdrawn_at IS NULL AND d.role <> 'copy' \
         GROUP BY c.grid_code, c.grid_path, d.department",
        count_if("d.ack_due_at IS NOT NULL"),
        count_if(
            "d.ack_due_at IS NOT NULL AND d.acknowledged_at IS NOT NULL AND d.acknowledged_at <= d.ack_due_at"
        ),
    );
    let dept_resolved = format!(
        "SELECT c.grid_code, c.grid_path, $1, 'dept_resolved', d.department, '', COUNT(*), COUNT(*), {}, {}, {}, {}, \
                0, {}, {}, {}, 0, 0 \
         FROM case_dispatches d JOIN cases c ON c.id = d.case_id \
         WHERE {dispatch_grid} {at}d.resolved_at >= $1 AND {at}d.resolved_at < $2 \
         AND d.withdrawn_at IS NULL AND d.role <> 'copy' \
         GROUP BY c.grid_code, c.grid_path, d.department",
        count_if("c.deadline_at IS NULL OR d.resolved_at <= c.deadline_at"),
        lead_rated("satisfied"),
        lead_rated("basically_satisfied"),
        lead_rated("dissatisfied"),
        lead_rated_by_resident("satisfied"),
        lead_rated_by_resident("basically_satisfied"),
        lead_rated_by_resident("dissatisfied"),
    );
    // Counted in the month of each resolution step by a grid worker's account.
    let self_closed = format!(
        "SELECT c.grid_code, c.grid_path, $1, 'self_closed', CAST(e.actor_account AS TEXT), '', COUNT(DISTINCT c.id), \
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 \
         FROM case_events e JOIN cases c ON c.id = e.case_id \
         WHERE {event_grid} e.action = 'resolve' AND {at}e.at >= $1 AND {at}e.at < $2 AND e.actor_account IS NOT NULL \
         AND c.tier = 'simple' AND (c.deadline_at IS NULL OR e.at <= c.deadline_at) \
         GROUP BY c.grid_code, c.grid_path, e.actor_account"
    );
    [
        reported,
        department,
        resolved,
        dispatched,
        dept_resolved,
        self_closed,
    ]
}

/// `INSERT INTO case_tallies` from one of the SELECTs above.
pub fn insert(select: &str) -> String {
    format!(
        "INSERT INTO case_tallies ({KEY}, {}) {select}",
        MEASURES.join(", ")
    )
}

/// The SELECTs as one statement (each part keeps its own GROUP BY; integer columns
/// decode as i64 whichever width the engine gives them).
pub fn union(selects: &[String]) -> String {
    selects.join(" UNION ALL ")
}
