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

pub async fn list<'e, E: Executor<'e, Database = Any>>(ex: E) -> StoreResult<Vec<Department>> {
    let rows: Vec<(String, String, String)> =
        sqlx::query_as("SELECT code, name, name_en FROM departments ORDER BY sort_order, code")
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
