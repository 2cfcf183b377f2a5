//! Case use cases: report, act, read, list. Each write is one transaction: the case row,
//! its dispatches and the new event commit together or not at all.

use crate::domain::case::colour::{ColourFacts, colour_of};
use crate::domain::case::machine::{self, Context, Extension};
use crate::domain::case::view::{CaseDetail, CaseEvent, CasePage, CaseSummary, DispatchView};
use crate::domain::case::{
    Action, Actor, CaseState, DispatchRole, DispatchTarget, Refusal, Source, Tier,
};
use crate::domain::category_standard::{Effective, effective};
use crate::domain::geo_point::GeoPoint;
use crate::domain::people::{Attachment, Role};
use crate::domain::reply_template::for_step;
use crate::domain::scope::Scope;
use crate::domain::territory::NodeCode;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::ssr::catalogue::Catalogue;
use crate::ssr::current_user::CurrentUser;
use crate::ssr::db::{from_millis, to_millis};
use crate::ssr::state::AppState;
use crate::ssr::store;
use crate::ssr::store::case_list::{self, Filter, ListRow, Visibility};
use crate::ssr::store::cases::{self, CaseRow, NewCase, NewEvent};
use crate::ssr::store::catalogue::{self, CategoryRow};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Arc;

mod consult;
pub mod deferral;
pub mod desk;
pub mod export;
pub mod intake;
pub mod list_params;
mod photos;
mod present;
pub mod reporter;
mod staff_report;

pub use consult::{ConsultationInput, consult};
pub use photos::{attach_photos, photo_path, resolve_with_photos};
pub use present::event_data;
use present::{allowed, summary, summary_of};
pub use staff_report::{StaffReport, file_staff_report};

/// A staff report (`POST /api/v1/cases`).
#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NewCaseInput {
    pub category: String,
    pub description: String,
    pub lat: f64,
    pub lng: f64,
}

/// Reference data the rules and the views need (kept in memory while unchanged).
async fn catalogue(state: &AppState) -> Result<Arc<Catalogue>, AppError> {
    state.catalogue().await
}

/// What a step may need from the case's history: the merge target, the resolver.
#[derive(Default)]
struct History<'a> {
    merge_target: Option<&'a CaseState>,
    resolved_by: Option<i64>,
    /// The grid's own result is drawn for a spot check (抽查).
    spot_check: bool,
    /// The photos the step carries.
    step_photos: usize,
}

impl Catalogue {
    /// What the standards table says for a case of `category` and `sub`.
    fn effective(&self, category: &str, sub: Option<&str>) -> Effective {
        match self.standards.get(category) {
            Some(c) => effective(c, sub.and_then(|s| self.standards.get(s))),
            None => Effective::default(),
        }
    }

    /// The category a subcategory belongs to.
    fn parent_of(&self, code: &str) -> Option<String> {
        self.standards.get(code).and_then(|c| c.parent.clone())
    }

    /// The rules applied with what the catalogue knows — departments, categories, the
    /// standards table, the calendar — and what the case's history adds.
    fn decide(
        &self,
        state: &AppState,
        case: &CaseState,
        actor: &machine::Actor,
        action: &Action,
        now: DateTime<Utc>,
        history: History,
    ) -> Result<machine::Decision, machine::Refusal> {
        let copy = self
            .categories
            .get(&case.category)
            .and_then(|c| c.copy_department.as_deref());
        let standard = self.effective_for(case, action);
        let ctx = Context {
            calendar: &self.calendar,
            ack_days: state.config.ack_days,
            copy_department: copy,
            department_exists: &|d| self.departments.contains_key(d),
            category_exists: &|c| self.categories.contains_key(c),
            merge_target: history.merge_target,
            resolved_by: history.resolved_by,
            limits: standard.limits,
            category_urgent: standard.urgent,
            subcategory_of: &|c| self.parent_of(c),
            spot_check: history.spot_check,
            verifiers: &state.config.verifiers,
            result_photo_required: standard.result_photo,
            step_photos: history.step_photos,
        };
        machine::decide(case, actor, action, now, &ctx)
    }

    /// The standards that apply to `case` once `action` is taken (triage may name another
    /// category or a subcategory).
    fn effective_for(&self, case: &CaseState, action: &Action) -> Effective {
        let (category, sub) = match action {
            Action::Triage {
                category,
                subcategory,
                ..
            } => {
                let category = category.as_deref().unwrap_or(&case.category);
                let sub = subcategory.as_deref().or(case
                    .subcategory
                    .as_deref()
                    .filter(|_| category == case.category));
                (category, sub)
            }
            _ => (case.category.as_str(), case.subcategory.as_deref()),
        };
        self.effective(category, sub)
    }
}

const DESCRIPTION_MAX: usize = 2000;
/// The longest note a step keeps (the action forms' `maxlength`).
const NOTE_MAX: usize = 2000;

/// Files a case from a staff member's report. The grid comes from the point.
#[tracing::instrument(skip_all, err(Debug), fields(user = %user.username))]
pub async fn create(
    state: &AppState,
    user: &CurrentUser,
    input: NewCaseInput,
    now: DateTime<Utc>,
) -> Result<CaseDetail, AppError> {
    let cat = catalogue(state).await?;
    let report = prepare(state, user, &input, &cat).await?;
    let mut tx = begin(state).await?;
    let (id, _) = insert_report(&mut tx, user, &report, now).await?;
    tx.commit().await.map_err(store::StoreError::from)?;
    state.metrics.filed(report.source, 1);
    detail_with(state, user, id, now, &cat).await
}

/// A staff report filed in the caller's transaction, so that it commits with what it
/// belongs to (a visit's needs, reported as a case, with the visit and its key). Returns
/// the case id, tracking code and source; the caller counts it (`metrics.filed`) once
/// committed.
pub async fn create_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    state: &AppState,
    user: &CurrentUser,
    input: NewCaseInput,
    now: DateTime<Utc>,
) -> Result<(i64, String, Source), AppError> {
    let cat = catalogue(state).await?;
    let report = prepare(state, user, &input, &cat).await?;
    let (id, _) = insert_report(tx, user, &report, now).await?;
    let code = store::cases::tracking_code(&mut **tx, id)
        .await?
        .ok_or(AppError::Internal)?;
    Ok((id, code, report.source))
}

/// A staff report checked and placed: everything its insert needs.
struct PreparedReport {
    category: String,
    description: String,
    point: GeoPoint,
    grid: store::territory::NodeRow,
    source: Source,
}

/// Checks a staff report and finds its grid; nothing is written.
async fn prepare(
    state: &AppState,
    user: &CurrentUser,
    input: &NewCaseInput,
    cat: &Catalogue,
) -> Result<PreparedReport, AppError> {
    let description = input.description.trim();
    if description.is_empty() {
        return Err(AppError::validation("description", Msg::ErrRequired));
    }
    if description.chars().count() > DESCRIPTION_MAX {
        return Err(AppError::validation("description", Msg::ErrTooLong));
    }
    let point = GeoPoint::parse(input.lat, input.lng)
        .map_err(|_| AppError::validation("lat", Msg::ErrInvalidPoint))?;
    if input.category.trim().is_empty() {
        return Err(AppError::validation("category", Msg::ErrChooseCategory));
    }
    if !cat.categories.contains_key(&input.category) {
        return Err(AppError::validation("category", Msg::ErrUnknownCategory));
    }
    let grid = state
        .grid_index()
        .locate(point)
        .map(str::to_owned)
        .ok_or_else(|| AppError::validation("lat", Msg::ErrOutsideDistrict))?;
    let grid = store::territory::get(&state.db.pool, &grid)
        .await?
        .ok_or(AppError::NotFound)?;
    // Staff report inside their own area; departments report anywhere they find a problem.
    let source = match user.role {
        Role::Dept => Source::Department,
        Role::Worker | Role::GridLeader => Source::GridWorker,
        _ => Source::Patrol,
    };
    if !matches!(user.scope, Scope::Department { .. }) && !user.scope.covers(&grid.path) {
        return Err(AppError::Forbidden);
    }
    Ok(PreparedReport {
        category: input.category.clone(),
        description: description.to_owned(),
        point,
        grid,
        source,
    })
}

/// Inserts the case and its report event in the caller's transaction: (case id, event seq).
async fn insert_report(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    user: &CurrentUser,
    r: &PreparedReport,
    now: DateTime<Utc>,
) -> Result<(i64, i64), AppError> {
    let case = CaseState::reported(&r.category, &r.grid.code, now, Some(user.id));
    let id = cases::insert(
        tx,
        &NewCase {
            tracking_code: &new_tracking_code(),
            source: r.source,
            description: &r.description,
            lat: r.point.lat(),
            lng: r.point.lng(),
            grid_path: &r.grid.path,
            state: &case,
        },
    )
    .await?;
    let seq = cases::append_event(
        tx,
        id,
        &event_by(user, now, "report", &r.description, serde_json::json!({ "source": r.source.as_str(), "category": r.category, "grid": r.grid.code })),
    )
    .await?;
    Ok((id, seq))
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
    act_in(&mut tx, state, user, id, Step::plain(&action), now, &cat).await?;
    tx.commit().await.map_err(store::StoreError::from)?;
    state.metrics.step(action.name());
    detail_with(state, user, id, now, &cat).await
}

/// A step as taken: the action and the photos that come with it (a result's).
#[derive(Clone, Copy)]
struct Step<'a> {
    action: &'a Action,
    photos: usize,
}

impl<'a> Step<'a> {
    fn plain(action: &'a Action) -> Step<'a> {
        Step { action, photos: 0 }
    }
}

/// [`act`] inside the caller's transaction. A refusal returns before anything is written,
/// so the caller may go on with its transaction. Returns the step's event (its `seq`).
async fn act_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    step: Step<'_>,
    now: DateTime<Utc>,
    cat: &Catalogue,
) -> Result<i64, AppError> {
    let action = step.action;
    // Every step's note (a result, a reason, what the reporter reads) as the forms bound it.
    if action.note().chars().count() > NOTE_MAX {
        return Err(AppError::validation("text", Msg::ErrTooLong));
    }
    let (row, case) = load_visible(tx, user, id).await?;
    let target = match action {
        Action::Merge { into } => {
            let found = cases::load(tx, *into).await?;
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
    let history = History {
        merge_target: target.as_ref().map(|(_, t)| t),
        resolved_by: match action {
            Action::Feedback { .. } | Action::Verify { .. } => {
                resolved_by(&cases::events(&mut **tx, id).await?)
            }
            _ => None,
        },
        spot_check: matches!(action, Action::Resolve { .. })
            && machine::drawn_for_spot_check(id, state.config.spot_check_percent),
        step_photos: step.photos,
    };
    let decision = cat
        .decide(state, &case, &actor, action, now, history)
        .map_err(refusal)?;
    let mut next = decision.state;
    crate::ssr::services::hotline::own_deadline(tx, &row, &case, &mut next).await?;
    let mut data = event_data(action, &case, &next, now);
    if let Action::Feedback { .. } = action {
        // Staff only record a resident's answer (回访); the timeline says so.
        data["recorded_by_staff"] = true.into();
    }
    let seq = cases::record_step(
        tx,
        id,
        &case,
        &next,
        &event_by(user, now, action.name(), action.note().trim(), data),
    )
    .await?;
    crate::ssr::services::notify::after_action(
        tx,
        state,
        &row,
        action,
        user.attachment.department(),
        &case,
        &next,
        now,
    )
    .await?;
    crate::ssr::services::hotline::after_step(tx, &row, action, &case, &next, now).await?;
    if let (Some((trow, _)), Some(t)) = (&target, &decision.merge_target) {
        cases::save_state(tx, trow.id, t, now).await?;
        cases::append_event(
            tx,
            trow.id,
            &event_by(user, now, "merged_in", "", serde_json::json!({ "from": row.id, "from_tracking_code": row.tracking_code, "repeat_count": t.repeat_count })),
        )
        .await?;
    }
    Ok(seq)
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
    let mut tx = begin_read(state).await?;
    let (row, case) = visible_or_not_found(user, cases::peek(&mut tx, id).await?)?;
    let events = cases::events(&mut *tx, id).await?;
    let consultations = cases::consultations(&mut *tx, id).await?;
    // Departments never see a resident's contact; staff of the area see it masked.
    let reporter_contact = match &user.scope {
        Scope::Subtree { .. } => {
            let (name, phone) = store::residents::contact(&mut *tx, id)
                .await?
                .unwrap_or_default();
            Some(masked_contact(state, name, phone))
        }
        Scope::Department { .. } => None,
    };
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
    let grid_name = cat
        .grid_names
        .get(&row.grid_code)
        .cloned()
        .unwrap_or_default();
    let candidates = if case.status.awaits_triage() {
        repeats_of(&mut *tx, user, &row, state.config.repeat_metres)
            .await?
            .into_iter()
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
        resolved_by(&events),
    );
    if machine::may_consult(&case, &actor).is_ok() {
        allowed_actions.push("consult".to_owned());
    }
    let may_dispatch = allowed_actions.iter().any(|a| a == "dispatch");
    let proposed_lead = if may_dispatch {
        cat.competent
            .get(&case.category)
            .and_then(|d| d.first())
            .cloned()
    } else {
        None
    };
    let dispatch_preview = may_dispatch.then(|| {
        let copy = (case.tier == Some(Tier::Coordination))
            .then(|| cat.categories.get(&case.category))
            .flatten()
            .and_then(|c| c.copy_department.clone())
            .map(|code| {
                let (name, name_en) = cat.departments.get(&code).cloned().unwrap_or_default();
                (code, name, name_en)
            });
        crate::domain::case::view::DispatchPreview {
            deadline: case.deadline,
            ack_due: cat.calendar.add_working_days(now, state.config.ack_days),
            copy_department: copy,
            proposed_lead,
        }
    });
    let facts = ColourFacts::of(&case);
    let summary = summary_of(&row, grid_name, &facts, now, cat);
    let standard = cat.effective(&case.category, case.subcategory.as_deref());
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
        subcategory: case
            .subcategory
            .as_ref()
            .and_then(|c| cat.standards.get(c))
            .map(|s| (s.code.clone(), s.name.clone(), s.name_en.clone())),
        subcategories: cat
            .standards
            .values()
            .filter(|s| s.parent.as_deref() == Some(case.category.as_str()))
            .map(|s| (s.code.clone(), s.name.clone(), s.name_en.clone()))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect(),
        templates: allowed_actions
            .iter()
            .flat_map(|step| {
                for_step(
                    &cat.reply_templates,
                    step,
                    &case.category,
                    case.subcategory.as_deref(),
                )
                .into_iter()
                .map(|t| (step.clone(), t.text.clone()))
                .collect::<Vec<_>>()
            })
            .collect(),
        default_tier: standard.default_tier,
        filing_standard: standard.filing_standard,
        closing_standard: standard.closing_standard,
        result_photo_required: standard.result_photo,
        invalid_reason: case.invalid_reason,
        verify_due: case.verify_due,
        rework_count: case.rework_count,
        review_on: match case.deferral {
            machine::Deferral::Requested { review_on }
            | machine::Deferral::Deferred { review_on, .. } => Some(review_on),
            _ => None,
        },
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
        reporter_contact,
        dispatch_preview,
        summary,
    })
}

fn masked_contact(
    state: &AppState,
    name: Option<String>,
    phone: Option<String>,
) -> crate::domain::case::view::ReporterContact {
    use crate::domain::privacy::{mask_name, mask_phone};
    let open = |sealed: Option<String>| {
        sealed.and_then(|s| match state.sealer.open(&s) {
            Ok(v) => Some(v),
            Err(e) => {
                tracing::error!(error = %e, "a sealed contact could not be opened");
                None
            }
        })
    };
    crate::domain::case::view::ReporterContact {
        name: open(name).map(|n| mask_name(&n)),
        phone: open(phone).map(|p| mask_phone(&p)),
    }
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
    let (vis, filter) = scoped(state, user, q).await?;
    let (rows, total) = case_list::list(&state.db.pool, &vis, &filter, to_millis(now)).await?;
    Ok(CasePage {
        cases: rows.into_iter().map(|r| summary(r, now, &cat)).collect(),
        total,
        page: filter.page.clamp(1, case_list::MAX_PAGE),
        per_page: filter.per_page.clamp(1, 200),
    })
}

/// A list query inside the user's scope: the area it names must lie within it.
async fn scoped<'u>(
    state: &AppState,
    user: &'u CurrentUser,
    q: ListQuery,
) -> Result<(Visibility<'u>, Filter), AppError> {
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
    Ok((vis, filter))
}

pub async fn categories(state: &AppState) -> Result<Vec<CategoryRow>, AppError> {
    Ok(catalogue::categories(&state.db.pool).await?)
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

/// Open cases of the same category within `metres` of `row` that the user may see: the
/// repeats a report awaiting triage may be merged into.
async fn repeats_of<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    ex: E,
    user: &CurrentUser,
    row: &CaseRow,
    metres: f64,
) -> Result<Vec<case_list::ListRow>, AppError> {
    let dlat = metres / 111_000.0;
    let dlng = metres / (111_000.0 * row.lat.to_radians().cos().max(0.1));
    let bbox = (
        row.lat - dlat,
        row.lng - dlng,
        row.lat + dlat,
        row.lng + dlng,
    );
    Ok(case_list::open_near(ex, &row.category, bbox, row.id)
        .await?
        .into_iter()
        .filter(|r| near(row, &r.case, metres) && visible_row(user, &r.case))
        .collect())
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

/// A short unguessable tracking code: 10 characters of Crockford's base32 (50 bits).
pub fn new_tracking_code() -> String {
    crate::ssr::crypto::random_code(b"0123456789ABCDEFGHJKMNPQRSTVWXYZ", 10)
}

/// The account of the latest resolve step (none when a resident or no one resolved).
fn resolved_by(events: &[cases::EventRow]) -> Option<i64> {
    events
        .iter()
        .rev()
        .find(|e| e.action == "resolve")
        .and_then(|e| e.actor_account)
}

/// A case step's transaction: it reads the case, then writes (see `Db::begin_write`).
async fn begin(state: &AppState) -> Result<crate::ssr::db::WriteTx, AppError> {
    Ok(state
        .db
        .begin_write()
        .await
        .map_err(store::StoreError::from)?)
}

/// A transaction that only reads (a case's detail, a resident's tracking page): one
/// snapshot on the readers' pool, so that reads never wait for the writer's turn on SQLite
/// nor hold a case's row on PostgreSQL.
pub(super) async fn begin_read(
    state: &AppState,
) -> Result<sqlx::Transaction<'static, sqlx::Any>, AppError> {
    Ok(state
        .db
        .pool
        .begin()
        .await
        .map_err(store::StoreError::from)?)
}

/// A case and its state, held for a step, or NotFound when it does not exist or the user
/// may not see it (the two are indistinguishable on purpose).
async fn load_visible(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    user: &CurrentUser,
    id: i64,
) -> Result<(CaseRow, CaseState), AppError> {
    visible_or_not_found(user, cases::load(tx, id).await?)
}

fn visible_or_not_found(
    user: &CurrentUser,
    found: Option<(CaseRow, CaseState)>,
) -> Result<(CaseRow, CaseState), AppError> {
    match found {
        Some((row, case)) if visible(user, &row, &case) => Ok((row, case)),
        _ => Err(AppError::NotFound),
    }
}

/// An event done by the logged-in user (who, in which role, when, what).
fn event_by<'a>(
    user: &'a CurrentUser,
    at: DateTime<Utc>,
    action: &'a str,
    note: &'a str,
    data: serde_json::Value,
) -> NewEvent<'a> {
    NewEvent {
        at,
        actor_account: Some(user.id),
        actor_name: &user.display_name,
        actor_role: user.role.as_str(),
        action,
        note,
        data,
    }
}
