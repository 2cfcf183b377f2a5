//! Keeping the tallies step by step at a cost that does not grow with the data: a case's
//! contribution (the tally rows it alone would make, read by `statements` for that one
//! case) is taken before a step and after it, and only the difference is added to
//! `case_tallies` (+1 on the rows the case moves to, −1 on those it leaves). Nothing is
//! recomputed from the grid's other cases, and no lock is taken but the rows' own.
//!
//! On PostgreSQL the case's row is locked first (`FOR UPDATE`), so that the "before" is the
//! state this transaction is about to change and not one a concurrent step is replacing.
//! Rows are written in key order, so two steps never wait on each other in a circle.

use super::month_of;
use super::statements::{self, MEASURES, Scope};
use crate::ssr::store::StoreResult;
use crate::ssr::store::batch::{self, renumber};
use sqlx::{Any, Row, Transaction};
use std::collections::{BTreeMap, BTreeSet};

/// The counts of one tally row, in the order of `statements::MEASURES`.
pub type Measures = [i64; MEASURES.len()];

/// A tally row's key (the table's primary key).
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub struct Key {
    pub grid_code: String,
    pub month: i64,
    pub axis: String,
    pub subject: String,
    pub colour: String,
}

/// The tally rows one case makes: per key, the grid's path and the counts.
#[derive(Clone, Default, PartialEq, Eq, Debug)]
pub struct Contribution(pub BTreeMap<Key, (String, Measures)>);

/// One change to a tally row: `measures` is added (it may be negative).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Change {
    pub key: Key,
    pub grid_path: String,
    pub measures: Measures,
}

/// What must be added to the tallies for a case that contributed `before` to contribute
/// `after`, in key order; rows that do not move are left out.
pub fn difference(before: &Contribution, after: &Contribution) -> Vec<Change> {
    let keys: BTreeSet<&Key> = before.0.keys().chain(after.0.keys()).collect();
    keys.into_iter()
        .filter_map(|key| {
            let old = before.0.get(key);
            let new = after.0.get(key);
            let mut measures = new.map(|(_, m)| *m).unwrap_or_default();
            if let Some((_, m)) = old {
                for (d, o) in measures.iter_mut().zip(m) {
                    *d -= o;
                }
            }
            let grid_path = new.or(old).map(|(p, _)| p.clone()).unwrap_or_default();
            (measures != Measures::default()).then(|| Change {
                key: key.clone(),
                grid_path,
                measures,
            })
        })
        .collect()
}

/// The months of a case: when it was reported and resolved, when each of its dispatches
/// was sent and resolved, and each resolution step. Locks the case's row on PostgreSQL.
pub async fn case_months(
    tx: &mut Transaction<'_, Any>,
    case_id: i64,
) -> StoreResult<BTreeSet<i64>> {
    if tx.backend_name() == "PostgreSQL" {
        sqlx::query("SELECT 1 FROM cases WHERE id = $1 FOR UPDATE")
            .bind(case_id)
            .execute(&mut **tx)
            .await?;
    }
    months_of_held(tx, case_id).await
}

/// `case_months` of a case this transaction already holds (loaded by `cases::load`, which
/// locks it on PostgreSQL): no second lock, one statement less.
async fn months_of_held(tx: &mut Transaction<'_, Any>, case_id: i64) -> StoreResult<BTreeSet<i64>> {
    // One statement (each is a turn of the writer). The id is cast so that SQLite, with
    // STAT4 statistics, does not prepare the statement again whenever it is bound (it
    // would, to weigh the indexes on case_id for that value; the plan never changes).
    let times: Vec<(Option<i64>,)> = sqlx::query_as(
        "SELECT reported_at FROM cases WHERE id = $1 \
         UNION ALL SELECT resolved_at FROM cases WHERE id = $1 \
         UNION ALL SELECT dispatched_at FROM case_dispatches WHERE case_id = CAST($1 AS BIGINT) \
         UNION ALL SELECT resolved_at FROM case_dispatches WHERE case_id = CAST($1 AS BIGINT) \
         UNION ALL SELECT at FROM case_events WHERE case_id = CAST($1 AS BIGINT) AND action = 'resolve'",
    )
    .bind(case_id)
    .fetch_all(&mut **tx)
    .await?;
    Ok(times
        .into_iter()
        .filter_map(|(t,)| t)
        .map(|t| month_of(t).0)
        .collect())
}

/// The tally rows of one case as it stands in this transaction.
pub async fn contribution(
    tx: &mut Transaction<'_, Any>,
    case_id: i64,
) -> StoreResult<Contribution> {
    let months = case_months(tx, case_id).await?;
    contribution_in(tx, case_id, &months).await
}

/// `contribution` of a case this transaction holds (loaded by `cases::load`), with the
/// months it was read in: a step that knows what it changes passes them on to `settle_in`
/// instead of reading them again.
pub async fn contribution_and_months(
    tx: &mut Transaction<'_, Any>,
    case_id: i64,
) -> StoreResult<(Contribution, BTreeSet<i64>)> {
    let months = months_of_held(tx, case_id).await?;
    let found = contribution_in(tx, case_id, &months).await?;
    Ok((found, months))
}

/// The months of a case just written from `s` that has no events yet: what
/// `case_months` would read back, without a turn of the writer to read it.
pub fn months_of_new(s: &crate::domain::case::machine::CaseState) -> BTreeSet<i64> {
    use crate::ssr::db::to_millis;
    let dispatches = s
        .dispatches
        .iter()
        .flat_map(|d| [Some(d.dispatched_at), d.resolved_at]);
    [Some(s.reported_at), s.resolved_at]
        .into_iter()
        .chain(dispatches)
        .flatten()
        .map(|t| month_of(to_millis(t)).0)
        .collect()
}

/// The tally rows of one case in the given months (and its open rows), read by one
/// statement: each statement is a turn of the writer.
pub async fn contribution_in(
    tx: &mut Transaction<'_, Any>,
    case_id: i64,
    months: &BTreeSet<i64>,
) -> StoreResult<Contribution> {
    let sql = built_once(&CONTRIBUTION_SQL, months.len(), contribution_sql);
    let mut q = sqlx::query(&sql).bind(case_id);
    for month in months {
        let (from, to) = month_of(*month);
        q = q.bind(from).bind(to);
    }
    let rows = q.fetch_all(&mut **tx).await?;
    let mut found = Contribution::default();
    for row in rows {
        let key = Key {
            grid_code: row.try_get(0)?,
            month: row.try_get(2)?,
            axis: row.try_get(3)?,
            subject: row.try_get(4)?,
            colour: row.try_get(5)?,
        };
        let mut measures = Measures::default();
        for (i, m) in measures.iter_mut().enumerate() {
            *m = row.try_get(6 + i)?;
        }
        found.0.insert(key, (row.try_get(1)?, measures));
    }
    Ok(found)
}

/// The statement texts of the common sizes, built at their first use: a step reads a
/// contribution twice and upserts once, and the texts are kilobytes.
static CONTRIBUTION_SQL: [std::sync::OnceLock<String>; 8] =
    [const { std::sync::OnceLock::new() }; 8];
static UPSERT_SQL: [std::sync::OnceLock<String>; 16] = [const { std::sync::OnceLock::new() }; 16];
static DELETE_SQL: [std::sync::OnceLock<String>; 8] = [const { std::sync::OnceLock::new() }; 8];

/// `build(n)`, kept in `kept` when `n` is one of its sizes.
fn built_once<const N: usize>(
    kept: &'static [std::sync::OnceLock<String>; N],
    n: usize,
    build: fn(usize) -> String,
) -> std::borrow::Cow<'static, str> {
    match kept.get(n) {
        Some(cell) => cell.get_or_init(|| build(n)).as_str().into(),
        None => build(n).into(),
    }
}

/// One case's open rows and its dated rows for `months` months: `$1` is the case, then
/// each month's range (`$2`, `$3`; `$4`, `$5` …).
fn contribution_sql(months: usize) -> String {
    let dated = statements::union(&statements::dated_selects(Scope::Case));
    let mut parts = vec![statements::union(&statements::open_selects(Scope::Case))];
    for j in 0..months {
        // The dated text binds the range as $1, $2 and the case as $3.
        parts.push(renumber(&dated, |n| match n {
            1 => 2 + 2 * j,
            2 => 3 + 2 * j,
            _ => 1,
        }));
    }
    statements::union(&parts)
}

/// Brings the tallies of a case that contributed `before` up to date with the case as it
/// now stands in this transaction.
pub async fn settle(
    tx: &mut Transaction<'_, Any>,
    case_id: i64,
    before: &Contribution,
) -> StoreResult<()> {
    let after = contribution(tx, case_id).await?;
    apply(tx, &difference(before, &after)).await
}

/// `settle` when the caller knows every month the case may now count in (`months`: those
/// it counted in before, and the months of the times the step wrote). A month too many
/// costs nothing (the case has no rows there); one too few would lose rows, so callers
/// pass a superset of what `case_months` would read.
pub async fn settle_in(
    tx: &mut Transaction<'_, Any>,
    case_id: i64,
    before: &Contribution,
    months: &BTreeSet<i64>,
) -> StoreResult<()> {
    let after = contribution_in(tx, case_id, months).await?;
    apply(tx, &difference(before, &after)).await
}

/// Adds each change to its row (made if missing), all in one statement; a row left
/// counting no case goes — in the same text on SQLite (`batch`), by its own statement on
/// PostgreSQL.
pub async fn apply(tx: &mut Transaction<'_, Any>, changes: &[Change]) -> StoreResult<()> {
    if changes.is_empty() {
        return Ok(());
    }
    // Every row counts at least one case (`cases` is a COUNT): none left, no row.
    let lost: Vec<&Key> = changes
        .iter()
        .filter(|c| c.measures[0] < 0)
        .map(|c| &c.key)
        .collect();
    let upsert = built_once(&UPSERT_SQL, changes.len(), upsert_sql);
    let delete = (!lost.is_empty()).then(|| built_once(&DELETE_SQL, lost.len(), delete_sql));
    let at_once = batch::takes_one_text(tx);
    let joined = match &delete {
        Some(delete) if at_once => batch::join(&[
            (&upsert, changes.len() * (6 + MEASURES.len())),
            (delete, lost.len() * 5),
        ])
        .into(),
        _ => upsert,
    };
    let mut q = sqlx::query(&joined);
    for c in changes {
        q = q
            .bind(&c.key.grid_code)
            .bind(&c.grid_path)
            .bind(c.key.month)
            .bind(&c.key.axis)
            .bind(&c.key.subject)
            .bind(&c.key.colour);
        for m in c.measures {
            q = q.bind(m);
        }
    }
    if at_once {
        bind_keys(q, &lost).execute(&mut **tx).await?;
        return Ok(());
    }
    q.execute(&mut **tx).await?;
    if let Some(delete) = &delete {
        bind_keys(sqlx::query(delete), &lost)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Binds the keys of `delete_sql` after whatever `q` bound already.
fn bind_keys<'q>(
    mut q: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>,
    keys: &[&'q Key],
) -> sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>> {
    for k in keys {
        q = q
            .bind(&k.grid_code)
            .bind(k.month)
            .bind(&k.axis)
            .bind(&k.subject)
            .bind(&k.colour);
    }
    q
}

/// The removal of `rows` tally rows, each named by its whole key, if they count no case.
/// One key per `OR` term: both databases look each one up in the primary key.
fn delete_sql(rows: usize) -> String {
    let terms: Vec<String> = (0..rows)
        .map(|r| {
            let n = |i: usize| r * 5 + i;
            format!(
                "(grid_code = ${} AND month = ${} AND axis = ${} AND subject = ${} AND colour = ${})",
                n(1),
                n(2),
                n(3),
                n(4),
                n(5)
            )
        })
        .collect();
    format!(
        "DELETE FROM case_tallies WHERE cases = 0 AND ({})",
        terms.join(" OR ")
    )
}

/// The upsert of `rows` changes. Their keys are distinct (PostgreSQL refuses a command
/// that updates one row twice) and in key order, so rows are still locked in that order.
fn upsert_sql(rows: usize) -> String {
    let width = 6 + MEASURES.len();
    let values: Vec<String> = (0..rows)
        .map(|r| {
            let row: Vec<String> = (1..=width).map(|i| format!("${}", r * width + i)).collect();
            format!("({})", row.join(", "))
        })
        .collect();
    let adds: Vec<String> = MEASURES
        .iter()
        .map(|m| format!("{m} = case_tallies.{m} + excluded.{m}"))
        .collect();
    format!(
        "INSERT INTO case_tallies ({}, {}) VALUES {} \
         ON CONFLICT (grid_code, month, axis, subject, colour) DO UPDATE SET grid_path = excluded.grid_path, {}",
        statements::KEY,
        MEASURES.join(", "),
        values.join(", "),
        adds.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(axis: &str, colour: &str) -> Key {
        Key {
            grid_code: "g1".into(),
            month: 100,
            axis: axis.into(),
            subject: String::new(),
            colour: colour.into(),
        }
    }

    fn one(cases: i64, completed: i64) -> Measures {
        let mut m = Measures::default();
        m[0] = cases;
        m[1] = completed;
        m
    }

    fn of(rows: &[(Key, Measures)]) -> Contribution {
        Contribution(
            rows.iter()
                .map(|(k, m)| (k.clone(), ("/d/g1/".to_owned(), *m)))
                .collect(),
        )
    }

    #[test]
    fn a_case_moving_colour_leaves_one_row_and_joins_another() {
        let before = of(&[
            (key("reported", "open"), one(1, 0)),
            (key("open", ""), one(1, 0)),
        ]);
        let after = of(&[
            (key("reported", "yellow"), one(1, 1)),
            (key("resolved", ""), one(1, 1)),
        ]);
        let changes = difference(&before, &after);
        let moved: Vec<(&str, &str, Measures)> = changes
            .iter()
            .map(|c| (c.key.axis.as_str(), c.key.colour.as_str(), c.measures))
            .collect();
        // In key order: axis, then colour.
        assert_eq!(
            moved,
            vec![
                ("open", "", one(-1, 0)),
                ("reported", "open", one(-1, 0)),
                ("reported", "yellow", one(1, 1)),
                ("resolved", "", one(1, 1)),
            ]
        );
    }

    #[test]
    fn rows_that_do_not_move_are_left_alone() {
        let same = of(&[(key("reported", "open"), one(1, 0))]);
        assert!(difference(&same, &same).is_empty());
        let rated = of(&[(key("reported", "open"), one(1, 1))]);
        let changes = difference(&same, &rated);
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].measures, one(0, 1));
    }

    #[test]
    fn a_new_case_adds_everything_and_a_gone_one_takes_it_back() {
        let rows = of(&[
            (key("reported", "open"), one(1, 0)),
            (key("open", ""), one(1, 0)),
        ]);
        let added = difference(&Contribution::default(), &rows);
        assert!(added.iter().all(|c| c.measures == one(1, 0)));
        let taken = difference(&rows, &Contribution::default());
        assert!(taken.iter().all(|c| c.measures == one(-1, 0)));
        assert_eq!(taken[0].grid_path, "/d/g1/");
    }

    #[test]
    fn one_statement_binds_the_case_then_each_months_range() {
        use crate::ssr::store::batch::placeholders;
        let one = contribution_sql(1);
        assert_eq!(placeholders(&one), (1..=3).collect());
        let three = contribution_sql(3);
        assert_eq!(placeholders(&three), (1..=7).collect());
        assert_eq!(placeholders(&contribution_sql(0)), [1].into());
        let upsert = upsert_sql(2);
        assert_eq!(
            placeholders(&upsert),
            (1..=2 * (6 + MEASURES.len())).collect()
        );
        assert_eq!(upsert.matches("), (").count(), 1, "two rows: {upsert}");
        let delete = delete_sql(3);
        assert_eq!(placeholders(&delete), (1..=15).collect());
        assert_eq!(delete.matches(" OR ").count(), 2, "{delete}");
        assert_eq!(built_once(&UPSERT_SQL, 2, upsert_sql), upsert);
        assert_eq!(
            built_once(&CONTRIBUTION_SQL, 20, contribution_sql),
            contribution_sql(20)
        );
    }

    /// What `case_months` would read back for a case written from its state (no events).
    #[test]
    fn a_new_cases_months_are_those_of_its_times() {
        use crate::domain::case::machine::{CaseState, DispatchState};
        use crate::domain::case::types::DispatchRole;
        use chrono::TimeZone;
        let at = |m: u32, d: u32| chrono::Utc.with_ymd_and_hms(2026, m, d, 4, 0, 0).unwrap();
        let ms = |t: chrono::DateTime<chrono::Utc>| month_of(crate::ssr::db::to_millis(t)).0;
        let mut s = CaseState::reported("sanitation", "G1", at(3, 31), None);
        assert_eq!(months_of_new(&s), [ms(at(3, 1))].into());
        s.resolved_at = Some(at(5, 2));
        s.dispatches.push(DispatchState {
            department: "urban".into(),
            role: DispatchRole::Lead,
            dispatched_at: at(4, 1),
            ack_due: None,
            acknowledged_at: None,
            resolved_at: Some(at(4, 30)),
            returned_at: None,
            withdrawn_at: None,
        });
        assert_eq!(
            months_of_new(&s),
            [ms(at(3, 5)), ms(at(4, 9)), ms(at(5, 9))].into()
        );
    }
}
