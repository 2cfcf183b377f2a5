//! The two work lists of 吹哨报到: the command centre's inbox and a department's desk.

use super::*;
use crate::domain::case::view::{CommandInbox, DepartmentDesk, DeskItem};
use crate::ssr::store::case_list::DeskRow;

/// Roles that triage and dispatch (the inbox's audience).
fn commands(user: &CurrentUser) -> bool {
    matches!(
        user.role,
        Role::Center | Role::GridLeader | Role::Admin | Role::Leader
    )
}

/// The command centre's inbox for the user's area.
pub async fn command_inbox(
    state: &AppState,
    user: &CurrentUser,
    now: DateTime<Utc>,
) -> Result<CommandInbox, AppError> {
    let Scope::Subtree { path } = &user.scope else {
        return Err(AppError::Forbidden);
    };
    if !commands(user) {
        return Err(AppError::Forbidden);
    }
    let cat = catalogue(state).await?;
    let vis = Visibility::Under(path);
    let pool = &state.db.pool;
    let fetch = |filter: Filter| {
        let vis = &vis;
        let cat = &cat;
        async move {
            let (rows, _) = case_list::list(pool, vis, &filter, to_millis(now)).await?;
            // Reports awaiting triage say when an open case of their kind is close by.
            let mut out = Vec::with_capacity(rows.len());
            for r in rows {
                let repeat = r.case.status == "reported" || r.case.status == "returned";
                let repeat = repeat
                    && !repeats_of(pool, user, &r.case, state.config.repeat_metres)
                        .await?
                        .is_empty();
                let mut s = summary(r, now, cat);
                s.possible_repeat = repeat;
                out.push(s);
            }
            Ok::<_, AppError>(out)
        }
    };
    let base = Filter {
        page: 1,
        per_page: 100,
        ..Default::default()
    };
    let with_status = |s: crate::domain::case::Status| Filter {
        status: Some(s),
        ..base.clone()
    };
    use crate::domain::case::Status;
    let mut running_out = fetch(Filter {
        due_before_ms: Some(to_millis(now + chrono::Duration::hours(24))),
        ..base.clone()
    })
    .await?;
    // Most urgent first: the earliest of the deadline and the acknowledgement due.
    running_out.sort_by_key(|c| c.deadline);
    Ok(CommandInbox {
        to_triage: fetch(with_status(Status::Reported)).await?,
        returned: fetch(with_status(Status::Returned)).await?,
        to_dispatch: fetch(with_status(Status::Triaged)).await?,
        running_out,
        extension_requests: fetch(Filter {
            extension_requested: true,
            ..base.clone()
        })
        .await?,
    })
}

/// The department's workspace: its dispatches by what they wait for.
pub async fn department_desk(
    state: &AppState,
    user: &CurrentUser,
    now: DateTime<Utc>,
) -> Result<DepartmentDesk, AppError> {
    let Scope::Department { code } = &user.scope else {
        return Err(AppError::Forbidden);
    };
    let cat = catalogue(state).await?;
    let since = to_millis(now - chrono::Duration::days(14));
    let rows = case_list::desk(&state.db.pool, code, since).await?;
    let mut desk = DepartmentDesk {
        now: Some(now),
        ..Default::default()
    };
    for r in rows {
        let item = desk_item(r, now, &cat)?;
        let open = item.case.status.is_open();
        if item.role == DispatchRole::Copy {
            if open {
                desk.copies.push(item);
            }
        } else if item.returned_at.is_some() || item.resolved_at.is_some() || !open {
            desk.done.push(item);
        } else if item.acknowledged_at.is_none() {
            desk.awaiting_ack.push(item);
        } else {
            desk.in_hand.push(item);
        }
    }
    desk.awaiting_ack.sort_by_key(|i| i.ack_due);
    desk.in_hand.sort_by_key(|i| i.case.deadline);
    desk.done.truncate(50);
    Ok(desk)
}

fn desk_item(r: DeskRow, now: DateTime<Utc>, cat: &Catalogue) -> Result<DeskItem, AppError> {
    let role = DispatchRole::parse(&r.role).ok_or_else(|| {
        tracing::error!(role = %r.role, "unknown dispatch role");
        AppError::Internal
    })?;
    Ok(DeskItem {
        role,
        dispatched_at: from_millis(r.dispatched_at),
        ack_due: r.ack_due_at.map(from_millis),
        acknowledged_at: r.acknowledged_at.map(from_millis),
        resolved_at: r.resolved_at.map(from_millis),
        returned_at: r.returned_at.map(from_millis),
        case: summary(r.list, now, cat),
    })
}
