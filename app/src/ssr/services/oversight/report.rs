//! Rhythm reports: the board, KPIs and the three rankings of one area and period.

use super::{area, board, kpis, period, rankings};
use crate::domain::ranking::RankingKind;
use crate::domain::report::{DeferredItem, RhythmReport, title};
use crate::error::AppError;
use crate::ssr::current_user::CurrentUser;
use crate::ssr::state::AppState;
use chrono::{DateTime, Utc};

pub async fn report(
    state: &AppState,
    user: &CurrentUser,
    area_code: Option<&str>,
    period_text: Option<&str>,
    now: DateTime<Utc>,
) -> Result<RhythmReport, AppError> {
    let node = area(state, user, area_code).await?;
    let p = period(period_text, now)?;
    let code = p.code();
    let (first, last) = p.days();
    let area = Some(node.code.as_str());
    let (from, to) = (first.to_string(), last.to_string());
    Ok(RhythmReport {
        title: title(p).to_owned(),
        area_name: node.name.clone(),
        period: code.clone(),
        period_label: p.label_zh(),
        board: board(state, user, area, Some(&code), now).await?,
        kpis: kpis(state, user, area, Some(&from), Some(&to), now).await?,
        workers: rankings(state, user, RankingKind::Worker, area, Some(&code), now).await?,
        departments: rankings(state, user, RankingKind::Department, area, Some(&code), now).await?,
        areas: rankings(state, user, RankingKind::Area, area, Some(&code), now).await?,
        deferred: crate::ssr::store::boards::deferred(&state.db.pool, &node.path, 200)
            .await?
            .into_iter()
            .map(
                |(id, tracking_code, category_name, grid_name, review_on)| DeferredItem {
                    id,
                    tracking_code,
                    category_name,
                    grid_name,
                    review_on,
                },
            )
            .collect(),
    })
}

/// The report as an XLSX workbook.
pub fn report_xlsx(r: &RhythmReport) -> Result<Vec<u8>, AppError> {
    crate::ssr::xlsx::write(&r.sheets()).map_err(|e| {
        tracing::error!(error = %e, "the report workbook could not be written");
        AppError::Internal
    })
}
