//! 12345 hotline work orders (docs/INTEGRATIONS.md): the hotline's export imported (all
//! rows or none; a re-import updates its orders and brings back their 回访), one order
//! posted by a connector, and what goes back — each step the hotline must hear of as a
//! webhook event in the step's transaction, and the period's return sheet (回传表).

use super::roster::{TableError, read_table};
use crate::domain::case::machine::CaseState;
use crate::domain::case::{Action, Source, Status};
use crate::domain::category_standard::CategoryStandard;
use crate::domain::hotline::order::{Column, Order, OrderInput, check_input, check_rows};
use crate::domain::hotline::{ReturnKind, return_of, return_of_step};
use crate::domain::people::Role;
use crate::domain::sheet::{Cell, Sheet};
use crate::domain::table_rows::RowError;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::ssr::current_user::CurrentUser;
use crate::ssr::db::{from_millis, to_millis};
use crate::ssr::state::AppState;
use crate::ssr::store::cases::{self, CaseRow, NewCase, NewEvent};
use crate::ssr::store::{self, StoreError, audit, hotline, webhooks};
use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{Any, Transaction};

/// What an import or a posted order did.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Imported {
    pub created: usize,
    pub updated: usize,
    /// 回访 results applied to resolved cases.
    pub revisits: usize,
    /// (order number, tracking code) of every order in the file.
    pub orders: Vec<(String, String)>,
}

/// Orders come from the command centres (and administrators).
fn may_import(user: &CurrentUser) -> Result<(), AppError> {
    if matches!(user.role, Role::Center | Role::Admin) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// A category or subcategory by code or name (Chinese or English) → (category, sub).
fn category_of(all: &[CategoryStandard], text: &str) -> Option<(String, Option<String>)> {
    let t = text.trim();
    let found = all
        .iter()
        .find(|c| c.code == t || c.name == t || c.name_en.eq_ignore_ascii_case(t))?;
    Some(match &found.parent {
        Some(p) => (p.clone(), Some(found.code.clone())),
        None => (found.code.clone(), None),
    })
}

/// An order ready to write: its grid, point and what it finds already stored.
struct Placed {
    order: Order,
    grid: store::territory::NodeRow,
    point: crate::domain::geo_point::GeoPoint,
    existing: Option<(hotline::OrderRow, CaseRow, CaseState)>,
}

async fn place(
    state: &AppState,
    user: &CurrentUser,
    o: Order,
    now: DateTime<Utc>,
    refused: &mut Vec<RowError<Column>>,
) -> Result<Option<Placed>, AppError> {
    let refuse = |refused: &mut Vec<RowError<Column>>, c, msg, v: &str| {
        refused.push(RowError::new(o.row, Some(c), msg, v));
    };
    if o.received_at > now + chrono::Duration::minutes(5) {
        refuse(refused, Column::ReceivedAt, Msg::ErrHotlineFuture, "");
        return Ok(None);
    }
    let found = match o.point {
        Some(p) => super::territory::locate(state, p).map(|g| (g, p)),
        None => store::buildings::named(&state.db.pool, &o.address)
            .await?
            .and_then(|(g, lat, lng)| {
                crate::domain::geo_point::GeoPoint::parse(lat, lng)
                    .ok()
                    .map(|p| (g, p))
            }),
    };
    let Some((code, point)) = found else {
        refuse(refused, Column::Address, Msg::ErrHotlinePlace, &o.address);
        return Ok(None);
    };
    let Some(grid) = store::territory::get(&state.db.pool, &code)
        .await?
        .filter(|g| user.scope.covers(&g.path))
    else {
        refuse(refused, Column::Address, Msg::ErrHotlineOutside, &code);
        return Ok(None);
    };
    let existing = match hotline::by_number(&state.db.pool, &o.order_no).await? {
        None => None,
        Some(order) => {
            let mut tx = state.db.begin_write().await.map_err(StoreError::from)?;
            let loaded = cases::load(&mut tx, order.case_id).await?;
            tx.commit().await.map_err(StoreError::from)?;
            let (row, case) = loaded.ok_or(AppError::Internal)?;
            let awaits_rating = case.status == Status::Resolved && case.feedback.is_none();
            if o.revisit.is_some() && !awaits_rating && case.feedback != o.revisit {
                refuse(
                    refused,
                    Column::Revisit,
                    Msg::ErrHotlineNotResolved,
                    &o.order_no,
                );
                return Ok(None);
            }
            Some((order, row, case))
        }
    };
    Ok(Some(Placed {
        order: o,
        grid,
        point,
        existing,
    }))
}

/// Imports the hotline's export: every row checked and placed first; then all written in
/// one transaction, or nothing. Revisits are applied after, as the reporter's rating.
pub async fn import(
    state: &AppState,
    user: &CurrentUser,
    body: axum::body::Bytes,
    now: DateTime<Utc>,
) -> Result<Imported, TableError<Column>> {
    may_import(user)?;
    let rows = read_table(body).await?;
    let all = store::catalogue::standards(&state.db.pool)
        .await
        .map_err(AppError::from)?;
    let orders = check_rows(&rows, &|t| category_of(&all, t)).map_err(TableError::Refused)?;
    write(state, user, orders, now, "hotline_import").await
}

/// One order from a connector (`POST /api/v1/hotline/orders`), as one row of a table.
pub async fn post_order(
    state: &AppState,
    user: &CurrentUser,
    input: OrderInput,
    now: DateTime<Utc>,
) -> Result<Imported, TableError<Column>> {
    may_import(user)?;
    let all = store::catalogue::standards(&state.db.pool)
        .await
        .map_err(AppError::from)?;
    let order = check_input(&input, &|t| category_of(&all, t)).map_err(TableError::Refused)?;
    write(state, user, vec![order], now, "hotline_order").await
}

async fn write(
    state: &AppState,
    user: &CurrentUser,
    orders: Vec<Order>,
    now: DateTime<Utc>,
    audit_action: &str,
) -> Result<Imported, TableError<Column>> {
    let mut refused = Vec::new();
    let mut placed = Vec::new();
    for o in orders {
        if let Some(p) = place(state, user, o, now, &mut refused).await? {
            placed.push(p);
        }
    }
    if !refused.is_empty() {
        return Err(TableError::Refused(refused));
    }
    let mut done = Imported::default();
    let mut tx = state.db.begin_write().await.map_err(StoreError::from)?;
    let mut revisits = Vec::new();
    for p in &placed {
        let o = &p.order;
        let fields = |case_id| hotline::NewOrder {
            order_no: &o.order_no,
            case_id,
            received_at: to_millis(o.received_at),
            category_text: &o.category_text,
            urgent: o.urgent,
            due_at: o.due_at.map(to_millis),
            referral: &o.referral,
            address: &o.address,
            by: user.id,
            now: to_millis(now),
        };
        match &p.existing {
            Some((order, row, case)) => {
                hotline::update(
                    &mut tx,
                    &fields(order.case_id),
                    o.revisit.map(|s| s.as_str()),
                )
                .await?;
                if let Some(s) = o.revisit.filter(|_| case.feedback.is_none()) {
                    revisits.push((row.tracking_code.clone(), s));
                }
                done.updated += 1;
                done.orders
                    .push((o.order_no.clone(), row.tracking_code.clone()));
            }
            None => {
                let (id, code) = new_case(&mut tx, state, p, now).await?;
                hotline::insert(&mut tx, &fields(id)).await?;
                done.created += 1;
                done.orders.push((o.order_no.clone(), code));
            }
        }
    }
    let detail = format!(
        "{} orders: {} new, {} updated",
        placed.len(),
        done.created,
        done.updated
    );
    audit::record(&mut **tx, now, user.id, audit_action, "hotline", 0, &detail).await?;
    tx.commit().await.map_err(StoreError::from)?;
    state
        .metrics
        .filed(crate::domain::case::Source::Hotline, done.created as u64);
    for (code, satisfaction) in revisits {
        let token = state.sealer.feedback_token(&code);
        match super::cases::reporter::rate(state, &code, &token, satisfaction, "12345回访", now)
            .await
        {
            Ok(_) => done.revisits += 1,
            Err(e) => tracing::warn!(%code, error = ?e, "a hotline revisit could not be applied"),
        }
    }
    Ok(done)
}

/// The order's case, reported at the hotline's reception time by "12345热线".
async fn new_case(
    tx: &mut Transaction<'static, Any>,
    state: &AppState,
    p: &Placed,
    now: DateTime<Utc>,
) -> Result<(i64, String), StoreError> {
    let o = &p.order;
    let code = super::cases::new_tracking_code();
    let mut case = CaseState::reported(&o.category, &p.grid.code, o.received_at.min(now), None);
    case.subcategory = o.subcategory.clone();
    case.urgent = o.urgent;
    let id = cases::insert(
        tx,
        &NewCase {
            tracking_code: &code,
            source: Source::Hotline,
            description: &o.description,
            lat: p.point.lat(),
            lng: p.point.lng(),
            grid_path: &p.grid.path,
            state: &case,
        },
    )
    .await?;
    let note = if o.referral.is_empty() {
        o.description.clone()
    } else {
        format!("{}\n转办意见：{}", o.description, o.referral)
    };
    let event = NewEvent {
        at: o.received_at.min(now),
        actor_account: None,
        actor_name: "12345热线",
        actor_role: "hotline",
        action: "report",
        note: &note,
        data: serde_json::json!({ "source": Source::Hotline.as_str(), "category": o.category, "grid": p.grid.code, "status": "reported", "order_no": o.order_no }),
    };
    cases::append_event(tx, id, &event).await?;
    if o.contact.is_some() || o.phone.is_some() {
        let seal = |v: &Option<String>| v.as_deref().map(|x| state.sealer.seal(x));
        store::residents::insert_contact(
            tx,
            id,
            seal(&o.contact).as_deref(),
            seal(&o.phone).as_deref(),
        )
        .await?;
    }
    Ok((id, code))
}

/// The hotline's own deadline replaces the tier's when the case's clock first starts.
pub async fn own_deadline(
    tx: &mut Transaction<'static, Any>,
    row: &CaseRow,
    before: &CaseState,
    after: &mut CaseState,
) -> Result<(), StoreError> {
    if row.source != Source::Hotline.as_str()
        || before.deadline.is_some()
        || after.deadline.is_none()
    {
        return Ok(());
    }
    if let Some(due) = hotline::of_case(tx, row.id).await?.and_then(|o| o.due_at) {
        after.deadline = Some(from_millis(due));
    }
    Ok(())
}

/// Queues the webhook event of a step the hotline must hear of, in the step's transaction.
pub async fn after_step(
    tx: &mut Transaction<'static, Any>,
    row: &CaseRow,
    action: &Action,
    before: &CaseState,
    after: &CaseState,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    if row.source != Source::Hotline.as_str() {
        return Ok(());
    }
    let first_triage = before.status == Status::Reported;
    let Some(kind) = return_of(action, before.status, after.status, first_triage) else {
        return Ok(());
    };
    let Some(order) = hotline::of_case(tx, row.id).await? else {
        return Ok(());
    };
    let mut payload = serde_json::json!({
        "kind": kind.as_str(),
        "at": now.to_rfc3339(),
        "order_no": order.order_no,
        "case": {
            "id": row.id,
            "tracking_code": row.tracking_code,
            "status": after.status.as_str(),
            "deadline": after.deadline.map(|d| d.to_rfc3339()),
        },
    });
    match action {
        Action::Invalidate { reason, note } => {
            payload["reason"] = reason.as_str().into();
            payload["note"] = note.as_str().into();
        }
        Action::RequestExtension { days, reason } => {
            payload["days"] = (*days).into();
            payload["note"] = reason.as_str().into();
        }
        Action::Feedback { satisfaction, .. } => {
            payload["satisfaction"] = satisfaction.as_str().into()
        }
        other => payload["note"] = other.note().into(),
    }
    webhooks::enqueue(tx, kind.as_str(), &payload.to_string(), now).await?;
    Ok(())
}

/// The return sheet (回传表) of `[from, to)`: one row per step the hotline needs back.
pub async fn returns_sheet(
    state: &AppState,
    user: &CurrentUser,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Sheet, AppError> {
    may_import(user)?;
    let base = state.config.public_url.clone().unwrap_or_default();
    let mut rows = Vec::new();
    for s in hotline::steps(&state.db.pool, to_millis(from), to_millis(to)).await? {
        let data: serde_json::Value = serde_json::from_str(&s.data).unwrap_or_default();
        let Some(kind) = return_of_step(&s.action, &data, s.first_triage == 1) else {
            continue;
        };
        let (text, days, photos) = match kind {
            ReturnKind::Replied => {
                let result = hotline::result_before(&state.db.pool, s.case_id, s.seq).await?;
                let (seq, note) = result.unwrap_or((s.seq, s.note.clone()));
                let photos: Vec<String> = cases::attachments(&state.db.pool, s.case_id)
                    .await?
                    .into_iter()
                    .filter(|(at, _)| *at == seq)
                    .map(|(_, name)| format!("{base}/t/{}/photos/{name}", s.tracking_code))
                    .collect();
                (note, String::new(), photos.join("\n"))
            }
            ReturnKind::ExtensionRequested => {
                (s.note.clone(), data["days"].to_string(), String::new())
            }
            ReturnKind::ReturnRequested => {
                let reason = data["reason"]
                    .as_str()
                    .and_then(crate::domain::case::InvalidReason::parse);
                let label = reason
                    .map(|r| {
                        crate::i18n::t(
                            crate::i18n::Lang::Zh,
                            crate::components::labels::invalid_reason(r),
                        )
                    })
                    .unwrap_or_default();
                (
                    format!("{label}：{}", s.note)
                        .trim_end_matches('：')
                        .to_owned(),
                    String::new(),
                    String::new(),
                )
            }
            ReturnKind::Revisited => {
                let label = data["satisfaction"]
                    .as_str()
                    .and_then(crate::domain::case::Satisfaction::parse)
                    .map(|x| {
                        crate::i18n::t(
                            crate::i18n::Lang::Zh,
                            crate::components::labels::satisfaction(x),
                        )
                        .to_owned()
                    })
                    .unwrap_or_default();
                (label, String::new(), String::new())
            }
            ReturnKind::Signed => (String::new(), String::new(), String::new()),
        };
        rows.push(vec![
            Cell::Text(s.order_no),
            Cell::Text(s.tracking_code),
            Cell::Text(kind.label().into()),
            Cell::Text(crate::components::labels::local_time(from_millis(s.at))),
            Cell::Text(text),
            Cell::Text(days),
            Cell::Text(photos),
        ]);
    }
    Ok(Sheet {
        name: "回传".into(),
        headers: [
            "工单编号",
            "查询码",
            "事件",
            "时间",
            "说明",
            "延期天数",
            "照片",
        ]
        .map(str::to_owned)
        .to_vec(),
        rows,
    })
}
