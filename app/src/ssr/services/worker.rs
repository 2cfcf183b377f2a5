//! The grid worker's workspace: "my grid" (open cases, red first, and what is due today),
//! the one-tap report (自办自结 or 吹哨) and the on-the-spot resolve with a result photo.

use super::cases::{self, ListQuery, NewCaseInput};
use crate::domain::calendar::district_tz;
use crate::domain::case::Colour;
use crate::domain::case::view::CaseSummary;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::ssr::current_user::CurrentUser;
use crate::ssr::state::AppState;
use crate::ssr::store::case_list::Filter;
use chrono::{DateTime, Duration, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// What the worker's home shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyGrid {
    /// Open cases of the user's area: red first, then by deadline (soonest first).
    pub cases: Vec<CaseSummary>,
    pub open: usize,
    pub red: usize,
    /// Open cases whose deadline falls before the end of today (district time).
    pub due_today: usize,
    pub visits_overdue: usize,
    /// Results waiting for the user's check on site (核查), soonest due first; empty for
    /// those who do not check (`GRIDGOV_VERIFIERS`).
    #[serde(default)]
    pub to_verify: Vec<CaseSummary>,
}

/// Whether the user may take a simple case of their own grid (自办自结): grid workers.
pub fn may_self_handle(user: &CurrentUser) -> bool {
    user.role == crate::domain::people::Role::Worker && super::households::own_grid(user).is_some()
}

pub async fn my_grid(
    state: &AppState,
    user: &CurrentUser,
    now: DateTime<Utc>,
) -> Result<MyGrid, AppError> {
    let page = cases::list(
        state,
        user,
        ListQuery {
            filter: Filter {
                open_only: true,
                per_page: 200,
                page: 1,
                ..Filter::default()
            },
            area: None,
        },
        now,
    )
    .await?;
    let mut list = page.cases;
    list.sort_by_key(|c| {
        (
            colour_rank(c.colour.colour),
            c.deadline.map_or(i64::MAX, |d| d.timestamp_millis()),
            c.id,
        )
    });
    let end_of_today = end_of_day(now);
    let visits_overdue = if crate::domain::household::policy::may_read(user.role) {
        super::households::overdue_count(state, user, now).await?
    } else {
        0
    };
    let to_verify = if state.config.verifiers.contains(&user.role) {
        awaiting_check(state, user, now).await?
    } else {
        Vec::new()
    };
    Ok(MyGrid {
        to_verify,
        open: list.len(),
        red: list
            .iter()
            .filter(|c| c.colour.colour == Colour::Red)
            .count(),
        due_today: list
            .iter()
            .filter(|c| c.deadline.is_some_and(|d| d < end_of_today))
            .count(),
        visits_overdue,
        cases: list,
    })
}

/// The area's results waiting for the on-site check, the soonest due first (the list's
/// deadline is the case's, so order by it as the list gives no verify time).
async fn awaiting_check(
    state: &AppState,
    user: &CurrentUser,
    now: DateTime<Utc>,
) -> Result<Vec<CaseSummary>, AppError> {
    let page = cases::list(
        state,
        user,
        ListQuery {
            filter: Filter {
                status: Some(crate::domain::case::Status::Verifying),
                per_page: 100,
                page: 1,
                ..Filter::default()
            },
            area: None,
        },
        now,
    )
    .await?;
    let mut list = page.cases;
    list.sort_by_key(|c| (c.reported_at, c.id));
    Ok(list)
}

fn colour_rank(c: Colour) -> u8 {
    match c {
        Colour::Red => 0,
        Colour::Yellow => 1,
        Colour::Green => 2,
    }
}

fn end_of_day(now: DateTime<Utc>) -> DateTime<Utc> {
    let tomorrow = now.with_timezone(&district_tz()).date_naive() + Duration::days(1);
    district_tz()
        .from_local_datetime(&tomorrow.and_hms_opt(0, 0, 0).unwrap_or_default())
        .single()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or(now)
}

/// A one-tap report from the field.
#[derive(Debug, Default)]
pub struct QuickReport {
    pub category: String,
    pub description: String,
    pub lat: String,
    pub lng: String,
    pub photos: Vec<Vec<u8>>,
    /// 自办自结: the worker takes it as a simple case (2-hour clock); otherwise it waits
    /// in the command centre's inbox to be dispatched (吹哨).
    pub handle_myself: bool,
    /// The form's idempotency key: a retry after a dropped connection answers with the
    /// case the first attempt filed.
    pub idempotency_key: String,
}

/// Files the report; returns the case id and its tracking code (the same case for a retry
/// with the same key, and for a twin sent in parallel: see `cases::file_staff_report`).
#[tracing::instrument(skip_all, err(Debug), fields(account = user.id))]
pub async fn quick_report(
    state: &AppState,
    user: &CurrentUser,
    r: QuickReport,
    now: DateTime<Utc>,
) -> Result<(i64, String), AppError> {
    let key = r.idempotency_key.trim();
    if !super::step_keys::well_formed(key) {
        return Err(AppError::validation("idempotency_key", Msg::ErrBadRequest));
    }
    let fingerprint = fingerprint(state, &r);
    let parse = |field: &str, v: &str| {
        v.trim()
            .parse::<f64>()
            .map_err(|_| AppError::validation(field, Msg::ErrInvalidPoint))
    };
    let (lat, lng) = (parse("lat", &r.lat)?, parse("lng", &r.lng)?);
    if r.photos.len() > crate::ssr::photos::MAX_PER_STEP {
        return Err(AppError::validation("photo", Msg::ErrTooManyPhotos));
    }
    // Photos are checked before anything is filed, so a bad photo files nothing.
    let photos = process_photos(r.photos).await?;
    let id = cases::file_staff_report(
        state,
        user,
        cases::StaffReport {
            input: NewCaseInput {
                category: r.category,
                description: r.description,
                lat,
                lng,
            },
            photos,
            handle_myself: r.handle_myself,
            key: Some((key.to_owned(), fingerprint)),
        },
        now,
    )
    .await?;
    let code = crate::ssr::store::cases::tracking_code(&state.db.pool, id)
        .await?
        .ok_or(AppError::Internal)?;
    Ok((id, code))
}

/// What a retry must repeat exactly to be the same report (keyed, like residents').
fn fingerprint(state: &AppState, r: &QuickReport) -> String {
    let photo_digests: Vec<_> = r.photos.iter().map(|p| Sha256::digest(p)).collect();
    let fields = [
        r.category.as_str(),
        r.description.trim(),
        r.lat.trim(),
        r.lng.trim(),
        if r.handle_myself { "self" } else { "whistle" },
    ];
    state.sealer.fingerprint(
        fields
            .iter()
            .map(|f| f.as_bytes())
            .chain(photo_digests.iter().map(|d| d.as_slice())),
    )
}

async fn process_photos(
    files: Vec<Vec<u8>>,
) -> Result<Vec<crate::ssr::photos::Processed>, AppError> {
    crate::ssr::photos::process_all(files)
        .await
        .map_err(|e| match e {
            crate::ssr::photos::BatchError::Photo(p) => AppError::validation("photo", p.msg()),
            crate::ssr::photos::BatchError::Task => AppError::Internal,
        })
}
