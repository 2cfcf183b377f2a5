//! The category standards table (`domain::category_standard`): everyone signed in reads
//! it; administrators change one row or import the whole table (all rows or none), and
//! export it as XLSX to edit. Codes are never deleted — cases keep theirs — and every
//! change is audited.

use super::roster::{TableError, read_table};
use crate::domain::category_standard::CategoryStandard;
use crate::domain::category_table::{Column, StandardRow, check_rows, to_sheet};
use crate::domain::sheet::Cell;
use crate::domain::table_rows::RowError;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::ssr::current_user::CurrentUser;
use crate::ssr::state::AppState;
use crate::ssr::store::{StoreError, audit, catalogue, departments};
use chrono::{DateTime, Utc};

pub async fn list(state: &AppState) -> Result<Vec<CategoryStandard>, AppError> {
    Ok(catalogue::standards(&state.db.pool).await?)
}

/// The table as an XLSX workbook with Chinese headers.
pub async fn export(state: &AppState, admin: &CurrentUser) -> Result<Vec<u8>, AppError> {
    admin.require_admin()?;
    let sheet = to_sheet(&list(state).await?);
    crate::ssr::xlsx::write(&[sheet]).map_err(|e| {
        tracing::error!(error = %e, "the categories workbook could not be written");
        AppError::Internal
    })
}

/// Adds or replaces one row (`code` from the path), checked as an imported row is.
pub async fn put(
    state: &AppState,
    admin: &CurrentUser,
    code: &str,
    mut input: CategoryStandard,
    now: DateTime<Utc>,
) -> Result<CategoryStandard, AppError> {
    admin.require_admin()?;
    input.code = code.to_owned();
    let checked = checked_rows(state, &[input]).await.map_err(|e| match e {
        TableError::Refused(errors) => first_refusal(&errors),
        TableError::Other(e) => e,
    })?;
    write(state, admin, &checked, "category_put", now).await?;
    Ok(checked
        .into_iter()
        .next()
        .map(|r| r.standard)
        .unwrap_or_default())
}

/// Writes every row of an uploaded table, or none; the codes written.
pub async fn import(
    state: &AppState,
    admin: &CurrentUser,
    table: axum::body::Bytes,
    now: DateTime<Utc>,
) -> Result<Vec<String>, TableError<Column>> {
    admin.require_admin()?;
    let rows = read_table(table).await?;
    let checked = check_against(state, &rows).await?;
    write(state, admin, &checked, "category_import", now).await?;
    Ok(checked.into_iter().map(|r| r.standard.code).collect())
}

/// One row through the table's own checks (a row of a one-row table).
async fn checked_rows(
    state: &AppState,
    rows: &[CategoryStandard],
) -> Result<Vec<StandardRow>, TableError<Column>> {
    let sheet = to_sheet(rows);
    let mut table = vec![sheet.headers.clone()];
    table.extend(sheet.rows.iter().map(|r| {
        r.iter()
            .map(|c| match c {
                Cell::Text(t) => t.clone(),
                Cell::Number(n) => n.to_string(),
            })
            .collect()
    }));
    check_against(state, &table).await
}

/// The rows' own checks, then what only the database knows: parents must be categories
/// (not subcategories), departments must exist, and no existing row changes its parent.
async fn check_against(
    state: &AppState,
    rows: &[Vec<String>],
) -> Result<Vec<StandardRow>, TableError<Column>> {
    let pool = &state.db.pool;
    let existing = catalogue::standards(pool).await?;
    let tops: Vec<String> = existing
        .iter()
        .filter(|c| c.parent.is_none())
        .map(|c| c.code.clone())
        .collect();
    let checked = check_rows(rows, &tops).map_err(TableError::Refused)?;
    let known_departments: Vec<String> = departments::all(pool)
        .await?
        .into_iter()
        .map(|d| d.code)
        .collect();
    let mut refused = Vec::new();
    for r in &checked {
        let s = &r.standard;
        if let Some(d) = s
            .copy_department
            .as_ref()
            .filter(|d| !known_departments.contains(d))
        {
            refused.push(RowError::new(
                r.row,
                Some(Column::Department),
                Msg::ErrUnknownDepartment,
                d,
            ));
        }
        // A category stays a category and a subcategory under its category: cases and
        // figures are kept by these codes.
        let moved = existing
            .iter()
            .find(|c| c.code == s.code)
            .is_some_and(|c| c.parent != s.parent);
        if moved {
            refused.push(RowError::new(
                r.row,
                Some(Column::Parent),
                Msg::ErrCategoryMoved,
                &s.code,
            ));
        }
    }
    if refused.is_empty() {
        Ok(checked)
    } else {
        Err(TableError::Refused(refused))
    }
}

fn first_refusal(errors: &[RowError<Column>]) -> AppError {
    let e = &errors[0];
    let field = e
        .column
        .map(|c| {
            serde_json::to_value(c)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default()
        })
        .unwrap_or_default();
    AppError::validation(&field, e.msg)
}

async fn write(
    state: &AppState,
    admin: &CurrentUser,
    rows: &[StandardRow],
    action: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut tx = state.db.begin_write().await.map_err(StoreError::from)?;
    for (i, r) in rows.iter().enumerate() {
        let s = &r.standard;
        catalogue::upsert_standard(&mut **tx, s, 20_000 + i as i64).await?;
        let detail = format!(
            "{} {} parent={} tier={:?} urgent={} limits={:?}",
            s.code,
            s.name,
            s.parent.as_deref().unwrap_or("-"),
            s.default_tier,
            s.urgent,
            s.limits
        );
        audit::record(&mut **tx, now, admin.id, action, "category", 0, &detail).await?;
    }
    tx.commit().await.map_err(StoreError::from)?;
    Ok(())
}
