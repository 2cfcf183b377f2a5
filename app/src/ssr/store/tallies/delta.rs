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
    let mut rows = Vec::new();
    let dated = statements::union(&statements::dated_selects(Scope::Case));
    for month in months {
        let (from, to) = month_of(month);
        rows.extend(
            sqlx::query(&dated)
                .bind(from)
                .bind(to)
                .bind(case_id)
                .fetch_all(&mut **tx)
                .await?,
        );
    }
    let open = statements::union(&statements::open_selects(Scope::Case));
    rows.extend(
        sqlx::query(&open)
            .bind(case_id)
            .fetch_all(&mut **tx)
            .await?,
    );
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

/// Adds each change to its row (made if missing); a row left counting no case goes.
pub async fn apply(tx: &mut Transaction<'_, Any>, changes: &[Change]) -> StoreResult<()> {
    let upsert = upsert_sql();
    for c in changes {
        let mut q = sqlx::query(&upsert)
            .bind(&c.key.grid_code)
            .bind(&c.grid_path)
            .bind(c.key.month)
            .bind(&c.key.axis)
            .bind(&c.key.subject)
            .bind(&c.key.colour);
        for m in c.measures {
            q = q.bind(m);
        }
        q.execute(&mut **tx).await?;
        if c.measures[0] < 0 {
            // Every row counts at least one case (`cases` is a COUNT): none left, no row.
            sqlx::query(
                "DELETE FROM case_tallies WHERE grid_code = $1 AND month = $2 AND axis = $3 \
                 AND subject = $4 AND colour = $5 AND cases = 0",
            )
            .bind(&c.key.grid_code)
            .bind(c.key.month)
            .bind(&c.key.axis)
            .bind(&c.key.subject)
            .bind(&c.key.colour)
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

fn upsert_sql() -> String {
    let values: Vec<String> = (1..=6 + MEASURES.len()).map(|i| format!("${i}")).collect();
    let adds: Vec<String> = MEASURES
        .iter()
        .map(|m| format!("{m} = case_tallies.{m} + excluded.{m}"))
        .collect();
    format!(
        "INSERT INTO case_tallies ({}, {}) VALUES ({}) \
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
}
