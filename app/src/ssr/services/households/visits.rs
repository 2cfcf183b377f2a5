//! Visits (入户走访): logging one, its photo, the overdue lists and the weekly minutes.

use super::*;
use crate::ssr::services::step_keys::{self, Claim, KeyTurn};

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
    /// The outbox's idempotency key (empty: none): a resend gets the first visit back.
    pub idempotency_key: String,
}

/// A logged visit, and the case its needs became (id and tracking code), if any.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct LoggedVisit {
    pub id: i64,
    pub case: Option<(i64, String)>,
}

/// Logs a visit (and, when asked, reports its needs as a case first).
pub async fn log_visit(
    state: &AppState,
    user: &CurrentUser,
    household: i64,
    input: VisitInput,
    now: DateTime<Utc>,
) -> Result<LoggedVisit, AppError> {
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
    // Needs reported as a case: the worker names the category (there is no default).
    if let Some(category) = &input.need_case_category {
        if category.trim().is_empty() {
            return Err(AppError::validation("category", Msg::ErrChooseCategory));
        }
        if needs.is_empty() {
            return Err(AppError::validation("needs", Msg::ErrRequired));
        }
    }
    let turn = match claim_visit(state, user, household, &input).await? {
        Some(Claim::Replay(first)) => return Ok(first),
        Some(Claim::Fresh(turn)) => Some(turn),
        None => None,
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
    // The photo is saved before anything is recorded, so that a disk that takes no photo
    // refuses the visit whole: no need case is filed without its visit.
    let file = match photo {
        Some(p) => Some(
            crate::ssr::photos::save(crate::ssr::photos::dir(&state.config.data_dir), p.jpeg)
                .await
                .map_err(|e| crate::ssr::photos::write_failed(&e))?,
        ),
        None => None,
    };
    let name = file
        .as_ref()
        .and_then(|f| f.file_name())
        .and_then(|n| n.to_str());
    let facts = VisitFacts {
        minutes,
        notes,
        needs,
        point,
        photo: name,
        need_case_category: input.need_case_category,
    };
    let recorded = record_visit(state, user, &h, facts, turn.as_ref(), now).await;
    match recorded {
        Err(e) => {
            // Nothing recorded: the photo goes, and a twin's answer (if it won) stands.
            if let Some(f) = &file {
                let _ = tokio::fs::remove_file(f).await;
            }
            step_keys::twin_answer(state, turn.as_ref(), user)
                .await
                .ok_or(e)
        }
        ok => ok,
    }
}

/// The visit's key, over everything a resend must repeat.
async fn claim_visit(
    state: &AppState,
    user: &CurrentUser,
    household: i64,
    v: &VisitInput,
) -> Result<Option<Claim<LoggedVisit>>, AppError> {
    use sha2::Digest;
    let photo = sha2::Sha256::digest(v.photo.as_deref().unwrap_or_default());
    let id = household.to_string();
    let category = v.need_case_category.as_deref().unwrap_or_default();
    let fields = [
        id.as_str(),
        v.minutes.trim(),
        v.notes.trim(),
        v.needs.trim(),
        v.lat.trim(),
        v.lng.trim(),
        category,
    ];
    let parts = fields
        .iter()
        .map(|f| f.as_bytes())
        .chain([photo.as_slice()]);
    step_keys::claim(state, user, "visit", &v.idempotency_key, parts).await
}

/// A visit's checked content.
struct VisitFacts<'a> {
    minutes: u32,
    notes: &'a str,
    needs: &'a str,
    point: Option<crate::domain::geo_point::GeoPoint>,
    photo: Option<&'a str>,
    need_case_category: Option<String>,
}

/// Records the visit, with its needs filed as a case when asked and its key: one
/// transaction, so a resend (or its twin on another instance) never leaves a second case.
async fn record_visit(
    state: &AppState,
    user: &CurrentUser,
    h: &hh::HouseholdRow,
    v: VisitFacts<'_>,
    turn: Option<&KeyTurn>,
    now: DateTime<Utc>,
) -> Result<LoggedVisit, AppError> {
    let mut tx = state.db.begin_write().await.map_err(StoreError::from)?;
    let filed = match v.need_case_category.clone() {
        Some(category) => Some(need_case(&mut tx, state, user, h, &v, category, now).await?),
        None => None,
    };
    let case = filed.as_ref().map(|(id, code, _)| (*id, code.clone()));
    let id = hh::insert_visit(
        &mut tx,
        &hh::NewVisit {
            household_id: h.id,
            grid_code: &h.grid_code,
            account_id: user.id,
            visited_at: now,
            minutes: v.minutes,
            point: v.point.map(|p| (p.lat(), p.lng())),
            notes: v.notes,
            needs: v.needs,
            photo: v.photo,
            case_id: case.as_ref().map(|(id, _)| *id),
        },
        now,
    )
    .await?;
    let logged = LoggedVisit { id, case };
    if let Some(turn) = turn {
        step_keys::remember(&mut tx, turn, user, &logged, now).await?;
    }
    tx.commit().await.map_err(StoreError::from)?;
    if let Some((_, _, source)) = filed {
        state.metrics.filed(source, 1);
    }
    Ok(logged)
}

/// The visit's needs as a case of `category`, at the visit's point (or inside its grid).
async fn need_case(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    state: &AppState,
    user: &CurrentUser,
    h: &hh::HouseholdRow,
    v: &VisitFacts<'_>,
    category: String,
    now: DateTime<Utc>,
) -> Result<(i64, String, crate::domain::case::Source), AppError> {
    if v.needs.is_empty() {
        return Err(AppError::validation("needs", Msg::ErrRequired));
    }
    let at = match v.point {
        Some(p) => p,
        None => state
            .grid_index()
            .interior_point(&h.grid_code)
            .ok_or_else(|| AppError::validation("lat", Msg::ErrInvalidPoint))?,
    };
    let input = crate::ssr::services::cases::NewCaseInput {
        category,
        description: format!("{}（入户走访：{}）", v.needs, h.address),
        lat: at.lat(),
        lng: at.lng(),
    };
    crate::ssr::services::cases::create_in(tx, state, user, input, now).await
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

/// The area (path prefix) whose overdue households the user asks for.
async fn overdue_area(
    state: &AppState,
    user: &CurrentUser,
    grid: Option<&str>,
) -> Result<String, AppError> {
    match grid {
        Some(g) => Ok(readable_grid(state, user, g).await?.path),
        None if policy::may_read(user.role) => Ok(user.scope.territory_prefix().to_owned()),
        None => Err(AppError::Forbidden),
    }
}

/// How many households of the user's area are overdue: a figure, no personal data.
pub async fn overdue_count(
    state: &AppState,
    user: &CurrentUser,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let prefix = overdue_area(state, user, None).await?;
    Ok(hh::overdue(&state.db.pool, &prefix, now, 500).await?.len())
}

/// Households overdue for a visit: in one grid, or in the user's whole area. A list of
/// special populations with names and addresses: each read is written to the audit log.
pub async fn overdue(
    state: &AppState,
    user: &CurrentUser,
    grid: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Vec<HouseholdView>, AppError> {
    let prefix = overdue_area(state, user, grid).await?;
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
    let detail = format!("{prefix}: {} households", out.len());
    crate::ssr::store::audit::record(
        pool,
        now,
        user.id,
        "read_list",
        "visits_overdue",
        0,
        &detail,
    )
    .await?;
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
