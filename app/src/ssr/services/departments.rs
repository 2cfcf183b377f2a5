//! Administrators keep the district's departments (职能部门): create one, rename it, say
//! which categories it is competent for (主管), deactivate it once it holds no open
//! dispatch. A deactivated department receives nothing new and keeps its history. Every
//! change is audited.

use crate::domain::people::Department;
use crate::domain::territory::NodeCode;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::ssr::current_user::CurrentUser;
use crate::ssr::state::AppState;
use crate::ssr::store::{StoreError, audit, catalogue, departments as q};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A department with its state and competences, as administrators see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DepartmentAdmin {
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub active: bool,
    pub categories: Vec<String>,
}

/// What an administrator gives to create or change a department.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DepartmentInput {
    #[serde(default)]
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub name_en: String,
    /// Category codes the department is competent for.
    #[serde(default)]
    pub categories: Vec<String>,
}

pub async fn list(state: &AppState, admin: &CurrentUser) -> Result<Vec<DepartmentAdmin>, AppError> {
    admin.require_admin()?;
    let mut competent: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (d, c) in q::competences(&state.db.pool).await? {
        competent.entry(d).or_default().push(c);
    }
    Ok(q::all(&state.db.pool)
        .await?
        .into_iter()
        .map(|r| DepartmentAdmin {
            categories: competent.remove(&r.code).unwrap_or_default(),
            active: r.active == 1,
            code: r.code,
            name: r.name,
            name_en: r.name_en,
        })
        .collect())
}

/// Checks the names and categories; returns the trimmed (name, name_en).
async fn checked(state: &AppState, input: &DepartmentInput) -> Result<(String, String), AppError> {
    let name = input.name.trim();
    if name.is_empty() {
        return Err(AppError::validation("name", Msg::ErrRequired));
    }
    if name.chars().count() > 40 || input.name_en.chars().count() > 80 {
        return Err(AppError::validation("name", Msg::ErrTooLong));
    }
    let known: Vec<String> = catalogue::categories(&state.db.pool)
        .await?
        .into_iter()
        .map(|c| c.code)
        .collect();
    if input.categories.iter().any(|c| !known.contains(c)) {
        return Err(AppError::validation("categories", Msg::ErrUnknownCategory));
    }
    let name_en = match input.name_en.trim() {
        "" => name,
        en => en,
    };
    Ok((name.to_owned(), name_en.to_owned()))
}

pub async fn create(
    state: &AppState,
    admin: &CurrentUser,
    input: DepartmentInput,
    now: DateTime<Utc>,
) -> Result<DepartmentAdmin, AppError> {
    admin.require_admin()?;
    let code = NodeCode::parse(input.code.trim())
        .map_err(|_| AppError::validation("code", Msg::ErrDepartmentCode))?;
    let (name, name_en) = checked(state, &input).await?;
    let mut tx = state.db.begin_write().await.map_err(StoreError::from)?;
    if q::all(&mut **tx)
        .await?
        .iter()
        .any(|d| d.code == code.as_str())
    {
        return Err(AppError::Conflict {
            msg: Msg::ErrDepartmentTaken,
        });
    }
    let d = Department {
        code: code.to_string(),
        name,
        name_en,
    };
    insert_department(&mut tx, admin.id, &d, &input.categories, 1_000, "", now).await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(DepartmentAdmin {
        code: d.code,
        name: d.name,
        name_en: d.name_en,
        active: true,
        categories: input.categories,
    })
}

/// A new department with its competences and its audit row, in the caller's transaction
/// (created alone or from a table; `note` ends the audit detail).
pub(crate) async fn insert_department(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    admin_id: i64,
    d: &Department,
    categories: &[String],
    sort_order: i64,
    note: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    q::insert(&mut **tx, d, sort_order).await?;
    q::set_competences(tx, &d.code, categories).await?;
    let detail = format!("{} {} [{}]{note}", d.code, d.name, categories.join(","));
    audit::record(
        &mut **tx,
        now,
        admin_id,
        "department_create",
        "department",
        0,
        &detail,
    )
    .await
}

/// Renames a department and sets its competences (before → after in the audit row).
pub async fn update(
    state: &AppState,
    admin: &CurrentUser,
    code: &str,
    input: DepartmentInput,
    now: DateTime<Utc>,
) -> Result<DepartmentAdmin, AppError> {
    admin.require_admin()?;
    let before = find(state, admin, code).await?;
    let (name, name_en) = checked(state, &input).await?;
    let mut tx = state.db.begin_write().await.map_err(StoreError::from)?;
    q::rename(&mut tx, code, &name, &name_en).await?;
    q::set_competences(&mut tx, code, &input.categories).await?;
    let detail = format!(
        "{code}: {} [{}] -> {name} [{}]",
        before.name,
        before.categories.join(","),
        input.categories.join(",")
    );
    audit::record(
        &mut **tx,
        now,
        admin.id,
        "department_change",
        "department",
        0,
        &detail,
    )
    .await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(DepartmentAdmin {
        code: code.to_owned(),
        name,
        name_en,
        active: before.active,
        categories: input.categories,
    })
}

pub async fn deactivate(
    state: &AppState,
    admin: &CurrentUser,
    code: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    admin.require_admin()?;
    find(state, admin, code).await?;
    let mut tx = state.db.begin_write().await.map_err(StoreError::from)?;
    if q::open_dispatches(&mut tx, code).await? > 0 {
        return Err(AppError::Conflict {
            msg: Msg::ErrDepartmentBusy,
        });
    }
    q::set_active(&mut tx, code, false).await?;
    audit::record(
        &mut **tx,
        now,
        admin.id,
        "department_deactivate",
        "department",
        0,
        code,
    )
    .await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(())
}

async fn find(
    state: &AppState,
    admin: &CurrentUser,
    code: &str,
) -> Result<DepartmentAdmin, AppError> {
    list(state, admin)
        .await?
        .into_iter()
        .find(|d| d.code == code)
        .ok_or(AppError::NotFound)
}
