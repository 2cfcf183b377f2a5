//! A server started without the demo that still has accounts with the demo's password
//! (a demo database put into service, or a password set to it by hand) says so: a warning
//! in the log at every start, and a banner for administrators until every such account
//! has another password.

use crate::domain::people::Role;
use crate::error::AppError;
use crate::ssr::current_user::CurrentUser;
use crate::ssr::demo::DEMO_PASSWORD;
use crate::ssr::password;
use crate::ssr::state::AppState;
use crate::ssr::store::accounts;
use std::collections::{BTreeMap, HashMap};

/// Checks every active account's password against the demo's (one argon2 verification per
/// distinct hash: the demo's accounts share one) and remembers the matches.
pub async fn scan(state: &AppState) -> Result<usize, AppError> {
    let rows = accounts::active_hashes(&state.db.pool).await?;
    let mut by_hash: HashMap<String, Vec<(i64, String)>> = HashMap::new();
    for (id, username, hash) in rows {
        by_hash.entry(hash).or_default().push((id, username));
    }
    let mut found = BTreeMap::new();
    for (hash, people) in by_hash {
        let is_demo = tokio::task::spawn_blocking(move || password::verify(DEMO_PASSWORD, &hash))
            .await
            .map_err(|_| AppError::Internal)?;
        if is_demo {
            found.extend(people);
        }
    }
    let n = found.len();
    if n > 0 {
        let names: Vec<&str> = found.values().take(10).map(String::as_str).collect();
        tracing::warn!(
            accounts = n,
            first = %names.join(", "),
            "accounts still use the demo password: reset them (POST /api/v1/admin/accounts/{{username}}/reset-password)"
        );
    }
    *state
        .demo_passwords
        .lock()
        .unwrap_or_else(|e| e.into_inner()) = found;
    Ok(n)
}

/// An account whose password has just changed (or that was deactivated) no longer counts.
pub fn forget(state: &AppState, account: i64) {
    state
        .demo_passwords
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .remove(&account);
}

/// How many accounts still use the demo password, for administrators (0 for everyone else).
pub fn count_for(state: &AppState, user: &CurrentUser) -> usize {
    if user.role != Role::Admin {
        return 0;
    }
    state
        .demo_passwords
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .len()
}
