//! The working calendar, kept by administrators (the notice for each next year appears in
//! November: adding it needs no release).

use crate::domain::calendar::DayKind;
use crate::domain::people::Role;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::ssr::current_user::CurrentUser;
use crate::ssr::state::AppState;
use crate::ssr::store::catalogue::{self, CalendarDay};
use chrono::NaiveDate;

pub async fn list(state: &AppState) -> Result<Vec<CalendarDay>, AppError> {
    Ok(catalogue::list_days(&state.db.pool).await?)
}

fn admin(user: &CurrentUser) -> Result<(), AppError> {
    if user.role == Role::Admin {
        Ok(())
    } else {
        Err(AppError::NotAllowed {
            msg: Msg::RefuseRole,
        })
    }
}

#[tracing::instrument(skip_all, err(Debug), fields(day = %day, user = %user.username))]
pub async fn set(
    state: &AppState,
    user: &CurrentUser,
    day: NaiveDate,
    kind: DayKind,
    note: &str,
) -> Result<CalendarDay, AppError> {
    admin(user)?;
    let note = note.trim();
    if note.chars().count() > 100 {
        return Err(AppError::validation("note", Msg::ErrTooLong));
    }
    catalogue::set_day(&state.db.pool, day, kind, note).await?;
    tracing::info!(kind = kind.as_str(), "calendar day set");
    Ok(CalendarDay {
        day,
        kind,
        note: note.to_owned(),
    })
}

#[tracing::instrument(skip_all, err(Debug), fields(day = %day, user = %user.username))]
pub async fn remove(state: &AppState, user: &CurrentUser, day: NaiveDate) -> Result<(), AppError> {
    admin(user)?;
    if catalogue::remove_day(&state.db.pool, day).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}
