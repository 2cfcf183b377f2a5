//! The description's root (title, server, tags) and `GET /api/v1/openapi.json`, which
//! serves what the routers generated: handlers carry `#[utoipa::path]`, wire types
//! `ToSchema` (in `app`, under the `ssr` feature).

use super::{OpenApiRouter, routes};
use app::ssr::AppState;
use axum::http::header;
use axum::response::IntoResponse;
use std::sync::OnceLock;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "gridgov API — 网格化社会治理平台",
        description = "Everything is scoped to the logged-in account (session cookie `gridgov_session` from `POST /login`). Refusals carry a kind and a message in Chinese and English (`Error`). State-changing browser requests must come from the same origin; scripts send JSON. Open311 GeoReport v2 is described apart, at `/open311/v2/openapi.json`.",
        license(name = "MIT"),
    ),
    servers((url = "/api/v1")),
    components(schemas(super::ErrorBody)),
    tags(
        (name = "accounts", description = "Logging in, one's own account, administrators' accounts"),
        (name = "territory", description = "Streets, communities, grids, buildings, members"),
        (name = "cases", description = "Cases (事件) and their closed loop"),
        (name = "desk", description = "Work lists: the centre's inbox, departments' desks, the bell, webhooks"),
        (name = "residents", description = "What residents may do without an account"),
        (name = "households", description = "Households, visits and the grid worker's ledger"),
        (name = "oversight", description = "Boards, KPIs, rankings, the live map, rhythm reports"),
        (name = "standards", description = "Categories, reply templates, the working calendar"),
        (name = "integrations", description = "12345 hotline, exports, Open311 keys"),
    ),
)]
struct Root;

pub(super) fn root() -> utoipa::openapi::OpenApi {
    Root::openapi()
}

static DESCRIPTION: OnceLock<String> = OnceLock::new();

/// Keeps the generated description for `GET /openapi.json` (the same on every build of
/// the router, so the first one stays).
pub(super) fn publish(description: utoipa::openapi::OpenApi) {
    let _ = DESCRIPTION.set(description.to_json().expect("the description serialises"));
}

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(openapi_json))
}

/// This description (OpenAPI 3.1)
#[utoipa::path(get, path = "/openapi.json", tag = "accounts",
    responses((status = 200, description = "the OpenAPI 3.1 document", body = Object, content_type = "application/json")))]
async fn openapi_json() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        DESCRIPTION.get().cloned().unwrap_or_default(),
    )
}
