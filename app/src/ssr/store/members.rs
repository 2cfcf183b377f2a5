//! The people serving each grid (1+3+N, 一格八员).

use super::{StoreError, StoreResult};
use crate::domain::people::{GridMember, MemberKind, SupportRole};
use sqlx::{Any, Executor};

#[derive(sqlx::FromRow)]
struct MemberRow {
    id: i64,
    grid_code: String,
    name: String,
    kind: String,
    support_role: Option<String>,
    duties: String,
    work_phone: String,
}

impl MemberRow {
    fn into_member(self) -> StoreResult<(String, GridMember)> {
        let kind = MemberKind::parse(&self.kind)
            .ok_or_else(|| StoreError::Corrupt(format!("member kind {:?}", self.kind)))?;
        let support_role = match self.support_role {
            None => None,
            Some(s) => Some(
                SupportRole::parse(&s)
                    .ok_or_else(|| StoreError::Corrupt(format!("support role {s:?}")))?,
            ),
        };
        Ok((
            self.grid_code,
            GridMember {
                id: self.id,
                name: self.name,
                kind,
                support_role,
                duties: self.duties,
                work_phone: self.work_phone,
            },
        ))
    }
}

pub struct NewMember<'a> {
    pub grid_code: &'a str,
    pub name: &'a str,
    pub kind: MemberKind,
    pub support_role: Option<SupportRole>,
    pub duties: &'a str,
    pub work_phone: &'a str,
    pub account_id: Option<i64>,
    pub sort_order: i64,
}

pub async fn insert<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    m: &NewMember<'_>,
) -> StoreResult<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO grid_members (grid_code, name, kind, support_role, duties, work_phone, account_id, sort_order) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(m.grid_code)
    .bind(m.name)
    .bind(m.kind.as_str())
    .bind(m.support_role.map(SupportRole::as_str))
    .bind(m.duties)
    .bind(m.work_phone)
    .bind(m.account_id)
    .bind(m.sort_order)
    .fetch_one(ex)
    .await?;
    Ok(id)
}

/// Removes one member of a grid; the removed member, if there was one.
pub async fn remove(
    tx: &mut sqlx::Transaction<'_, Any>,
    grid_code: &str,
    id: i64,
) -> StoreResult<Option<GridMember>> {
    let row: Option<MemberRow> =
        sqlx::query_as(&format!("{SELECT} WHERE m.grid_code = $1 AND m.id = $2"))
            .bind(grid_code)
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?;
    let Some(row) = row else { return Ok(None) };
    sqlx::query("DELETE FROM grid_members WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    row.into_member().map(|(_, m)| Some(m))
}

const SELECT: &str = "SELECT m.id, m.grid_code, m.name, m.kind, m.support_role, m.duties, m.work_phone FROM grid_members m";
const ORDER: &str = "ORDER BY m.grid_code, m.sort_order, m.id";

pub async fn of_grid<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    grid_code: &str,
) -> StoreResult<Vec<GridMember>> {
    let rows: Vec<MemberRow> = sqlx::query_as(&format!("{SELECT} WHERE m.grid_code = $1 {ORDER}"))
        .bind(grid_code)
        .fetch_all(ex)
        .await?;
    rows.into_iter()
        .map(|r| r.into_member().map(|(_, m)| m))
        .collect()
}

/// Members of every grid under a territory path prefix, as (grid code, member), in one query.
pub async fn under<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    prefix: &str,
) -> StoreResult<Vec<(String, GridMember)>> {
    let rows: Vec<MemberRow> = sqlx::query_as(&format!(
        "{SELECT} JOIN territory_nodes n ON n.code = m.grid_code WHERE n.path LIKE $1 {ORDER}"
    ))
    .bind(format!("{prefix}%"))
    .fetch_all(ex)
    .await?;
    rows.into_iter().map(MemberRow::into_member).collect()
}

/// Counts per member kind under a prefix.
pub async fn kind_counts<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    prefix: &str,
) -> StoreResult<Vec<(MemberKind, i64)>> {
    // A person serving several grids counts once: distinct by name and phone.
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT kind, COUNT(*) FROM (SELECT DISTINCT m.kind, m.name, m.work_phone FROM grid_members m \
         JOIN territory_nodes n ON n.code = m.grid_code WHERE n.path LIKE $1) AS people GROUP BY kind",
    )
    .bind(format!("{prefix}%"))
    .fetch_all(ex)
    .await?;
    rows.into_iter()
        .map(|(k, n)| {
            MemberKind::parse(&k)
                .map(|k| (k, n))
                .ok_or_else(|| StoreError::Corrupt(format!("member kind {k:?}")))
        })
        .collect()
}
