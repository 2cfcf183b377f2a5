//! Case categories and the working calendar: reference data administrators maintain.

use super::{StoreError, StoreResult};
use crate::domain::calendar::{DayKind, WorkCalendar};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sqlx::{Any, Executor};

/// A case category as the API lists it (`GET /api/v1/categories`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CategoryRow {
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub copy_department: Option<String>,
}

pub async fn insert_category<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    c: &CategoryRow,
    sort_order: i64,
) -> StoreResult<()> {
    sqlx::query("INSERT INTO categories (code, name, name_en, copy_department, sort_order) VALUES ($1, $2, $3, $4, $5)")
        .bind(&c.code)
        .bind(&c.name)
        .bind(&c.name_en)
        .bind(&c.copy_department)
        .bind(sort_order)
        .execute(ex)
        .await?;
    Ok(())
}

pub async fn categories<'e, E: Executor<'e, Database = Any>>(
    ex: E,
) -> StoreResult<Vec<CategoryRow>> {
    let rows: Vec<(String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT code, name, name_en, copy_department FROM categories ORDER BY sort_order, code",
    )
    .fetch_all(ex)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(code, name, name_en, copy_department)| CategoryRow {
            code,
            name,
            name_en,
            copy_department,
        })
        .collect())
}

pub async fn calendar<'e, E: Executor<'e, Database = Any>>(ex: E) -> StoreResult<WorkCalendar> {
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT day, kind FROM calendar_days")
        .fetch_all(ex)
        .await?;
    let days = rows
        .into_iter()
        .map(|(day, kind)| {
            let d = NaiveDate::parse_from_str(&day, "%Y-%m-%d")
                .map_err(|_| StoreError::Corrupt(format!("calendar day {day:?}")))?;
            let k = DayKind::parse(&kind)
                .ok_or_else(|| StoreError::Corrupt(format!("calendar kind {kind:?}")))?;
            Ok((d, k))
        })
        .collect::<StoreResult<Vec<_>>>()?;
    Ok(WorkCalendar::new(days))
}

/// Sets (or replaces) one listed day.
pub async fn set_day<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    day: NaiveDate,
    kind: DayKind,
    note: &str,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO calendar_days (day, kind, note) VALUES ($1, $2, $3) \
         ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, note = excluded.note",
    )
    .bind(day.format("%Y-%m-%d").to_string())
    .bind(kind.as_str())
    .bind(note)
    .execute(ex)
    .await?;
    Ok(())
}

pub async fn calendar_is_empty<'e, E: Executor<'e, Database = Any>>(ex: E) -> StoreResult<bool> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM calendar_days")
        .fetch_one(ex)
        .await?;
    Ok(n == 0)
}

/// Ships the official calendar into an empty table (first start of a new deployment).
pub async fn seed_calendar_if_empty(pool: &sqlx::AnyPool) -> StoreResult<usize> {
    if !calendar_is_empty(pool).await? {
        return Ok(0);
    }
    let days = crate::domain::calendar_cn::official_days();
    let mut tx = pool.begin().await?;
    for (d, k) in &days {
        set_day(&mut *tx, *d, *k, "国务院办公厅节假日安排").await?;
    }
    tx.commit().await?;
    Ok(days.len())
}

/// One listed day as administrators see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CalendarDay {
    pub day: NaiveDate,
    pub kind: DayKind,
    pub note: String,
}

pub async fn list_days<'e, E: Executor<'e, Database = Any>>(
    ex: E,
) -> StoreResult<Vec<CalendarDay>> {
    let rows: Vec<(String, String, String)> =
        sqlx::query_as("SELECT day, kind, note FROM calendar_days ORDER BY day")
            .fetch_all(ex)
            .await?;
    rows.into_iter()
        .map(|(day, kind, note)| {
            Ok(CalendarDay {
                day: NaiveDate::parse_from_str(&day, "%Y-%m-%d")
                    .map_err(|_| StoreError::Corrupt(format!("calendar day {day:?}")))?,
                kind: DayKind::parse(&kind)
                    .ok_or_else(|| StoreError::Corrupt(format!("calendar kind {kind:?}")))?,
                note,
            })
        })
        .collect()
}

pub async fn remove_day<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    day: NaiveDate,
) -> StoreResult<bool> {
    let done = sqlx::query("DELETE FROM calendar_days WHERE day = $1")
        .bind(day.format("%Y-%m-%d").to_string())
        .execute(ex)
        .await?;
    Ok(done.rows_affected() > 0)
}
