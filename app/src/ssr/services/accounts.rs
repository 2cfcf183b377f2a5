//! People's accounts: the district's first administrator, accounts an administrator creates
//! (with a temporary password shown once), deactivation, password resets, and everyone's own
//! password change. Each change is one transaction with its `audit_log` row; a password
//! change or a deactivation ends the account's other sessions (`credentials_version`).

use crate::domain::catalogue::STANDARD_CATEGORIES;
use crate::domain::password_policy::PasswordProblem;
use crate::domain::people::Role;
use crate::domain::territory::{Level, NodeCode};
use crate::error::AppError;
use crate::i18n::Msg;
use crate::ssr::current_user::CurrentUser;
use crate::ssr::db::{Db, to_millis};
use crate::ssr::password;
use crate::ssr::state::AppState;
use crate::ssr::store::{self, StoreError, accounts, audit};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Why the first administrator was not created (the command line says it).
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error("this database already has accounts: log in as an administrator instead")]
    AlreadySetUp,
    #[error("the district code must be 6 digits (GB/T 2260), e.g. 360102")]
    BadDistrictCode,
    #[error("the district name is empty")]
    NoDistrictName,
    #[error("the username must be 2–32 letters, digits, '.', '_' or '-'")]
    BadUsername,
    #[error("{}", .0.msg().en())]
    WeakPassword(PasswordProblem),
    #[error("a territory node {0} exists and is not a district")]
    NotADistrict(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for SetupError {
    fn from(e: sqlx::Error) -> Self {
        SetupError::Store(e.into())
    }
}

pub use crate::domain::roster::valid_username;

/// Creates the district node (if new) and its first administrator, on a database with no
/// account yet. `gridgov admin create` calls this; there is no default password anywhere.
pub async fn create_first_admin(
    db: &Db,
    username: &str,
    password_text: &str,
    district_code: &str,
    district_name: &str,
    now: DateTime<Utc>,
) -> Result<i64, SetupError> {
    let username = username.trim();
    if !valid_username(username) {
        return Err(SetupError::BadUsername);
    }
    let code = district_code.trim();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(SetupError::BadDistrictCode);
    }
    let name = district_name.trim();
    if name.is_empty() {
        return Err(SetupError::NoDistrictName);
    }
    password::acceptable(password_text, username).map_err(SetupError::WeakPassword)?;
    let hash = hash_off_thread(password_text.to_owned())
        .await
        .map_err(|_| SetupError::Store(StoreError::Corrupt("hashing failed".into())))?;
    let mut tx = db.begin_write().await?;
    if accounts::count(&mut **tx).await? > 0 {
        return Err(SetupError::AlreadySetUp);
    }
    match store::territory::get(&mut **tx, code).await? {
        Some(n) if n.level == Level::District.as_str() => {}
        Some(_) => return Err(SetupError::NotADistrict(code.to_owned())),
        None => {
            let code = NodeCode::parse(code).map_err(|_| SetupError::BadDistrictCode)?;
            store::territory::insert(
                &mut **tx,
                &store::territory::NewNode {
                    code: code.as_str(),
                    name,
                    name_en: name,
                    level: Level::District,
                    parent_path: None,
                    parent_code: None,
                    sort_order: 0,
                    boundary: None,
                },
            )
            .await?;
        }
    }
    seed_standard_categories(&mut tx).await?;
    let id = accounts::insert(
        &mut **tx,
        &accounts::NewAccount {
            username,
            display_name: username,
            password_hash: &hash,
            role: Role::Admin,
            node_code: Some(code),
            department_code: None,
            created_at_ms: to_millis(now),
            must_change_password: false,
            work_phone: "",
        },
    )
    .await?;
    audit::record(
        &mut **tx,
        now,
        id,
        "account_create",
        "account",
        id,
        &format!("first administrator {username} of {code} {name}"),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// A new district can take reports at once: the standard categories, unless the database
/// already has categories of its own.
async fn seed_standard_categories(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
) -> Result<(), StoreError> {
    if !store::catalogue::categories(&mut **tx).await?.is_empty() {
        return Ok(());
    }
    for (i, &(code, name, name_en)) in STANDARD_CATEGORIES.iter().enumerate() {
        let row = store::catalogue::CategoryRow {
            code: code.into(),
            name: name.into(),
            name_en: name_en.into(),
            copy_department: None,
        };
        store::catalogue::insert_category(&mut **tx, &row, i as i64).await?;
    }
    store::catalogue::seed_standard_subcategories_in(tx).await?;
    store::reply_templates::seed_if_empty_in(tx).await?;
    Ok(())
}

/// Whether the database has any account (a fresh install has none).
pub async fn any_account(db: &Db) -> Result<bool, AppError> {
    Ok(accounts::count(&db.pool).await? > 0)
}

/// A user's own password change: the current password is required; every other session of
/// the account ends. Returns the new credentials version for the session that asked.
pub async fn change_own_password(
    state: &AppState,
    user: &CurrentUser,
    old: &str,
    new: &str,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let row = accounts::by_id(&state.db.pool, user.id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let (old_ok, same) = {
        let (hash, old, new) = (row.password_hash.clone(), old.to_owned(), new.to_owned());
        tokio::task::spawn_blocking(move || {
            (password::verify(&old, &hash), password::verify(&new, &hash))
        })
        .await
        .map_err(|_| AppError::Internal)?
    };
    if !old_ok {
        return Err(AppError::validation("old_password", Msg::ErrPasswordOld));
    }
    if same {
        return Err(AppError::validation(
            "new_password",
            PasswordProblem::SameAsOld.msg(),
        ));
    }
    password::acceptable(new, &user.username)
        .map_err(|p| AppError::validation("new_password", p.msg()))?;
    let hash = hash_off_thread(new.to_owned()).await?;
    let mut tx = state.db.begin_write().await.map_err(StoreError::from)?;
    let version = accounts::set_password(&mut tx, user.id, &hash, false).await?;
    audit::record(
        &mut **tx,
        now,
        user.id,
        "password_change",
        "account",
        user.id,
        "",
    )
    .await?;
    tx.commit().await.map_err(StoreError::from)?;
    super::demo_passwords::forget(state, user.id);
    Ok(version)
}

/// What an administrator gives to create an account.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NewAccountInput {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// The territory node (everyone but department staff).
    #[serde(default)]
    pub node: Option<String>,
    /// The department (department staff).
    #[serde(default)]
    pub department: Option<String>,
    /// A work number (mobile or landline); a grid worker's is shown on the grid's QR page.
    #[serde(default)]
    pub work_phone: Option<String>,
}

/// A created account or a reset password: the temporary password is shown once, here.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Issued {
    pub username: String,
    pub temporary_password: String,
}

/// Creates an account with a temporary password; the person sets their own at first login.
pub async fn create(
    state: &AppState,
    admin: &CurrentUser,
    input: NewAccountInput,
    now: DateTime<Utc>,
) -> Result<Issued, AppError> {
    admin.require_admin()?;
    let username = input.username.trim();
    if !valid_username(username) {
        return Err(AppError::validation("username", Msg::ErrUsernameFormat));
    }
    let display_name = input.display_name.trim();
    if display_name.is_empty() || display_name.chars().count() > 40 {
        return Err(AppError::validation("display_name", Msg::ErrRequired));
    }
    let work_phone = match input.work_phone.as_deref().map(str::trim) {
        None | Some("") => String::new(),
        Some(p) => crate::domain::privacy::parse_phone(p)
            .map_err(|_| AppError::validation("work_phone", Msg::ErrPhone))?,
    };
    let (node, department) = attachment(state, admin, &input).await?;
    let temporary = password::temporary();
    let hash = hash_off_thread(temporary.clone()).await?;
    let mut tx = state.db.begin_write().await.map_err(StoreError::from)?;
    if accounts::by_username(&mut **tx, username).await?.is_some() {
        return Err(AppError::Conflict {
            msg: Msg::ErrUsernameTaken,
        });
    }
    let account = accounts::NewAccount {
        username,
        display_name,
        password_hash: &hash,
        role: input.role,
        node_code: node.as_deref(),
        department_code: department.as_deref(),
        created_at_ms: to_millis(now),
        must_change_password: true,
        work_phone: &work_phone,
    };
    insert_staff(&mut tx, admin.id, &account, "", now).await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(Issued {
        username: username.to_owned(),
        temporary_password: temporary,
    })
}

/// An account an administrator creates (alone or from a table), in the caller's
/// transaction: the row, the grid membership of a grid worker, the audit row (`note` ends
/// its detail, e.g. the table's row).
pub(crate) async fn insert_staff(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    admin_id: i64,
    a: &accounts::NewAccount<'_>,
    note: &str,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let id = accounts::insert(&mut **tx, a).await?;
    serve_grid_if_worker(tx, id, a.role, a.node_code, a.display_name, a.work_phone).await?;
    let detail = format!(
        "{} ({}), {} at {}{note}",
        a.username,
        a.display_name,
        a.role.as_str(),
        a.node_code.or(a.department_code).unwrap_or_default()
    );
    audit::record(
        &mut **tx,
        now,
        admin_id,
        "account_create",
        "account",
        id,
        &detail,
    )
    .await?;
    Ok(id)
}

/// A grid worker attached to a grid serves it: they become its full-time member (the "1"
/// of 1+3+N), so the grid's QR page and poster name them and their work phone at once.
async fn serve_grid_if_worker(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    account_id: i64,
    role: Role,
    node: Option<&str>,
    display_name: &str,
    work_phone: &str,
) -> Result<(), StoreError> {
    let Some(code) = node.filter(|_| role == Role::Worker) else {
        return Ok(());
    };
    let is_grid = store::territory::get(&mut **tx, code)
        .await?
        .is_some_and(|n| n.level == Level::Grid.as_str());
    if !is_grid {
        return Ok(());
    }
    store::members::insert(
        &mut **tx,
        &store::members::NewMember {
            grid_code: code,
            name: display_name,
            kind: crate::domain::people::MemberKind::FullTime,
            support_role: None,
            duties: "",
            work_phone,
            account_id: Some(account_id),
            sort_order: 0,
        },
    )
    .await
    .map(|_| ())
}

/// The attachment an account gets: a node inside the administrator's area, or a department.
async fn attachment(
    state: &AppState,
    admin: &CurrentUser,
    input: &NewAccountInput,
) -> Result<(Option<String>, Option<String>), AppError> {
    let pick = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    match (input.role, pick(&input.node), pick(&input.department)) {
        (Role::Dept, None, Some(d)) => {
            let known = store::departments::list(&state.db.pool)
                .await?
                .into_iter()
                .any(|row| row.code == d);
            if known {
                Ok((None, Some(d)))
            } else {
                Err(AppError::validation(
                    "department",
                    Msg::ErrUnknownDepartment,
                ))
            }
        }
        (Role::Dept, _, _) => Err(AppError::validation("department", Msg::ErrRequired)),
        (_, Some(n), None) => {
            let node = store::territory::get_active(&state.db.pool, &n)
                .await?
                .filter(|row| admin.scope.covers(&row.path))
                .ok_or_else(|| AppError::validation("node", Msg::ErrUnknownNode))?;
            Ok((Some(node.code), None))
        }
        _ => Err(AppError::validation("node", Msg::ErrRequired)),
    }
}

/// Every account an administrator may manage: those attached inside their area and the
/// departments' staff.
pub async fn list(
    state: &AppState,
    admin: &CurrentUser,
) -> Result<Vec<accounts::AccountListed>, AppError> {
    admin.require_admin()?;
    let crate::domain::scope::Scope::Subtree { path } = &admin.scope else {
        return Err(AppError::Forbidden);
    };
    Ok(accounts::listed(&state.db.pool, path).await?)
}

/// The account an administrator names.
async fn named(
    state: &AppState,
    admin: &CurrentUser,
    username: &str,
) -> Result<accounts::AccountRow, AppError> {
    admin.require_admin()?;
    accounts::by_username(&state.db.pool, username.trim())
        .await?
        .ok_or(AppError::NotFound)
}

/// Deactivates an account: it can no longer log in and its sessions end.
pub async fn deactivate(
    state: &AppState,
    admin: &CurrentUser,
    username: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let row = named(state, admin, username).await?;
    if row.id == admin.id {
        return Err(AppError::Conflict {
            msg: Msg::ErrDeactivateSelf,
        });
    }
    let mut tx = state.db.begin_write().await.map_err(StoreError::from)?;
    accounts::set_active(&mut tx, row.id, false).await?;
    audit::record(
        &mut **tx,
        now,
        admin.id,
        "account_deactivate",
        "account",
        row.id,
        &row.username,
    )
    .await?;
    tx.commit().await.map_err(StoreError::from)?;
    super::demo_passwords::forget(state, row.id);
    Ok(())
}

/// A new temporary password for someone who forgot theirs; their sessions end.
pub async fn reset_password(
    state: &AppState,
    admin: &CurrentUser,
    username: &str,
    now: DateTime<Utc>,
) -> Result<Issued, AppError> {
    let row = named(state, admin, username).await?;
    let temporary = password::temporary();
    let hash = hash_off_thread(temporary.clone()).await?;
    let mut tx = state.db.begin_write().await.map_err(StoreError::from)?;
    accounts::set_password(&mut tx, row.id, &hash, true).await?;
    audit::record(
        &mut **tx,
        now,
        admin.id,
        "password_reset",
        "account",
        row.id,
        &row.username,
    )
    .await?;
    tx.commit().await.map_err(StoreError::from)?;
    super::demo_passwords::forget(state, row.id);
    Ok(Issued {
        username: row.username,
        temporary_password: temporary,
    })
}

/// The (username, address) pairs that must wait after failed logins.
pub fn login_locks(
    state: &AppState,
    admin: &CurrentUser,
    now: DateTime<Utc>,
) -> Result<Vec<crate::ssr::login_throttle::LoginLock>, AppError> {
    admin.require_admin()?;
    Ok(state.login_throttle.locks(now))
}

/// Lifts the waits of a username (after the administrator has spoken with the person).
pub async fn unlock_login(
    state: &AppState,
    admin: &CurrentUser,
    username: &str,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    admin.require_admin()?;
    let lifted = state.login_throttle.unlock(username.trim());
    let subject = accounts::by_username(&state.db.pool, username.trim())
        .await?
        .map_or(0, |row| row.id);
    let detail = format!("{}: {lifted} address(es)", username.trim());
    audit::record(
        &state.db.pool,
        now,
        admin.id,
        "login_unlock",
        "account",
        subject,
        &detail,
    )
    .await?;
    Ok(lifted)
}

/// argon2 is slow on purpose: never on the async workers.
async fn hash_off_thread(password_text: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || password::hash(&password_text))
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "password hashing task failed");
            AppError::Internal
        })
}

/// Many hashes (an imported roster) on every core, off the async workers.
pub(crate) async fn hash_many_off_thread(passwords: Vec<String>) -> Result<Vec<String>, AppError> {
    tokio::task::spawn_blocking(move || {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let chunk = passwords.len().div_ceil(cores).max(1);
        std::thread::scope(|s| {
            let parts: Vec<_> = passwords
                .chunks(chunk)
                .map(|part| {
                    s.spawn(move || part.iter().map(|p| password::hash(p)).collect::<Vec<_>>())
                })
                .collect();
            parts
                .into_iter()
                .flat_map(|h| h.join().expect("argon2 hashing does not panic"))
                .collect()
        })
    })
    .await
    .map_err(|e| {
        tracing::error!(error = %e, "password hashing task failed");
        AppError::Internal
    })
}
