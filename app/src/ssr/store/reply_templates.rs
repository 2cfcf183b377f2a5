//! Reply templates (`domain::reply_template`).

use super::StoreResult;
use crate::domain::reply_template::{ReplyTemplate, STANDARD_TEMPLATES};
use sqlx::{Any, Executor};

pub async fn list<'e, E: Executor<'e, Database = Any>>(ex: E) -> StoreResult<Vec<ReplyTemplate>> {
    let rows: Vec<(i64, Option<String>, String, String)> = sqlx::query_as(
        "SELECT id, category, step, text FROM reply_templates ORDER BY sort_order, id",
    )
    .fetch_all(ex)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, category, step, text)| ReplyTemplate {
            id,
            category,
            step,
            text,
        })
        .collect())
}

pub async fn insert<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    category: Option<&str>,
    step: &str,
    text: &str,
    sort_order: i64,
) -> StoreResult<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO reply_templates (category, step, text, sort_order) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(category)
    .bind(step)
    .bind(text)
    .bind(sort_order)
    .fetch_one(ex)
    .await?;
    Ok(id)
}

/// Whether a template was there to delete.
pub async fn delete<'e, E: Executor<'e, Database = Any>>(ex: E, id: i64) -> StoreResult<bool> {
    Ok(sqlx::query("DELETE FROM reply_templates WHERE id = $1")
        .bind(id)
        .execute(ex)
        .await?
        .rows_affected()
        > 0)
}

/// A district without templates gets the standard ones (those for a category it lacks
/// are left out). Returns how many were added.
pub async fn seed_if_empty(pool: &sqlx::Pool<Any>) -> StoreResult<usize> {
    let mut tx = pool.begin().await?;
    let added = seed_if_empty_in(&mut tx).await?;
    tx.commit().await?;
    Ok(added)
}

/// The same inside the caller's transaction (with the categories it just wrote).
pub async fn seed_if_empty_in(tx: &mut sqlx::Transaction<'_, Any>) -> StoreResult<usize> {
    if !list(&mut **tx).await?.is_empty() {
        return Ok(0);
    }
    let known: Vec<String> = super::catalogue::standards(&mut **tx)
        .await?
        .into_iter()
        .map(|c| c.code)
        .collect();
    if known.is_empty() {
        return Ok(0);
    }
    let mut added = 0;
    for (i, (category, step, text)) in STANDARD_TEMPLATES.iter().enumerate() {
        let category = Some(*category).filter(|c| !c.is_empty());
        if category.is_some_and(|c| !known.iter().any(|k| k == c)) {
            continue;
        }
        insert(&mut **tx, category, step, text, i as i64).await?;
        added += 1;
    }
    Ok(added)
}
