//! Logging in and loading the current user.

use crate::domain::people::{Attachment, Role};
use crate::domain::scope::Scope;
use crate::domain::territory::Level;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::ssr::current_user::CurrentUser;
use crate::ssr::password;
use crate::ssr::state::AppState;
use crate::ssr::store::{self, accounts::AccountRow};

/// The session key under which the logged-in account id is kept.
pub const SESSION_ACCOUNT_KEY: &str = "account_id";
/// The session key of the account's credentials version when the session began.
pub const SESSION_VERSION_KEY: &str = "credentials_version";
/// The session key of the login's time (milliseconds): a session lives at most
/// `session_max_days` from it, however busy.
pub const SESSION_STARTED_KEY: &str = "started_at";

/// Whether a session begun at `started_ms` is still within its absolute lifetime; a session
/// without a start (older than this rule) is not.
pub fn within_lifetime(
    started_ms: Option<i64>,
    now: chrono::DateTime<chrono::Utc>,
    max_days: u32,
) -> bool {
    started_ms.is_some_and(|s| now.timestamp_millis() - s < i64::from(max_days) * 24 * 3_600_000)
}

/// Checks a username and password; on success returns the account id to put in the session.
/// Rate-limited per client address, and slowed per (username, address) after failures; a
/// wrong username costs as long as a wrong password, and both get the same answer.
#[tracing::instrument(skip_all, err(Debug), fields(username = %username))]
pub async fn login(
    state: &AppState,
    username: &str,
    password: &str,
    client_ip: &str,
) -> Result<i64, AppError> {
    let username = username.trim();
    if username.is_empty() {
        return Err(AppError::validation("username", Msg::ErrRequired));
    }
    if password.is_empty() {
        return Err(AppError::validation("password", Msg::ErrRequired));
    }
    let now = state.clock.now();
    // Per address across usernames (an office shares one NAT address: generous), and per
    // (username, address) with growing waits: a guesser elsewhere never locks the owner out.
    let ip = state.login_ip_limiter.check(&format!("ip:{client_ip}"));
    let pair = state.login_throttle.check(username, client_ip, now);
    ip.and(pair)
        .map_err(|retry_after_secs| AppError::RateLimited { retry_after_secs })?;
    let row = store::accounts::by_username(&state.db.pool, username).await?;
    let (hash, candidate) = match &row {
        Some(r) if r.active == 1 => (r.password_hash.clone(), Some(r.id)),
        _ => (password::dummy_hash().to_owned(), None),
    };
    let password = password.to_owned();
    // argon2 is CPU-bound on purpose: keep it off the async workers.
    let ok = tokio::task::spawn_blocking(move || password::verify(&password, &hash))
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "password check task failed");
            AppError::Internal
        })?;
    match candidate {
        Some(id) if ok => {
            state.login_throttle.succeeded(username, client_ip);
            Ok(id)
        }
        _ => {
            state.login_throttle.failed(username, client_ip, now);
            Err(AppError::InvalidCredentials)
        }
    }
}

/// The account behind a session, if it still exists and is active.
pub async fn load_current_user(
    state: &AppState,
    account_id: i64,
) -> Result<Option<CurrentUser>, AppError> {
    let Some(row) = store::accounts::by_id(&state.db.pool, account_id).await? else {
        return Ok(None);
    };
    if row.active != 1 {
        return Ok(None);
    }
    current_user_from_row(row).map(Some)
}

fn current_user_from_row(row: AccountRow) -> Result<CurrentUser, AppError> {
    let corrupt = |what: &str| {
        tracing::error!(account = row.id, what, "account row does not make sense");
        AppError::Internal
    };
    let role = Role::parse(&row.role).ok_or_else(|| corrupt("role"))?;
    let scope = Scope::for_account(
        role,
        row.node_path.as_deref(),
        row.department_code.as_deref(),
    )
    .ok_or_else(|| corrupt("attachment"))?;
    let attachment = match (&row.node_code, &row.department_code) {
        (Some(code), None) => Attachment::Node {
            code: code.clone(),
            name: row.node_name.clone().unwrap_or_default(),
            level: row
                .node_level
                .as_deref()
                .and_then(Level::parse)
                .ok_or_else(|| corrupt("node level"))?,
        },
        (None, Some(code)) => Attachment::Department {
            code: code.clone(),
            name: row.department_name.clone().unwrap_or_default(),
        },
        _ => return Err(corrupt("attachment")),
    };
    Ok(CurrentUser {
        must_change_password: row.must_change_password == 1,
        credentials_version: row.credentials_version,
        id: row.id,
        username: row.username,
        display_name: row.display_name,
        role,
        attachment,
        scope,
    })
}

/// Whether a long-lived request (a live stream) may go on: its session still exists and
/// belongs to the account, and the account is active with the credentials it began with.
pub async fn session_still_valid(
    state: &AppState,
    session_id: Option<tower_sessions::session::Id>,
    account_id: i64,
    credentials_version: i64,
) -> bool {
    use tower_sessions::SessionStore;
    let Some(id) = session_id else {
        return false;
    };
    let store = crate::ssr::session_store::DbSessionStore::new(state.db.clone());
    let Ok(Some(record)) = store.load(&id).await else {
        return false;
    };
    let same_account = record
        .data
        .get(SESSION_ACCOUNT_KEY)
        .and_then(serde_json::Value::as_i64)
        == Some(account_id);
    let started = record
        .data
        .get(SESSION_STARTED_KEY)
        .and_then(serde_json::Value::as_i64);
    if !within_lifetime(started, state.clock.now(), state.config.session_max_days) {
        return false;
    }
    match load_current_user(state, account_id).await {
        Ok(Some(user)) => {
            same_account
                && user.credentials_version == credentials_version
                && !user.must_change_password
        }
        _ => false,
    }
}
