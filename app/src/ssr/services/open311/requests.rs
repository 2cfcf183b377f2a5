//! Services (the category table) and requests: a posted request becomes a case of source
//! `open311` in the grid containing its point (or the building its address names), and
//! the published cases read back as GeoReport requests.

use super::Refusal;
use crate::domain::calendar::district_tz;
use crate::domain::case::machine::CaseState;
use crate::domain::case::{InvalidReason, Source, Status};
use crate::domain::category_standard::{CategoryStandard, Kind};
use crate::domain::geo_point::GeoPoint;
use crate::domain::open311::request::{ValidRequest, check};
use crate::domain::open311::{
    Attribute, AttributeValue, Receipt, SUBCATEGORY_ATTRIBUTE, Service, ServiceDefinition,
    ServiceRequest, notes, open_or_closed,
};
use crate::domain::privacy::scrub_numbers;
use crate::i18n::{Lang, t};
use crate::ssr::db::{from_millis, to_millis};
use crate::ssr::state::AppState;
use crate::ssr::store::{self, StoreError, cases, open311};
use chrono::{DateTime, Utc};

/// The most requests one list answers, and the widest date range it covers.
pub const LIST_MAX: i64 = 1000;
pub const RANGE_DAYS: i64 = 90;

/// Times as the specification wants them: ISO 8601 with the district's offset.
pub fn w3c(t: DateTime<Utc>) -> String {
    t.with_timezone(&district_tz())
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

async fn standards(state: &AppState) -> Result<Vec<CategoryStandard>, Refusal> {
    Ok(store::catalogue::standards(&state.db.pool).await?)
}

fn service(c: &CategoryStandard, all: &[CategoryStandard]) -> Service {
    let has_subs = all
        .iter()
        .any(|s| s.parent.as_deref() == Some(c.code.as_str()));
    Service {
        service_code: c.code.clone(),
        service_name: c.name.clone(),
        description: if c.filing_standard.is_empty() {
            c.name_en.clone()
        } else {
            c.filing_standard.clone()
        },
        metadata: has_subs,
        kind: "realtime".into(),
        keywords: c.name_en.clone(),
        group: match c.kind {
            Kind::Component => "部件",
            Kind::Event => "事件",
        }
        .into(),
    }
}

/// One service per top-level category.
pub async fn services(state: &AppState) -> Result<Vec<Service>, Refusal> {
    let all = standards(state).await?;
    Ok(all
        .iter()
        .filter(|c| c.parent.is_none())
        .map(|c| service(c, &all))
        .collect())
}

/// A service's attributes: its subcategories, as an optional single-value list.
pub async fn definition(state: &AppState, code: &str) -> Result<ServiceDefinition, Refusal> {
    let all = standards(state).await?;
    if !all.iter().any(|c| c.code == code && c.parent.is_none()) {
        return Err(Refusal::new(404, "service_code: no such service"));
    }
    let values: Vec<AttributeValue> = all
        .iter()
        .filter(|s| s.parent.as_deref() == Some(code))
        .map(|s| AttributeValue {
            key: s.code.clone(),
            name: s.name.clone(),
        })
        .collect();
    let attributes = if values.is_empty() {
        Vec::new()
    } else {
        vec![Attribute {
            variable: true,
            code: SUBCATEGORY_ATTRIBUTE.into(),
            datatype: "singlevaluelist".into(),
            required: false,
            datatype_description: "小类 (subcategory)".into(),
            order: 1,
            description: "问题小类".into(),
            values,
        }]
    };
    Ok(ServiceDefinition {
        service_code: code.to_owned(),
        attributes,
    })
}

/// Where a request is: its point's grid, or the one building its address names.
async fn place(state: &AppState, r: &ValidRequest) -> Result<(String, GeoPoint), Refusal> {
    if let Some(p) = r.point {
        return crate::ssr::services::territory::locate(state, p)
            .map(|g| (g, p))
            .ok_or_else(|| Refusal::new(400, "lat/long: outside every grid of this district"));
    }
    let address = r.address.as_deref().unwrap_or_default();
    match crate::ssr::store::buildings::named(&state.db.pool, address).await? {
        Some((grid, lat, lng)) => {
            let p = GeoPoint::parse(lat, lng)
                .map_err(|_| Refusal::new(400, "address_string: no position"))?;
            Ok((grid, p))
        }
        None => Err(Refusal::new(
            400,
            "address_string: not one building of the district's address table; send lat and long",
        )),
    }
}

/// Files a posted request as a case; answers its id (the tracking code) and a token.
pub async fn create(
    state: &AppState,
    key: &open311::KeyRow,
    form: &[(String, String)],
    now: DateTime<Utc>,
) -> Result<Receipt, Refusal> {
    let all = standards(state).await?;
    let valid = check(
        form,
        |c| all.iter().any(|s| s.code == c && s.parent.is_none()),
        |s| {
            all.iter()
                .find(|x| x.code == s)
                .and_then(|x| x.parent.clone())
        },
    )
    .map_err(Refusal::fields)?;
    let (grid_code, point) = place(state, &valid).await?;
    let grid = store::territory::get(&state.db.pool, &grid_code)
        .await?
        .ok_or_else(|| Refusal::new(400, "lat/long: outside every grid of this district"))?;
    let tracking_code = crate::ssr::services::cases::new_tracking_code();
    let token = crate::ssr::crypto::random_code(b"0123456789abcdefghjkmnpqrstvwxyz", 24);
    let mut case = CaseState::reported(&valid.service_code, &grid.code, now, None);
    case.subcategory = valid.subcategory.clone();
    let mut tx = state.db.begin_write().await.map_err(StoreError::from)?;
    let id = cases::insert(
        &mut tx,
        &cases::NewCase {
            tracking_code: &tracking_code,
            source: Source::Open311,
            description: &valid.description,
            lat: point.lat(),
            lng: point.lng(),
            grid_path: &grid.path,
            state: &case,
        },
    )
    .await?;
    let event = cases::NewEvent {
        at: now,
        actor_account: None,
        actor_name: &key.name,
        actor_role: "open311",
        action: "report",
        note: &valid.description,
        data: serde_json::json!({ "source": Source::Open311.as_str(), "category": valid.service_code, "grid": grid.code, "status": "reported" }),
    };
    cases::append_event(&mut tx, id, &event).await?;
    open311::insert_request(
        &mut tx,
        &open311::NewRequest {
            token: &token,
            case_id: id,
            key_id: key.id,
            address: valid.address.as_deref(),
            media_url: valid.media_url.as_deref(),
            now_ms: to_millis(now),
        },
    )
    .await?;
    if valid.name.is_some() || valid.phone.is_some() || valid.email.is_some() {
        let seal = |v: &Option<String>| v.as_deref().map(|x| state.sealer.seal(x));
        store::residents::insert_contact(
            &mut tx,
            id,
            seal(&valid.name).as_deref(),
            seal(&valid.phone).as_deref(),
        )
        .await?;
        if let Some(email) = seal(&valid.email) {
            open311::seal_email(&mut tx, id, &email).await?;
        }
    }
    tx.commit().await.map_err(StoreError::from)?;
    state.metrics.filed(Source::Open311, 1);
    tracing::info!(key = key.id, case = id, "an Open311 request filed");
    Ok(Receipt {
        service_request_id: tracking_code,
        token,
        service_notice: t(Lang::Zh, crate::i18n::Msg::SaysReport).to_owned(),
        account_id: None,
    })
}

/// The request a token stands for.
pub async fn by_token(state: &AppState, token: &str) -> Result<Receipt, Refusal> {
    match open311::code_of_token(&state.db.pool, token).await? {
        Some(code) => Ok(Receipt {
            service_request_id: code,
            token: token.to_owned(),
            service_notice: String::new(),
            account_id: None,
        }),
        None => Err(Refusal::new(404, "token: unknown")),
    }
}

/// `GET requests`' query.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct ListQuery {
    pub service_request_id: Option<String>,
    pub service_code: Option<String>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub status: Option<String>,
    pub jurisdiction_id: Option<String>,
}

pub fn parse_time(field: &str, v: &str) -> Result<DateTime<Utc>, Refusal> {
    DateTime::parse_from_rfc3339(v.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            Refusal::new(
                400,
                &format!(
                    "{field}: a W3C date-time with its offset, e.g. 2026-11-25T08:00:00+08:00"
                ),
            )
        })
}

/// The checked filter: ids override the rest; a date range of at most 90 days, by default
/// the last 90; open or closed.
pub fn filter(q: &ListQuery, now: DateTime<Utc>) -> Result<open311::RequestFilter, Refusal> {
    let nonblank = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    if let Some(ids) = nonblank(&q.service_request_id) {
        let codes: Vec<String> = ids
            .split(',')
            .map(|s| s.trim().to_uppercase())
            .filter(|s| !s.is_empty())
            .collect();
        if codes.len() > 100 || codes.iter().any(|c| c.len() > 20) {
            return Err(Refusal::new(400, "service_request_id: at most 100 ids"));
        }
        return Ok(open311::RequestFilter {
            codes,
            limit: LIST_MAX,
            ..Default::default()
        });
    }
    let end = match nonblank(&q.end_date) {
        Some(v) => parse_time("end_date", &v)?,
        None => now,
    };
    let start = match nonblank(&q.start_date) {
        Some(v) => parse_time("start_date", &v)?,
        None => end - chrono::Duration::days(RANGE_DAYS),
    };
    if start > end {
        return Err(Refusal::new(400, "start_date: after end_date"));
    }
    if end - start > chrono::Duration::days(RANGE_DAYS) {
        return Err(Refusal::new(
            400,
            "start_date/end_date: at most 90 days apart",
        ));
    }
    let closed = match nonblank(&q.status).as_deref() {
        None => None,
        Some("open") => Some(false),
        Some("closed") => Some(true),
        Some(_) => return Err(Refusal::new(400, "status: open or closed")),
    };
    Ok(open311::RequestFilter {
        codes: Vec::new(),
        category: nonblank(&q.service_code),
        from_ms: Some(to_millis(start)),
        to_ms: Some(to_millis(end)),
        closed,
        limit: LIST_MAX,
    })
}

pub async fn list(
    state: &AppState,
    q: &ListQuery,
    now: DateTime<Utc>,
) -> Result<Vec<ServiceRequest>, Refusal> {
    super::check_jurisdiction(state, q.jurisdiction_id.as_deref()).await?;
    let f = filter(q, now)?;
    let rows = open311::published(&state.db.pool, &f).await?;
    let all = standards(state).await?;
    let departments = store::departments::list(&state.db.pool).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let c = &r.case;
            let status = Status::parse(&c.status).unwrap_or(Status::Reported);
            let reason = c.invalid_reason.as_deref().and_then(InvalidReason::parse);
            ServiceRequest {
                service_request_id: c.tracking_code.clone(),
                status: open_or_closed(status).into(),
                status_notes: t(Lang::Zh, notes(status, reason)).to_owned(),
                service_name: all
                    .iter()
                    .find(|s| s.code == c.category)
                    .map(|s| s.name.clone())
                    .unwrap_or_default(),
                service_code: c.category.clone(),
                description: scrub_numbers(&c.description),
                agency_responsible: r
                    .lead
                    .as_ref()
                    .and_then(|d| departments.iter().find(|x| &x.code == d))
                    .map(|d| d.name.clone())
                    .unwrap_or_default(),
                service_notice: String::new(),
                requested_datetime: w3c(from_millis(c.reported_at)),
                updated_datetime: w3c(from_millis(c.updated_at)),
                expected_datetime: c.deadline_at.map(|d| w3c(from_millis(d))),
                address: r.address.clone().unwrap_or_default(),
                address_id: None,
                zipcode: None,
                lat: c.lat,
                long: c.lng,
                media_url: r.media_url.clone().unwrap_or_default(),
            }
        })
        .collect())
}

/// One published request by its id, or 404.
pub async fn one(
    state: &AppState,
    code: &str,
    jurisdiction: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Vec<ServiceRequest>, Refusal> {
    let q = ListQuery {
        service_request_id: Some(code.to_owned()),
        jurisdiction_id: jurisdiction.map(str::to_owned),
        ..Default::default()
    };
    let found = list(state, &q, now).await?;
    if found.is_empty() {
        return Err(Refusal::new(404, "service_request_id: no such request"));
    }
    Ok(found)
}
