//! Case categories and the working calendar: reference data administrators maintain.

use super::{StoreError, StoreResult};
use crate::domain::calendar::{DayKind, WorkCalendar};
use crate::domain::case::Tier;
use crate::domain::catalogue::STANDARD_SUBCATEGORIES;
use crate::domain::category_standard::{CategoryStandard, Kind, StageLimits};
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
        "SELECT code, name, name_en, copy_department FROM categories WHERE parent IS NULL \
         ORDER BY sort_order, code",
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

#[derive(sqlx::FromRow)]
struct StandardRow {
    code: String,
    parent: Option<String>,
    cj_code: String,
    kind: String,
    name: String,
    name_en: String,
    filing_standard: String,
    closing_standard: String,
    default_tier: Option<String>,
    urgent: i64,
    copy_department: Option<String>,
    ack_hours: Option<i64>,
    handle_hours: Option<i64>,
    verify_hours: Option<i64>,
    result_photo: Option<i64>,
}

fn hours(v: Option<i64>) -> Option<u32> {
    v.and_then(|h| u32::try_from(h).ok())
}

impl StandardRow {
    fn standard(self) -> CategoryStandard {
        CategoryStandard {
            kind: Kind::parse(&self.kind).unwrap_or_default(),
            default_tier: self.default_tier.as_deref().and_then(Tier::parse),
            urgent: self.urgent == 1,
            limits: StageLimits {
                ack_hours: hours(self.ack_hours),
                handle_hours: hours(self.handle_hours),
                verify_hours: hours(self.verify_hours),
            },
            code: self.code,
            parent: self.parent,
            cj_code: self.cj_code,
            name: self.name,
            name_en: self.name_en,
            filing_standard: self.filing_standard,
            closing_standard: self.closing_standard,
            copy_department: self.copy_department,
            result_photo: self.result_photo.map(|p| p == 1),
        }
    }
}

/// The whole standards table: categories and subcategories, in the forms' order.
pub async fn standards<'e, E: Executor<'e, Database = Any>>(
    ex: E,
) -> StoreResult<Vec<CategoryStandard>> {
    let rows: Vec<StandardRow> = sqlx::query_as(
        "SELECT code, parent, cj_code, kind, name, name_en, filing_standard, closing_standard, default_tier, \
         CAST(urgent AS BIGINT) AS urgent, copy_department, CAST(ack_hours AS BIGINT) AS ack_hours, \
         CAST(handle_hours AS BIGINT) AS handle_hours, CAST(verify_hours AS BIGINT) AS verify_hours, \
         CAST(result_photo AS BIGINT) AS result_photo FROM categories ORDER BY sort_order, code",
    )
    .fetch_all(ex)
    .await?;
    Ok(rows.into_iter().map(StandardRow::standard).collect())
}

/// Adds a row of the standards table, or replaces the one with its code (its place in the
/// forms' order stays).
pub async fn upsert_standard<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    c: &CategoryStandard,
    sort_order: i64,
) -> StoreResult<()> {
    let h = |v: Option<u32>| v.map(i64::from);
    sqlx::query(
        "INSERT INTO categories (code, parent, cj_code, kind, name, name_en, filing_standard, closing_standard, \
         default_tier, urgent, copy_department, ack_hours, handle_hours, verify_hours, result_photo, sort_order) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) \
         ON CONFLICT (code) DO UPDATE SET parent = excluded.parent, cj_code = excluded.cj_code, kind = excluded.kind, \
         name = excluded.name, name_en = excluded.name_en, filing_standard = excluded.filing_standard, \
         closing_standard = excluded.closing_standard, default_tier = excluded.default_tier, urgent = excluded.urgent, \
         copy_department = excluded.copy_department, ack_hours = excluded.ack_hours, \
         handle_hours = excluded.handle_hours, verify_hours = excluded.verify_hours, \
         result_photo = excluded.result_photo",
    )
    .bind(&c.code)
    .bind(&c.parent)
    .bind(&c.cj_code)
    .bind(c.kind.as_str())
    .bind(&c.name)
    .bind(&c.name_en)
    .bind(&c.filing_standard)
    .bind(&c.closing_standard)
    .bind(c.default_tier.map(Tier::as_str))
    .bind(i64::from(c.urgent))
    .bind(&c.copy_department)
    .bind(h(c.limits.ack_hours))
    .bind(h(c.limits.handle_hours))
    .bind(h(c.limits.verify_hours))
    .bind(c.result_photo.map(i64::from))
    .bind(sort_order)
    .execute(ex)
    .await?;
    Ok(())
}

/// A database without subcategories gets the standard ones under the standard categories
/// it has (a district installed before the table existed, the demo, a new district).
/// Returns how many were added.
pub async fn seed_standard_subcategories(pool: &sqlx::Pool<Any>) -> StoreResult<usize> {
    let mut tx = pool.begin().await?;
    let added = seed_standard_subcategories_in(&mut tx).await?;
    tx.commit().await?;
    Ok(added)
}

/// The same inside the caller's transaction (with the categories it just wrote).
pub async fn seed_standard_subcategories_in(
    tx: &mut sqlx::Transaction<'_, Any>,
) -> StoreResult<usize> {
    let all = standards(&mut **tx).await?;
    if all.iter().any(|c| c.parent.is_some()) {
        return Ok(0);
    }
    let mut added = 0;
    for (i, sub) in STANDARD_SUBCATEGORIES.iter().enumerate() {
        let Some(parent) = all.iter().find(|c| c.code == sub.1) else {
            continue;
        };
        let row = CategoryStandard {
            code: sub.0.into(),
            parent: Some(sub.1.into()),
            cj_code: sub.2.into(),
            kind: if sub.3 { Kind::Component } else { Kind::Event },
            name: sub.4.into(),
            name_en: sub.5.into(),
            filing_standard: sub.6.into(),
            closing_standard: sub.7.into(),
            default_tier: sub.8,
            urgent: sub.9,
            copy_department: parent.copy_department.clone(),
            limits: StageLimits {
                ack_hours: sub.10,
                handle_hours: sub.11,
                verify_hours: sub.12,
            },
            // A facility (部件) is closed on a photo of it repaired; an occurrence follows
            // its category.
            result_photo: sub.3.then_some(true),
        };
        upsert_standard(&mut **tx, &row, 10_000 + i as i64).await?;
        added += 1;
    }
    Ok(added)
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
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
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
