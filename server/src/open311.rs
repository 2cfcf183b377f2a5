//! Open311 GeoReport v2 under `/open311/v2/`, in XML (the specification's required
//! format) and JSON, by the resource's extension: discovery, services and their
//! definitions, requests (post with an API key, list, one), tokens, and mySociety's
//! service request updates (list, and post for the key that filed the request).
//! Errors are the specification's `errors` list with the HTTP status as each `code`.

use app::domain::open311::{Format, xml};
use app::ssr::AppState;
use app::ssr::services::open311::requests::{self, ListQuery};
use app::ssr::services::open311::updates::{self, UpdatesQuery};
use app::ssr::services::open311::{Refusal, keys};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Serialize;

/// A posted form is small: a description of 4,000 characters is 12 KB of UTF-8.
const FORM_LIMIT: usize = 64 * 1024;

pub fn router(state: AppState) -> Router<AppState> {
    Router::new()
        .route(
            "/open311/v2/{resource}",
            get(read)
                .post(write)
                .layer(DefaultBodyLimit::max(FORM_LIMIT)),
        )
        .route("/open311/v2/openapi.json", get(description))
        .route("/open311/v2/services/{file}", get(service_definition))
        .route("/open311/v2/requests/{file}", get(request))
        .route("/open311/v2/tokens/{file}", get(token))
        .layer(axum::middleware::from_fn_with_state(state, read_limit))
}

/// The OpenAPI description of the JSON resources (`open311_doc`), built once.
async fn description() -> Response {
    static JSON: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let body = JSON.get_or_init(crate::open311_doc::json).clone();
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// Reads are public: 600 per ten minutes per client address (a poller every second
/// stays well inside), then 429 with `Retry-After` in the specification's error list.
async fn read_limit(
    State(state): State<AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    if req.method() == axum::http::Method::GET {
        let ip =
            crate::middleware::client_ip(req.headers(), req.extensions(), state.config.trust_proxy);
        if let Err(secs) = state.open311_read_limiter.check(&format!("ip:{ip}")) {
            let format = if req.uri().path().ends_with(".json") {
                Format::Json
            } else {
                Format::Xml
            };
            let mut r = Refusal::new(
                429,
                "rate limit: too many requests from this address, try again later",
            );
            r.retry_after = Some(secs);
            return refused(format, r);
        }
    }
    next.run(req).await
}

/// `value` in the asked format; XML wraps it in `root`.
fn answer<T: Serialize>(format: Format, status: StatusCode, root: &str, value: &T) -> Response {
    let v = serde_json::to_value(value).unwrap_or(serde_json::Value::Null);
    let body = match format {
        Format::Json => v.to_string(),
        Format::Xml => xml::document(root, &v),
    };
    let mut res = (status, body).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    res
}

fn refused(format: Format, r: Refusal) -> Response {
    let status = StatusCode::from_u16(r.status).unwrap_or(StatusCode::BAD_REQUEST);
    let mut res = answer(format, status, "errors", &r.errors);
    crate::http::set_retry_after(&mut res, r.retry_after);
    res
}

fn reply<T: Serialize>(format: Format, root: &str, result: Result<T, Refusal>) -> Response {
    match result {
        Ok(v) => answer(format, StatusCode::OK, root, &v),
        Err(r) => refused(format, r),
    }
}

/// A resource's name and format; an unknown extension is a 404 in XML.
fn split(file: &str) -> Result<(&str, Format), Response> {
    Format::split(file)
        .ok_or_else(|| refused(Format::Xml, Refusal::new(404, "format: .xml or .json")))
}

fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    match &state.config.public_url {
        Some(u) => u.trim_end_matches('/').to_owned(),
        None => {
            let host = headers
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or("localhost");
            format!("http://{host}")
        }
    }
}

async fn read(
    State(state): State<AppState>,
    Path(resource): Path<String>,
    Query(query): Query<Vec<(String, String)>>,
    headers: HeaderMap,
) -> Response {
    let (name, format) = match split(&resource) {
        Ok(v) => v,
        Err(res) => return res,
    };
    let now = state.clock.now();
    let get = |k: &str| query.iter().find(|(q, _)| q == k).map(|(_, v)| v.clone());
    match name {
        "discovery" => answer(
            format,
            StatusCode::OK,
            "discovery",
            &discovery(&state, &headers),
        ),
        "services" => {
            let jurisdiction = get("jurisdiction_id");
            let result = async {
                app::ssr::services::open311::check_jurisdiction(&state, jurisdiction.as_deref())
                    .await?;
                requests::services(&state).await
            }
            .await;
            reply(format, "services", result)
        }
        "requests" => {
            let q = ListQuery {
                service_request_id: get("service_request_id"),
                service_code: get("service_code"),
                start_date: get("start_date"),
                end_date: get("end_date"),
                status: get("status"),
                jurisdiction_id: get("jurisdiction_id"),
            };
            reply(
                format,
                "service_requests",
                requests::list(&state, &q, now).await,
            )
        }
        "servicerequestupdates" => {
            let q = UpdatesQuery {
                start_date: get("start_date"),
                end_date: get("end_date"),
                jurisdiction_id: get("jurisdiction_id"),
            };
            reply(
                format,
                "service_request_updates",
                updates::list(&state, &q, now).await,
            )
        }
        _ => refused(format, Refusal::new(404, "no such resource")),
    }
}

async fn write(
    State(state): State<AppState>,
    Path(resource): Path<String>,
    Query(query): Query<Vec<(String, String)>>,
    body: Bytes,
) -> Response {
    let (name, format) = match split(&resource) {
        Ok(v) => v,
        Err(res) => return res,
    };
    let form: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    let field = |k: &str| {
        form.iter()
            .chain(query.iter())
            .find(|(q, _)| q == k)
            .map(|(_, v)| v.clone())
    };
    let now = state.clock.now();
    let result = async {
        if !matches!(name, "requests" | "servicerequestupdates") {
            return Err(Refusal::new(404, "no such resource"));
        }
        app::ssr::services::open311::check_jurisdiction(
            &state,
            field("jurisdiction_id").as_deref(),
        )
        .await?;
        let key = keys::authenticate(&state, field("api_key").as_deref(), now).await?;
        if name == "requests" {
            requests::create(&state, &key, &form, now)
                .await
                .map(|r| Posted::Request(vec![r]))
        } else {
            updates::post(&state, &key, &form, now)
                .await
                .map(|u| Posted::Update(vec![u]))
        }
    }
    .await;
    match result {
        Ok(Posted::Request(r)) => answer(format, StatusCode::CREATED, "service_requests", &r),
        Ok(Posted::Update(u)) => answer(format, StatusCode::CREATED, "service_request_updates", &u),
        Err(r) => refused(format, r),
    }
}

enum Posted {
    Request(Vec<app::domain::open311::Receipt>),
    Update(Vec<app::domain::open311::RequestUpdate>),
}

async fn service_definition(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    match split(&file) {
        Ok((code, format)) => reply(
            format,
            "service_definition",
            requests::definition(&state, code).await,
        ),
        Err(res) => res,
    }
}

async fn request(
    State(state): State<AppState>,
    Path(file): Path<String>,
    Query(query): Query<Vec<(String, String)>>,
) -> Response {
    let jurisdiction = query
        .iter()
        .find(|(k, _)| k == "jurisdiction_id")
        .map(|(_, v)| v.as_str());
    match split(&file) {
        Ok((code, format)) => reply(
            format,
            "service_requests",
            requests::one(&state, code, jurisdiction, state.clock.now()).await,
        ),
        Err(res) => res,
    }
}

async fn token(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    match split(&file) {
        Ok((token, format)) => reply(
            format,
            "service_requests",
            requests::by_token(&state, token).await.map(|r| vec![r]),
        ),
        Err(res) => res,
    }
}

#[derive(Serialize)]
struct Discovery {
    changeset: &'static str,
    contact: &'static str,
    key_service: &'static str,
    endpoints: Vec<Endpoint>,
}

#[derive(Serialize)]
struct Endpoint {
    specification: &'static str,
    url: String,
    changeset: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    formats: Vec<&'static str>,
}

/// When this server's Open311 surface last changed.
const CHANGESET: &str = "2026-12-06T00:00:00+08:00";

fn discovery(state: &AppState, headers: &HeaderMap) -> Discovery {
    let base = base_url(state, headers);
    Discovery {
        changeset: CHANGESET,
        contact: "区网格化服务管理中心 (the district's grid management centre)",
        key_service: "API keys are issued by the district's administrators (系统管理 → Open311 接口密钥).",
        endpoints: vec![Endpoint {
            specification: "http://wiki.open311.org/GeoReport_v2",
            url: format!("{base}/open311/v2"),
            changeset: CHANGESET,
            kind: "production",
            formats: vec!["text/xml", "application/json"],
        }],
    }
}
