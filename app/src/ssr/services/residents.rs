//! What residents see without logging in: a grid's public card (网格员公示) with its
//! figures, the categories to report under, and the QR posters staff print.

use crate::domain::calendar::district_tz;
use crate::domain::people::GridMember;
use crate::domain::resident::{CategoryChoice, GridCard};
use crate::domain::territory::{Level, NodeCode};
use crate::error::AppError;
use crate::ssr::current_user::CurrentUser;
use crate::ssr::state::AppState;
use crate::ssr::store::{self, catalogue};
use chrono::{DateTime, Datelike, TimeZone, Utc};

/// The public card of a grid; NotFound for anything that is not a grid.
pub async fn grid_card(
    state: &AppState,
    grid_code: &str,
    now: DateTime<Utc>,
) -> Result<GridCard, AppError> {
    let code = NodeCode::parse(grid_code).map_err(|_| AppError::NotFound)?;
    let pool = &state.db.pool;
    let grid = store::territory::get(pool, code.as_str())
        .await?
        .filter(|n| n.level == Level::Grid.as_str())
        .ok_or(AppError::NotFound)?;
    let ancestors = store::territory::ancestors(pool, &grid.path).await?;
    let name_at = |level: Level| {
        ancestors
            .iter()
            .find(|n| n.level == level.as_str())
            .map(|n| n.name.clone())
            .unwrap_or_default()
    };
    let local = now.with_timezone(&district_tz());
    let month_start = district_tz()
        .with_ymd_and_hms(local.year(), local.month(), 1, 0, 0, 0)
        .single()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or(now);
    let (resolved, open) = store::residents::grid_figures(pool, &grid.code, month_start).await?;
    Ok(GridCard {
        members: store::members::of_grid(pool, &grid.code)
            .await?
            .into_iter()
            .map(GridMember::public)
            .collect(),
        community_name: name_at(Level::Community),
        street_name: name_at(Level::Street),
        district_name: name_at(Level::District),
        grid_code: grid.code,
        grid_name: grid.name,
        resolved_this_month: resolved,
        open_now: open,
    })
}

pub async fn categories(state: &AppState) -> Result<Vec<CategoryChoice>, AppError> {
    Ok(catalogue::categories(&state.db.pool)
        .await?
        .into_iter()
        .map(|c| CategoryChoice {
            code: c.code,
            name: c.name,
            name_en: c.name_en,
        })
        .collect())
}

/// The cards of the grids a staff member may print posters for: one grid, or every grid
/// of a community (or any node) inside the user's scope.
pub async fn poster_cards(
    state: &AppState,
    user: &CurrentUser,
    node_code: &str,
    now: DateTime<Utc>,
) -> Result<Vec<GridCard>, AppError> {
    let code = NodeCode::parse(node_code).map_err(|_| AppError::NotFound)?;
    let pool = &state.db.pool;
    let node = store::territory::get(pool, code.as_str())
        .await?
        .ok_or(AppError::NotFound)?;
    let allowed = match &user.scope {
        crate::domain::scope::Scope::Subtree { path } => node.path.starts_with(path.as_str()),
        crate::domain::scope::Scope::Department { .. } => false,
    };
    if !allowed {
        return Err(AppError::NotFound);
    }
    let grids: Vec<String> = if node.level == Level::Grid.as_str() {
        vec![node.code]
    } else {
        store::territory::subtree(pool, &node.path)
            .await?
            .into_iter()
            .filter(|n| n.level == Level::Grid.as_str())
            .map(|n| n.code)
            .collect()
    };
    if grids.len() > 200 {
        // A street's worth at most: a print job of thousands of pages helps nobody.
        return Err(AppError::validation("node", crate::i18n::Msg::ErrTooLong));
    }
    let mut cards = Vec::with_capacity(grids.len());
    for g in grids {
        cards.push(grid_card(state, &g, now).await?);
    }
    Ok(cards)
}
