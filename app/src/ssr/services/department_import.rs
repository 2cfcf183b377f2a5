//! Departments imported from a table (`domain::department_table`): all rows or none, each
//! department created with its competences and its audit row, in one transaction.

use super::departments::insert_department;
use super::roster::{TableError, read_table};
use crate::domain::department_table::{Column, DepartmentRow, check_rows};
use crate::domain::people::Department;
use crate::domain::roster::RowError;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::ssr::current_user::CurrentUser;
use crate::ssr::state::AppState;
use crate::ssr::store::{StoreError, catalogue, departments as q};
use chrono::{DateTime, Utc};

/// Creates every department of the table, or none; the codes created.
pub async fn import(
    state: &AppState,
    admin: &CurrentUser,
    table: axum::body::Bytes,
    now: DateTime<Utc>,
) -> Result<Vec<String>, TableError<Column>> {
    admin.require_admin()?;
    let rows = read_table(table).await?;
    let departments = check_rows(&rows).map_err(TableError::Refused)?;
    let refused = against_database(state, &departments).await?;
    if !refused.is_empty() {
        return Err(TableError::Refused(refused));
    }
    let mut tx = state.db.begin_write().await.map_err(StoreError::from)?;
    for (i, d) in departments.iter().enumerate() {
        let dept = Department {
            code: d.code.clone(),
            name: d.name.clone(),
            name_en: d.name_en.clone(),
        };
        let note = format!(" (imported, row {})", d.row);
        let order = 1_000 + i as i64;
        insert_department(&mut tx, admin.id, &dept, &d.categories, order, &note, now).await?;
    }
    tx.commit().await.map_err(StoreError::from)?;
    Ok(departments.into_iter().map(|d| d.code).collect())
}

async fn against_database(
    state: &AppState,
    rows: &[DepartmentRow],
) -> Result<Vec<RowError<Column>>, AppError> {
    let taken: Vec<String> = q::all(&state.db.pool)
        .await?
        .into_iter()
        .map(|d| d.code)
        .collect();
    let known: Vec<String> = catalogue::categories(&state.db.pool)
        .await?
        .into_iter()
        .map(|c| c.code)
        .collect();
    let mut refused = Vec::new();
    for d in rows {
        if taken.contains(&d.code) {
            refused.push(RowError::new(
                d.row,
                Some(Column::Code),
                Msg::ErrDepartmentTaken,
                &d.code,
            ));
        }
        for c in d.categories.iter().filter(|c| !known.contains(c)) {
            refused.push(RowError::new(
                d.row,
                Some(Column::Categories),
                Msg::ErrUnknownCategory,
                c,
            ));
        }
    }
    Ok(refused)
}
