//! Accounts imported from a table: all rows or none. The rows are checked by
//! `domain::roster`, then against the database (usernames taken, nodes inside the
//! administrator's area, active departments); every account gets its own temporary
//! password, shown once in the answer, and is created in one transaction with its audit
//! row. Grid workers attached to a grid become its full-time member, as when created alone.

use super::accounts::{Issued, hash_many_off_thread, insert_staff};
use crate::domain::people::Role;
use crate::domain::roster::{Column, RosterRow, RowError, check_rows};
use crate::domain::table_rows::TableColumn;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::ssr::current_user::CurrentUser;
use crate::ssr::db::to_millis;
use crate::ssr::password;
use crate::ssr::state::AppState;
use crate::ssr::store::{self, StoreError, accounts};
use chrono::{DateTime, Utc};

/// Why nothing was created from a table whose columns are `C`.
#[derive(Debug)]
pub enum TableError<C = Column> {
    /// Every refused row with its reason.
    Refused(Vec<RowError<C>>),
    Other(AppError),
}

pub type RosterError = TableError<Column>;

impl<C, E: Into<AppError>> From<E> for TableError<C> {
    fn from(e: E) -> Self {
        TableError::Other(e.into())
    }
}

/// The rows of an uploaded table, or the reason it cannot be read (as a refused row 1).
pub async fn read_table<C>(table: axum::body::Bytes) -> Result<Vec<Vec<String>>, TableError<C>> {
    crate::ssr::xlsx::read_upload(table)
        .await
        .map_err(|r| TableError::Refused(vec![RowError::new(1, None, r.msg(), "")]))
}

/// Creates every account of the table, or none.
pub async fn import(
    state: &AppState,
    admin: &CurrentUser,
    table: axum::body::Bytes,
    now: DateTime<Utc>,
) -> Result<Vec<Issued>, RosterError> {
    admin.require_admin()?;
    let rows = read_table(table).await?;
    let people = check_rows(&rows).map_err(RosterError::Refused)?;
    let refused = against_database(state, admin, &people).await?;
    if !refused.is_empty() {
        return Err(RosterError::Refused(refused));
    }
    let temporary: Vec<String> = people.iter().map(|_| password::temporary()).collect();
    let hashes = hash_many_off_thread(temporary.clone()).await?;
    let mut tx = state.db.begin_write().await.map_err(StoreError::from)?;
    for (p, hash) in people.iter().zip(&hashes) {
        create_one(&mut tx, admin, p, hash, now).await?;
    }
    tx.commit().await.map_err(StoreError::from)?;
    Ok(people
        .into_iter()
        .zip(temporary)
        .map(|(p, temporary_password)| Issued {
            username: p.username,
            temporary_password,
        })
        .collect())
}

async fn create_one(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    admin: &CurrentUser,
    p: &RosterRow,
    hash: &str,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let dept = p.role.is_department_role();
    let account = accounts::NewAccount {
        username: &p.username,
        display_name: &p.display_name,
        password_hash: hash,
        role: p.role,
        node_code: (!dept).then_some(p.attachment.as_str()),
        department_code: dept.then_some(p.attachment.as_str()),
        created_at_ms: to_millis(now),
        must_change_password: true,
        work_phone: &p.work_phone,
    };
    let note = format!(" (imported, row {})", p.row);
    insert_staff(tx, admin.id, &account, &note, now).await
}

/// What only the database knows: taken usernames, unknown or foreign nodes, departments
/// that do not exist or no longer receive work.
async fn against_database(
    state: &AppState,
    admin: &CurrentUser,
    people: &[RosterRow],
) -> Result<Vec<RowError>, AppError> {
    let pool = &state.db.pool;
    let names: Vec<String> = people.iter().map(|p| p.username.clone()).collect();
    let taken: std::collections::HashSet<String> = accounts::taken(pool, &names)
        .await?
        .into_iter()
        .map(|u| u.to_lowercase())
        .collect();
    let departments: Vec<String> = store::departments::list(pool)
        .await?
        .into_iter()
        .map(|d| d.code)
        .collect();
    let mut refused = Vec::new();
    let mut nodes = std::collections::HashMap::new();
    for p in people {
        if taken.contains(&p.username.to_lowercase()) {
            refused.push(RowError::new(
                p.row,
                Some(Column::Username),
                Msg::ErrUsernameTaken,
                &p.username,
            ));
        }
        let known = if p.role == Role::Dept {
            departments.contains(&p.attachment)
        } else {
            if !nodes.contains_key(&p.attachment) {
                let row = store::territory::get_active(pool, &p.attachment).await?;
                nodes.insert(p.attachment.clone(), row);
            }
            nodes[&p.attachment]
                .as_ref()
                .is_some_and(|n| admin.scope.covers(&n.path))
        };
        if !known {
            let msg = match p.role {
                Role::Dept => Msg::ErrUnknownDepartment,
                _ => Msg::ErrUnknownNode,
            };
            refused.push(RowError::new(
                p.row,
                Some(Column::Attachment),
                msg,
                &p.attachment,
            ));
        }
    }
    Ok(refused)
}

/// A refused row for people and programs: the row, the column's header, the reason in
/// both languages and what the cell held.
pub fn problem_json<C: TableColumn + serde::Serialize>(e: &RowError<C>) -> serde_json::Value {
    serde_json::json!({
        "row": e.row,
        "column": e.column,
        "header": e.column.map(TableColumn::header),
        "message": crate::i18n::t(crate::i18n::Lang::Zh, e.msg),
        "message_en": crate::i18n::t(crate::i18n::Lang::En, e.msg),
        "value": e.value,
    })
}

/// The answer to a refused table: `{error, message, message_en, problems}` where the
/// messages say that nothing of `what` (zh, en: "账号", "account") was written.
pub fn refused_json<C: TableColumn + serde::Serialize>(
    error: &str,
    (zh, en): (&str, &str),
    rows: &[RowError<C>],
) -> serde_json::Value {
    serde_json::json!({
        "error": error,
        "message": format!("有 {} 处问题，未导入任何{zh}。", rows.len()),
        "message_en": format!("{} problems; no {en} was imported.", rows.len()),
        "problems": rows.iter().map(problem_json).collect::<Vec<_>>(),
    })
}
