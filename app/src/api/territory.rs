//! Territory reads for the UI, scoped to the logged-in user.

use crate::domain::territory::{AreaSummary, GridDetail, MapData, TerritoryNode};
use crate::error::AppError;
use leptos::prelude::*;

#[server(prefix = "/api/fn", endpoint = "territory_tree")]
pub async fn get_territory_tree() -> Result<Vec<TerritoryNode>, AppError> {
    use crate::ssr::{current_user::require_user, services, state::app_state};
    super::respond(async { services::territory::tree(&app_state()?, &require_user()?).await }.await)
}

#[server(prefix = "/api/fn", endpoint = "territory_map")]
pub async fn get_territory_map() -> Result<MapData, AppError> {
    use crate::ssr::{current_user::require_user, services, state::app_state};
    super::respond(async { services::territory::map(&app_state()?, &require_user()?).await }.await)
}

#[server(prefix = "/api/fn", endpoint = "grid_detail")]
pub async fn get_grid_detail(code: String) -> Result<GridDetail, AppError> {
    use crate::ssr::{current_user::require_user, services, state::app_state};
    super::respond(
        async { services::territory::detail(&app_state()?, &require_user()?, &code).await }.await,
    )
}

#[server(prefix = "/api/fn", endpoint = "area_summary")]
pub async fn get_area_summary() -> Result<AreaSummary, AppError> {
    use crate::ssr::{current_user::require_user, services, state::app_state};
    super::respond(
        async { services::territory::summary(&app_state()?, &require_user()?).await }.await,
    )
}
