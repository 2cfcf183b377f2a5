//! `/admin/territory`: the administrators' territory page (light; see
//! `app::light::territory_admin`). GET shows the territory and the upload form; POST checks
//! an uploaded file (`step=check`) or applies a checked one (`step=apply`).

use crate::admin_pages::AdminPage;
use crate::http::html;
use app::domain::territory::Level;
use app::domain::territory_import::{Problem, ProblemKind};
use app::i18n::{Msg, t};
use app::light::{self, ImportOutcome, PageCtx, TerritoryAdminView, territory_admin_page};
use app::ssr::services::territory_import::{self as ti, ImportError};
use app::ssr::{AppState, CurrentUser, store};
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use serde_json::{Value, json};

/// The same bound as the API's import.
const LIMIT: usize = 32 * 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new().route(
        "/admin/territory",
        get(page).post(upload).layer(DefaultBodyLimit::max(LIMIT)),
    )
}

async fn page(State(state): State<AppState>, AdminPage { ctx, user }: AdminPage) -> Response {
    let now = ti::export(&state, &user).await.unwrap_or(Value::Null);
    render(&state, &ctx, StatusCode::OK, None, &now, &[]).await
}

async fn upload(
    State(state): State<AppState>,
    AdminPage { ctx, user }: AdminPage,
    mut form: Multipart,
) -> Response {
    let (mut text, mut step) = (Vec::new(), String::from("check"));
    let mut reassign = serde_json::Map::new();
    loop {
        match form.next_field().await {
            Ok(Some(f)) => {
                let name = f.name().unwrap_or_default().to_owned();
                match f.bytes().await {
                    Ok(b) if name == "file" || name == "geojson" => text = b.to_vec(),
                    Ok(b) if name == "step" => step = String::from_utf8_lossy(&b).into_owned(),
                    Ok(b) if name.starts_with("reassign:") => {
                        let to = String::from_utf8_lossy(&b).trim().to_owned();
                        if !to.is_empty() {
                            reassign.insert(name["reassign:".len()..].to_owned(), to.into());
                        }
                    }
                    Ok(_) => {}
                    Err(_) => break,
                }
            }
            _ => break,
        }
    }
    if step == "buildings" {
        return building_list(&state, &ctx, &user, text).await;
    }
    let doc: Value = match serde_json::from_slice::<Value>(&text) {
        Ok(mut v) => {
            // The page's choices of where removed nodes' people go join the file's own.
            if !reassign.is_empty() && v.is_object() {
                let mut all = v
                    .get("reassign")
                    .and_then(Value::as_object)
                    .cloned()
                    .unwrap_or_default();
                all.extend(reassign);
                v["reassign"] = Value::Object(all);
            }
            v
        }
        Err(e) => {
            let p = Problem::new(
                "",
                ProblemKind::NotAFeatureCollection,
                format!("文件不是有效的 JSON：{e}"),
                format!("The file is not valid JSON: {e}"),
            );
            let now = ti::export(&state, &user).await.unwrap_or(Value::Null);
            let outcome = ImportOutcome::Refused {
                problems: vec![p],
                reassign: None,
            };
            return render(
                &state,
                &ctx,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(outcome),
                &now,
                &[],
            )
            .await;
        }
    };
    let apply = step == "apply";
    match ti::import(&state, &user, doc.clone(), !apply, state.clock.now()).await {
        Ok(plan) if apply => {
            let now = ti::export(&state, &user).await.unwrap_or(Value::Null);
            render(
                &state,
                &ctx,
                StatusCode::OK,
                Some(ImportOutcome::Applied(plan)),
                &now,
                &[],
            )
            .await
        }
        Ok(plan) => {
            let outcome = ImportOutcome::Planned {
                plan,
                geojson: doc.to_string(),
            };
            render(&state, &ctx, StatusCode::OK, Some(outcome), &doc, &[]).await
        }
        Err(ImportError::Refused(problems)) => {
            let shown = problems.clone();
            let reassign = reassign_choices(&state, &doc, &problems).await;
            let outcome = ImportOutcome::Refused { problems, reassign };
            render(
                &state,
                &ctx,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(outcome),
                &doc,
                &shown,
            )
            .await
        }
        Err(ImportError::Other(e)) => html(
            StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            light::message_page(&ctx, e.msg()),
        ),
    }
}

/// For every node the file removes while it still holds people: the nodes of its level in
/// the file, to choose where they go.
async fn reassign_choices(
    state: &AppState,
    doc: &Value,
    problems: &[Problem],
) -> Option<light::ReassignChoices> {
    let mut removed = Vec::new();
    for p in problems.iter().filter(|p| p.kind == ProblemKind::InUse) {
        let Ok(Some(node)) = store::territory::get(&state.db.pool, &p.code).await else {
            continue;
        };
        let choices: Vec<(String, String)> = doc["features"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|f| &f["properties"])
            .filter(|p| p["level"].as_str() == Some(node.level.as_str()))
            .filter_map(|p| {
                Some((
                    p["code"].as_str()?.to_owned(),
                    p["name"].as_str().unwrap_or("").to_owned(),
                ))
            })
            .collect();
        removed.push((p.code.clone(), choices));
    }
    (!removed.is_empty()).then(|| light::ReassignChoices {
        geojson: doc.to_string(),
        removed,
    })
}

/// The building list posted on the page: imported, or every refused row.
async fn building_list(
    state: &AppState,
    ctx: &PageCtx,
    user: &CurrentUser,
    table: Vec<u8>,
) -> Response {
    use app::ssr::services::buildings;
    let (status, outcome) =
        match buildings::import(state, user, table.into(), state.clock.now()).await {
            Ok(done) => {
                let said = t(ctx.lang, Msg::BuildingsImported)
                    .replace("{new}", &done.created.to_string())
                    .replace("{moved}", &done.moved.to_string());
                (StatusCode::OK, light::AdminOutcome::DoneWith(said))
            }
            Err(e) => crate::admin_pages::table_refused(ctx.lang, e),
        };
    let now = ti::export(state, user).await.unwrap_or(Value::Null);
    render(
        state,
        ctx,
        status,
        Some(ImportOutcome::Buildings(outcome)),
        &now,
        &[],
    )
    .await
}

async fn render(
    state: &AppState,
    ctx: &PageCtx,
    status: StatusCode,
    outcome: Option<ImportOutcome>,
    features: &Value,
    problems: &[Problem],
) -> Response {
    let mut counts = [0i64; 4];
    counts[3] = store::buildings::count(&state.db.pool).await.unwrap_or(0);
    if let Ok(levels) = store::territory::level_counts(&state.db.pool, "/").await {
        for (level, n) in levels {
            match level {
                Level::Street => counts[0] = n,
                Level::Community => counts[1] = n,
                Level::Grid => counts[2] = n,
                _ => {}
            }
        }
    }
    // The page draws the file on the tiles: shifted onto their datum (GCJ-02 tiles).
    let crs = state.config.tile_crs;
    let mut features = features.clone();
    crs.shift_geojson(&mut features);
    let problems: Vec<Problem> = problems
        .iter()
        .cloned()
        .map(|mut p| {
            if let (Some(lng), Some(lat)) = (p.lng, p.lat) {
                let (lat, lng) = crs.to_tiles(lat, lng);
                (p.lng, p.lat) = (Some(lng), Some(lat));
            }
            p
        })
        .collect();
    let map_data = json!({
        "features": features,
        "problems": problems,
        "tile_url": state.config.tile_url,
        "labels": { "problem": t(ctx.lang, Msg::TerritoryProblem) },
    })
    .to_string();
    let view = TerritoryAdminView {
        counts,
        outcome,
        map_data,
    };
    html(status, territory_admin_page(ctx, view))
}
