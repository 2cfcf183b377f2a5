//! Administrators assign the people serving each grid (1+3+N, 一格八员): full-time and
//! part-time grid workers and support members, with duties and work phones. The grid's QR
//! page, its poster and the 网格员公示 card read the same rows, so they follow at once.
//! Every change is audited with what was added or removed.

use crate::domain::people::{GridMember, MemberKind, SupportRole};
use crate::domain::privacy::parse_phone;
use crate::domain::territory::Level;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::ssr::current_user::CurrentUser;
use crate::ssr::state::AppState;
use crate::ssr::store::{self, StoreError, accounts, audit, members};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A member as an administrator gives it.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MemberInput {
    pub name: String,
    pub kind: String,
    /// One of the eight 一格八员 roles, for support members only.
    #[serde(default)]
    pub support_role: Option<String>,
    #[serde(default)]
    pub duties: String,
    #[serde(default)]
    pub work_phone: String,
    /// The member's own account, when they have one (a worker who logs in).
    #[serde(default)]
    pub username: Option<String>,
}

/// The members of a grid inside the administrator's area.
pub async fn list(
    state: &AppState,
    admin: &CurrentUser,
    grid: &str,
) -> Result<Vec<GridMember>, AppError> {
    own_grid(state, admin, grid).await?;
    Ok(members::of_grid(&state.db.pool, grid).await?)
}

async fn own_grid(state: &AppState, admin: &CurrentUser, grid: &str) -> Result<(), AppError> {
    admin.require_admin()?;
    store::territory::get_active(&state.db.pool, grid)
        .await?
        .filter(|n| n.level == Level::Grid.as_str() && admin.scope.covers(&n.path))
        .map(|_| ())
        .ok_or(AppError::NotFound)
}

/// A checked member: (kind, support role, name, duties, phone).
fn checked(
    input: &MemberInput,
) -> Result<(MemberKind, Option<SupportRole>, String, String, String), AppError> {
    let name = input.name.trim();
    if name.is_empty() {
        return Err(AppError::validation("name", Msg::ErrRequired));
    }
    if name.chars().count() > 40 || input.duties.chars().count() > 200 {
        return Err(AppError::validation("duties", Msg::ErrTooLong));
    }
    let kind = MemberKind::parse(input.kind.trim())
        .ok_or_else(|| AppError::validation("kind", Msg::ErrMemberKind))?;
    let support = match (kind, input.support_role.as_deref().map(str::trim)) {
        (MemberKind::Support, Some(r)) => Some(
            SupportRole::parse(r)
                .ok_or_else(|| AppError::validation("support_role", Msg::ErrMemberKind))?,
        ),
        (MemberKind::Support, None) => {
            return Err(AppError::validation("support_role", Msg::ErrRequired));
        }
        _ => None,
    };
    let phone = match input.work_phone.trim() {
        "" => String::new(),
        p => parse_phone(p).map_err(|_| AppError::validation("work_phone", Msg::ErrPhone))?,
    };
    Ok((
        kind,
        support,
        name.to_owned(),
        input.duties.trim().to_owned(),
        phone,
    ))
}

/// Adds a member to a grid.
pub async fn add(
    state: &AppState,
    admin: &CurrentUser,
    grid: &str,
    input: MemberInput,
    now: DateTime<Utc>,
) -> Result<GridMember, AppError> {
    own_grid(state, admin, grid).await?;
    let (kind, support_role, name, duties, work_phone) = checked(&input)?;
    let account_id = match input
        .username
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty())
    {
        None => None,
        Some(u) => Some(
            accounts::by_username(&state.db.pool, u)
                .await?
                .ok_or_else(|| AppError::validation("username", Msg::ErrNotFound))?
                .id,
        ),
    };
    let mut tx = state.db.begin_write().await.map_err(StoreError::from)?;
    let sort_order = members::of_grid(&mut **tx, grid).await?.len() as i64;
    let id = members::insert(
        &mut **tx,
        &members::NewMember {
            grid_code: grid,
            name: &name,
            kind,
            support_role,
            duties: &duties,
            work_phone: &work_phone,
            account_id,
            sort_order,
        },
    )
    .await?;
    let detail = format!("{grid}: + {name} ({})", kind.as_str());
    audit::record(
        &mut **tx,
        now,
        admin.id,
        "member_add",
        "grid_member",
        id,
        &detail,
    )
    .await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(GridMember {
        id,
        name,
        kind,
        support_role,
        duties,
        work_phone,
    })
}

/// Removes a member from a grid (the person's account, if any, stays).
pub async fn remove(
    state: &AppState,
    admin: &CurrentUser,
    grid: &str,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    own_grid(state, admin, grid).await?;
    let mut tx = state.db.begin_write().await.map_err(StoreError::from)?;
    let gone = members::remove(&mut tx, grid, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let detail = format!("{grid}: − {} ({})", gone.name, gone.kind.as_str());
    audit::record(
        &mut **tx,
        now,
        admin.id,
        "member_remove",
        "grid_member",
        id,
        &detail,
    )
    .await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(())
}
