//! Case lists: filters, scope and the three colours in SQL, one query per page.

use super::StoreResult;
use super::cases::{CASE_COLUMNS, CaseRow};
use super::sql::{OPEN, colour_sql};
use crate::domain::case::{Colour, Status, Tier};
use sqlx::{Any, Executor};

/// Who sees what: a territory prefix, or a department's dispatches.
pub enum Visibility<'a> {
    Under(&'a str),
    Department(&'a str),
}

/// The last page a list may ask for: deeper pages are refused (an offset of millions of
/// rows is a scan, not a page anyone reads).
pub const MAX_PAGE: i64 = 10_000;

#[derive(Default, Clone, Debug)]
pub struct Filter {
    pub colour: Option<Colour>,
    pub tier: Option<Tier>,
    pub status: Option<Status>,
    /// A territory path prefix inside the user's scope.
    pub area_path: Option<String>,
    pub category: Option<String>,
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
    pub supervised: Option<bool>,
    /// Open cases whose acknowledgement or deadline falls before this time (ms).
    pub due_before_ms: Option<i64>,
    /// Only cases with an extension request waiting for approval.
    pub extension_requested: bool,
    /// Only cases still open (reported … handling).
    pub open_only: bool,
    /// Words in the description, or a whole tracking code (查询码).
    pub keyword: Option<String>,
    /// Merged reports are hidden unless asked for by status.
    pub page: i64,
    /// An export: the first `n` rows in one page, whatever `page` and `per_page` say.
    pub export_limit: Option<i64>,
    pub per_page: i64,
}

enum Param {
    Text(String),
    Int(i64),
}

pub struct ListRow {
    pub case: CaseRow,
    pub grid_name: String,
    pub ack_due_at: Option<i64>,
}

/// One page of cases, newest first, and the total count.
pub async fn list<'e, E>(
    ex: E,
    vis: &Visibility<'_>,
    f: &Filter,
    now_ms: i64,
) -> StoreResult<(Vec<ListRow>, i64)>
where
    E: Executor<'e, Database = Any> + Copy,
{
    let mut params: Vec<Param> = vec![Param::Int(now_ms)];
    let next = |p: Param, params: &mut Vec<Param>| {
        params.push(p);
        format!("${}", params.len())
    };
    let mut clauses: Vec<String> = Vec::new();
    match vis {
        Visibility::Under(prefix) => {
            let p = next(Param::Text(format!("{prefix}%")), &mut params);
            clauses.push(format!("c.grid_path LIKE {p}"));
        }
        Visibility::Department(code) => {
            let p = next(Param::Text((*code).to_owned()), &mut params);
            clauses.push(format!(
                "EXISTS (SELECT 1 FROM case_dispatches d WHERE d.case_id = c.id AND d.department = {p} AND d.withdrawn_at IS NULL)"
            ));
        }
    }
    if let Some(area) = &f.area_path {
        let p = next(Param::Text(format!("{area}%")), &mut params);
        clauses.push(format!("c.grid_path LIKE {p}"));
    }
    if let Some(c) = f.colour {
        clauses.push(colour_sql(c, "$1"));
    }
    if let Some(t) = f.tier {
        let p = next(Param::Text(t.as_str().into()), &mut params);
        clauses.push(format!("c.tier = {p}"));
    }
    match f.status {
        Some(s) => {
            let p = next(Param::Text(s.as_str().into()), &mut params);
            clauses.push(format!("c.status = {p}"));
        }
        None => clauses.push("c.status <> 'merged'".into()),
    }
    if let Some(cat) = &f.category {
        let p = next(Param::Text(cat.clone()), &mut params);
        clauses.push(format!("c.category = {p}"));
    }
    if let Some(from) = f.from_ms {
        let p = next(Param::Int(from), &mut params);
        clauses.push(format!("c.reported_at >= {p}"));
    }
    if let Some(to) = f.to_ms {
        let p = next(Param::Int(to), &mut params);
        clauses.push(format!("c.reported_at < {p}"));
    }
    if let Some(s) = f.supervised {
        clauses.push(format!("c.supervised = {}", i64::from(s)));
    }
    if let Some(due) = f.due_before_ms {
        let p = next(Param::Int(due), &mut params);
        clauses.push(format!(
            "{OPEN} AND ((c.ack_due_at IS NOT NULL AND c.ack_due_at < {p}) OR (c.deadline_at IS NOT NULL AND c.deadline_at < {p}))"
        ));
    }
    if f.extension_requested {
        clauses.push("c.extension = 'requested'".into());
    }
    if f.open_only {
        clauses.push(OPEN.into());
    }
    if let Some(k) = f
        .keyword
        .as_deref()
        .map(str::trim)
        .filter(|k| !k.is_empty())
    {
        // LIKE's own wildcards in the words are matched as themselves.
        let escaped = k
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        let words = next(Param::Text(format!("%{escaped}%")), &mut params);
        let code = next(Param::Text(k.to_uppercase()), &mut params);
        clauses.push(format!(
            "(c.description LIKE {words} ESCAPE '\\' OR c.tracking_code = {code})"
        ));
    }
    // $1 (now) must be used by every statement on PostgreSQL: mention it harmlessly.
    clauses.push("$1 = $1".into());
    let filter = clauses.join(" AND ");

    let count_sql = format!("SELECT COUNT(*) FROM cases c WHERE {filter}");
    let mut q = sqlx::query_as::<_, (i64,)>(&count_sql);
    for p in &params {
        q = match p {
            Param::Text(s) => q.bind(s.clone()),
            Param::Int(i) => q.bind(*i),
        };
    }
    let (total,) = q.fetch_one(ex).await?;

    let (per_page, offset) = match f.export_limit {
        Some(n) => (n.max(1), 0),
        None => {
            let per_page = f.per_page.clamp(1, 200);
            (per_page, (f.page.clamp(1, MAX_PAGE) - 1) * per_page)
        }
    };
    let page_sql = format!(
        "SELECT {CASE_COLUMNS}, n.name AS grid_name, c.ack_due_at FROM cases c \
         JOIN territory_nodes n ON n.code = c.grid_code WHERE {filter} \
         ORDER BY c.reported_at DESC, c.id DESC LIMIT {per_page} OFFSET {offset}"
    );
    let mut q = sqlx::query(&page_sql);
    for p in &params {
        q = match p {
            Param::Text(s) => q.bind(s.clone()),
            Param::Int(i) => q.bind(*i),
        };
    }
    let rows = q.fetch_all(ex).await?;
    let out = list_rows(&rows)?;
    Ok((out, total))
}

/// Open cases of a category inside a box, for repeat detection.
pub async fn open_near<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    category: &str,
    (min_lat, min_lng, max_lat, max_lng): (f64, f64, f64, f64),
    except: i64,
) -> StoreResult<Vec<ListRow>> {
    let sql = format!(
        "SELECT {CASE_COLUMNS}, n.name AS grid_name, c.ack_due_at FROM cases c JOIN territory_nodes n ON n.code = c.grid_code \
         WHERE c.category = $1 AND {OPEN} AND c.id <> $2 AND c.lat BETWEEN $3 AND $4 AND c.lng BETWEEN $5 AND $6 \
         ORDER BY c.reported_at DESC LIMIT 20"
    );
    let rows = sqlx::query(&sql)
        .bind(category)
        .bind(except)
        .bind(min_lat)
        .bind(max_lat)
        .bind(min_lng)
        .bind(max_lng)
        .fetch_all(ex)
        .await?;
    Ok(list_rows(&rows)?)
}

fn list_rows(rows: &[sqlx::any::AnyRow]) -> Result<Vec<ListRow>, sqlx::Error> {
    use sqlx::{FromRow, Row};
    rows.iter()
        .map(|r| {
            Ok(ListRow {
                case: CaseRow::from_row(r)?,
                grid_name: r.try_get("grid_name")?,
                ack_due_at: r.try_get("ack_due_at")?,
            })
        })
        .collect()
}

/// One department's part in a case, with the case as lists show it.
pub struct DeskRow {
    pub list: ListRow,
    pub role: String,
    pub dispatched_at: i64,
    pub ack_due_at: Option<i64>,
    pub acknowledged_at: Option<i64>,
    pub resolved_at: Option<i64>,
    pub returned_at: Option<i64>,
}

/// A department's dispatches: every one on a case still open, and those finished since
/// `done_since` (ms), newest dispatch first.
pub async fn desk<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    department: &str,
    done_since: i64,
) -> StoreResult<Vec<DeskRow>> {
    use sqlx::Row;
    let sql = format!(
        "SELECT {CASE_COLUMNS}, n.name AS grid_name, c.ack_due_at, d.role AS d_role, d.dispatched_at AS d_dispatched_at, \
                d.ack_due_at AS d_ack_due_at, d.acknowledged_at AS d_acknowledged_at, d.resolved_at AS d_resolved_at, \
                d.returned_at AS d_returned_at \
         FROM case_dispatches d JOIN cases c ON c.id = d.case_id JOIN territory_nodes n ON n.code = c.grid_code \
         WHERE d.department = $1 AND d.withdrawn_at IS NULL AND ({OPEN} OR c.updated_at >= $2) \
         ORDER BY d.dispatched_at DESC, d.case_id DESC LIMIT 1000"
    );
    let rows = sqlx::query(&sql)
        .bind(department)
        .bind(done_since)
        .fetch_all(ex)
        .await?;
    let lists = list_rows(&rows)?;
    rows.iter()
        .zip(lists)
        .map(|(r, list)| {
            Ok(DeskRow {
                list,
                role: r.try_get("d_role")?,
                dispatched_at: r.try_get("d_dispatched_at")?,
                ack_due_at: r.try_get("d_ack_due_at")?,
                acknowledged_at: r.try_get("d_acknowledged_at")?,
                resolved_at: r.try_get("d_resolved_at")?,
                returned_at: r.try_get("d_returned_at")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(Into::into)
}
