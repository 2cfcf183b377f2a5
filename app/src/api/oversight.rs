//! Oversight server functions for the leaders' pages: the same services as
//! `/api/v1/boards`, `/kpis` and `/rankings`.

use crate::domain::board::Board;
use crate::domain::kpi::Kpis;
use crate::domain::ranking::Ranking;
use crate::error::AppError;
use leptos::prelude::*;

#[server(prefix = "/api/fn", endpoint = "board")]
pub async fn get_board(area: Option<String>, period: Option<String>) -> Result<Board, AppError> {
    use crate::ssr::{current_user::require_user, services::oversight, state::app_state};
    super::respond(
        async {
            let state = app_state()?;
            let now = state.clock.now();
            oversight::board(
                &state,
                &require_user()?,
                area.as_deref(),
                period.as_deref(),
                now,
            )
            .await
        }
        .await,
    )
}

#[server(prefix = "/api/fn", endpoint = "kpis")]
pub async fn get_kpis(
    area: Option<String>,
    from: Option<String>,
    to: Option<String>,
) -> Result<Kpis, AppError> {
    use crate::ssr::{current_user::require_user, services::oversight, state::app_state};
    super::respond(
        async {
            let state = app_state()?;
            let now = state.clock.now();
            let user = require_user()?;
            oversight::kpis(
                &state,
                &user,
                area.as_deref(),
                from.as_deref(),
                to.as_deref(),
                now,
            )
            .await
        }
        .await,
    )
}

#[server(prefix = "/api/fn", endpoint = "ranking")]
pub async fn get_ranking(
    kind: String,
    area: Option<String>,
    period: Option<String>,
) -> Result<Ranking, AppError> {
    use crate::domain::ranking::RankingKind;
    use crate::i18n::Msg;
    use crate::ssr::{current_user::require_user, services::oversight, state::app_state};
    super::respond(
        async {
            let state = app_state()?;
            let now = state.clock.now();
            let kind = RankingKind::parse(&kind)
                .ok_or_else(|| AppError::validation("kind", Msg::ErrBadKind))?;
            let user = require_user()?;
            oversight::rankings(&state, &user, kind, area.as_deref(), period.as_deref(), now).await
        }
        .await,
    )
}

#[server(prefix = "/api/fn", endpoint = "map_cases")]
pub async fn get_map_cases(
    bbox: String,
    zoom: u8,
    area: Option<String>,
    period: Option<String>,
    category: Option<String>,
    tier: Option<String>,
    colour: Option<String>,
    department: Option<String>,
) -> Result<crate::domain::case_map::MapCases, AppError> {
    use crate::ssr::services::oversight::{self, MapQuery};
    use crate::ssr::{current_user::require_user, state::app_state};
    super::respond(
        async {
            let state = app_state()?;
            let q = MapQuery {
                bbox,
                zoom: Some(zoom),
                area,
                period,
                category,
                tier,
                colour,
                department,
            };
            oversight::map_cases(&state, &require_user()?, &q, state.clock.now()).await
        }
        .await,
    )
}

#[server(prefix = "/api/fn", endpoint = "report")]
pub async fn get_report(
    area: Option<String>,
    period: Option<String>,
) -> Result<crate::domain::report::RhythmReport, AppError> {
    use crate::ssr::{current_user::require_user, services::oversight, state::app_state};
    super::respond(
        async {
            let state = app_state()?;
            let now = state.clock.now();
            oversight::report(
                &state,
                &require_user()?,
                area.as_deref(),
                period.as_deref(),
                now,
            )
            .await
        }
        .await,
    )
}
