//! Case use cases: report, act, read, list. Each write is one transaction: the case row,
//! its dispatches and the new event commit together or not at all.

use crate::domain::calendar::WorkCalendar;
use crate::domain::case::colour::{ColourFacts, colour_of};
use crate::domain::case::machine::{self, Context, Extension};
use crate::domain::case::view::{CaseDetail, CaseEvent, CasePage, CaseSummary, DispatchView};
use crate::domain::case::{
    Action, Actor, CaseState, DispatchRole, DispatchTarget, Refusal, Source, Tier,
};
use crate::domain::geo_point::GeoPoint;
use crate::domain::people::{Attachment, Role};
use crate::domain::scope::Scope;
use crate::domain::territory::NodeCode;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::ssr::current_user::CurrentUser;
use crate::ssr::db::{from_millis, to_millis};
use crate::ssr::state::AppState;
use crate::ssr::store::case_list::{self, Filter, ListRow, Visibility};
use crate::ssr::store::cases::{self, CaseRow, NewCase, NewEvent};
use crate::ssr::store::catalogue::{self, CategoryRow};
use crate::ssr::store::{self, departments};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use std::collections::HashMap;

/// A staff report (`POST /api/v1/cases`).
#[derive(Clone, Debug, Deserialize)]
pub struct NewCaseInput {
    pub category: String,
    pub description: String,
    pub lat: f64,
    pub lng: f64,
}

/// Reference data the rules and the views need, read once per use case.
struct Catalogue {
    categories: HashMap<String, CategoryRow>,
    departments: HashMap<String, (String, String)>,
    calendar: WorkCalendar,
}

async fn catalogue(state: &AppState) -> Result<Catalogue, AppError> {
    let pool = &state.db.pool;
    Ok(Catalogue {
        categories: catalogue::categories(pool)
            .await?
            .into_iter()
            .map(|c| (c.code.clone(), c))
            .collect(),
        departments: departments::list(pool)
            .await?
            .into_iter()
            .map(|d| (d.code, (d.name, d.name_en)))
            .collect(),
        calendar: state.calendar().await?,
    })
}

const DESCRIPTION_MAX: usize = 2000;

/// Files a case from a staff member's report. The grid comes from the point.
#[tracing::instrument(skip_all, err(Debug), fields(user = %user.username))]
pub async fn create(
    state: &AppState,
    user: &CurrentUser,
    input: NewCaseInput,
    now: DateTime<Utc>,
) -> Result<CaseDetail, AppError> {
    let description = input.description.trim();
    if description.is_empty() {
        return Err(AppError::validation("description", Msg::ErrRequired));
    }
    if description.chars().count() > DESCRIPTION_MAX {
        return Err(AppError::validation("description", Msg::ErrTooLong));
    }
    let point = GeoPoint::parse(input.lat, input.lng)
        .map_err(|_| AppError::validation("lat", Msg::ErrInvalidPoint))?;
    let cat = catalogue(state).await?;
    if !cat.categories.contains_key(&input.category) {
        return Err(AppError::validation("category", Msg::ErrUnknownCategory));
    }
    let grid = state
        .grid_index()
        .locate(point)
        .map(str::to_owned)
        .ok_or_else(|| AppError::validation("lat", Msg::ErrOutsideDistrict))?;
    let grid_row = store::territory::get(&state.db.pool, &grid)
        .await?
        .ok_or(AppError::NotFound)?;
    // Staff report inside their own area; departments report anywhere they find a problem.
    let source = match user.role {
        Role::Dept => Source::Department,
        Role::Worker | Role::GridLeader => Source::GridWorker,
        _ => Source::Patrol,
    };
    if !matches!(user.scope, Scope::Department { .. }) && !user.scope.covers(&grid_row.path) {
        return Err(AppError::Forbidden);
    }
    let case = CaseState::reported(&input.category, &grid, now, Some(user.id));
    let mut tx = begin(state).await?;
    let id = cases::insert(
        &mut tx,
        &NewCase {
            tracking_code: &new_tracking_code(),
            source,
            description,
            lat: point.lat(),
            lng: point.lng(),
            grid_path: &grid_row.path,
            state: &case,
        },
    )
    .await?;
    cases::append_event(
        &mut tx,
        id,
        &NewEvent {
            at: now,
            actor_account: Some(user.id),
            actor_name: &user.display_name,
            actor_role: user.role.as_str(),
            action: "report",
            note: description,
            data: serde_json::json!({ "source": source.as_str(), "category": input.category, "grid": grid }),
        },
    )
    .await?;
    tx.commit().await.map_err(store::StoreError::from)?;
    detail_with(state, user, id, now, &cat).await
}

/// Applies one action to a case for the user, or says why not.
#[tracing::instrument(skip_all, err(Debug), fields(case.id = id, action = action.name()))]
pub async fn act(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    action: Action,
    now: DateTime<Utc>,
) -> Result<CaseDetail, AppError> {
    let cat = catalogue(state).await?;
    let mut tx = begin(state).await?;
    let (row, case) = load_visible(&mut tx, user, id).await?;
    let target = match &action {
        Action::Merge { into } => {
            let found = cases::load(&mut tx, *into).await?;
            match found {
                Some((trow, t))
                    if visible(user, &trow, &t)
                        && *into != id
                        && near(&row, &trow, state.config.repeat_metres) =>
                {
                    Some((trow, t))
                }
                _ => {
                    return Err(AppError::Conflict {
                        msg: Msg::RefuseMergeTarget,
                    });
                }
            }
        }
        _ => None,
    };
    let actor = actor_for(user, &row);
    let copy = cat
        .categories
        .get(&case.category)
        .and_then(|c| c.copy_department.clone());
    let ctx = Context {
        calendar: &cat.calendar,
        ack_days: state.config.ack_days,
        copy_department: copy.as_deref(),
        department_exists: &|d| cat.departments.contains_key(d),
        category_exists: &|c| cat.categories.contains_key(c),
        merge_target: target.as_ref().map(|(_, t)| t),
    };
    let decision = machine::decide(&case, &actor, &action, now, &ctx).map_err(refusal)?;
    cases::save_state(&mut tx, id, &decision.state, now).await?;
    let data = event_data(&action, &case, &decision.state);
    cases::append_event(
        &mut tx,
        id,
        &NewEvent {
            at: now,
            actor_account: Some(user.id),
            actor_name: &user.display_name,
            actor_role: user.role.as_str(),
            action: action.name(),
            note: action.note().trim(),
            data,
        },
    )
    .await?;
    if let (Some((trow, _)), Some(t)) = (&target, &decision.merge_target) {
        cases::save_state(&mut tx, trow.id, t, now).await?;
        cases::append_event(
            &mut tx,
            trow.id,
            &NewEvent {
                at: now,
                actor_account: Some(user.id),
                actor_name: &user.display_name,
                actor_role: user.role.as_str(),
                action: "merged_in",
                note: "",
                data: serde_json::json!({ "from": row.id, "from_tracking_code": row.tracking_code, "repeat_count": t.repeat_count }),
            },
        )
        .await?;
    }
    tx.commit().await.map_err(store::StoreError::from)?;
    detail_with(state, user, id, now, &cat).await
}

pub async fn detail(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    now: DateTime<Utc>,
) -> Result<CaseDetail, AppError> {
    let cat = catalogue(state).await?;
    detail_with(state, user, id, now, &cat).await
}

async fn detail_with(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    now: DateTime<Utc>,
    cat: &Catalogue,
) -> Result<CaseDetail, AppError> {
    let mut tx = begin(state).await?;
    let (row, case) = load_visible(&mut tx, user, id).await?;
    let events = cases::events(&mut *tx, id).await?;
    let consultations = cases::consultations(&mut *tx, id).await?;
    let mut photos: HashMap<i64, Vec<String>> = HashMap::new();
    for (seq, name) in cases::attachments(&mut *tx, id).await? {
        photos
            .entry(seq)
            .or_default()
            .push(format!("/api/v1/photos/{name}"));
    }
    let can_add_photos = events.last().is_some_and(|e| {
        e.actor_account == Some(user.id)
            && photos.get(&e.seq).map_or(0, Vec::len) < crate::ssr::photos::MAX_PER_STEP
    });
    let grid_name = store::territory::get(&mut *tx, &row.grid_code)
        .await?
        .map(|n| n.name)
        .unwrap_or_default();
    let candidates = if case.status.awaits_triage() {
        let m = state.config.repeat_metres;
        let dlat = m / 111_000.0;
        let dlng = m / (111_000.0 * row.lat.to_radians().cos().max(0.1));
        case_list::open_near(
            &mut *tx,
            &row.category,
            (
                row.lat - dlat,
                row.lng - dlng,
                row.lat + dlat,
                row.lng + dlng,
            ),
            id,
        )
        .await?
        .into_iter()
        .filter(|r| near(&row, &r.case, m) && visible_row(user, &r.case))
        .map(|r| summary(r, now, cat))
        .collect()
    } else {
        vec![]
    };
    tx.commit().await.map_err(store::StoreError::from)?;
    let actor = actor_for(user, &row);
    let mut allowed_actions = allowed(
        &case,
        &actor,
        now,
        cat,
        !candidates.is_empty(),
        state.config.ack_days,
    );
    if machine::may_consult(&case, &actor).is_ok() {
        allowed_actions.push("consult".to_owned());
    }
    let facts = ColourFacts::of(&case);
    let summary = summary_of(&row, grid_name, &facts, now, cat);
    Ok(CaseDetail {
        source: row.source()?,
        lat: row.lat,
        lng: row.lng,
        handling_level: case.handling_level,
        feedback: case.feedback,
        extension: match case.extension {
            Extension::None => "none",
            Extension::Requested { .. } => "requested",
            Extension::Approved { .. } => "approved",
            Extension::Rejected => "rejected",
        }
        .to_owned(),
        merged_into: case.merged_into,
        dispatches: case
            .dispatches
            .iter()
            .map(|d| {
                let (name, name_en) = cat
                    .departments
                    .get(&d.department)
                    .cloned()
                    .unwrap_or_default();
                DispatchView {
                    department: d.department.clone(),
                    department_name: name,
                    department_name_en: name_en,
                    role: d.role,
                    dispatched_at: d.dispatched_at,
                    ack_due: d.ack_due,
                    acknowledged_at: d.acknowledged_at,
                    resolved_at: d.resolved_at,
                    returned_at: d.returned_at,
                    withdrawn_at: d.withdrawn_at,
                }
            })
            .collect(),
        timeline: events
            .into_iter()
            .map(|e| CaseEvent {
                seq: e.seq,
                at: from_millis(e.at),
                actor_name: e.actor_name,
                actor_role: e.actor_role,
                action: e.action,
                note: e.note,
                data: serde_json::from_str(&e.data).unwrap_or_default(),
                photos: photos.remove(&e.seq).unwrap_or_default(),
            })
            .collect(),
        allowed_actions,
        repeat_candidates: candidates,
        consultations,
        can_add_photos,
        summary,
    })
}

/// Query parameters of `GET /api/v1/cases`, already parsed.
#[derive(Clone, Debug, Default)]
pub struct ListQuery {
    pub filter: Filter,
    /// A territory node code that narrows the list (inside the user's scope).
    pub area: Option<String>,
}

pub async fn list(
    state: &AppState,
    user: &CurrentUser,
    q: ListQuery,
    now: DateTime<Utc>,
) -> Result<CasePage, AppError> {
    let cat = catalogue(state).await?;
    let mut filter = q.filter;
    if let Some(area) = &q.area {
        let code =
            NodeCode::parse(area).map_err(|_| AppError::validation("area", Msg::ErrInvalidCode))?;
        let node = store::territory::get(&state.db.pool, code.as_str())
            .await?
            .ok_or(AppError::NotFound)?;
        if !user.scope.covers(&node.path) {
            return Err(AppError::Forbidden);
        }
        filter.area_path = Some(node.path);
    }
    let vis = match &user.scope {
        Scope::Department { code } => Visibility::Department(code),
        Scope::Subtree { path } => Visibility::Under(path),
    };
    let (rows, total) = case_list::list(&state.db.pool, &vis, &filter, to_millis(now)).await?;
    Ok(CasePage {
        cases: rows.into_iter().map(|r| summary(r, now, &cat)).collect(),
        total,
        page: filter.page.max(1),
        per_page: filter.per_page.clamp(1, 200),
    })
}

pub async fn categories(state: &AppState) -> Result<Vec<CategoryRow>, AppError> {
    Ok(catalogue::categories(&state.db.pool).await?)
}

fn summary(r: ListRow, now: DateTime<Utc>, cat: &Catalogue) -> CaseSummary {
    let facts = ColourFacts {
        status: crate::domain::case::Status::parse(&r.case.status)
            .unwrap_or(crate::domain::case::Status::Reported),
        clock_started_at: r.case.clock_started_at.map(from_millis),
        deadline: r.case.deadline_at.map(from_millis),
        ack_due: r.ack_due_at.map(from_millis),
        repeat_count: r.case.repeat_count as u32,
        feedback: r
            .case
            .feedback
            .as_deref()
            .and_then(crate::domain::case::Satisfaction::parse),
        closed_without_feedback: r.case.closed_without_feedback == 1,
    };
    summary_of(&r.case, r.grid_name, &facts, now, cat)
}

fn summary_of(
    row: &CaseRow,
    grid_name: String,
    facts: &ColourFacts,
    now: DateTime<Utc>,
    cat: &Catalogue,
) -> CaseSummary {
    let (category_name, category_name_en) = cat
        .categories
        .get(&row.category)
        .map(|c| (c.name.clone(), c.name_en.clone()))
        .unwrap_or_default();
    CaseSummary {
        id: row.id,
        tracking_code: row.tracking_code.clone(),
        category: row.category.clone(),
        category_name,
        category_name_en,
        description: row.description.clone(),
        grid_code: row.grid_code.clone(),
        grid_name,
        status: facts.status,
        tier: row.tier.as_deref().and_then(Tier::parse),
        colour: colour_of(facts, now, &cat.calendar),
        supervised: row.supervised == 1,
        repeat_count: row.repeat_count as u32,
        reported_at: from_millis(row.reported_at),
        deadline: facts.deadline,
    }
}

/// Staff see cases in their subtree; a department sees the cases dispatched to it.
fn visible(user: &CurrentUser, row: &CaseRow, case: &CaseState) -> bool {
    match &user.scope {
        Scope::Department { code } => case
            .dispatches
            .iter()
            .any(|d| &d.department == code && d.withdrawn_at.is_none()),
        Scope::Subtree { path } => row.grid_path.starts_with(path.as_str()),
    }
}

fn visible_row(user: &CurrentUser, row: &CaseRow) -> bool {
    match &user.scope {
        Scope::Department { .. } => false,
        Scope::Subtree { path } => row.grid_path.starts_with(path.as_str()),
    }
}

fn near(a: &CaseRow, b: &CaseRow, metres: f64) -> bool {
    match (GeoPoint::parse(a.lat, a.lng), GeoPoint::parse(b.lat, b.lng)) {
        (Ok(p), Ok(q)) => p.distance_m(q) <= metres && a.category == b.category,
        _ => false,
    }
}

fn actor_for(user: &CurrentUser, row: &CaseRow) -> Actor {
    let (level, department, in_scope) = match (&user.attachment, &user.scope) {
        (Attachment::Node { level, .. }, Scope::Subtree { path }) => {
            (Some(*level), None, row.grid_path.starts_with(path.as_str()))
        }
        (Attachment::Department { code, .. }, _) => (None, Some(code.clone()), false),
        _ => (None, None, false),
    };
    Actor::Staff {
        account_id: user.id,
        role: user.role,
        in_scope,
        level,
        department,
    }
}

fn refusal(r: Refusal) -> AppError {
    match r {
        Refusal::Forbidden(msg) => AppError::NotAllowed { msg },
        Refusal::Conflict(msg) => AppError::Conflict { msg },
    }
}

/// What the event records besides its note: the facts a timeline shows.
pub(crate) fn event_data(
    action: &Action,
    before: &CaseState,
    after: &CaseState,
) -> serde_json::Value {
    let mut data = match action {
        Action::Triage {
            tier,
            category,
            key_days,
            ..
        } => serde_json::json!({
            "tier": tier.as_str(), "category": category, "key_days": key_days,
        }),
        Action::Dispatch { departments, .. } => serde_json::json!({
            "departments": departments.iter().map(|d| serde_json::json!({"department": d.department, "role": d.role.as_str()})).collect::<Vec<_>>(),
            "copy": after.dispatches.iter().skip(before.dispatches.len()).filter(|d| d.role == DispatchRole::Copy).map(|d| d.department.clone()).collect::<Vec<_>>(),
        }),
        Action::Feedback { satisfaction, .. } => {
            serde_json::json!({ "satisfaction": satisfaction.as_str() })
        }
        Action::RequestExtension { days, .. } => serde_json::json!({ "days": days }),
        Action::ApproveExtension { approve, .. } => serde_json::json!({ "approve": approve }),
        Action::Merge { into } => serde_json::json!({ "into": into }),
        Action::Escalate { .. } => serde_json::json!({ "to": after.handling_level.as_str() }),
        _ => serde_json::json!({}),
    };
    data["status"] = after.status.as_str().into();
    if after.deadline != before.deadline {
        data["deadline"] = after.deadline.map(|d| d.to_rfc3339()).into();
    }
    data
}

/// The actions the actor could take now: each tried against the rules with a sample input.
fn allowed(
    case: &CaseState,
    actor: &Actor,
    now: DateTime<Utc>,
    cat: &Catalogue,
    has_candidates: bool,
    ack_days: u32,
) -> Vec<String> {
    let sample_dept = cat.departments.keys().next().cloned().unwrap_or_default();
    let x = || "x".to_owned();
    let samples = [
        // Triage is offered if any tier is allowed (a worker may only take simple ones).
        Action::Triage {
            tier: Tier::Coordination,
            category: None,
            key_days: None,
            note: String::new(),
        },
        Action::Triage {
            tier: Tier::Simple,
            category: None,
            key_days: None,
            note: String::new(),
        },
        Action::Dispatch {
            departments: vec![DispatchTarget {
                department: sample_dept,
                role: DispatchRole::Lead,
            }],
            note: String::new(),
        },
        Action::Acknowledge {
            note: String::new(),
        },
        Action::Return { reason: x() },
        Action::Progress { note: x() },
        Action::Resolve { result: x() },
        Action::Feedback {
            satisfaction: crate::domain::case::Satisfaction::Satisfied,
            comment: String::new(),
        },
        Action::Escalate { reason: x() },
        Action::RequestExtension {
            days: 1,
            reason: x(),
        },
        Action::ApproveExtension {
            approve: true,
            note: String::new(),
        },
        Action::Supervise { note: x() },
        Action::Close {
            note: String::new(),
        },
    ];
    let ctx = Context {
        calendar: &cat.calendar,
        ack_days,
        copy_department: None,
        department_exists: &|_| true,
        category_exists: &|_| true,
        merge_target: None,
    };
    let mut out: Vec<String> = samples
        .iter()
        .filter(|a| machine::decide(case, actor, a, now, &ctx).is_ok())
        .map(|a| a.name().to_owned())
        .collect();
    out.dedup();
    // Merging needs a target: offer it when repeats were found nearby.
    if has_candidates && out.iter().any(|a| a == "triage") {
        out.push("merge".to_owned());
    }
    out
}

/// A short unguessable tracking code: 10 characters of Crockford's base32 (50 bits).
pub fn new_tracking_code() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut rng = rand::rng();
    (0..10)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

/// A consultation (会商) to record on a key case.
#[derive(Clone, Debug, Deserialize)]
pub struct ConsultationInput {
    pub held_on: chrono::NaiveDate,
    pub participants: String,
    pub decision: String,
    #[serde(default)]
    pub departments: Vec<String>,
}

/// Records a consultation and its timeline event in one transaction.
#[tracing::instrument(skip_all, err(Debug), fields(case.id = id))]
pub async fn consult(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    input: ConsultationInput,
    now: DateTime<Utc>,
) -> Result<CaseDetail, AppError> {
    let participants = input.participants.trim();
    let decision = input.decision.trim();
    if participants.is_empty() {
        return Err(AppError::validation("participants", Msg::ErrRequired));
    }
    if decision.is_empty() {
        return Err(AppError::validation("decision", Msg::ErrRequired));
    }
    if participants.chars().count() > DESCRIPTION_MAX || decision.chars().count() > DESCRIPTION_MAX
    {
        return Err(AppError::validation("decision", Msg::ErrTooLong));
    }
    let cat = catalogue(state).await?;
    if input
        .departments
        .iter()
        .any(|d| !cat.departments.contains_key(d))
    {
        return Err(AppError::validation(
            "departments",
            Msg::ErrUnknownDepartment,
        ));
    }
    let mut tx = begin(state).await?;
    let (row, case) = load_visible(&mut tx, user, id).await?;
    machine::may_consult(&case, &actor_for(user, &row)).map_err(refusal)?;
    let record = cases::NewConsultation {
        held_on: input.held_on,
        participants,
        decision,
        departments: &input.departments,
        created_by: user.id,
        at: now,
    };
    cases::insert_consultation(&mut tx, id, &record).await?;
    cases::append_event(
        &mut tx,
        id,
        &NewEvent {
            at: now,
            actor_account: Some(user.id),
            actor_name: &user.display_name,
            actor_role: user.role.as_str(),
            action: "consultation",
            note: decision,
            data: serde_json::json!({ "held_on": input.held_on, "participants": participants, "departments": input.departments }),
        },
    )
    .await?;
    tx.commit().await.map_err(store::StoreError::from)?;
    detail_with(state, user, id, now, &cat).await
}

/// Attaches photos to the user's own latest step on a case (the report, a resolution, a
/// progress note…). Files are written first and removed again if the database refuses, so
/// nothing is ever half-stored.
#[tracing::instrument(skip_all, err(Debug), fields(case.id = id, files = files.len()))]
pub async fn attach_photos(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    files: Vec<Vec<u8>>,
    now: DateTime<Utc>,
) -> Result<CaseDetail, AppError> {
    use crate::ssr::photos::{self, PhotoError};
    if files.is_empty() {
        return Err(AppError::validation("photo", Msg::ErrRequired));
    }
    if files.len() > photos::MAX_PER_STEP {
        return Err(AppError::validation("photo", Msg::ErrTooManyPhotos));
    }
    // Decoding is CPU work: off the async workers.
    let processed = tokio::task::spawn_blocking(move || {
        files
            .iter()
            .map(|f| photos::process(f))
            .collect::<Result<Vec<_>, _>>()
    })
    .await
    .map_err(|e| {
        tracing::error!(error = %e, "photo task failed");
        AppError::Internal
    })?
    .map_err(|e| {
        AppError::validation(
            "photo",
            match e {
                PhotoError::TooLarge => Msg::ErrPhotoTooLarge,
                PhotoError::NotAnImage => Msg::ErrNotAnImage,
                PhotoError::TooManyPixels => Msg::ErrPhotoPixels,
                PhotoError::Corrupt => Msg::ErrPhotoCorrupt,
            },
        )
    })?;
    let cat = catalogue(state).await?;
    let mut tx = begin(state).await?;
    load_visible(&mut tx, user, id).await?;
    let events = cases::events(&mut *tx, id).await?;
    let last = events.last().ok_or(AppError::NotFound)?;
    if last.actor_account != Some(user.id) {
        return Err(AppError::Conflict {
            msg: Msg::ErrPhotoNotYourStep,
        });
    }
    let already = cases::attachments(&mut *tx, id)
        .await?
        .iter()
        .filter(|(seq, _)| *seq == last.seq)
        .count();
    if already + processed.len() > photos::MAX_PER_STEP {
        return Err(AppError::validation("photo", Msg::ErrTooManyPhotos));
    }
    let dir = photos::dir(&state.config.data_dir);
    tokio::fs::create_dir_all(&dir).await.map_err(io_error)?;
    let mut written = Vec::new();
    let result: Result<(), AppError> = async {
        for p in &processed {
            let name = photos::new_file_name();
            tokio::fs::write(dir.join(&name), &p.jpeg)
                .await
                .map_err(io_error)?;
            written.push(dir.join(&name));
            let a = cases::NewAttachment {
                event_seq: last.seq,
                file_name: &name,
                width: p.width,
                height: p.height,
                bytes: p.jpeg.len(),
                at: now,
            };
            cases::insert_attachment(&mut tx, id, &a).await?;
        }
        Ok(())
    }
    .await;
    let committed = match result {
        Ok(()) => tx
            .commit()
            .await
            .map_err(|e| AppError::from(store::StoreError::from(e))),
        Err(e) => Err(e),
    };
    if let Err(e) = committed {
        for f in written {
            let _ = tokio::fs::remove_file(f).await;
        }
        return Err(e);
    }
    detail_with(state, user, id, now, &cat).await
}

/// The file of a stored photo, if the user may see its case.
pub async fn photo_path(
    state: &AppState,
    user: &CurrentUser,
    name: &str,
) -> Result<std::path::PathBuf, AppError> {
    use crate::ssr::photos;
    if !photos::is_our_name(name) {
        return Err(AppError::NotFound);
    }
    let case_id = cases::attachment_case(&state.db.pool, name)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut tx = begin(state).await?;
    load_visible(&mut tx, user, case_id).await?;
    Ok(photos::dir(&state.config.data_dir).join(name))
}

fn io_error(e: std::io::Error) -> AppError {
    tracing::error!(error = %e, "photo storage failed");
    AppError::Internal
}

async fn begin(state: &AppState) -> Result<sqlx::Transaction<'static, sqlx::Any>, AppError> {
    Ok(state
        .db
        .pool
        .begin()
        .await
        .map_err(store::StoreError::from)?)
}

/// A case and its state, or NotFound when it does not exist or the user may not see it
/// (the two are indistinguishable on purpose).
async fn load_visible(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    user: &CurrentUser,
    id: i64,
) -> Result<(CaseRow, CaseState), AppError> {
    let (row, case) = cases::load(tx, id).await?.ok_or(AppError::NotFound)?;
    if visible(user, &row, &case) {
        Ok((row, case))
    } else {
        Err(AppError::NotFound)
    }
}
