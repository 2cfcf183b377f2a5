//! Open311: API keys (hashes only), the requests filed through them, integrators'
//! comments, and the published cases and steps that `GET requests` and
//! `GET servicerequestupdates` answer with.

use super::StoreResult;
use super::cases::{CASE_COLUMNS, CaseRow};
use sqlx::{Any, Executor, Transaction};

/// Cases that may be published: reports by residents and grid workers (by any channel),
/// never a department's own, a hotline caller's, or needs found on a household visit.
pub const PUBLISHED: &str = "c.source IN ('resident_qr', 'grid_worker', 'patrol', 'open311') \
     AND NOT EXISTS (SELECT 1 FROM visits v WHERE v.case_id = c.id)";

/// The steps published as updates (those with a message for the reporter).
pub const PUBLISHED_STEPS: &str = "('report', 'triage', 'dispatch', 'acknowledge', 'resolve', 'verify', \
     'approve_deferral', 'resume', 'invalidate', 'merge', 'close', 'comment')";

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct KeyRow {
    pub id: i64,
    pub name: String,
    pub rate_limit: i64,
    pub created_at: i64,
    pub created_by: String,
    pub revoked_at: Option<i64>,
    pub last_used_at: Option<i64>,
}

const KEY_COLUMNS: &str = "k.id, k.name, k.rate_limit, k.created_at, a.username AS created_by, \
     k.revoked_at, k.last_used_at FROM open311_keys k JOIN accounts a ON a.id = k.created_by";

pub async fn insert_key<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    name: &str,
    key_hash: &str,
    rate_limit: i64,
    now_ms: i64,
    by: i64,
) -> StoreResult<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO open311_keys (name, key_hash, rate_limit, created_at, created_by) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(name)
    .bind(key_hash)
    .bind(rate_limit)
    .bind(now_ms)
    .bind(by)
    .fetch_one(ex)
    .await?;
    Ok(id)
}

pub async fn keys<'e, E: Executor<'e, Database = Any>>(ex: E) -> StoreResult<Vec<KeyRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {KEY_COLUMNS} ORDER BY k.revoked_at IS NOT NULL, k.id DESC"
    ))
    .fetch_all(ex)
    .await?)
}

/// A key still in force, by its hash.
pub async fn live_key<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    key_hash: &str,
) -> StoreResult<Option<KeyRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {KEY_COLUMNS} WHERE k.key_hash = $1 AND k.revoked_at IS NULL"
    ))
    .bind(key_hash)
    .fetch_optional(ex)
    .await?)
}

/// Whether a key in force was revoked now.
pub async fn revoke<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    id: i64,
    now_ms: i64,
) -> StoreResult<bool> {
    Ok(
        sqlx::query("UPDATE open311_keys SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL")
            .bind(id)
            .bind(now_ms)
            .execute(ex)
            .await?
            .rows_affected()
            > 0,
    )
}

pub async fn touch<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    id: i64,
    now_ms: i64,
) -> StoreResult<()> {
    sqlx::query("UPDATE open311_keys SET last_used_at = $2 WHERE id = $1")
        .bind(id)
        .bind(now_ms)
        .execute(ex)
        .await?;
    Ok(())
}

pub struct NewRequest<'a> {
    pub token: &'a str,
    pub case_id: i64,
    pub key_id: i64,
    pub address: Option<&'a str>,
    pub media_url: Option<&'a str>,
    pub now_ms: i64,
}

pub async fn insert_request(tx: &mut Transaction<'_, Any>, r: &NewRequest<'_>) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO open311_requests (token, case_id, key_id, address, media_url, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(r.token)
    .bind(r.case_id)
    .bind(r.key_id)
    .bind(r.address)
    .bind(r.media_url)
    .bind(r.now_ms)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The tracking code a token stands for.
pub async fn code_of_token<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    token: &str,
) -> StoreResult<Option<String>> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT c.tracking_code FROM open311_requests r JOIN cases c ON c.id = r.case_id WHERE r.token = $1",
    )
    .bind(token)
    .fetch_optional(ex)
    .await?;
    Ok(row.map(|(c,)| c))
}

/// The email of a request's reporter, sealed (kept with the case's sealed name and phone).
pub async fn seal_email(
    tx: &mut Transaction<'_, Any>,
    case_id: i64,
    sealed: &str,
) -> StoreResult<()> {
    sqlx::query("UPDATE case_contacts SET email_sealed = $2 WHERE case_id = $1")
        .bind(case_id)
        .bind(sealed)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

enum Param {
    Text(String),
    Int(i64),
}

/// A published case with what Open311 adds to it.
pub struct PublishedRow {
    pub case: CaseRow,
    pub address: Option<String>,
    pub media_url: Option<String>,
    /// The lead department's code, if dispatched.
    pub lead: Option<String>,
}

/// What `GET requests` may ask for.
#[derive(Default)]
pub struct RequestFilter {
    pub codes: Vec<String>,
    pub category: Option<String>,
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
    /// `Some(true)`: closed only; `Some(false)`: open only.
    pub closed: Option<bool>,
    pub limit: i64,
}

pub async fn published<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    f: &RequestFilter,
) -> StoreResult<Vec<PublishedRow>> {
    use sqlx::{FromRow, Row};
    let mut clauses = vec![PUBLISHED.to_owned()];
    let mut binds: Vec<Param> = Vec::new();
    let mut next = |v: Param| {
        binds.push(v);
        format!("${}", binds.len())
    };
    if f.codes.is_empty() {
        if let Some(c) = &f.category {
            clauses.push(format!("c.category = {}", next(Param::Text(c.clone()))));
        }
        if let Some(t) = f.from_ms {
            clauses.push(format!("c.reported_at >= {}", next(Param::Int(t))));
        }
        if let Some(t) = f.to_ms {
            clauses.push(format!("c.reported_at <= {}", next(Param::Int(t))));
        }
        match f.closed {
            Some(true) => clauses.push(format!(
                "c.status IN {}",
                crate::domain::open311::CLOSED_SQL
            )),
            Some(false) => clauses.push(format!(
                "c.status NOT IN {}",
                crate::domain::open311::CLOSED_SQL
            )),
            None => {}
        }
    } else {
        let list: Vec<String> = f
            .codes
            .iter()
            .map(|c| next(Param::Text(c.clone())))
            .collect();
        clauses.push(format!("c.tracking_code IN ({})", list.join(", ")));
    }
    let sql = format!(
        "SELECT {CASE_COLUMNS}, r.address, r.media_url, \
         (SELECT d.department FROM case_dispatches d WHERE d.case_id = c.id AND d.role = 'lead' \
          AND d.withdrawn_at IS NULL ORDER BY d.dispatched_at DESC LIMIT 1) AS lead \
         FROM cases c LEFT JOIN open311_requests r ON r.case_id = c.id WHERE {} \
         ORDER BY c.reported_at DESC, c.id DESC LIMIT {}",
        clauses.join(" AND "),
        f.limit.max(1)
    );
    let mut q = sqlx::query(&sql);
    for b in &binds {
        q = match b {
            Param::Text(s) => q.bind(s.clone()),
            Param::Int(i) => q.bind(*i),
        };
    }
    q.fetch_all(ex)
        .await?
        .iter()
        .map(|r| {
            Ok(PublishedRow {
                case: CaseRow::from_row(r)?,
                address: r.try_get("address")?,
                media_url: r.try_get("media_url")?,
                lead: r.try_get("lead")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(Into::into)
}

/// One published step of a published case.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct StepRow {
    pub id: i64,
    pub tracking_code: String,
    pub action: String,
    pub at: i64,
    pub note: String,
    pub data: String,
}

/// The published steps between two times (inclusive), oldest first, at most `limit`.
pub async fn steps<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    from_ms: i64,
    to_ms: i64,
    limit: i64,
) -> StoreResult<Vec<StepRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT e.id, c.tracking_code, e.action, e.at, e.note, e.data FROM case_events e \
         JOIN cases c ON c.id = e.case_id \
         WHERE e.action IN {PUBLISHED_STEPS} AND e.at >= $1 AND e.at <= $2 AND {PUBLISHED} \
         ORDER BY e.at, e.id LIMIT {}",
        limit.max(1)
    ))
    .bind(from_ms)
    .bind(to_ms)
    .fetch_all(ex)
    .await?)
}

/// The step an integrator's comment became, if this key posted it before.
pub async fn posted_update<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    key_id: i64,
    client_id: &str,
) -> StoreResult<Option<i64>> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT e.id FROM open311_updates u JOIN case_events e ON e.case_id = u.case_id AND e.seq = u.seq \
         WHERE u.key_id = $1 AND u.client_id = $2",
    )
    .bind(key_id)
    .bind(client_id)
    .fetch_optional(ex)
    .await?;
    Ok(row.map(|(id,)| id))
}

pub async fn remember_update(
    tx: &mut Transaction<'_, Any>,
    key_id: i64,
    client_id: &str,
    case_id: i64,
    seq: i64,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO open311_updates (key_id, client_id, case_id, seq) VALUES ($1, $2, $3, $4)",
    )
    .bind(key_id)
    .bind(client_id)
    .bind(case_id)
    .bind(seq)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The id of a step, by case and sequence number.
pub async fn step_id(tx: &mut Transaction<'_, Any>, case_id: i64, seq: i64) -> StoreResult<i64> {
    let (id,): (i64,) =
        sqlx::query_as("SELECT id FROM case_events WHERE case_id = $1 AND seq = $2")
            .bind(case_id)
            .bind(seq)
            .fetch_one(&mut **tx)
            .await?;
    Ok(id)
}

/// The district codes served (Open311's `jurisdiction_id`).
pub async fn districts<'e, E: Executor<'e, Database = Any>>(ex: E) -> StoreResult<Vec<String>> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT code FROM territory_nodes WHERE level = 'district' ORDER BY code")
            .fetch_all(ex)
            .await?;
    Ok(rows.into_iter().map(|(c,)| c).collect())
}

/// The key that filed a case through Open311, if one did.
pub async fn code_of_case_key<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    case_id: i64,
) -> StoreResult<Option<i64>> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT key_id FROM open311_requests WHERE case_id = $1")
            .bind(case_id)
            .fetch_optional(ex)
            .await?;
    Ok(row.map(|(k,)| k))
}

/// One step, as the updates list shows it.
pub async fn step<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    id: i64,
) -> StoreResult<Option<StepRow>> {
    Ok(sqlx::query_as(
        "SELECT e.id, c.tracking_code, e.action, e.at, e.note, e.data FROM case_events e \
         JOIN cases c ON c.id = e.case_id WHERE e.id = $1",
    )
    .bind(id)
    .fetch_optional(ex)
    .await?)
}
