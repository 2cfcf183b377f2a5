//! Which photo files the database names (case steps and household visits).

use super::StoreResult;
use sqlx::{Any, Executor};
use std::collections::HashSet;

/// The names among `names` that some case attachment or visit refers to.
pub async fn referenced<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    names: &[String],
) -> StoreResult<HashSet<String>> {
    if names.is_empty() {
        return Ok(HashSet::new());
    }
    let list = (1..=names.len())
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT file_name FROM case_attachments WHERE file_name IN ({list}) \
         UNION SELECT photo FROM visits WHERE photo IN ({list})"
    );
    let mut q = sqlx::query_scalar::<_, String>(&sql);
    for n in names {
        q = q.bind(n);
    }
    Ok(q.fetch_all(ex).await?.into_iter().collect())
}
