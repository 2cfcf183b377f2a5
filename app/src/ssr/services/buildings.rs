//! The district's building list (楼栋清单): imported from a table, all rows or none. Each
//! building's grid must exist in the administrator's area and its point must lie in that
//! grid (the same point → grid rule residents' reports use). A building already listed
//! for its grid is moved to the new point; the import is audited.

use super::roster::{TableError, read_table};
use crate::domain::building_table::{Column, check_rows};
use crate::domain::roster::RowError;
use crate::domain::territory::Level;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::ssr::current_user::CurrentUser;
use crate::ssr::state::AppState;
use crate::ssr::store::buildings::{self, BuildingRow};
use crate::ssr::store::{self, StoreError, audit};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BuildingsImported {
    pub created: usize,
    pub moved: usize,
}

pub async fn import(
    state: &AppState,
    admin: &CurrentUser,
    table: axum::body::Bytes,
    now: DateTime<Utc>,
) -> Result<BuildingsImported, TableError<Column>> {
    admin.require_admin()?;
    let rows = read_table(table).await?;
    let list = check_rows(&rows).map_err(TableError::Refused)?;
    let mut refused = Vec::new();
    let mut grids = std::collections::HashMap::new();
    for b in &list {
        if !grids.contains_key(&b.grid) {
            let ok = store::territory::get_active(&state.db.pool, &b.grid)
                .await?
                .is_some_and(|n| n.level == Level::Grid.as_str() && admin.scope.covers(&n.path));
            grids.insert(b.grid.clone(), ok);
        }
        if !grids[&b.grid] {
            refused.push(RowError::new(
                b.row,
                Some(Column::Grid),
                Msg::ErrUnknownNode,
                &b.grid,
            ));
        } else if super::territory::locate(state, b.point).as_deref() != Some(b.grid.as_str()) {
            let at = format!("{:.6},{:.6}", b.point.lat(), b.point.lng());
            refused.push(RowError::new(
                b.row,
                Some(Column::Point),
                Msg::ErrBuildingOutsideGrid,
                &at,
            ));
        }
    }
    if !refused.is_empty() {
        return Err(TableError::Refused(refused));
    }
    let mut done = BuildingsImported::default();
    let mut tx = state.db.begin_write().await.map_err(StoreError::from)?;
    for b in &list {
        let row = BuildingRow {
            grid_code: b.grid.clone(),
            name: b.name.clone(),
            lat: b.point.lat(),
            lng: b.point.lng(),
        };
        if buildings::upsert(&mut tx, &row).await? {
            done.created += 1;
        } else {
            done.moved += 1;
        }
    }
    let detail = format!(
        "{} buildings: {} new, {} moved",
        list.len(),
        done.created,
        done.moved
    );
    audit::record(
        &mut **tx,
        now,
        admin.id,
        "buildings_import",
        "territory",
        0,
        &detail,
    )
    .await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(done)
}

/// The buildings of the user's area (staff), or of one grid in it.
pub async fn list(
    state: &AppState,
    user: &CurrentUser,
    grid: Option<&str>,
) -> Result<Vec<BuildingRow>, AppError> {
    let prefix = match grid {
        None => user.scope.territory_prefix().to_owned(),
        Some(code) => {
            store::territory::get(&state.db.pool, code)
                .await?
                .filter(|n| user.scope.covers(&n.path))
                .ok_or(AppError::NotFound)?
                .path
        }
    };
    Ok(buildings::under(&state.db.pool, &prefix).await?)
}
