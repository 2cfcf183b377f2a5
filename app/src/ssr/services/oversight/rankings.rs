//! Rankings for a period: grid workers (十佳格格), departments and areas (赛马场).

use super::{area, children, period};
use crate::domain::board::roll_up;
use crate::domain::case::{Colour, Satisfaction};
use crate::domain::ranking::units::{UnitFacts, UnitKind, rank_units};
pub use crate::domain::ranking::{Ranking, RankingKind};
use crate::domain::ranking::{Ratings, WorkerFacts, rank_workers};
use crate::error::AppError;
use crate::ssr::current_user::CurrentUser;
use crate::ssr::db::to_millis;
use crate::ssr::state::AppState;
use crate::ssr::store::{self, rankings as q};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

fn n(v: i64) -> u32 {
    u32::try_from(v).unwrap_or(0)
}

fn rate_into(r: &mut Ratings, feedback: &str, count: u32) {
    match Satisfaction::parse(feedback) {
        Some(Satisfaction::Satisfied) => r.satisfied += count,
        Some(Satisfaction::BasicallySatisfied) => r.basically += count,
        Some(Satisfaction::Dissatisfied) => r.dissatisfied += count,
        None => {}
    }
}

pub async fn rankings(
    state: &AppState,
    user: &CurrentUser,
    kind: RankingKind,
    area_code: Option<&str>,
    period_text: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Ranking, AppError> {
    let area = area(state, user, area_code).await?;
    let period = period(period_text, now)?;
    let (from, to) = period.bounds();
    let (from, to) = (to_millis(from), to_millis(to));
    let pool = &state.db.pool;
    let prefix = area.path.as_str();
    let weights = state.config.ranking_weights;
    let mut out = Ranking {
        kind,
        area_code: area.code.clone(),
        area_name: area.name.clone(),
        period: period.code(),
        period_label: period.label_zh(),
        weights,
        workers: Vec::new(),
        units: Vec::new(),
        empty: false,
        min_cases: state.config.ranking_min_cases,
        // Periods that have not begun are never offered.
        periods: period
            .related()
            .into_iter()
            .filter(|p| p.bounds().0 <= now)
            .map(|p| (p.code(), p.label_zh()))
            .collect(),
    };
    let not_begun = period.bounds().0 > now;
    match kind {
        RankingKind::Worker => {
            let found: HashMap<String, i64> = q::found(pool, prefix, from, to)
                .await?
                .into_iter()
                .collect();
            let closed: HashMap<String, i64> = q::self_closed_in_time(pool, prefix, from, to)
                .await?
                .into_iter()
                .collect();
            let visits: HashMap<String, i64> = q::visits_done(pool, prefix, from, to)
                .await?
                .into_iter()
                .collect();
            let resolved: HashMap<String, (i64, i64)> =
                q::resolved_per_grid(pool, prefix, from, to)
                    .await?
                    .into_iter()
                    .map(|(g, r, o)| (g, (r, o)))
                    .collect();
            let mut ratings: HashMap<String, (Ratings, Ratings)> = HashMap::new();
            for (grid, feedback, by_resident, count) in
                q::ratings_per_grid(pool, prefix, from, to).await?
            {
                let e = ratings.entry(grid).or_default();
                let r = if by_resident == 1 { &mut e.0 } else { &mut e.1 };
                rate_into(r, &feedback, n(count));
            }
            // Visits due: every household with a rule, once per rule interval of the part
            // of the period that has passed (rounded up).
            let elapsed_days = ((to.min(to_millis(now)) - from).max(0) + 86_399_999) / 86_400_000;
            let mut due: HashMap<String, u32> = HashMap::new();
            for (grid, every, households) in q::households_with_rule(pool, prefix).await? {
                if every > 0 && elapsed_days > 0 {
                    let times = (elapsed_days + every - 1) / every;
                    *due.entry(grid).or_default() += n(households * times);
                }
            }
            let red: HashMap<String, i64> = q::red_open_per_grid(pool, prefix, to_millis(now))
                .await?
                .into_iter()
                .map(|(code, _, c)| (code, c))
                .collect();
            let invalid: HashMap<i64, i64> = q::invalid_per_reporter(pool, prefix, from, to)
                .await?
                .into_iter()
                .collect();
            let checks: HashMap<i64, (i64, i64)> = q::checks_per_verifier(pool, prefix, from, to)
                .await?
                .into_iter()
                .map(|(a, all, timely)| (a, (all, timely)))
                .collect();
            let facts = q::workers(pool, prefix)
                .await?
                .into_iter()
                .map(|(id, name, grid, grid_name)| {
                    let key = id.to_string();
                    let (r, o) = resolved.get(&grid).copied().unwrap_or((0, 0));
                    let (resident, staff) = ratings.get(&grid).copied().unwrap_or_default();
                    WorkerFacts {
                        account_id: id,
                        name,
                        grid_name,
                        found: n(found.get(&key).copied().unwrap_or(0)),
                        self_closed_in_time: n(closed.get(&key).copied().unwrap_or(0)),
                        resolved: n(r),
                        resolved_on_time: n(o),
                        resident_ratings: resident,
                        staff_ratings: staff,
                        visits_done: n(visits.get(&key).copied().unwrap_or(0)),
                        visits_due: due.get(&grid).copied().unwrap_or(0),
                        red_open: n(red.get(&grid).copied().unwrap_or(0)),
                        invalid_reports: n(invalid.get(&id).copied().unwrap_or(0)),
                        checks: n(checks.get(&id).map_or(0, |c| c.0)),
                        checks_on_time: n(checks.get(&id).map_or(0, |c| c.1)),
                    }
                })
                .collect();
            out.workers = rank_workers(facts, &weights);
        }
        RankingKind::Department => {
            let ratings: HashMap<String, (Ratings, Ratings)> =
                q::department_ratings(pool, prefix, from, to)
                    .await?
                    .into_iter()
                    .map(|(d, resident, staff)| (d, (resident, staff)))
                    .collect();
            let red: HashMap<String, i64> = q::department_red_open(pool, prefix, to_millis(now))
                .await?
                .into_iter()
                .collect();
            let rows: HashMap<String, q::DepartmentRow> = q::departments(pool, prefix, from, to)
                .await?
                .into_iter()
                .map(|r| (r.department.clone(), r))
                .collect();
            let checks: HashMap<String, (i64, i64, i64)> = q::checks(pool, true, prefix, from, to)
                .await?
                .into_iter()
                .map(|(d, all, failed, timely)| (d, (all, failed, timely)))
                .collect();
            let facts = store::departments::list(pool)
                .await?
                .into_iter()
                .map(|d| {
                    let r = rows.get(&d.code).cloned().unwrap_or_default();
                    UnitFacts {
                        received: n(r.received),
                        ack_due: n(r.ack_due),
                        ack_on_time: n(r.ack_on_time),
                        completed: n(r.completed),
                        completed_on_time: n(r.completed_on_time),
                        ratings: ratings.get(&d.code).map(|r| r.0).unwrap_or_default(),
                        staff_ratings: ratings.get(&d.code).map(|r| r.1).unwrap_or_default(),
                        red_open: n(red.get(&d.code).copied().unwrap_or(0)),
                        checks: n(checks.get(&d.code).map_or(0, |c| c.0)),
                        checks_failed: n(checks.get(&d.code).map_or(0, |c| c.1)),
                        checks_on_time: n(checks.get(&d.code).map_or(0, |c| c.2)),
                        code: d.code,
                        name: d.name,
                    }
                })
                .collect();
            out.units = rank_units(
                UnitKind::Department,
                facts,
                weights.staff_rating_weight,
                state.config.ranking_min_cases,
            );
        }
        RankingKind::Area => {
            let kids = children(state, &area).await?;
            let paths: Vec<&str> = kids.iter().map(|k| k.path.as_str()).collect();
            let mut facts: Vec<UnitFacts> = kids
                .iter()
                .map(|k| UnitFacts {
                    code: k.code.clone(),
                    name: k.name.clone(),
                    ..UnitFacts::default()
                })
                .collect();
            for (path, row) in store::boards::kpi_facts_per_grid(pool, prefix, from, to).await? {
                let Some(i) = paths.iter().position(|p| path.starts_with(p)) else {
                    continue;
                };
                let f = &mut facts[i];
                f.received += n(row.received);
                f.completed += n(row.completed);
                f.completed_on_time += n(row.on_time);
                f.ratings.satisfied += n(row.satisfied) + n(row.closed_unrated);
                f.ratings.basically += n(row.basically);
                f.ratings.dissatisfied += n(row.dissatisfied);
            }
            for (path, all, failed, timely) in q::checks(pool, false, prefix, from, to).await? {
                if let Some(i) = paths.iter().position(|p| path.starts_with(p)) {
                    facts[i].checks += n(all);
                    facts[i].checks_failed += n(failed);
                    facts[i].checks_on_time += n(timely);
                }
            }
            let red: Vec<(String, Colour, u32)> =
                q::red_open_per_grid(pool, prefix, to_millis(now))
                    .await?
                    .into_iter()
                    .map(|(_, path, c)| (path, Colour::Red, n(c)))
                    .collect();
            for (f, counts) in facts.iter_mut().zip(roll_up(&paths, &red)) {
                f.red_open = counts.red;
            }
            out.units = rank_units(
                UnitKind::Area,
                facts,
                weights.staff_rating_weight,
                state.config.ranking_min_cases,
            );
        }
    }
    out.empty = not_begun || !out.has_activity();
    Ok(out)
}
