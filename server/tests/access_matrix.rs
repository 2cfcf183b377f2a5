//! The access matrix (issue #15): every API operation × every scoped role × a case,
//! household, grid, photo or account of another subtree answers 403 or 404 — never data,
//! never a change. The operations are read from the generated OpenAPI document, which must
//! list every `#[utoipa::path]` of `server/src/api/` (and nothing is served there by a
//! plain `.route(` but the health and metrics probes): a new endpoint is in the matrix
//! without anyone writing a test for it, and fails here until its path parameters have a
//! fixture and, if it changes something, a valid body.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::TestApp;
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// The API's source files, read when the test runs: a new file is in the matrix too.
fn sources() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/api");
    std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

/// Every path literal after `marker` in the API's source: `.route(` (plain axum routes,
/// served but not described) or `#[utoipa::path(` (served and described).
fn paths_in_source(marker: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for src in sources() {
        for (i, _) in src.match_indices(marker) {
            let mut rest = src[i + marker.len()..].trim_start();
            if marker.starts_with("#[utoipa::path(") {
                // `#[utoipa::path(get, path = "/…"`
                rest = rest.split_once("path = ").expect("a path").1;
            }
            let path = rest.strip_prefix('"').and_then(|r| r.split('"').next());
            out.insert(path.expect("a route path literal").to_owned());
        }
    }
    out
}

/// The roles whose scope is narrower than the district, with what lies outside it.
const SCOPED: &[&str] = &["worker", "gl001001", "center", "dept"];
/// Operations anyone may call without logging in (logging out without a session is a
/// harmless no-op).
const PUBLIC: &[&str] = &["/login", "/logout", "/openapi.json", "/public/"];

const HOUSEHOLD_CSV: &str = "楼栋,门牌地址,姓名,与户主关系,手机号码,身份证号,特殊人群\n\
    1栋,1栋101,王秀英,户主,13800001234,11010519491231002X,独居老人\n";

/// Resources in a grid of another street than every scoped role's: nobody in `SCOPED`
/// may read or change them (the case is dispatched to no department).
struct Outside {
    grid: String,
    street: String,
    case: i64,
    tracking_code: String,
    photo: String,
    household: i64,
    member: i64,
    webhook: i64,
    grid_member: i64,
}

async fn outside(app: &TestApp) -> Outside {
    let pool = &app.state.db.pool;
    let (grid,): (String,) = sqlx::query_as(
        "SELECT code FROM territory_nodes WHERE level = 'grid' AND code NOT LIKE '360199001%' ORDER BY code DESC LIMIT 1",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    let street = grid[..9].to_owned();
    // A resident's report with a photo.
    let r = app
        .public_report(
            &[
                ("grid", &grid),
                ("category", "sanitation"),
                ("description", "另一条街道：垃圾堆放无人清运"),
            ],
            common::png(16, 16),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let code = r.json()["tracking_code"].as_str().unwrap().to_owned();
    let (case,): (i64,) = sqlx::query_as("SELECT id FROM cases WHERE tracking_code = $1")
        .bind(&code)
        .fetch_one(pool)
        .await
        .unwrap();
    let public = app
        .get(&format!("/api/v1/public/reports/{code}"), None)
        .await
        .json();
    let photo = public["steps"][0]["photos"][0]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    // A household, imported by that grid's own worker.
    let owner = app.login(&format!("w{}", &grid[6..])).await;
    let r = app
        .send(
            Request::post(format!("/api/v1/households/import?grid={grid}"))
                .header(header::HOST, "localhost")
                .header(header::ORIGIN, "http://localhost")
                .header(header::COOKIE, &owner)
                .body(Body::from(HOUSEHOLD_CSV.as_bytes().to_vec()))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let (household, member): (i64, i64) = sqlx::query_as(
        "SELECT h.id, m.id FROM households h JOIN household_members m ON m.household_id = h.id WHERE h.grid_code = $1",
    )
    .bind(&grid)
    .fetch_one(pool)
    .await
    .unwrap();
    let (grid_member,): (i64,) =
        sqlx::query_as("SELECT id FROM grid_members WHERE grid_code = $1 ORDER BY id LIMIT 1")
            .bind(&grid)
            .fetch_one(pool)
            .await
            .unwrap();
    let admin = app.login("admin").await;
    let r = app
        .json(
            Method::POST,
            "/api/v1/webhooks",
            json!({"url": "https://127.0.0.1:9/hook", "name": "矩阵"}),
            Some(&admin),
        )
        .await;
    assert!(r.status.is_success(), "{}", r.body);
    let webhook = r.json()["id"].as_i64().unwrap();
    Outside {
        grid,
        street,
        case,
        tracking_code: code,
        photo,
        household,
        member,
        webhook,
        grid_member,
    }
}

/// The path with its parameters replaced by resources outside every scoped role.
fn concrete(template: &str, o: &Outside) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let end = rest[start..].find('}').unwrap() + start;
        out.push_str(&rest[..start]);
        let name = &rest[start + 1..end];
        let value = match (name, &out[..]) {
            ("id", p) if p.starts_with("/cases/") => o.case.to_string(),
            ("id", p) if p.starts_with("/households/") => o.household.to_string(),
            ("id", p) if p.starts_with("/webhooks/") => o.webhook.to_string(),
            ("id", p) if p.starts_with("/admin/grids/") => o.grid_member.to_string(),
            ("code", p) if p.starts_with("/admin/grids/") => o.grid.clone(),
            ("member", _) => o.member.to_string(),
            ("name", p) if p.starts_with("/photos/") => o.photo.clone(),
            ("code", p) if p.starts_with("/territory/") => o.grid.clone(),
            ("code", p) if p.starts_with("/population-tags/") => "elderly_alone".into(),
            ("code", p) if p.starts_with("/admin/departments/") => "urban".into(),
            ("code", p) if p.starts_with("/categories/") => "sanitation".into(),
            ("id", p) if p.starts_with("/reply-templates/") => "1".into(),
            ("id", p) if p.starts_with("/admin/open311-keys/") => "1".into(),
            ("username", _) => "leader".into(),
            ("day", _) => "2026-12-25".into(),
            _ => panic!("{template}: no fixture for the path parameter `{name}`; add one here"),
        };
        out.push_str(&value);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// Query parameters that name a place: set to the other street or its grid.
fn scoped_query(op: &Value, o: &Outside) -> String {
    let names: Vec<&str> = op["parameters"]
        .as_array()
        .map(|ps| {
            ps.iter()
                .filter(|p| p["in"] == "query")
                .filter_map(|p| p["name"].as_str())
                .collect()
        })
        .unwrap_or_default();
    let mut q = Vec::new();
    if names.contains(&"grid") {
        q.push(format!("grid={}", o.grid));
    }
    if names.contains(&"area") {
        q.push(format!("area={}", o.street));
    }
    if names.contains(&"bbox") {
        q.push("bbox=-90,-180,90,180&zoom=18".to_owned());
    }
    if q.is_empty() {
        String::new()
    } else {
        format!("?{}", q.join("&"))
    }
}

/// A request body: its content type and bytes.
type Payload = (String, Vec<u8>);

fn json_body(v: Value) -> Option<Payload> {
    Some(("application/json".into(), v.to_string().into_bytes()))
}

/// A body the operation would accept from someone allowed to call it, so that only the
/// scope can refuse it.
fn valid_body(method: &Method, template: &str) -> Option<Payload> {
    if template == "/cases/{id}/photos" {
        return Some(common::multipart(
            &[],
            &[("photo", "p.png", common::png(16, 16))],
        ));
    }
    if template == "/cases/{id}/resolution" {
        return Some(common::multipart(
            &[("result", "越权测试")],
            &[("photo", "p.png", common::png(16, 16))],
        ));
    }
    if template == "/households/import" {
        return Some(("text/csv".into(), HOUSEHOLD_CSV.as_bytes().to_vec()));
    }
    if template == "/admin/accounts/import" {
        let csv = "用户名,姓名,角色,所属\nmatrix.one,矩阵,网格员,360199001001001\n";
        return Some(("text/csv".into(), csv.as_bytes().to_vec()));
    }
    if template == "/admin/buildings/import" {
        let csv = "网格编码,楼栋,纬度,经度\n360199001001001,矩阵楼,28.0,115.0\n";
        return Some(("text/csv".into(), csv.as_bytes().to_vec()));
    }
    if template == "/categories/import" {
        let csv = "编码,名称\nsanitation,越权测试\n";
        return Some(("text/csv".into(), csv.as_bytes().to_vec()));
    }
    if template == "/admin/departments/import" {
        let csv = "编码,名称\nmatrix-dept,矩阵部门\n";
        return Some(("text/csv".into(), csv.as_bytes().to_vec()));
    }
    let body = match (method.as_str(), template) {
        (_, "/cases/{id}/actions") => json!({"action": "progress", "note": "越权测试"}),
        (_, "/cases/{id}/consultations") => {
            json!({"held_on": "2026-11-23", "participants": "城管、街道", "decision": "三日内清运"})
        }
        (_, "/households/{id}/visits") => json!({"minutes": 10, "notes": "越权测试"}),
        (_, "/households/{id}/members/{member}/reveal") => json!({}),
        ("PUT", "/calendar/{day}") => json!({"kind": "holiday", "name": "越权测试"}),
        ("PUT", "/population-tags/{code}") => json!({"name": "越权测试"}),
        ("PUT", "/admin/departments/{code}") => json!({"name": "越权测试"}),
        ("PUT", "/categories/{code}") => json!({"name": "越权测试", "name_en": "Overreach"}),
        ("POST", "/admin/grids/{code}/members") => json!({"name": "越权测试", "kind": "full_time"}),
        ("POST", t) if t.starts_with("/admin/") => json!({}),
        ("DELETE", _) => return None,
        _ => panic!("{method} {template}: give a valid body here"),
    };
    json_body(body)
}

async fn call(
    app: &TestApp,
    method: &Method,
    path: &str,
    body: Option<Payload>,
    cookie: Option<&str>,
) -> common::Reply {
    let mut b = Request::builder()
        .method(method.clone())
        .uri(format!("/api/v1{path}"))
        .header(header::HOST, "localhost")
        .header(header::ORIGIN, "http://localhost");
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    let req = match body {
        Some((ct, bytes)) => b.header(header::CONTENT_TYPE, ct).body(Body::from(bytes)),
        None => b.body(Body::empty()),
    };
    app.send(req.unwrap()).await
}

fn operations(doc: &Value) -> Vec<(Method, String, Value)> {
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            ops.push((m, path.clone(), op.clone()));
        }
    }
    ops
}

backend_tests! {
    async fn the_router_and_the_openapi_document_list_the_same_routes(app: TestApp) {
        let doc = app.get("/api/v1/openapi.json", None).await.json();
        assert_eq!(doc["openapi"], "3.1.0");
        let documented: BTreeSet<String> = doc["paths"].as_object().unwrap().keys().cloned().collect();
        let described = paths_in_source("#[utoipa::path(");
        assert!(described.len() > 70, "{described:?}");
        assert_eq!(described, documented, "every described handler in the document, nothing else");
        // A plain axum route would be served undescribed: only the probes are.
        let plain = paths_in_source(".route(");
        let probes: BTreeSet<String> = ["/healthz", "/readyz", "/livez", "/metrics"].map(String::from).into();
        assert_eq!(plain, probes);
    }

    async fn every_json_answer_has_an_exact_schema(app: TestApp) {
        // A 2xx JSON body is a named schema (or a list of one) whose properties are listed;
        // the free-form answers are GeoJSON and this document itself.
        let doc = app.get("/api/v1/openapi.json", None).await.json();
        let schemas = &doc["components"]["schemas"];
        let free_form = ["/territory/{code}/boundary", "/openapi.json"];
        let mut checked = 0;
        for (method, path, op) in operations(&doc) {
            for (status, response) in op["responses"].as_object().unwrap() {
                // XLSX, CSV, JPEG, event streams and empty answers have no JSON schema.
                let Some(schema) = response["content"]["application/json"]["schema"].as_object() else {
                    continue;
                };
                if free_form.contains(&path.as_str()) {
                    continue;
                }
                let schema = schema.get("items").and_then(Value::as_object).unwrap_or(schema);
                let name = schema["$ref"].as_str().unwrap_or_else(|| panic!("{method} {path} {status}: {schema:?}"));
                let name = name.rsplit('/').next().unwrap();
                let target = &schemas[name];
                assert!(
                    target["properties"].is_object() || target["allOf"].is_array() || target["oneOf"].is_array(),
                    "{method} {path} {status}: {name} is {target}"
                );
                checked += 1;
            }
        }
        assert!(checked > 250, "{checked} answers");
        // Refusals are described too: every operation but logging out says what 4xx it gives.
        for (method, path, op) in operations(&doc) {
            let codes: Vec<&String> = op["responses"].as_object().unwrap().keys().collect();
            assert!(path == "/logout" || path == "/openapi.json" || codes.iter().any(|c| c.starts_with('4')), "{method} {path}: {codes:?}");
        }
    }

    async fn no_role_reaches_what_lies_outside_its_subtree(app: TestApp) {
        let o = outside(&app).await;
        let doc = app.get("/api/v1/openapi.json", None).await.json();
        let ops = operations(&doc);
        let mut checked = 0;
        for role in SCOPED {
            let cookie = app.login(role).await;
            for (method, template, op) in &ops {
                if PUBLIC.iter().any(|p| template.starts_with(p)) || template == "/stream" {
                    continue;
                }
                let has_path_param = template.contains('{');
                let query = scoped_query(op, &o);
                if !has_path_param && query.is_empty() {
                    continue;
                }
                let body = if *method == Method::GET { None } else { valid_body(method, template) };
                let path = format!("{}{query}", concrete(template, &o));
                let r = call(&app, method, &path, body, Some(&cookie)).await;
                // A department's scope is its dispatches, wherever they are: it may filter
                // its own lists by any place, and finds nothing of the other street there.
                // The territory (nodes, boundaries, grid workers' work phones) is the map
                // every department works on, in every street.
                if *role == "dept" && template.starts_with("/territory/") && r.status == StatusCode::OK {
                    continue;
                }
                if *role == "dept" && !has_path_param && r.status == StatusCode::OK {
                    assert!(!r.body.contains(&o.tracking_code) && !r.body.contains("1栋101"), "dept {path}: {}", r.body);
                    checked += 1;
                    continue;
                }
                assert!(
                    matches!(r.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
                    "{role} {method} {path}: {} {}",
                    r.status,
                    r.body.chars().take(300).collect::<String>()
                );
                checked += 1;
            }
        }
        assert!(checked > 60, "{checked} calls");
        // Nothing changed: the case is as reported and nobody saw the household's numbers.
        let (events,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM case_events WHERE case_id = $1")
            .bind(o.case)
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
        assert_eq!(events, 1, "only the report");
        let (reveals,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action = 'reveal'")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
        assert_eq!(reveals, 0);
    }

    async fn the_fixtures_are_real_for_those_whose_scope_holds_them(app: TestApp) {
        // The same calls that were refused above answer for someone allowed: the refusals
        // came from the scope, not from a path that leads nowhere.
        let o = outside(&app).await;
        let owner = app.login(&format!("w{}", &o.grid[6..])).await;
        let admin = app.login("admin").await;
        let leader = app.login("leader").await;
        let doc = app.get("/api/v1/openapi.json", None).await.json();
        for (method, template, op) in operations(&doc) {
            if method != Method::GET || PUBLIC.iter().any(|p| template.starts_with(p)) || template == "/stream" {
                continue;
            }
            let query = scoped_query(&op, &o);
            if !template.contains('{') && query.is_empty() {
                continue;
            }
            let path = format!("{}{query}", concrete(&template, &o));
            let mut answers = Vec::new();
            for cookie in [&owner, &admin, &leader] {
                answers.push(call(&app, &method, &path, None, Some(cookie)).await.status);
            }
            assert!(answers.contains(&StatusCode::OK), "GET {path}: {answers:?}");
        }
    }

    async fn nothing_but_the_public_api_answers_without_a_login(app: TestApp) {
        let o = outside(&app).await;
        let doc = app.get("/api/v1/openapi.json", None).await.json();
        for (method, template, op) in operations(&doc) {
            if PUBLIC.iter().any(|p| template.starts_with(p)) {
                continue;
            }
            let path = format!("{}{}", concrete(&template, &o), scoped_query(&op, &o));
            let r = call(&app, &method, &path, None, None).await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{method} {path}: {}", r.body);
        }
    }
}
