//! Households (户档案), visits (入户走访) and the work ledger (工作台账) for grid staff.
//! Every read is scoped to the user's subtree; lists carry masked numbers only; a full
//! number is opened for one member at a time and the opening is audited.

use crate::domain::calendar::district_tz;
use crate::domain::household::id_number::{birth_year, mask_id_number};
use crate::domain::household::import::{ImportReport, RowError, check_rows};
use crate::domain::household::ledger::{Ledger, LedgerCase, LedgerVisit, parse_month};
use crate::domain::household::view::{
    GridVisitCount, HouseholdDetail, HouseholdView, MemberView, Revealed, TagView, VisitView,
    WorkerWeek,
};
use crate::domain::household::{
    NOTES_MAX, PopulationTag, VISIT_MINUTES_MAX, VisitState, join_tags, policy, split_tags,
    visit_interval,
};
use crate::domain::people::Role;
use crate::domain::privacy::mask_phone;
use crate::domain::territory::Level;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::ssr::current_user::CurrentUser;
use crate::ssr::db::from_millis;
use crate::ssr::state::AppState;
use crate::ssr::store::{self, StoreError, audit, households as hh};
use chrono::{DateTime, Datelike, Duration, TimeZone, Utc};
use std::collections::HashMap;

mod import;
mod ledger;
mod visits;

pub use import::{add_member, describe, import, save_tag};
pub use ledger::{ledger, ledger_xlsx};
pub use visits::{
    VisitInput, counts_per_grid, log_visit, overdue, overdue_count, visit_photo, week_per_worker,
    week_start,
};

pub async fn tags(state: &AppState) -> Result<Vec<PopulationTag>, AppError> {
    Ok(hh::tags(&state.db.pool)
        .await?
        .into_iter()
        .map(hh::TagRow::into_tag)
        .collect())
}

/// Stores a household's rule anew from its members' tags (after an import or a tag change),
/// in the caller's transaction.
async fn recompute_rule(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    id: i64,
    building: &str,
    tags: &[PopulationTag],
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let members = hh::members_of(&mut **tx, id).await?;
    let rule = visit_interval(members.iter().flat_map(|m| split_tags(&m.tags)), tags);
    hh::set_household(tx, id, building, rule, now).await?;
    Ok(())
}

/// A grid the user may read households of, or NotFound/Forbidden.
async fn readable_grid(
    state: &AppState,
    user: &CurrentUser,
    grid: &str,
) -> Result<store::territory::NodeRow, AppError> {
    if !policy::may_read(user.role) {
        return Err(AppError::Forbidden);
    }
    let row = store::territory::get(&state.db.pool, grid)
        .await?
        .filter(|n| n.level == Level::Grid.as_str())
        .ok_or(AppError::NotFound)?;
    if !user.scope.covers(&row.path) {
        return Err(AppError::Forbidden);
    }
    Ok(row)
}

/// The user's own grid when they are attached to one (workers), for pages without `?grid=`.
pub fn own_grid(user: &CurrentUser) -> Option<String> {
    match &user.attachment {
        crate::domain::people::Attachment::Node { code, level, .. } if *level == Level::Grid => {
            Some(code.clone())
        }
        _ => None,
    }
}

fn tag_views(stored: &str, tags: &[PopulationTag]) -> Vec<TagView> {
    split_tags(stored)
        .filter_map(|c| tags.iter().find(|t| t.code == c))
        .map(|t| TagView {
            code: t.code.clone(),
            name: t.name.clone(),
            name_en: t.name_en.clone(),
        })
        .collect()
}

fn member_view(m: &hh::MemberRow, tags: &[PopulationTag]) -> MemberView {
    MemberView {
        id: m.id,
        name: m.name.clone(),
        relation: m.relation.clone(),
        phone_masked: m.phone_masked.clone(),
        id_masked: m.id_masked.clone(),
        tags: tag_views(&m.tags, tags),
    }
}

fn household_view(
    h: &hh::HouseholdRow,
    members: Vec<MemberView>,
    now: DateTime<Utc>,
) -> HouseholdView {
    let every = h.visit_every_days.and_then(|d| u32::try_from(d).ok());
    HouseholdView {
        id: h.id,
        grid_code: h.grid_code.clone(),
        grid_name: h.grid_name.clone(),
        building: h.building.clone(),
        address: h.address.clone(),
        members,
        visit_every_days: every,
        last_visit_at: h.last_visit_at,
        visit: VisitState::of(
            every,
            h.last_visit_at.map(from_millis),
            from_millis(h.created_at),
            now,
        ),
    }
}

/// The households of a grid with their members (numbers masked) and visit state.
pub async fn list(
    state: &AppState,
    user: &CurrentUser,
    grid: &str,
    now: DateTime<Utc>,
) -> Result<Vec<HouseholdView>, AppError> {
    let grid = readable_grid(state, user, grid).await?;
    let pool = &state.db.pool;
    let tags = tags(state).await?;
    let mut members: HashMap<i64, Vec<MemberView>> = HashMap::new();
    for m in hh::members_of_grid(pool, &grid.code).await? {
        members
            .entry(m.household_id)
            .or_default()
            .push(member_view(&m, &tags));
    }
    let list: Vec<HouseholdView> = hh::of_grid(pool, &grid.code)
        .await?
        .iter()
        .map(|h| household_view(h, members.remove(&h.id).unwrap_or_default(), now))
        .collect();
    // Names, addresses and special-population tags (PIPL Art. 28): every read is recorded.
    let detail = format!("grid {}: {} households", grid.code, list.len());
    audit::record(pool, now, user.id, "read_list", "households", 0, &detail).await?;
    Ok(list)
}

async fn readable_household(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
) -> Result<hh::HouseholdRow, AppError> {
    if !policy::may_read(user.role) {
        return Err(AppError::Forbidden);
    }
    let h = hh::get(&state.db.pool, id)
        .await?
        .ok_or(AppError::NotFound)?;
    // Outside the subtree a household does not exist for this user.
    if !user.scope.covers(&h.grid_path) {
        return Err(AppError::NotFound);
    }
    Ok(h)
}

pub async fn detail(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    now: DateTime<Utc>,
) -> Result<HouseholdDetail, AppError> {
    let h = readable_household(state, user, id).await?;
    let pool = &state.db.pool;
    let tags = tags(state).await?;
    let members = hh::members_of(pool, id)
        .await?
        .iter()
        .map(|m| member_view(m, &tags))
        .collect();
    let visits = hh::visits_of(pool, id, 50)
        .await?
        .into_iter()
        .map(visit_view)
        .collect();
    audit::record(pool, now, user.id, "read", "household", id, &h.address).await?;
    Ok(HouseholdDetail {
        household: household_view(&h, members, now),
        visits,
        can_reveal: policy::may_reveal(user.role),
        can_visit: policy::may_visit(user.role),
    })
}

fn visit_view(v: hh::VisitRow) -> VisitView {
    VisitView {
        id: v.id,
        household_id: v.household_id,
        visited_at: v.visited_at,
        worker: v.worker,
        minutes: u32::try_from(v.minutes).unwrap_or(0),
        notes: v.notes,
        needs: v.needs,
        photo: v.photo,
        case_id: v.case_id,
    }
}

/// One member's full phone and ID numbers, audited before they are returned.
pub async fn reveal(
    state: &AppState,
    user: &CurrentUser,
    household: i64,
    member: i64,
    now: DateTime<Utc>,
) -> Result<Revealed, AppError> {
    readable_household(state, user, household).await?;
    if !policy::may_reveal(user.role) {
        return Err(AppError::NotAllowed {
            msg: Msg::ErrRevealRole,
        });
    }
    let pool = &state.db.pool;
    let m = hh::members_of(pool, household)
        .await?
        .into_iter()
        .find(|m| m.id == member)
        .ok_or(AppError::NotFound)?;
    let open = |sealed: &Option<String>| -> Result<Option<String>, AppError> {
        sealed
            .as_deref()
            .map(|s| {
                state.sealer.open(s).map_err(|_| {
                    tracing::error!(member = m.id, "a sealed number does not open");
                    AppError::Internal
                })
            })
            .transpose()
    };
    let revealed = Revealed {
        member_id: m.id,
        name: m.name.clone(),
        phone: open(&m.phone_sealed)?,
        id_number: open(&m.id_sealed)?,
    };
    // Written before anything is shown: no audit row, no numbers.
    crate::ssr::store::audit::record(
        pool,
        now,
        user.id,
        "reveal",
        "household_member",
        m.id,
        &format!("household {household}"),
    )
    .await?;
    tracing::info!(
        account = user.id,
        member = m.id,
        "personal numbers revealed"
    );
    Ok(revealed)
}
