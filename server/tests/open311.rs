//! Open311 GeoReport v2 through the real router, on SQLite and PostgreSQL, read by a
//! client written from the specification alone (wiki.open311.org/GeoReport_v2 and
//! mySociety's updates): raw form posts, XML read element by element, JSON by field —
//! discovery, services and their definitions, keys (none, wrong, revoked, over the rate),
//! posted requests with their tokens, lists and their limits, updates and comments.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::{Value, json};

const MY_GRID: &str = "360199001001001";

/// The XML document's root, checked to be UTF-8 XML as the specification requires.
fn xml(r: &common::Reply) -> roxmltree::Document<'_> {
    assert!(
        r.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/xml"),
        "{:?}",
        r.headers
    );
    assert!(
        r.body
            .starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"),
        "{}",
        r.body
    );
    roxmltree::Document::parse(&r.body).unwrap_or_else(|e| panic!("not XML ({e}): {}", r.body))
}

fn children<'a>(n: roxmltree::Node<'a, 'a>, name: &str) -> Vec<roxmltree::Node<'a, 'a>> {
    n.children().filter(|c| c.has_tag_name(name)).collect()
}

fn text<'a>(n: roxmltree::Node<'a, 'a>, name: &str) -> &'a str {
    children(n, name)
        .first()
        .unwrap_or_else(|| panic!("<{name}> in <{}>", n.tag_name().name()))
        .text()
        .unwrap_or("")
}

/// The specification's error list, in XML: `<errors><error><code/><description/></error>`.
fn xml_errors(r: &common::Reply) -> Vec<(String, String)> {
    let doc = xml(r);
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "errors", "{}", r.body);
    children(root, "error")
        .into_iter()
        .map(|e| {
            (
                text(e, "code").to_owned(),
                text(e, "description").to_owned(),
            )
        })
        .collect()
}

async fn post(app: &common::TestApp, path: &str, fields: &[(&str, &str)]) -> common::Reply {
    app.form(path, fields, None, None).await
}

async fn issue_key(app: &common::TestApp, admin: &str, name: &str, rate: i64) -> (i64, String) {
    let r = app
        .json(
            Method::POST,
            "/api/v1/admin/open311-keys",
            json!({"name": name, "rate_limit": rate}),
            Some(admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let v = r.json();
    (
        v["id"].as_i64().unwrap(),
        v["api_key"].as_str().unwrap().to_owned(),
    )
}

async fn admin_form(app: &common::TestApp, cookie: &str, fields: &[(&str, &str)]) -> common::Reply {
    let (ct, body) = common::multipart(fields, &[]);
    app.send(
        Request::post("/admin/open311")
            .header(header::HOST, "localhost")
            .header(header::ORIGIN, "http://localhost")
            .header(header::COOKIE, cookie)
            .header(header::CONTENT_TYPE, ct)
            .body(Body::from(body))
            .unwrap(),
    )
    .await
}

/// Does `value` have the shape `schema` describes (types and required fields, following
/// `$ref`s into `doc`'s components)? The reason when not.
fn conforms(doc: &Value, schema: &Value, value: &Value, at: &str) -> Result<(), String> {
    if let Some(r) = schema["$ref"].as_str() {
        let name = r.rsplit('/').next().unwrap();
        return conforms(doc, &doc["components"]["schemas"][name], value, at);
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => return Ok(()),
    };
    let ok = types.iter().any(|t| match *t {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "null" => value.is_null(),
        _ => true,
    });
    if !ok {
        return Err(format!("{at}: {value} is not {types:?}"));
    }
    if let Some(items) = value.as_array() {
        for (i, item) in items.iter().enumerate() {
            conforms(doc, &schema["items"], item, &format!("{at}[{i}]"))?;
        }
    }
    if let Some(fields) = value.as_object() {
        for name in schema["required"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !fields.contains_key(name) {
                return Err(format!("{at}: {name} is missing"));
            }
        }
        for (name, field) in fields {
            if let Some(s) = schema["properties"].get(name) {
                conforms(doc, s, field, &format!("{at}.{name}"))?;
            }
        }
    }
    Ok(())
}

/// The answer `r` to `method path` is one its description lists, with a conforming body.
fn described(doc: &Value, method: &str, path: &str, r: &common::Reply) {
    let op = &doc["paths"][path][method];
    assert!(op.is_object(), "{method} {path} is described");
    let response = &op["responses"][r.status.as_str()];
    assert!(
        response.is_object(),
        "{method} {path} answered {}, not described: {}",
        r.status,
        r.body
    );
    let schema = &response["content"]["application/json"]["schema"];
    if let Err(why) = conforms(doc, schema, &r.json(), "answer") {
        panic!("{method} {path} {}: {why}\n{}", r.status, r.body);
    }
}

backend_tests! {
    async fn the_json_description_names_every_resource_and_each_answers_as_described(app: TestApp) {
        let doc = app.get("/open311/v2/openapi.json", None).await.json();
        assert_eq!(doc["openapi"], "3.1.0");
        assert_eq!(doc["servers"][0]["url"], "/open311/v2");
        let paths: Vec<&String> = doc["paths"].as_object().unwrap().keys().collect();
        // The specification's resources and mySociety's updates, nothing else.
        let mut expected = vec![
            "/discovery.json", "/services.json", "/services/{service_code}.json", "/requests.json",
            "/requests/{service_request_id}.json", "/tokens/{token}.json", "/servicerequestupdates.json",
        ];
        expected.sort();
        let mut paths: Vec<&str> = paths.iter().map(|p| p.as_str()).collect();
        paths.sort();
        assert_eq!(paths, expected);

        let admin = app.login("admin").await;
        let worker = app.login("worker").await;
        let (_, key) = issue_key(&app, &admin, "描述检查", 60).await;
        let (lat, lng) = app.inside(&worker, MY_GRID).await;
        let (lat_s, lng_s) = (lat.to_string(), lng.to_string());
        described(&doc, "get", "/discovery.json", &app.get("/open311/v2/discovery.json", None).await);
        described(&doc, "get", "/services.json", &app.get("/open311/v2/services.json", None).await);
        described(&doc, "get", "/services/{service_code}.json", &app.get("/open311/v2/services/sanitation.json", None).await);
        described(&doc, "get", "/services/{service_code}.json", &app.get("/open311/v2/services/nope.json", None).await);
        let form = [("api_key", key.as_str()), ("service_code", "sanitation"), ("lat", lat_s.as_str()),
            ("long", lng_s.as_str()), ("description", "垃圾桶满溢")];
        let r = post(&app, "/open311/v2/requests.json", &form).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        described(&doc, "post", "/requests.json", &r);
        let id = r.json()[0]["service_request_id"].as_str().unwrap().to_owned();
        let token = r.json()[0]["token"].as_str().unwrap().to_owned();
        described(&doc, "post", "/requests.json", &post(&app, "/open311/v2/requests.json", &form[1..]).await);
        described(&doc, "post", "/requests.json", &post(&app, "/open311/v2/requests.json", &[("api_key", &key)]).await);
        described(&doc, "get", "/requests.json", &app.get("/open311/v2/requests.json", None).await);
        described(&doc, "get", "/requests.json", &app.get("/open311/v2/requests.json?status=maybe", None).await);
        let one = app.get(&format!("/open311/v2/requests/{id}.json"), None).await;
        assert_eq!(one.status, StatusCode::OK);
        described(&doc, "get", "/requests/{service_request_id}.json", &one);
        described(&doc, "get", "/tokens/{token}.json", &app.get(&format!("/open311/v2/tokens/{token}.json"), None).await);
        described(&doc, "get", "/tokens/{token}.json", &app.get("/open311/v2/tokens/nope.json", None).await);
        let update = [("api_key", key.as_str()), ("service_request_id", id.as_str()), ("description", "已联系保洁")];
        let r = post(&app, "/open311/v2/servicerequestupdates.json", &update).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        described(&doc, "post", "/servicerequestupdates.json", &r);
        described(&doc, "get", "/servicerequestupdates.json", &app.get("/open311/v2/servicerequestupdates.json", None).await);
        described(&doc, "get", "/servicerequestupdates.json", &app.get("/open311/v2/servicerequestupdates.json?jurisdiction_id=000000", None).await);
    }

    async fn administrators_issue_and_revoke_keys_on_their_page(app: TestApp) {
        let admin = app.login("admin").await;
        let worker = app.login("worker").await;
        assert_ne!(app.get("/admin/open311", Some(&worker)).await.status, StatusCode::OK);
        let page = app.get("/admin/open311", Some(&admin)).await;
        assert!(page.body.contains("尚未签发任何密钥"), "{}", page.body);
        let r = admin_form(&app, &admin, &[("action", "issue"), ("name", "市民通"), ("rate_limit", "0")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "a rate of 0 is refused");
        assert!(r.body.contains("每分钟请求数应在"));
        let r = admin_form(&app, &admin, &[("action", "issue"), ("name", "市民通"), ("rate_limit", "30")]).await;
        assert_eq!(r.status, StatusCode::CREATED);
        let at = r.body.find("issued-key").expect("the key is shown");
        let start = at + r.body[at..].find('>').unwrap() + 1;
        let key = &r.body[start..start + 40];
        let again = app.get("/admin/open311", Some(&admin)).await;
        assert!(again.body.contains("市民通") && !again.body.contains(key), "shown once only");
        let posted = post(&app, "/open311/v2/servicerequestupdates.json", &[("api_key", key), ("service_request_id", "NOPE"), ("description", "x")]).await;
        assert_eq!(posted.status, StatusCode::NOT_FOUND, "the key is accepted: {}", posted.body);
        let id = app.get("/api/v1/admin/open311-keys", Some(&admin)).await.json()[0]["id"].as_i64().unwrap().to_string();
        let r = admin_form(&app, &admin, &[("action", "revoke"), ("id", &id)]).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("已吊销"));
        let posted = post(&app, "/open311/v2/servicerequestupdates.json", &[("api_key", key), ("service_request_id", "NOPE"), ("description", "x")]).await;
        assert_eq!(posted.status, StatusCode::FORBIDDEN);
    }

    async fn discovery_and_services_read_as_the_specification_says(app: TestApp) {
        let r = app.get("/open311/v2/discovery.xml", None).await;
        assert_eq!(r.status, StatusCode::OK);
        let doc = xml(&r);
        let endpoint = children(children(doc.root_element(), "endpoints")[0], "endpoint")[0];
        assert_eq!(text(endpoint, "specification"), "http://wiki.open311.org/GeoReport_v2");
        assert!(text(endpoint, "url").ends_with("/open311/v2"));
        let formats: Vec<_> = children(children(endpoint, "formats")[0], "format").iter().map(|f| f.text().unwrap().to_owned()).collect();
        assert_eq!(formats, ["text/xml", "application/json"]);

        let r = app.get("/open311/v2/services.xml", None).await;
        let doc = xml(&r);
        assert_eq!(doc.root_element().tag_name().name(), "services");
        let services = children(doc.root_element(), "service");
        assert_eq!(services.len(), 12, "one service per top-level category");
        for s in &services {
            for f in ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"] {
                assert_eq!(children(*s, f).len(), 1, "<{f}> in {}", r.body);
            }
            assert_eq!(text(*s, "type"), "realtime");
            assert!(["true", "false"].contains(&text(*s, "metadata")));
        }
        let json = app.get("/open311/v2/services.json", None).await;
        assert!(json.headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("application/json"));
        let list = json.json();
        assert_eq!(list.as_array().unwrap().len(), 12);
        let with_subs = list.as_array().unwrap().iter().find(|s| s["metadata"] == true).expect("a service with attributes");
        let code = with_subs["service_code"].as_str().unwrap();

        let def = app.get(&format!("/open311/v2/services/{code}.xml"), None).await;
        let doc = xml(&def);
        let root = doc.root_element();
        assert_eq!((root.tag_name().name(), text(root, "service_code")), ("service_definition", code));
        let attr = children(children(root, "attributes")[0], "attribute")[0];
        assert_eq!((text(attr, "code"), text(attr, "datatype"), text(attr, "required")), ("subcategory", "singlevaluelist", "false"));
        assert!(!children(children(attr, "values")[0], "value").is_empty());

        let r = app.get("/open311/v2/services/nope.json", None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert_eq!(r.json()[0]["code"], 404);
        let r = app.get("/open311/v2/services.xml?jurisdiction_id=elsewhere", None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert_eq!(xml_errors(&r)[0].0, "404");
        assert_eq!(app.get("/open311/v2/services.xml?jurisdiction_id=360199", None).await.status, StatusCode::OK);
        assert_eq!(app.get("/open311/v2/services.html", None).await.status, StatusCode::NOT_FOUND);

        // Public reads are bounded per address: a poller gets its answers, a flood waits.
        let mut served = 0;
        let last = loop {
            let r = app.get("/open311/v2/discovery.json", None).await;
            if r.status != StatusCode::OK || served > 700 {
                break r;
            }
            served += 1;
        };
        assert_eq!(last.status, StatusCode::TOO_MANY_REQUESTS, "after {served}");
        assert!((550..=600).contains(&served), "{served} reads were served");
        assert!(last.headers.contains_key(header::RETRY_AFTER));
        assert_eq!(last.json()[0]["code"], 429);
    }

    async fn a_request_posted_with_a_key_becomes_a_case_and_reads_back_without_personal_data(app: TestApp) {
        let admin = app.login("admin").await;
        let worker = app.login("worker").await;
        let r = app.json(Method::POST, "/api/v1/admin/open311-keys", json!({"name": "x"}), Some(&worker)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let (_, key) = issue_key(&app, &admin, "市民通 App", 60).await;
        let listed = app.get("/api/v1/admin/open311-keys", Some(&admin)).await;
        assert!(listed.body.contains("市民通 App") && !listed.body.contains(&key), "the key is never shown again");

        let (lat, lng) = app.inside(&worker, MY_GRID).await;
        let (lat_s, lng_s) = (lat.to_string(), lng.to_string());
        let fields = vec![
            ("service_code", "sanitation"), ("lat", lat_s.as_str()), ("long", lng_s.as_str()),
            ("description", "垃圾桶满溢，联系我 13812341234"), ("first_name", "三"), ("last_name", "张"),
            ("phone", "13812341234"), ("email", "zhang@example.cn"), ("media_url", "https://img.example.cn/1.jpg"),
        ];
        let r = post(&app, "/open311/v2/requests.xml", &fields).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "no key");
        assert!(xml_errors(&r)[0].1.contains("api_key"));
        let mut wrong = fields.clone();
        wrong.push(("api_key", "not-a-key"));
        assert_eq!(post(&app, "/open311/v2/requests.xml", &wrong).await.status, StatusCode::FORBIDDEN);

        let r = post(&app, "/open311/v2/requests.xml", &[("api_key", &key), ("service_code", "nope"), ("phone", "1")]).await;
        let errors = xml_errors(&r);
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert!(errors.len() >= 3, "every wrong field at once: {errors:?}");

        let mut good = fields.clone();
        good.push(("api_key", &key));
        let r = post(&app, "/open311/v2/requests.xml", &good).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let doc = xml(&r);
        let req = children(doc.root_element(), "request")[0];
        let id = text(req, "service_request_id").to_owned();
        let token = text(req, "token").to_owned();
        assert_eq!(id.len(), 10);

        let t = app.get(&format!("/open311/v2/tokens/{token}.json"), None).await.json();
        assert_eq!(t[0]["service_request_id"], id.as_str());
        assert_eq!(app.get("/open311/v2/tokens/nope.json", None).await.status, StatusCode::NOT_FOUND);

        let one = app.get(&format!("/open311/v2/requests/{id}.json"), None).await;
        assert_eq!(one.status, StatusCode::OK, "{}", one.body);
        let v = &one.json()[0];
        assert_eq!((v["status"].as_str(), v["service_code"].as_str()), (Some("open"), Some("sanitation")));
        assert_eq!(v["media_url"], "https://img.example.cn/1.jpg");
        assert!(v["requested_datetime"].as_str().unwrap().ends_with("+08:00"));
        assert!((v["lat"].as_f64().unwrap() - lat).abs() < 1e-9 && (v["long"].as_f64().unwrap() - lng).abs() < 1e-9);
        for secret in ["13812341234", "张三", "zhang@example.cn"] {
            assert!(!one.body.contains(secret), "{secret} in {}", one.body);
        }
        assert!(v["description"].as_str().unwrap().contains("138****1234"));
        let x = app.get(&format!("/open311/v2/requests/{id}.xml"), None).await;
        let doc = xml(&x);
        let req = children(doc.root_element(), "request")[0];
        for f in ["service_request_id", "status", "status_notes", "service_name", "service_code", "description", "agency_responsible",
                  "service_notice", "requested_datetime", "updated_datetime", "expected_datetime", "address", "lat", "long", "media_url"] {
            assert_eq!(children(req, f).len(), 1, "<{f}> in {}", x.body);
        }

        // The case is in the centre's inbox, from the partner, in the grid of its point.
        let center = app.login("center").await;
        let inbox = app.get("/api/v1/inbox", Some(&center)).await;
        assert!(inbox.body.contains(&id), "the centre sees the request to triage");
        let found = app.get(&format!("/api/v1/cases?q={id}"), Some(&center)).await.json();
        let case_id = found["cases"][0]["id"].as_i64().unwrap();
        let d = app.get(&format!("/api/v1/cases/{case_id}"), Some(&center)).await.json();
        assert_eq!(d["summary"]["grid_code"], MY_GRID);

        // Lists: ids override the rest; dates within 90 days; open or closed.
        let l = app.get(&format!("/open311/v2/requests.json?service_request_id={id},NOPE&status=closed"), None).await.json();
        assert_eq!(l.as_array().unwrap().len(), 1);
        let open = app.get("/open311/v2/requests.json?status=open&service_code=sanitation", None).await.json();
        assert!(open.as_array().unwrap().iter().any(|r| r["service_request_id"] == id.as_str()));
        assert!(open.as_array().unwrap().iter().all(|r| r["status"] == "open" && r["service_code"] == "sanitation"));
        let closed = app.get("/open311/v2/requests.json?status=closed", None).await.json();
        assert!(closed.as_array().unwrap().iter().all(|r| r["status"] == "closed"));
        let all = app.get("/open311/v2/requests.json", None).await.json();
        assert!(all.as_array().unwrap().len() <= 1000);
        let r = app.get("/open311/v2/requests.xml?start_date=2026-01-01T00:00:00%2B08:00&end_date=2026-11-01T00:00:00%2B08:00", None).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(xml_errors(&r)[0].1.contains("90 days"));
        assert_eq!(app.get("/open311/v2/requests.json?start_date=yesterday", None).await.status, StatusCode::BAD_REQUEST);

        // Never a hotline caller's, a department's or a household visit's case.
        let ids: Vec<String> = all.as_array().unwrap().iter().map(|r| r["service_request_id"].as_str().unwrap().to_owned()).collect();
        let (unsafe_n,): (i64,) = sqlx::query_as(&format!(
            "SELECT COUNT(*) FROM cases c WHERE c.tracking_code IN ({}) AND (c.source IN ('hotline', 'department') OR EXISTS (SELECT 1 FROM visits v WHERE v.case_id = c.id))",
            ids.iter().map(|i| format!("'{i}'")).collect::<Vec<_>>().join(",")))
            .fetch_one(&app.state.db.pool).await.unwrap();
        assert_eq!(unsafe_n, 0);
    }

    async fn updates_follow_a_request_and_only_its_own_key_comments_once(app: TestApp) {
        let admin = app.login("admin").await;
        let worker = app.login("worker").await;
        let center = app.login("center").await;
        let (key_id, key) = issue_key(&app, &admin, "FixMyStreet 网关", 5).await;
        let (_, other) = issue_key(&app, &admin, "另一平台", 60).await;
        let (lat, lng) = app.inside(&worker, MY_GRID).await;
        let (lat_s, lng_s) = (lat.to_string(), lng.to_string());
        let r = post(&app, "/open311/v2/requests.json", &[("api_key", &key), ("service_code", "sanitation"), ("lat", &lat_s), ("long", &lng_s), ("description", "绿化带有垃圾")]).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let id = r.json()[0]["service_request_id"].as_str().unwrap().to_owned();
        let case_id = app.get(&format!("/api/v1/cases?q={id}"), Some(&center)).await.json()["cases"][0]["id"].as_i64().unwrap();
        app.advance(chrono::Duration::minutes(5));
        let r = app.act(case_id, &center, json!({"action": "triage", "tier": "simple"})).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);

        let u = app.get("/open311/v2/servicerequestupdates.json", None).await.json();
        let mine: Vec<&Value> = u.as_array().unwrap().iter().filter(|x| x["service_request_id"] == id.as_str()).collect();
        assert_eq!(mine.iter().map(|x| x["status"].as_str().unwrap()).collect::<Vec<_>>(), ["OPEN", "INVESTIGATING"]);
        assert!(mine.iter().all(|x| !x["description"].as_str().unwrap().is_empty() && x["updated_datetime"].as_str().unwrap().ends_with("+08:00")));
        let x = app.get("/open311/v2/servicerequestupdates.xml", None).await;
        let doc = xml(&x);
        assert_eq!(doc.root_element().tag_name().name(), "service_request_updates");
        assert!(!children(doc.root_element(), "request_update").is_empty());

        let comment = [("api_key", key.as_str()), ("service_request_id", id.as_str()), ("update_id", "fms-1"), ("description", "居民补充：垃圾在东门")];
        let first = post(&app, "/open311/v2/servicerequestupdates.json", &comment).await;
        assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
        let again = post(&app, "/open311/v2/servicerequestupdates.json", &comment).await;
        assert_eq!(again.json()[0]["update_id"], first.json()[0]["update_id"], "a retried comment is kept once");
        let d = app.get(&format!("/api/v1/cases/{case_id}"), Some(&center)).await;
        assert_eq!(d.body.matches("垃圾在东门").count(), 1, "the staff see the comment once");
        let foreign = post(&app, "/open311/v2/servicerequestupdates.json", &[("api_key", other.as_str()), ("service_request_id", id.as_str()), ("description", "x")]).await;
        assert_eq!(foreign.status, StatusCode::FORBIDDEN);

        // An address alone is placed by the district's building list (one building, one grid).
        let csv = format!("网格编码,楼栋,纬度,经度\n{MY_GRID},桂花苑8栋,{lat},{lng}\n");
        let r = app.send(Request::post("/api/v1/admin/buildings/import").header(header::HOST, "localhost")
            .header(header::ORIGIN, "http://localhost").header(header::COOKIE, &admin).header(header::CONTENT_TYPE, "text/csv")
            .body(Body::from(csv)).unwrap()).await;
        assert!(r.status.is_success(), "{}", r.body);
        let r = post(&app, "/open311/v2/requests.json", &[("api_key", &key), ("service_code", "sanitation"), ("address_string", "没有这栋楼"), ("description", "门口垃圾")]).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
        let r = post(&app, "/open311/v2/requests.json", &[("api_key", &key), ("service_code", "sanitation"), ("address_string", "桂花苑8栋"), ("description", "门口垃圾")]).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let placed = r.json()[0]["service_request_id"].as_str().unwrap().to_owned();
        let back = app.get(&format!("/open311/v2/requests/{placed}.json"), None).await.json();
        assert_eq!(back[0]["address"], "桂花苑8栋");

        // Five posts a minute for this key (one request, one comment, two by address): the next waits.
        let r = post(&app, "/open311/v2/requests.json", &[("api_key", &key), ("service_code", "sanitation"), ("lat", &lat_s), ("long", &lng_s), ("description", "又一处")]).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
        assert!(r.headers.contains_key(header::RETRY_AFTER));

        let r = app.json(Method::DELETE, &format!("/api/v1/admin/open311-keys/{key_id}"), json!({}), Some(&admin)).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
        let r = post(&app, "/open311/v2/servicerequestupdates.json", &comment).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "a revoked key is refused");
    }
}
