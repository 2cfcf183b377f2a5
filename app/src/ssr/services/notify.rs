//! Notifications: raised inside the transaction of the step that causes them (so a step
//! and its notices commit together), fanned out to accounts, and queued for the district's
//! webhooks. Overdue acknowledgements are found by a periodic scan.

use crate::domain::case::Action;
use crate::domain::case::machine::CaseState;
use crate::domain::notify::{self, Audience, Inbox, Notice, NoticeKind, NotificationView};
use crate::error::AppError;
use crate::ssr::current_user::CurrentUser;
use crate::ssr::db::from_millis;
use crate::ssr::state::AppState;
use crate::ssr::store::cases::CaseRow;
use crate::ssr::store::notifications::{self, About};
use crate::ssr::store::{self, StoreError};
use chrono::{DateTime, Utc};
use sqlx::{Any, Transaction};

/// Raises the notices of one decided step, in its transaction.
pub async fn after_action(
    tx: &mut Transaction<'_, Any>,
    state: &AppState,
    row: &CaseRow,
    action: &Action,
    actor_department: Option<&str>,
    before: &CaseState,
    after: &CaseState,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    for notice in notify::notices(action, actor_department, before, after) {
        raise(tx, state, row, after, &notice, now).await?;
    }
    Ok(())
}

async fn raise(
    tx: &mut Transaction<'_, Any>,
    state: &AppState,
    row: &CaseRow,
    case: &CaseState,
    notice: &Notice,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let about = About {
        case_id: row.id,
        grid_code: &row.grid_code,
        grid_path: &row.grid_path,
    };
    let payload = payload(state, row, case, notice, now).to_string();
    notifications::raise(tx, &notice.audiences, &about, notice.kind, now, &payload).await
}

/// What a webhook receives: the notice and enough of the case to route it, no personal data.
fn payload(
    state: &AppState,
    row: &CaseRow,
    case: &CaseState,
    notice: &Notice,
    now: DateTime<Utc>,
) -> serde_json::Value {
    let base = state.config.public_url.clone().unwrap_or_default();
    serde_json::json!({
        "kind": notice.kind.as_str(),
        "at": now.to_rfc3339(),
        "departments": notice.departments,
        "case": {
            "id": row.id,
            "tracking_code": row.tracking_code,
            "category": case.category,
            "grid_code": row.grid_code,
            "status": case.status.as_str(),
            "tier": case.tier.map(|t| t.as_str()),
            "deadline": case.deadline.map(|d| d.to_rfc3339()),
            "supervised": case.supervised,
            "url": format!("{base}/cases/{}", row.id),
        },
    })
}

/// Announces every overdue acknowledgement once (to the department and the area's
/// command staff). Returns how many were announced.
#[tracing::instrument(skip_all, err(Debug))]
pub async fn scan_ack_overdue(state: &AppState, now: DateTime<Utc>) -> Result<usize, AppError> {
    let pending = notifications::unannounced_overdue_acks(&state.db.pool, now).await?;
    let mut announced = 0;
    for (case_id, seq, department) in pending {
        let mut tx = state.db.begin_write().await.map_err(StoreError::from)?;
        let Some((row, case)) = store::cases::load(&mut tx, case_id).await? else {
            continue;
        };
        // The case may have moved on since the scan's query; ask the rule again.
        if notify::overdue_acknowledgements(&case, now).contains(&department) {
            let notice = Notice {
                kind: NoticeKind::AckOverdue,
                audiences: vec![
                    Audience::Department(department.clone()),
                    Audience::AreaCommand,
                ],
                departments: vec![department],
            };
            raise(&mut tx, state, &row, &case, &notice, now).await?;
            announced += 1;
        }
        notifications::mark_ack_overdue_announced(&mut tx, case_id, seq).await?;
        tx.commit().await.map_err(StoreError::from)?;
    }
    Ok(announced)
}

/// The bell: unread count and the newest 50.
pub async fn inbox(state: &AppState, user: &CurrentUser) -> Result<Inbox, AppError> {
    let pool = &state.db.pool;
    let rows = notifications::list(pool, user.id, 50).await?;
    let items = rows
        .into_iter()
        .filter_map(|r| {
            Some(NotificationView {
                id: r.id,
                kind: NoticeKind::parse(&r.kind)?,
                case_id: r.case_id,
                tracking_code: r.tracking_code,
                category_name: r.category_name,
                category_name_en: r.category_name_en,
                description: r.description,
                grid_code: r.grid_code,
                supervised: r.supervised == 1,
                created_at: from_millis(r.created_at),
                read: r.read_at.is_some(),
            })
        })
        .collect();
    Ok(Inbox {
        unread: notifications::unread_count(pool, user.id).await?,
        items,
    })
}

pub async fn unread(state: &AppState, user: &CurrentUser) -> Result<i64, AppError> {
    Ok(notifications::unread_count(&state.db.pool, user.id).await?)
}

/// Marks one notification (or all) of the user as read.
pub async fn mark_read(
    state: &AppState,
    user: &CurrentUser,
    id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<u64, AppError> {
    Ok(notifications::mark_read(&state.db.pool, user.id, id, now).await?)
}
