//! The work ledger (工作台账) of one worker and month, as figures and as XLSX.

use super::*;

/// A worker's ledger for a month (`YYYY-MM`, district time). Workers read their own;
/// grid leaders, centres, leaders and administrators read the workers of their area.
pub async fn ledger(
    state: &AppState,
    user: &CurrentUser,
    worker: i64,
    month: &str,
) -> Result<Ledger, AppError> {
    let first =
        parse_month(month).ok_or_else(|| AppError::validation("month", Msg::ErrBadMonth))?;
    let pool = &state.db.pool;
    let account = store::accounts::by_id(pool, worker)
        .await?
        .ok_or(AppError::NotFound)?;
    let own = account.id == user.id;
    if !own {
        let node_path = account.node_path.clone();
        let in_area = node_path.is_some_and(|p| user.scope.covers(&p));
        let may = matches!(
            user.role,
            Role::GridLeader | Role::Center | Role::Leader | Role::Admin
        );
        if !(in_area && may) {
            return Err(AppError::NotFound);
        }
    }
    let next = if first.month() == 12 {
        first
            .with_year(first.year() + 1)
            .and_then(|d| d.with_month(1))
    } else {
        first.with_month(first.month() + 1)
    }
    .ok_or_else(|| AppError::validation("month", Msg::ErrBadMonth))?;
    let at = |d: chrono::NaiveDate| {
        district_tz()
            .from_local_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default())
            .single()
            .map(|t| t.with_timezone(&Utc))
            .ok_or_else(|| AppError::validation("month", Msg::ErrBadMonth))
    };
    let (from, to) = (at(first)?, at(next)?);
    let section = |rows: Vec<store::ledger::LedgerCaseRow>| -> Vec<LedgerCase> {
        rows.into_iter()
            .map(|r| LedgerCase {
                id: r.id,
                tracking_code: r.tracking_code,
                at: r.at,
                category: r.category,
                grid: r.grid,
                description: r.description,
                status: crate::domain::case::Status::parse(&r.status)
                    .map(|s| {
                        crate::i18n::t(crate::i18n::Lang::Zh, crate::components::labels::status(s))
                            .to_owned()
                    })
                    .unwrap_or(r.status),
            })
            .collect()
    };
    Ok(Ledger {
        account_id: account.id,
        worker: account.display_name.clone(),
        month: first.format("%Y-%m").to_string(),
        found: section(store::ledger::ledger_cases(pool, "found", account.id, from, to).await?),
        resolved: section(
            store::ledger::ledger_cases(pool, "resolved", account.id, from, to).await?,
        ),
        dispatched: section(
            store::ledger::ledger_cases(pool, "dispatched", account.id, from, to).await?,
        ),
        visits: store::ledger::ledger_visits(pool, account.id, from, to)
            .await?
            .into_iter()
            .map(|v| LedgerVisit {
                at: v.at,
                address: v.address,
                minutes: u32::try_from(v.minutes).unwrap_or(0),
                notes: v.notes,
                needs: v.needs,
                case_code: v.case_code,
            })
            .collect(),
    })
}

/// The ledger as an XLSX workbook: one sheet per section.
pub fn ledger_xlsx(ledger: &Ledger) -> Result<Vec<u8>, AppError> {
    crate::ssr::xlsx::write(&ledger.sheets(district_tz())).map_err(|e| {
        tracing::error!(error = %e, "the ledger workbook could not be written");
        AppError::Internal
    })
}
