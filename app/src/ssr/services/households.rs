//! Households (户档案), visits (入户走访) and the work ledger (工作台账) for grid staff.
//! Every read is scoped to the user's subtree; lists carry masked numbers only; a full
//! number is opened for one member at a time and the opening is audited.

use crate::domain::calendar::district_tz;
use crate::domain::household::id_number::{birth_year, mask_id_number};
use crate::domain::household::import::{ImportReport, RowError, check_rows};
use crate::domain::household::ledger::{Ledger, LedgerCase, LedgerVisit, parse_month};
use crate::domain::household::view::{
    GridVisitCount, HouseholdDetail, HouseholdView, MemberView, Revealed, TagView, VisitView,
    WorkerWeek,
};
use crate::domain::household::{
    NOTES_MAX, PopulationTag, VISIT_MINUTES_MAX, VisitState, join_tags, policy, split_tags,
    visit_interval,
};
use crate::domain::people::Role;
use crate::domain::privacy::mask_phone;
use crate::domain::territory::Level;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::ssr::current_user::CurrentUser;
use crate::ssr::db::from_millis;
use crate::ssr::state::AppState;
use crate::ssr::store::{self, StoreError, households as hh};
use chrono::{DateTime, Datelike, Duration, TimeZone, Utc};
use std::collections::HashMap;

pub async fn tags(state: &AppState) -> Result<Vec<PopulationTag>, AppError> {
    Ok(hh::tags(&state.db.pool)
        .await?
        .into_iter()
        .map(|t| PopulationTag {
            code: t.code,
            name: t.name,
            name_en: t.name_en,
            visit_every_days: t.visit_every_days.and_then(|d| u32::try_from(d).ok()),
        })
        .collect())
}

/// A grid the user may read households of, or NotFound/Forbidden.
async fn readable_grid(
    state: &AppState,
    user: &CurrentUser,
    grid: &str,
) -> Result<store::territory::NodeRow, AppError> {
    if !policy::may_read(user.role) {
        return Err(AppError::Forbidden);
    }
    let row = store::territory::get(&state.db.pool, grid)
        .await?
        .filter(|n| n.level == Level::Grid.as_str())
        .ok_or(AppError::NotFound)?;
    if !user.scope.covers(&row.path) {
        return Err(AppError::Forbidden);
    }
    Ok(row)
}

/// The user's own grid when they are attached to one (workers), for pages without `?grid=`.
pub fn own_grid(user: &CurrentUser) -> Option<String> {
    match &user.attachment {
        crate::domain::people::Attachment::Node { code, level, .. } if *level == Level::Grid => {
            Some(code.clone())
        }
        _ => None,
    }
}

fn tag_views(stored: &str, tags: &[PopulationTag]) -> Vec<TagView> {
    split_tags(stored)
        .filter_map(|c| tags.iter().find(|t| t.code == c))
        .map(|t| TagView {
            code: t.code.clone(),
            name: t.name.clone(),
            name_en: t.name_en.clone(),
        })
        .collect()
}

fn member_view(m: &hh::MemberRow, tags: &[PopulationTag]) -> MemberView {
    MemberView {
        id: m.id,
        name: m.name.clone(),
        relation: m.relation.clone(),
        phone_masked: m.phone_masked.clone(),
        id_masked: m.id_masked.clone(),
        birth_year: m.birth_year.and_then(|y| i32::try_from(y).ok()),
        tags: tag_views(&m.tags, tags),
    }
}

fn household_view(
    h: &hh::HouseholdRow,
    members: Vec<MemberView>,
    now: DateTime<Utc>,
) -> HouseholdView {
    let every = h.visit_every_days.and_then(|d| u32::try_from(d).ok());
    HouseholdView {
        id: h.id,
        grid_code: h.grid_code.clone(),
        grid_name: h.grid_name.clone(),
        building: h.building.clone(),
        address: h.address.clone(),
        members,
        visit_every_days: every,
        last_visit_at: h.last_visit_at,
        visit: VisitState::of(
            every,
            h.last_visit_at.map(from_millis),
            from_millis(h.created_at),
            now,
        ),
    }
}

/// The households of a grid with their members (numbers masked) and visit state.
pub async fn list(
    state: &AppState,
    user: &CurrentUser,
    grid: &str,
    now: DateTime<Utc>,
) -> Result<Vec<HouseholdView>, AppError> {
    let grid = readable_grid(state, user, grid).await?;
    let pool = &state.db.pool;
    let tags = tags(state).await?;
    let mut members: HashMap<i64, Vec<MemberView>> = HashMap::new();
    for m in hh::members_of_grid(pool, &grid.code).await? {
        members
            .entry(m.household_id)
            .or_default()
            .push(member_view(&m, &tags));
    }
    Ok(hh::of_grid(pool, &grid.code)
        .await?
        .iter()
        .map(|h| household_view(h, members.remove(&h.id).unwrap_or_default(), now))
        .collect())
}

async fn readable_household(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
) -> Result<hh::HouseholdRow, AppError> {
    if !policy::may_read(user.role) {
        return Err(AppError::Forbidden);
    }
    let h = hh::get(&state.db.pool, id)
        .await?
        .ok_or(AppError::NotFound)?;
    // Outside the subtree a household does not exist for this user.
    if !user.scope.covers(&h.grid_path) {
        return Err(AppError::NotFound);
    }
    Ok(h)
}

pub async fn detail(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    now: DateTime<Utc>,
) -> Result<HouseholdDetail, AppError> {
    let h = readable_household(state, user, id).await?;
    let pool = &state.db.pool;
    let tags = tags(state).await?;
    let members = hh::members_of(pool, id)
        .await?
        .iter()
        .map(|m| member_view(m, &tags))
        .collect();
    let visits = hh::visits_of(pool, id, 50)
        .await?
        .into_iter()
        .map(visit_view)
        .collect();
    Ok(HouseholdDetail {
        household: household_view(&h, members, now),
        visits,
        can_reveal: policy::may_reveal(user.role),
        can_visit: policy::may_visit(user.role),
    })
}

fn visit_view(v: hh::VisitRow) -> VisitView {
    VisitView {
        id: v.id,
        household_id: v.household_id,
        visited_at: v.visited_at,
        worker: v.worker,
        minutes: u32::try_from(v.minutes).unwrap_or(0),
        notes: v.notes,
        needs: v.needs,
        photo: v.photo,
        case_id: v.case_id,
    }
}

/// One member's full phone and ID numbers, audited before they are returned.
pub async fn reveal(
    state: &AppState,
    user: &CurrentUser,
    household: i64,
    member: i64,
    now: DateTime<Utc>,
) -> Result<Revealed, AppError> {
    readable_household(state, user, household).await?;
    if !policy::may_reveal(user.role) {
        return Err(AppError::NotAllowed {
            msg: Msg::ErrRevealRole,
        });
    }
    let pool = &state.db.pool;
    let m = hh::members_of(pool, household)
        .await?
        .into_iter()
        .find(|m| m.id == member)
        .ok_or(AppError::NotFound)?;
    let open = |sealed: &Option<String>| -> Result<Option<String>, AppError> {
        sealed
            .as_deref()
            .map(|s| {
                state.sealer.open(s).map_err(|_| {
                    tracing::error!(member = m.id, "a sealed number does not open");
                    AppError::Internal
                })
            })
            .transpose()
    };
    let revealed = Revealed {
        member_id: m.id,
        name: m.name.clone(),
        phone: open(&m.phone_sealed)?,
        id_number: open(&m.id_sealed)?,
    };
    // Written before anything is shown: no audit row, no numbers.
    hh::audit(
        pool,
        now,
        user.id,
        "reveal",
        "household_member",
        m.id,
        &format!("household {household}"),
    )
    .await?;
    tracing::info!(
        account = user.id,
        member = m.id,
        "personal numbers revealed"
    );
    Ok(revealed)
}

/// Imports a table of members into a grid: all rows or none.
pub async fn import(
    state: &AppState,
    user: &CurrentUser,
    grid: &str,
    bytes: &[u8],
    now: DateTime<Utc>,
) -> Result<ImportReport, AppError> {
    let grid = readable_grid(state, user, grid).await?;
    if !policy::may_import(user.role) {
        return Err(AppError::Forbidden);
    }
    let table = crate::ssr::xlsx::read_table(bytes)
        .map_err(|_| AppError::validation("file", Msg::ErrImportFormat))?;
    let tags = tags(state).await?;
    let rows = table.len().saturating_sub(1);
    let members = match check_rows(&table, &tags) {
        Ok(m) => m,
        Err(errors) => {
            return Ok(ImportReport {
                rows,
                errors,
                ..ImportReport::default()
            });
        }
    };
    let mut report = ImportReport {
        rows,
        ..ImportReport::default()
    };
    let mut tx = state.db.pool.begin().await.map_err(StoreError::from)?;
    // Households touched, with their building, to recompute their rules at the end.
    let mut touched: HashMap<i64, String> = HashMap::new();
    for (i, m) in members.iter().enumerate() {
        let id = match hh::find_household(&mut tx, &grid.code, &m.address).await? {
            Some(id) => id,
            None => {
                report.households_created += 1;
                hh::insert_household(&mut tx, &grid.code, &m.building, &m.address, now).await?
            }
        };
        touched.insert(id, m.building.clone());
        let values = hh::MemberValues {
            name: &m.name,
            relation: &m.relation,
            phone_sealed: m.phone.as_deref().map(|p| state.sealer.seal(p)),
            phone_masked: m.phone.as_deref().map(mask_phone).unwrap_or_default(),
            id_sealed: m.id_number.as_deref().map(|n| state.sealer.seal(n)),
            id_masked: m
                .id_number
                .as_deref()
                .map(mask_id_number)
                .unwrap_or_default(),
            birth_year: m.id_number.as_deref().and_then(birth_year),
            tags: join_tags(m.tags.iter().map(String::as_str)),
        };
        if hh::upsert_member(&mut tx, id, &values, i as i64).await? {
            report.members_created += 1;
        } else {
            report.members_updated += 1;
        }
    }
    for (id, building) in &touched {
        let members = hh::members_of(&mut *tx, *id).await?;
        let rule = visit_interval(members.iter().flat_map(|m| split_tags(&m.tags)), &tags);
        hh::set_household(&mut tx, *id, building, rule, now).await?;
    }
    hh::audit(
        &mut *tx,
        now,
        user.id,
        "import",
        "grid",
        0,
        &format!(
            "{}: {} rows, {} households new, {} members new, {} updated",
            grid.code,
            rows,
            report.households_created,
            report.members_created,
            report.members_updated
        ),
    )
    .await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(report)
}

/// What a worker enters for a visit.
#[derive(Debug, Default)]
pub struct VisitInput {
    pub minutes: String,
    pub notes: String,
    pub needs: String,
    pub lat: String,
    pub lng: String,
    pub photo: Option<Vec<u8>>,
    /// A category: the needs become a case of this category, reported by the worker.
    pub need_case_category: Option<String>,
}

/// Logs a visit (and, when asked, reports its needs as a case first).
pub async fn log_visit(
    state: &AppState,
    user: &CurrentUser,
    household: i64,
    input: VisitInput,
    now: DateTime<Utc>,
) -> Result<(i64, Option<i64>), AppError> {
    let h = readable_household(state, user, household).await?;
    if !policy::may_visit(user.role) {
        return Err(AppError::NotAllowed {
            msg: Msg::ErrVisitRole,
        });
    }
    let minutes: u32 = input
        .minutes
        .trim()
        .parse()
        .ok()
        .filter(|m| (1..=VISIT_MINUTES_MAX).contains(m))
        .ok_or_else(|| AppError::validation("minutes", Msg::ErrVisitMinutes))?;
    let notes = input.notes.trim();
    let needs = input.needs.trim();
    if notes.is_empty() {
        return Err(AppError::validation("notes", Msg::ErrRequired));
    }
    for (field, v) in [("notes", notes), ("needs", needs)] {
        if v.chars().count() > NOTES_MAX {
            return Err(AppError::validation(field, Msg::ErrTooLong));
        }
    }
    let point = match (input.lat.trim(), input.lng.trim()) {
        ("", "") => None,
        (a, b) => {
            let p = a
                .parse()
                .ok()
                .zip(b.parse().ok())
                .and_then(|(a, b)| crate::domain::geo_point::GeoPoint::parse(a, b).ok())
                .ok_or_else(|| AppError::validation("lat", Msg::ErrInvalidPoint))?;
            Some(p)
        }
    };
    let photo = match input.photo.filter(|b| !b.is_empty()) {
        Some(bytes) => Some(
            tokio::task::spawn_blocking(move || crate::ssr::photos::process(&bytes))
                .await
                .map_err(|_| AppError::Internal)?
                .map_err(|e| AppError::validation("photo", e.msg()))?,
        ),
        None => None,
    };
    let case_id = match input.need_case_category.filter(|c| !c.is_empty()) {
        Some(category) => {
            if needs.is_empty() {
                return Err(AppError::validation("needs", Msg::ErrRequired));
            }
            let at = match point {
                Some(p) => p,
                None => state
                    .grid_index()
                    .interior_point(&h.grid_code)
                    .ok_or_else(|| AppError::validation("lat", Msg::ErrInvalidPoint))?,
            };
            let detail = super::cases::create(
                state,
                user,
                super::cases::NewCaseInput {
                    category,
                    description: format!("{}（入户走访：{}）", needs, h.address),
                    lat: at.lat(),
                    lng: at.lng(),
                },
                now,
            )
            .await?;
            Some(detail.summary.id)
        }
        None => None,
    };
    let dir = crate::ssr::photos::dir(&state.config.data_dir);
    let file = match &photo {
        Some(p) => {
            tokio::fs::create_dir_all(&dir)
                .await
                .map_err(|_| AppError::Internal)?;
            let name = crate::ssr::photos::new_file_name();
            tokio::fs::write(dir.join(&name), &p.jpeg)
                .await
                .map_err(|_| AppError::Internal)?;
            Some(name)
        }
        None => None,
    };
    let stored: Result<i64, AppError> = async {
        let mut tx = state.db.pool.begin().await.map_err(StoreError::from)?;
        let id = hh::insert_visit(
            &mut tx,
            &hh::NewVisit {
                household_id: h.id,
                grid_code: &h.grid_code,
                account_id: user.id,
                visited_at: now,
                minutes,
                point: point.map(|p| (p.lat(), p.lng())),
                notes,
                needs,
                photo: file.as_deref(),
                case_id,
            },
            now,
        )
        .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(id)
    }
    .await;
    match stored {
        Ok(id) => Ok((id, case_id)),
        Err(e) => {
            if let Some(f) = file {
                let _ = tokio::fs::remove_file(dir.join(f)).await;
            }
            Err(e)
        }
    }
}

/// The file of a visit photo, if the user may read its household.
pub async fn visit_photo(
    state: &AppState,
    user: &CurrentUser,
    name: &str,
) -> Result<std::path::PathBuf, AppError> {
    if !crate::ssr::photos::is_our_name(name) {
        return Err(AppError::NotFound);
    }
    let household = hh::photo_household(&state.db.pool, name)
        .await?
        .ok_or(AppError::NotFound)?;
    readable_household(state, user, household).await?;
    Ok(crate::ssr::photos::dir(&state.config.data_dir).join(name))
}

/// Households overdue for a visit: in one grid, or in the user's whole area.
pub async fn overdue(
    state: &AppState,
    user: &CurrentUser,
    grid: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Vec<HouseholdView>, AppError> {
    let prefix = match grid {
        Some(g) => readable_grid(state, user, g).await?.path,
        None if policy::may_read(user.role) => user.scope.territory_prefix().to_owned(),
        None => return Err(AppError::Forbidden),
    };
    let pool = &state.db.pool;
    let tags = tags(state).await?;
    let rows = hh::overdue(pool, &prefix, now, 500).await?;
    let mut out = Vec::with_capacity(rows.len());
    for h in rows {
        // Only the members who carry a tag: they are why the visit is due.
        let members = hh::members_of(pool, h.id)
            .await?
            .iter()
            .filter(|m| !m.tags.is_empty())
            .map(|m| member_view(m, &tags))
            .collect();
        out.push(household_view(&h, members, now));
    }
    Ok(out)
}

/// Households and overdue visits per grid of the user's area (leaders' view).
pub async fn counts_per_grid(
    state: &AppState,
    user: &CurrentUser,
    now: DateTime<Utc>,
) -> Result<Vec<GridVisitCount>, AppError> {
    if !policy::may_read(user.role) {
        return Err(AppError::Forbidden);
    }
    Ok(
        hh::counts_per_grid(&state.db.pool, user.scope.territory_prefix(), now)
            .await?
            .into_iter()
            .map(|r| GridVisitCount {
                grid_code: r.grid_code,
                grid_name: r.grid_name,
                households: r.households,
                with_rule: r.with_rule,
                overdue: r.overdue,
            })
            .collect(),
    )
}

/// Monday 00:00 of the current week, district time.
pub fn week_start(now: DateTime<Utc>) -> DateTime<Utc> {
    let local = now.with_timezone(&district_tz()).date_naive();
    let monday = local - Duration::days(i64::from(local.weekday().num_days_from_monday()));
    district_tz()
        .from_local_datetime(&monday.and_hms_opt(0, 0, 0).unwrap_or_default())
        .single()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or(now)
}

/// Visits and minutes per worker this week in the user's area.
pub async fn week_per_worker(
    state: &AppState,
    user: &CurrentUser,
    now: DateTime<Utc>,
) -> Result<Vec<WorkerWeek>, AppError> {
    if !policy::may_read(user.role) {
        return Err(AppError::Forbidden);
    }
    Ok(hh::minutes_per_worker(
        &state.db.pool,
        user.scope.territory_prefix(),
        week_start(now),
    )
    .await?
    .into_iter()
    .map(|r| WorkerWeek {
        account_id: r.account_id,
        name: r.name,
        visits: r.visits,
        minutes: r.minutes,
    })
    .collect())
}

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
    let section = |rows: Vec<hh::LedgerCaseRow>| -> Vec<LedgerCase> {
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
        found: section(hh::ledger_cases(pool, "found", account.id, from, to).await?),
        resolved: section(hh::ledger_cases(pool, "resolved", account.id, from, to).await?),
        dispatched: section(hh::ledger_cases(pool, "dispatched", account.id, from, to).await?),
        visits: hh::ledger_visits(pool, account.id, from, to)
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

/// Row errors in the user's language, for pages.
pub fn describe(e: &RowError, lang: crate::i18n::Lang) -> String {
    let column = e.column.map(|c| c.header()).unwrap_or("");
    format!("{column} {}", crate::i18n::t(lang, e.msg))
}

/// An administrator's tag: a new one, or a new name or visit rule for an existing one.
/// The rule of every household with the tag is recomputed in the same transaction.
pub async fn save_tag(
    state: &AppState,
    user: &CurrentUser,
    tag: PopulationTag,
    now: DateTime<Utc>,
) -> Result<PopulationTag, AppError> {
    if user.role != Role::Admin {
        return Err(AppError::Forbidden);
    }
    let code_ok = (2..=32).contains(&tag.code.len())
        && tag
            .code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if !code_ok {
        return Err(AppError::validation("code", Msg::ErrBadRequest));
    }
    let name = tag.name.trim();
    if name.is_empty() || name.chars().count() > 20 || name.contains([',', '、', '，']) {
        return Err(AppError::validation("name", Msg::ErrBadRequest));
    }
    if tag
        .visit_every_days
        .is_some_and(|d| !(1..=366).contains(&d))
    {
        return Err(AppError::validation("visit_every_days", Msg::ErrBadRequest));
    }
    let name_en = if tag.name_en.trim().is_empty() {
        name
    } else {
        tag.name_en.trim()
    };
    let mut tx = state.db.pool.begin().await.map_err(StoreError::from)?;
    hh::upsert_tag(&mut tx, &tag.code, name, name_en, tag.visit_every_days).await?;
    let all: Vec<PopulationTag> = hh::tags(&mut *tx)
        .await?
        .into_iter()
        .map(|t| PopulationTag {
            code: t.code,
            name: t.name,
            name_en: t.name_en,
            visit_every_days: t.visit_every_days.and_then(|d| u32::try_from(d).ok()),
        })
        .collect();
    for (id, building) in hh::households_with_tag(&mut tx, &tag.code).await? {
        let members = hh::members_of(&mut *tx, id).await?;
        let rule = visit_interval(members.iter().flat_map(|m| split_tags(&m.tags)), &all);
        hh::set_household(&mut tx, id, &building, rule, now).await?;
    }
    tx.commit().await.map_err(StoreError::from)?;
    Ok(PopulationTag {
        code: tag.code,
        name: name.to_owned(),
        name_en: name_en.to_owned(),
        visit_every_days: tag.visit_every_days,
    })
}
