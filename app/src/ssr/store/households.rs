//! Households, members, visits, tags and the audit log of revealed personal data.

use super::StoreResult;
use crate::ssr::db::to_millis;
use chrono::{DateTime, Utc};
use sqlx::{Any, Executor, Transaction};

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct TagRow {
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub visit_every_days: Option<i64>,
}

impl TagRow {
    pub fn into_tag(self) -> crate::domain::household::PopulationTag {
        crate::domain::household::PopulationTag {
            code: self.code,
            name: self.name,
            name_en: self.name_en,
            visit_every_days: self.visit_every_days.and_then(|d| u32::try_from(d).ok()),
        }
    }
}

pub async fn tags<'e, E: Executor<'e, Database = Any>>(ex: E) -> StoreResult<Vec<TagRow>> {
    Ok(sqlx::query_as(
        "SELECT code, name, name_en, visit_every_days FROM population_tags ORDER BY sort_order, code",
    )
    .fetch_all(ex)
    .await?)
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct HouseholdRow {
    pub id: i64,
    pub grid_code: String,
    pub grid_name: String,
    pub grid_path: String,
    pub building: String,
    pub address: String,
    pub visit_every_days: Option<i64>,
    pub last_visit_at: Option<i64>,
    pub created_at: i64,
}

const HOUSEHOLD_COLUMNS: &str = "h.id, h.grid_code, t.name AS grid_name, t.path AS grid_path, \
     h.building, h.address, h.visit_every_days, h.last_visit_at, h.created_at";

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct MemberRow {
    pub id: i64,
    pub household_id: i64,
    pub name: String,
    pub relation: String,
    pub phone_sealed: Option<String>,
    pub phone_masked: String,
    pub id_sealed: Option<String>,
    pub id_masked: String,
    pub birth_year: Option<i64>,
    pub tags: String,
}

const MEMBER_COLUMNS: &str = "m.id, m.household_id, m.name, m.relation, m.phone_sealed, \
     m.phone_masked, m.id_sealed, m.id_masked, m.birth_year, m.tags";

/// The households of one grid, by building and address.
pub async fn of_grid<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    grid: &str,
) -> StoreResult<Vec<HouseholdRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {HOUSEHOLD_COLUMNS} FROM households h JOIN territory_nodes t ON t.code = h.grid_code \
         WHERE h.grid_code = $1 ORDER BY h.building, h.address"
    ))
    .bind(grid)
    .fetch_all(ex)
    .await?)
}

pub async fn get<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    id: i64,
) -> StoreResult<Option<HouseholdRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {HOUSEHOLD_COLUMNS} FROM households h JOIN territory_nodes t ON t.code = h.grid_code \
         WHERE h.id = $1"
    ))
    .bind(id)
    .fetch_optional(ex)
    .await?)
}

/// The members of every household of a grid.
pub async fn members_of_grid<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    grid: &str,
) -> StoreResult<Vec<MemberRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {MEMBER_COLUMNS} FROM household_members m JOIN households h ON h.id = m.household_id \
         WHERE h.grid_code = $1 ORDER BY m.household_id, m.sort_order, m.id"
    ))
    .bind(grid)
    .fetch_all(ex)
    .await?)
}

pub async fn members_of<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    household: i64,
) -> StoreResult<Vec<MemberRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {MEMBER_COLUMNS} FROM household_members m WHERE m.household_id = $1 \
         ORDER BY m.sort_order, m.id"
    ))
    .bind(household)
    .fetch_all(ex)
    .await?)
}

pub async fn find_household(
    tx: &mut Transaction<'_, Any>,
    grid: &str,
    address: &str,
) -> StoreResult<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM households WHERE grid_code = $1 AND address = $2")
            .bind(grid)
            .bind(address)
            .fetch_optional(&mut **tx)
            .await?,
    )
}

pub async fn insert_household(
    tx: &mut Transaction<'_, Any>,
    grid: &str,
    building: &str,
    address: &str,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO households (grid_code, building, address, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $4) RETURNING id",
    )
    .bind(grid)
    .bind(building)
    .bind(address)
    .bind(to_millis(now))
    .fetch_one(&mut **tx)
    .await?)
}

/// A member's values as stored (numbers already sealed and masked).
pub struct MemberValues<'a> {
    pub name: &'a str,
    pub relation: &'a str,
    pub phone_sealed: Option<String>,
    pub phone_masked: String,
    pub id_sealed: Option<String>,
    pub id_masked: String,
    pub birth_year: Option<i32>,
    pub tags: String,
}

/// Inserts or updates (by name within the household); true when inserted.
pub async fn upsert_member(
    tx: &mut Transaction<'_, Any>,
    household: i64,
    m: &MemberValues<'_>,
    sort_order: i64,
) -> StoreResult<bool> {
    let existing: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM household_members WHERE household_id = $1 AND name = $2",
    )
    .bind(household)
    .bind(m.name)
    .fetch_optional(&mut **tx)
    .await?;
    let birth = m.birth_year.map(i64::from);
    match existing {
        Some(id) => {
            sqlx::query(
                "UPDATE household_members SET relation = $2, phone_sealed = $3, phone_masked = $4, \
                 id_sealed = $5, id_masked = $6, birth_year = $7, tags = $8 WHERE id = $1",
            )
            .bind(id)
            .bind(m.relation)
            .bind(m.phone_sealed.as_deref())
            .bind(&m.phone_masked)
            .bind(m.id_sealed.as_deref())
            .bind(&m.id_masked)
            .bind(birth)
            .bind(&m.tags)
            .execute(&mut **tx)
            .await?;
            Ok(false)
        }
        None => {
            sqlx::query(
                "INSERT INTO household_members (household_id, name, relation, phone_sealed, phone_masked, \
                 id_sealed, id_masked, birth_year, tags, sort_order) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(household)
            .bind(m.name)
            .bind(m.relation)
            .bind(m.phone_sealed.as_deref())
            .bind(&m.phone_masked)
            .bind(m.id_sealed.as_deref())
            .bind(&m.id_masked)
            .bind(birth)
            .bind(&m.tags)
            .bind(sort_order)
            .execute(&mut **tx)
            .await?;
            Ok(true)
        }
    }
}

/// Stores a household's building and derived visit rule.
pub async fn set_household(
    tx: &mut Transaction<'_, Any>,
    id: i64,
    building: &str,
    visit_every_days: Option<u32>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE households SET building = $2, visit_every_days = $3, updated_at = $4 WHERE id = $1",
    )
    .bind(id)
    .bind(building)
    .bind(visit_every_days.map(i64::from))
    .bind(to_millis(now))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub struct NewVisit<'a> {
    pub household_id: i64,
    pub grid_code: &'a str,
    pub account_id: i64,
    pub visited_at: DateTime<Utc>,
    pub minutes: u32,
    pub point: Option<(f64, f64)>,
    pub notes: &'a str,
    pub needs: &'a str,
    pub photo: Option<&'a str>,
    pub case_id: Option<i64>,
}

/// Records a visit and moves the household's last visit forward (never back: a visit
/// logged late for an earlier day does not undo a later one).
pub async fn insert_visit(
    tx: &mut Transaction<'_, Any>,
    v: &NewVisit<'_>,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO visits (household_id, grid_code, account_id, visited_at, minutes, lat, lng, \
         notes, needs, photo, case_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(v.household_id)
    .bind(v.grid_code)
    .bind(v.account_id)
    .bind(to_millis(v.visited_at))
    .bind(i64::from(v.minutes))
    .bind(v.point.map(|p| p.0))
    .bind(v.point.map(|p| p.1))
    .bind(v.notes)
    .bind(v.needs)
    .bind(v.photo)
    .bind(v.case_id)
    .bind(to_millis(now))
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query(
        "UPDATE households SET last_visit_at = $2 \
         WHERE id = $1 AND (last_visit_at IS NULL OR last_visit_at < $2)",
    )
    .bind(v.household_id)
    .bind(to_millis(v.visited_at))
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct VisitRow {
    pub id: i64,
    pub household_id: i64,
    pub visited_at: i64,
    pub worker: String,
    pub minutes: i64,
    pub notes: String,
    pub needs: String,
    pub photo: Option<String>,
    pub case_id: Option<i64>,
}

pub async fn visits_of<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    household: i64,
    limit: i64,
) -> StoreResult<Vec<VisitRow>> {
    Ok(sqlx::query_as(
        "SELECT v.id, v.household_id, v.visited_at, a.display_name AS worker, v.minutes, v.notes, \
         v.needs, v.photo, v.case_id FROM visits v JOIN accounts a ON a.id = v.account_id \
         WHERE v.household_id = $1 ORDER BY v.visited_at DESC, v.id DESC LIMIT $2",
    )
    .bind(household)
    .bind(limit)
    .fetch_all(ex)
    .await?)
}

/// The household of a visit photo, for access checks.
pub async fn photo_household<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    file: &str,
) -> StoreResult<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT household_id FROM visits WHERE photo = $1")
            .bind(file)
            .fetch_optional(ex)
            .await?,
    )
}

/// Households under a territory prefix whose visit is due at or before `now`, longest
/// overdue first. Due = (last visit, or registration) + rule.
pub async fn overdue<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    path_prefix: &str,
    now: DateTime<Utc>,
    limit: i64,
) -> StoreResult<Vec<HouseholdRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {HOUSEHOLD_COLUMNS} FROM households h JOIN territory_nodes t ON t.code = h.grid_code \
         WHERE t.path LIKE $1 AND h.visit_every_days IS NOT NULL \
         AND COALESCE(h.last_visit_at, h.created_at) + h.visit_every_days * 86400000 <= $2 \
         ORDER BY COALESCE(h.last_visit_at, h.created_at) + h.visit_every_days * 86400000, h.id \
         LIMIT $3"
    ))
    .bind(format!("{path_prefix}%"))
    .bind(to_millis(now))
    .bind(limit)
    .fetch_all(ex)
    .await?)
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct GridCountRow {
    pub grid_code: String,
    pub grid_name: String,
    pub households: i64,
    pub with_rule: i64,
    pub overdue: i64,
}

/// Per grid under a prefix: households, those with a rule, those overdue now.
pub async fn counts_per_grid<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    path_prefix: &str,
    now: DateTime<Utc>,
) -> StoreResult<Vec<GridCountRow>> {
    Ok(sqlx::query_as(
        "SELECT t.code AS grid_code, t.name AS grid_name, COUNT(h.id) AS households, \
         COALESCE(SUM(CASE WHEN h.visit_every_days IS NOT NULL THEN 1 ELSE 0 END), 0) AS with_rule, \
         COALESCE(SUM(CASE WHEN h.visit_every_days IS NOT NULL AND \
           COALESCE(h.last_visit_at, h.created_at) + h.visit_every_days * 86400000 <= $2 \
           THEN 1 ELSE 0 END), 0) AS overdue \
         FROM territory_nodes t LEFT JOIN households h ON h.grid_code = t.code \
         WHERE t.level = 'grid' AND t.path LIKE $1 AND t.retired_at IS NULL \
         GROUP BY t.code, t.name, t.sort_order ORDER BY t.sort_order, t.code",
    )
    .bind(format!("{path_prefix}%"))
    .bind(to_millis(now))
    .fetch_all(ex)
    .await?)
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct WorkerWeekRow {
    pub account_id: i64,
    pub name: String,
    pub visits: i64,
    pub minutes: i64,
}

/// Visits and minutes per worker since `from`, for grids under a prefix.
pub async fn minutes_per_worker<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    path_prefix: &str,
    from: DateTime<Utc>,
) -> StoreResult<Vec<WorkerWeekRow>> {
    Ok(sqlx::query_as(
        "SELECT a.id AS account_id, a.display_name AS name, COUNT(v.id) AS visits, \
         CAST(COALESCE(SUM(v.minutes), 0) AS BIGINT) AS minutes \
         FROM visits v JOIN accounts a ON a.id = v.account_id \
         JOIN territory_nodes t ON t.code = v.grid_code \
         WHERE t.path LIKE $1 AND v.visited_at >= $2 \
         GROUP BY a.id, a.display_name ORDER BY minutes DESC, a.id",
    )
    .bind(format!("{path_prefix}%"))
    .bind(to_millis(from))
    .fetch_all(ex)
    .await?)
}

/// Creates or changes a tag (built-in tags keep their flag).
pub async fn upsert_tag(
    tx: &mut Transaction<'_, Any>,
    code: &str,
    name: &str,
    name_en: &str,
    visit_every_days: Option<u32>,
) -> StoreResult<()> {
    let updated = sqlx::query(
        "UPDATE population_tags SET name = $2, name_en = $3, visit_every_days = $4 WHERE code = $1",
    )
    .bind(code)
    .bind(name)
    .bind(name_en)
    .bind(visit_every_days.map(i64::from))
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if updated == 0 {
        sqlx::query(
            "INSERT INTO population_tags (code, name, name_en, visit_every_days, builtin, sort_order) \
             VALUES ($1, $2, $3, $4, 0, 100)",
        )
        .bind(code)
        .bind(name)
        .bind(name_en)
        .bind(visit_every_days.map(i64::from))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Households with a member carrying the tag.
pub async fn households_with_tag(
    tx: &mut Transaction<'_, Any>,
    code: &str,
) -> StoreResult<Vec<(i64, String)>> {
    Ok(sqlx::query_as(
        "SELECT DISTINCT h.id, h.building FROM households h JOIN household_members m ON m.household_id = h.id \
         WHERE ',' || m.tags || ',' LIKE $1",
    )
    .bind(format!("%,{code},%"))
    .fetch_all(&mut **tx)
    .await?)
}
