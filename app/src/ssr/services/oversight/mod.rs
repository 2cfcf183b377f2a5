//! Oversight for leaders (督查考核): three-colour boards, KPIs and rankings of an area the
//! user may read. Every figure comes from an aggregate query (`store::boards`,
//! `store::rankings`); the formulas live in `domain::{board, kpi, ranking}`.

use crate::domain::board::{
    AreaCounts, Board, ColourCounts, DepartmentCounts, RED_LIST_LIMIT, RedItem, hours_past, roll_up,
};
use crate::domain::case::colour::{ColourFacts, colour_of};
use crate::domain::case::{Colour, Satisfaction, Status};
use crate::domain::period::Period;
use crate::domain::scope::Scope;
use crate::domain::territory::Level;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::ssr::current_user::CurrentUser;
use crate::ssr::db::{from_millis, to_millis};
use crate::ssr::state::AppState;
use crate::ssr::store::{self, territory::NodeRow};
use chrono::{DateTime, Utc};

mod kpis;
mod map;
mod rankings;
mod report;

pub use kpis::kpis;
pub use map::{MapQuery, map_cases};
pub use rankings::{Ranking, RankingKind, rankings};
pub use report::{report, report_xlsx};

/// The area asked for (a node code; none: the user's own node), checked against the scope.
pub(crate) async fn area(
    state: &AppState,
    user: &CurrentUser,
    code: Option<&str>,
) -> Result<NodeRow, AppError> {
    let Scope::Subtree { path } = &user.scope else {
        return Err(AppError::NotAllowed {
            msg: Msg::ErrOversightRole,
        });
    };
    let pool = &state.db.pool;
    let node = match code.filter(|c| !c.trim().is_empty()) {
        Some(c) => store::territory::get(pool, c.trim()).await?,
        None => {
            let own = match &user.attachment {
                crate::domain::people::Attachment::Node { code, .. } => code.clone(),
                crate::domain::people::Attachment::Department { .. } => String::new(),
            };
            store::territory::get(pool, &own).await?
        }
    };
    // Outside the scope looks the same as absent: no probing of other streets.
    node.filter(|n| n.path.starts_with(path.as_str()))
        .ok_or(AppError::NotFound)
}

/// The period asked for (none: this month).
pub(crate) fn period(text: Option<&str>, now: DateTime<Utc>) -> Result<Period, AppError> {
    match text.filter(|t| !t.trim().is_empty()) {
        Some(t) => {
            Period::parse(t).ok_or_else(|| AppError::validation("period", Msg::ErrBadPeriod))
        }
        None => Ok(Period::month_of(now)),
    }
}

/// The children of an area, in territory order.
pub(crate) async fn children(state: &AppState, area: &NodeRow) -> Result<Vec<NodeRow>, AppError> {
    Ok(store::territory::subtree(&state.db.pool, &area.path)
        .await?
        .into_iter()
        .filter(|n| n.parent_code.as_deref() == Some(area.code.as_str()))
        .collect())
}

fn level(n: &NodeRow) -> Level {
    Level::parse(&n.level).unwrap_or(Level::Grid)
}

/// The three-colour board of an area for a period, coloured as of `now`.
pub async fn board(
    state: &AppState,
    user: &CurrentUser,
    area_code: Option<&str>,
    period_text: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Board, AppError> {
    let area = area(state, user, area_code).await?;
    let period = period(period_text, now)?;
    // The same for every user who may read the area (the scope was checked above).
    let key = format!("board|{}|{}", area.code, period.code());
    let figures = move |s| async move { compute_board(&s, area, period, now).await };
    crate::ssr::figures_cache::cached(state, key, now, figures).await
}

/// The board itself, from the tallies and the open cases.
async fn compute_board(
    state: &AppState,
    area: NodeRow,
    period: Period,
    now: DateTime<Utc>,
) -> Result<Board, AppError> {
    let (from, to) = period.bounds();
    let pool = &state.db.pool;
    let times = (to_millis(from), to_millis(to), to_millis(now));

    // Independent reads, each on its own pooled connection: the board takes as long as
    // the slowest of them rather than their sum.
    let (grid_rows, subtree, department_list, department_rows, calendar, red_rows) = tokio::try_join!(
        store::boards::colours_per_grid(pool, &area.path, times),
        store::territory::subtree(pool, &area.path),
        store::departments::list(pool),
        store::boards::colours_per_department(pool, &area.path, times),
        store::catalogue::calendar(pool),
        store::boards::red_list(pool, &area.path, times, RED_LIST_LIMIT as i64),
    )?;
    let per_grid: Vec<(String, Colour, u32)> = grid_rows
        .into_iter()
        .filter_map(|(path, colour, n)| {
            Some((path, Colour::parse(&colour)?, u32::try_from(n).ok()?))
        })
        .collect();
    let mut totals = ColourCounts::default();
    for (_, colour, n) in &per_grid {
        totals.add(*colour, *n);
    }
    let kids: Vec<NodeRow> = subtree
        .into_iter()
        .filter(|n| n.parent_code.as_deref() == Some(area.code.as_str()))
        .collect();
    let paths: Vec<&str> = kids.iter().map(|k| k.path.as_str()).collect();
    let areas = kids
        .iter()
        .zip(roll_up(&paths, &per_grid))
        .map(|(k, counts)| AreaCounts {
            code: k.code.clone(),
            name: k.name.clone(),
            name_en: k.name_en.clone(),
            level: level(k),
            counts,
        })
        .collect();

    let names: std::collections::HashMap<String, String> = department_list
        .into_iter()
        .map(|d| (d.code, d.name))
        .collect();
    let mut departments: Vec<DepartmentCounts> = Vec::new();
    for (code, colour, n) in department_rows {
        let (Some(colour), Ok(n)) = (Colour::parse(&colour), u32::try_from(n)) else {
            continue;
        };
        match departments.iter_mut().find(|d| d.code == code) {
            Some(d) => d.counts.add(colour, n),
            None => {
                let mut counts = ColourCounts::default();
                counts.add(colour, n);
                departments.push(DepartmentCounts {
                    name: names.get(&code).cloned().unwrap_or_else(|| code.clone()),
                    code,
                    counts,
                });
            }
        }
    }
    departments.sort_by(|a, b| {
        b.counts
            .red
            .cmp(&a.counts.red)
            .then(b.counts.total().cmp(&a.counts.total()))
            .then(a.code.cmp(&b.code))
    });

    let red = red_rows
        .into_iter()
        .map(|r| {
            let facts = ColourFacts {
                status: Status::parse(&r.status).unwrap_or(Status::Handling),
                clock_started_at: r.clock_started_at.map(from_millis),
                deadline: r.deadline_at.map(from_millis),
                ack_due: r.ack_due_at.map(from_millis),
                repeat_count: u32::try_from(r.repeat_count).unwrap_or(0),
                feedback: r.feedback.as_deref().and_then(Satisfaction::parse),
                closed_without_feedback: r.closed_without_feedback != 0,
            };
            let verdict = colour_of(&facts, now, &calendar);
            let open = facts.status.is_open();
            RedItem {
                id: r.id,
                tracking_code: r.tracking_code,
                category: r.category,
                category_name: r.category_name,
                grid_name: r.grid_name,
                reported_at: r.reported_at,
                reasons: verdict.reasons,
                overdue_hours: open.then(|| hours_past(r.deadline_at, times.2)).flatten(),
                ack_overdue_hours: open.then(|| hours_past(r.ack_due_at, times.2)).flatten(),
                repeat_count: facts.repeat_count,
                supervised: r.supervised != 0,
            }
        })
        .collect();
    Ok(Board {
        area_level: level(&area),
        area_code: area.code,
        area_name: area.name,
        period: period.code(),
        period_label: period.label_zh(),
        red_total: totals.red,
        totals,
        areas,
        departments,
        red,
    })
}
