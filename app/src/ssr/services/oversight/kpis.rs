//! KPIs of an area between two days (district time, both included).

use super::{area, children};
use crate::domain::assessment::{AssessmentFacts, SourceFiling, assess};
use crate::domain::calendar::district_tz;
use crate::domain::case::Source;
use crate::domain::case::Tier;
use crate::domain::kpi::{
    KpiFacts, Kpis, Need, Portrait, PortraitRow, TierFacts, figures, sort_needs, trends,
};
use crate::domain::period::district_midnight;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::ssr::current_user::CurrentUser;
use crate::ssr::db::to_millis;
use crate::ssr::state::AppState;
use crate::ssr::store::{self, territory::NodeRow};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};

/// The longest range one request may ask for.
const MAX_DAYS: i64 = 3 * 366;

fn day(text: Option<&str>, field: &str) -> Result<Option<NaiveDate>, AppError> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => NaiveDate::parse_from_str(t, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| AppError::validation(field, Msg::ErrBadDate)),
        None => Ok(None),
    }
}

/// `[from, to)` from two optional days; by default this month up to today.
pub(crate) fn range(
    from: Option<&str>,
    to: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(NaiveDate, NaiveDate), AppError> {
    let today = now.with_timezone(&district_tz()).date_naive();
    let first = day(from, "from")?.unwrap_or_else(|| today.with_day(1).unwrap_or(today));
    let last = day(to, "to")?.unwrap_or(today);
    if last < first || (last - first).num_days() > MAX_DAYS {
        return Err(AppError::validation("to", Msg::ErrBadRange));
    }
    Ok((first, last + Duration::days(1)))
}

pub async fn kpis(
    state: &AppState,
    user: &CurrentUser,
    area_code: Option<&str>,
    from: Option<&str>,
    to: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Kpis, AppError> {
    let area = area(state, user, area_code).await?;
    let (first, after) = range(from, to, now)?;
    let key = format!("kpis|{}|{first}|{after}", area.code);
    let figures = move |s| async move { compute(&s, area, (first, after), now).await };
    crate::ssr::figures_cache::cached(state, key, now, figures).await
}

/// The key figures of the days `[first, after)`.
async fn compute(
    state: &AppState,
    area: NodeRow,
    (first, after): (NaiveDate, NaiveDate),
    now: DateTime<Utc>,
) -> Result<Kpis, AppError> {
    let (from_ms, to_ms) = (
        to_millis(district_midnight(first)),
        to_millis(district_midnight(after)),
    );
    let pool = &state.db.pool;
    let prefix = area.path.as_str();
    let n = |v: i64| u32::try_from(v).unwrap_or(0);

    let row = store::boards::kpi_facts(pool, prefix, from_ms, to_ms).await?;
    let tiers = store::boards::handling_per_tier(pool, prefix, from_ms, to_ms)
        .await?
        .into_iter()
        .filter_map(|(tier, completed, ms)| {
            Some(TierFacts {
                tier: Tier::parse(&tier)?,
                completed: n(completed),
                handling_ms: ms,
            })
        })
        .collect();
    let facts = KpiFacts {
        received: n(row.received),
        completed: n(row.completed),
        on_time: n(row.on_time),
        satisfied: n(row.satisfied),
        basically: n(row.basically),
        dissatisfied: n(row.dissatisfied),
        closed_unrated: n(row.closed_unrated),
        tiers,
    };
    let (completion_rate, on_time_rate, satisfaction_rate, handling) = figures(&facts);
    let a = store::boards::assessment_facts(pool, prefix, from_ms, to_ms).await?;
    let mut assessment = assess(
        &AssessmentFacts {
            filed: n(a.filed),
            invalid: n(a.invalid),
            deferred: n(a.deferred),
            completed_on_time: n(a.completed_on_time),
            extended: n(a.extended),
            checks: n(a.checks),
            checks_failed: n(a.checks_failed),
            checks_on_time: n(a.checks_on_time),
            urgent_completed: n(a.urgent_completed),
            urgent_on_time: n(a.urgent_on_time),
        },
        satisfaction_rate,
        &state.config.composite_weights,
    );
    assessment.by_source = store::boards::filing_per_source(pool, prefix, from_ms, to_ms)
        .await?
        .into_iter()
        .filter_map(|(source, filed, invalid)| {
            Some(SourceFiling::new(
                Source::parse(&source)?,
                n(filed),
                n(invalid),
            ))
        })
        .collect();

    let (received, resolved) = store::boards::per_day(pool, prefix, from_ms, to_ms).await?;
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    let mut days: Vec<(NaiveDate, u32, u32)> = Vec::new();
    for (d, count, is_received) in received
        .into_iter()
        .map(|(d, c)| (d, c, true))
        .chain(resolved.into_iter().map(|(d, c)| (d, c, false)))
    {
        let date = epoch + Duration::days(d);
        let i = match days.iter().position(|x| x.0 == date) {
            Some(i) => i,
            None => {
                days.push((date, 0, 0));
                days.len() - 1
            }
        };
        if is_received {
            days[i].1 += n(count);
        } else {
            days[i].2 += n(count);
        }
    }
    let (weekly, monthly) = trends(&days);

    let categories: Vec<(String, String)> = store::catalogue::categories(pool)
        .await?
        .into_iter()
        .map(|c| (c.code, c.name))
        .collect();
    let kids = children(state, &area).await?;
    let paths: Vec<&str> = kids.iter().map(|k| k.path.as_str()).collect();
    let cells = store::boards::per_grid_category(pool, prefix, from_ms, to_ms).await?;
    let mut rows: Vec<PortraitRow> = kids
        .iter()
        .map(|k| PortraitRow {
            code: k.code.clone(),
            name: k.name.clone(),
            counts: vec![0; categories.len()],
        })
        .collect();
    for (path, category, count) in cells {
        let child = paths.iter().position(|p| path.starts_with(p));
        let column = categories.iter().position(|(c, _)| *c == category);
        if let (Some(i), Some(j)) = (child, column) {
            rows[i].counts[j] += n(count);
        }
    }
    let max = rows
        .iter()
        .flat_map(|r| r.counts.iter().copied())
        .max()
        .unwrap_or(0);

    let names: std::collections::HashMap<&str, &str> = categories
        .iter()
        .map(|(c, name)| (c.as_str(), name.as_str()))
        .collect();
    let mut needs: Vec<Need> = store::boards::needs(pool, prefix, (from_ms, to_ms, to_millis(now)))
        .await?
        .into_iter()
        .map(|(category, tier, received, open, red)| Need {
            category_name: names
                .get(category.as_str())
                .copied()
                .unwrap_or("")
                .to_owned(),
            category,
            tier: tier.as_deref().and_then(Tier::parse),
            received: n(received),
            open: n(open),
            red: n(red),
        })
        .collect();
    sort_needs(&mut needs);

    Ok(Kpis {
        area_code: area.code.clone(),
        area_name: area.name.clone(),
        from: first.to_string(),
        to: after.to_string(),
        received: facts.received,
        completed: facts.completed,
        on_time: facts.on_time,
        completion_rate,
        on_time_rate,
        satisfaction_rate,
        handling,
        weekly,
        monthly,
        portrait: Portrait {
            categories,
            rows,
            max,
        },
        needs,
        assessment,
    })
}
