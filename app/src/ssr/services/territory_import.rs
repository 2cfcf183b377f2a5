//! Administrators import the district's territory from GeoJSON (dry run: the plan only),
//! and export it. The checks run off the request threads; the changes go in one
//! transaction with their audit row; the point → grid index is rebuilt afterwards.

use crate::domain::territory::Level;
use crate::domain::territory_import::{self as ti, DEFAULT_TOLERANCE_M, ImportNode, Plan, Problem};
use crate::error::AppError;
use crate::ssr::current_user::CurrentUser;
use crate::ssr::db::to_millis;
use crate::ssr::state::AppState;
use crate::ssr::store::{StoreError, audit, territory, territory_import as q};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use std::collections::HashMap;

#[derive(Debug)]
pub enum ImportError {
    /// Every reason the set was refused; nothing was written.
    Refused(Vec<Problem>),
    Other(AppError),
}

impl From<AppError> for ImportError {
    fn from(e: AppError) -> Self {
        ImportError::Other(e)
    }
}

impl From<StoreError> for ImportError {
    fn from(e: StoreError) -> Self {
        ImportError::Other(e.into())
    }
}

async fn district_code(state: &AppState) -> Result<String, AppError> {
    let path = territory::district_path(&state.db.pool)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(path.trim_matches('/').to_owned())
}

/// Checks the set and plans it against the territory; with `dry_run` false and nothing
/// refused, applies the plan.
#[tracing::instrument(skip_all, fields(dry_run), err(Debug))]
pub async fn import(
    state: &AppState,
    admin: &CurrentUser,
    doc: Value,
    dry_run: bool,
    now: DateTime<Utc>,
) -> Result<Plan, ImportError> {
    admin.require_admin()?;
    let district = district_code(state).await?;
    let reassign = reassignments(&doc);
    // Geometry is CPU work (and a crafted polygon must not take a request thread down).
    let d = district.clone();
    let (nodes, mut problems) = tokio::task::spawn_blocking(move || {
        std::panic::catch_unwind(move || {
            let (nodes, mut problems) = ti::read(&doc);
            problems.extend(ti::check(&nodes, &d, DEFAULT_TOLERANCE_M));
            (nodes, problems)
        })
    })
    .await
    .map_err(|_| AppError::Internal)?
    .map_err(|_| {
        ImportError::Refused(vec![Problem::new(
            "",
            ti::ProblemKind::InvalidGeometry,
            "几何计算失败：请检查边界是否有效。".into(),
            "The geometry could not be computed: please check the boundaries.".into(),
        )])
    })?;
    let existing = q::existing(&state.db.pool).await?;
    let retired = q::retired_codes(&state.db.pool).await?;
    let mut plan = ti::plan(&nodes, &existing, &reassign, &retired);
    problems.append(&mut plan.problems);
    problems.extend(clashes(state, &plan).await?);
    if !problems.is_empty() {
        return Err(ImportError::Refused(problems));
    }
    if !dry_run {
        apply(state, admin, &nodes, &plan, now).await?;
        super::territory::reload_grid_index(state).await?;
    }
    Ok(plan)
}

/// `"reassign": {"removed grid": "grid taking its households and people"}`, a member of
/// the FeatureCollection beside `features` (the page fills it from its choices).
fn reassignments(doc: &Value) -> HashMap<String, String> {
    doc.get("reassign")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_owned())))
                .collect()
        })
        .unwrap_or_default()
}

/// Households cannot join a grid that has a household at the same address.
async fn clashes(state: &AppState, plan: &Plan) -> Result<Vec<Problem>, AppError> {
    let mut out = Vec::new();
    for (from, to) in &plan.reassign {
        let same = q::address_clashes(&state.db.pool, from, to).await?;
        if !same.is_empty() {
            let list = same.iter().take(5).cloned().collect::<Vec<_>>().join("、");
            out.push(Problem::new(
                from.as_str(),
                ti::ProblemKind::BadReassign,
                format!("{from} 的住户不能并入 {to}：两个网格都有这些门牌（{list}）。请先合并这些住户。"),
                format!("{from}'s households cannot join {to}: both grids have these addresses ({list}). Merge those households first."),
            ));
        }
    }
    Ok(out)
}

async fn apply(
    state: &AppState,
    admin: &CurrentUser,
    nodes: &[ImportNode],
    plan: &Plan,
    now: DateTime<Utc>,
) -> Result<(), ImportError> {
    let mut tx = state.db.begin_write().await.map_err(StoreError::from)?;
    let mut paths = q::paths(&mut tx).await?;
    // Parents before children: streets, communities, grids.
    let mut added: Vec<&ImportNode> = nodes
        .iter()
        .filter(|n| plan.added.iter().any(|c| c == n.code.as_str()))
        .collect();
    added.sort_by_key(|n| (depth(n.level), n.index));
    for n in added {
        let parent_path = paths.get(&n.parent).cloned().ok_or(AppError::Internal)?;
        let path = territory::insert(
            &mut **tx,
            &territory::NewNode {
                code: n.code.as_str(),
                name: &n.name,
                name_en: &n.name_en,
                level: n.level,
                parent_path: Some(&parent_path),
                parent_code: Some(&n.parent),
                sort_order: i64::try_from(n.index).unwrap_or(0),
                boundary: n.boundary.as_ref(),
            },
        )
        .await?;
        paths.insert(n.code.to_string(), path);
    }
    for n in nodes
        .iter()
        .filter(|n| plan.changed.iter().any(|c| c == n.code.as_str()))
    {
        q::update(
            &mut tx,
            n.code.as_str(),
            &n.name,
            &n.name_en,
            n.boundary.as_ref(),
        )
        .await?;
    }
    // Children before parents: the longest paths first.
    let mut removed: Vec<&String> = plan.removed.iter().collect();
    removed.sort_by_key(|c| std::cmp::Reverse(paths.get(*c).map_or(0, String::len)));
    let mut moves: Vec<(&String, &String)> = plan.reassign.iter().collect();
    moves.sort();
    for (from, to) in &moves {
        q::move_people(&mut tx, from, to).await?;
    }
    let mut retired = 0;
    for code in removed {
        retired += usize::from(q::remove(&mut tx, code, to_millis(now)).await?);
    }
    let moved: Vec<String> = moves.iter().map(|(f, t)| format!("{f}→{t}")).collect();
    let detail = format!(
        "added {}, changed {}, removed {} ({retired} retired with their history), people moved {}",
        plan.added.len(),
        plan.changed.len(),
        plan.removed.len(),
        if moved.is_empty() {
            "none".to_owned()
        } else {
            moved.join(", ")
        }
    );
    audit::record(
        &mut **tx,
        now,
        admin.id,
        "territory_import",
        "territory",
        0,
        &detail,
    )
    .await?;
    tx.commit().await.map_err(StoreError::from)?;
    tracing::info!(%detail, "territory imported");
    Ok(())
}

fn depth(level: Level) -> u8 {
    match level {
        Level::District => 0,
        Level::Street => 1,
        Level::Community => 2,
        Level::Grid => 3,
        Level::Building => 4,
    }
}

/// The territory below the district as a FeatureCollection the import reads back unchanged.
pub async fn export(state: &AppState, admin: &CurrentUser) -> Result<Value, AppError> {
    admin.require_admin()?;
    let features: Vec<Value> = q::existing(&state.db.pool)
        .await?
        .into_iter()
        .map(|n| {
            let geometry = n
                .boundary
                .and_then(|b| serde_json::from_str::<Value>(&b).ok())
                .unwrap_or(Value::Null);
            json!({
                "type": "Feature",
                "properties": {
                    "code": n.code,
                    "name": n.name,
                    "name_en": n.name_en,
                    "level": n.level.map_or("", Level::as_str),
                    "parent": n.parent,
                },
                "geometry": geometry,
            })
        })
        .collect();
    Ok(json!({ "type": "FeatureCollection", "features": features }))
}
