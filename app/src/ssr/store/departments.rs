//! Departments (职能部门).

use super::StoreResult;
use crate::domain::people::Department;
use sqlx::{Any, Executor};

pub async fn insert<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    d: &Department,
    sort_order: i64,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO departments (code, name, name_en, sort_order) VALUES ($1, $2, $3, $4)",
    )
    .bind(&d.code)
    .bind(&d.name)
    .bind(&d.name_en)
    .bind(sort_order)
    .execute(ex)
    .await?;
    Ok(())
}

/// The active departments: the ones cases can be dispatched to and accounts attached to.
pub async fn list<'e, E: Executor<'e, Database = Any>>(ex: E) -> StoreResult<Vec<Department>> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT code, name, name_en FROM departments WHERE active = 1 ORDER BY sort_order, code",
    )
    .fetch_all(ex)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(code, name, name_en)| Department {
            code,
            name,
            name_en,
        })
        .collect())
}

/// A department as administrators see it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct DepartmentRow {
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub active: i64,
}

/// Every department, active or not.
pub async fn all<'e, E: Executor<'e, Database = Any>>(ex: E) -> StoreResult<Vec<DepartmentRow>> {
    Ok(sqlx::query_as(
        "SELECT code, name, name_en, active FROM departments ORDER BY sort_order, code",
    )
    .fetch_all(ex)
    .await?)
}

/// `(department, category)` pairs of competence.
pub async fn competences<'e, E: Executor<'e, Database = Any>>(
    ex: E,
) -> StoreResult<Vec<(String, String)>> {
    Ok(sqlx::query_as(
        "SELECT department, category FROM department_categories ORDER BY department, category",
    )
    .fetch_all(ex)
    .await?)
}

pub async fn rename(
    tx: &mut sqlx::Transaction<'_, Any>,
    code: &str,
    name: &str,
    name_en: &str,
) -> StoreResult<u64> {
    Ok(
        sqlx::query("UPDATE departments SET name = $2, name_en = $3 WHERE code = $1")
            .bind(code)
            .bind(name)
            .bind(name_en)
            .execute(&mut **tx)
            .await?
            .rows_affected(),
    )
}

/// Replaces the categories a department is competent for.
pub async fn set_competences(
    tx: &mut sqlx::Transaction<'_, Any>,
    code: &str,
    categories: &[String],
) -> StoreResult<()> {
    sqlx::query("DELETE FROM department_categories WHERE department = $1")
        .bind(code)
        .execute(&mut **tx)
        .await?;
    for c in categories {
        sqlx::query("INSERT INTO department_categories (department, category) VALUES ($1, $2)")
            .bind(code)
            .bind(c)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

pub async fn set_active(
    tx: &mut sqlx::Transaction<'_, Any>,
    code: &str,
    active: bool,
) -> StoreResult<()> {
    sqlx::query("UPDATE departments SET active = $2 WHERE code = $1")
        .bind(code)
        .bind(i64::from(active))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Dispatches the department still holds: not withdrawn, returned or resolved, on open cases.
pub async fn open_dispatches(tx: &mut sqlx::Transaction<'_, Any>, code: &str) -> StoreResult<i64> {
    let (n,): (i64,) = sqlx::query_as(&format!(
        "SELECT COUNT(*) FROM case_dispatches d JOIN cases c ON c.id = d.case_id \
         WHERE d.department = $1 AND d.role <> 'copy' AND d.withdrawn_at IS NULL \
         AND d.returned_at IS NULL AND d.resolved_at IS NULL AND {}",
        super::sql::OPEN
    ))
    .bind(code)
    .fetch_one(&mut **tx)
    .await?;
    Ok(n)
}
