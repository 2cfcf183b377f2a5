//! Login accounts.

use super::StoreResult;
use sqlx::{Any, Executor};

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct AccountRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub role: String,
    pub node_code: Option<String>,
    pub department_code: Option<String>,
    pub active: i64,
    /// 1 while the account logs in with a temporary password.
    pub must_change_password: i64,
    /// Moves on with every password change; sessions carry the version they began with.
    pub credentials_version: i64,
    /// From the joined territory node or department.
    pub node_path: Option<String>,
    pub node_name: Option<String>,
    pub node_level: Option<String>,
    pub department_name: Option<String>,
}

pub struct NewAccount<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub password_hash: &'a str,
    pub role: crate::domain::people::Role,
    pub node_code: Option<&'a str>,
    pub department_code: Option<&'a str>,
    pub created_at_ms: i64,
    /// A temporary password: the user must set their own at the next login.
    pub must_change_password: bool,
    /// Digits, or empty.
    pub work_phone: &'a str,
}

const SELECT: &str = "SELECT a.id, a.username, a.display_name, a.password_hash, a.role, a.node_code, \
    a.department_code, a.active, a.must_change_password, a.credentials_version, n.path AS node_path, n.name AS node_name, n.level AS node_level, \
    d.name AS department_name \
    FROM accounts a \
    LEFT JOIN territory_nodes n ON n.code = a.node_code \
    LEFT JOIN departments d ON d.code = a.department_code";

pub async fn by_username<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    username: &str,
) -> StoreResult<Option<AccountRow>> {
    Ok(sqlx::query_as(&format!("{SELECT} WHERE a.username = $1"))
        .bind(username)
        .fetch_optional(ex)
        .await?)
}

pub async fn by_id<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    id: i64,
) -> StoreResult<Option<AccountRow>> {
    Ok(sqlx::query_as(&format!("{SELECT} WHERE a.id = $1"))
        .bind(id)
        .fetch_optional(ex)
        .await?)
}

pub async fn insert<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    a: &NewAccount<'_>,
) -> StoreResult<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO accounts (username, display_name, password_hash, role, node_code, department_code, active, created_at, must_change_password, work_phone) \
         VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8, $9) RETURNING id",
    )
    .bind(a.username)
    .bind(a.display_name)
    .bind(a.password_hash)
    .bind(a.role.as_str())
    .bind(a.node_code)
    .bind(a.department_code)
    .bind(a.created_at_ms)
    .bind(i64::from(a.must_change_password))
    .bind(a.work_phone)
    .fetch_one(ex)
    .await?;
    Ok(id)
}

pub async fn count<'e, E: Executor<'e, Database = Any>>(ex: E) -> StoreResult<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM accounts")
        .fetch_one(ex)
        .await?;
    Ok(n)
}

/// A new password hash; `temporary` makes the user choose their own at the next login.
/// Every session begun before ends (the credentials version moves on). Returns the new
/// version, which the session that made the change keeps.
pub async fn set_password(
    tx: &mut sqlx::Transaction<'_, Any>,
    id: i64,
    password_hash: &str,
    temporary: bool,
) -> StoreResult<i64> {
    let (version,): (i64,) = sqlx::query_as(
        "UPDATE accounts SET password_hash = $1, must_change_password = $2, \
         credentials_version = credentials_version + 1 WHERE id = $3 RETURNING credentials_version",
    )
    .bind(password_hash)
    .bind(i64::from(temporary))
    .bind(id)
    .fetch_one(&mut **tx)
    .await?;
    Ok(version)
}

/// Deactivates (or reactivates) an account; its sessions end at their next request.
pub async fn set_active(
    tx: &mut sqlx::Transaction<'_, Any>,
    id: i64,
    active: bool,
) -> StoreResult<()> {
    sqlx::query("UPDATE accounts SET active = $1, credentials_version = credentials_version + 1 WHERE id = $2")
        .bind(i64::from(active))
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// `(id, username, password hash)` of every active account.
pub async fn active_hashes<'e, E: Executor<'e, Database = Any>>(
    ex: E,
) -> StoreResult<Vec<(i64, String, String)>> {
    Ok(sqlx::query_as(
        "SELECT id, username, password_hash FROM accounts WHERE active = 1 ORDER BY id",
    )
    .fetch_all(ex)
    .await?)
}

/// An account as administrators list it.
#[derive(sqlx::FromRow, Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AccountListed {
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub node_code: Option<String>,
    pub node_name: Option<String>,
    pub department_code: Option<String>,
    pub department_name: Option<String>,
    pub work_phone: String,
    pub active: bool,
    pub must_change_password: bool,
}

/// Accounts attached under a territory path prefix, and every department's staff, by
/// role and username.
pub async fn listed<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    prefix: &str,
) -> StoreResult<Vec<AccountListed>> {
    type Row = (
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        String,
        i64,
        i64,
    );
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT a.username, a.display_name, a.role, a.node_code, n.name, a.department_code, d.name, \
         a.work_phone, a.active, a.must_change_password FROM accounts a \
         LEFT JOIN territory_nodes n ON n.code = a.node_code \
         LEFT JOIN departments d ON d.code = a.department_code \
         WHERE a.department_code IS NOT NULL OR n.path LIKE $1 ORDER BY a.role, a.username",
    )
    .bind(format!("{prefix}%"))
    .fetch_all(ex)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| AccountListed {
            username: r.0,
            display_name: r.1,
            role: r.2,
            node_code: r.3,
            node_name: r.4,
            department_code: r.5,
            department_name: r.6,
            work_phone: r.7,
            active: r.8 == 1,
            must_change_password: r.9 == 1,
        })
        .collect())
}

/// Usernames among `names` that are taken (compared without case, as the import does).
pub async fn taken<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    names: &[String],
) -> StoreResult<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as("SELECT username FROM accounts")
        .fetch_all(ex)
        .await?;
    let wanted: std::collections::HashSet<String> =
        names.iter().map(|n| n.to_lowercase()).collect();
    Ok(rows
        .into_iter()
        .map(|(u,)| u)
        .filter(|u| wanted.contains(&u.to_lowercase()))
        .collect())
}
