//! Departments administered in the app (issue #14): create, rename with the categories a
//! department is competent for, deactivate only once it holds no open dispatch — after
//! which nothing new can be dispatched to it. Every change audited; administrators only.

mod common;

use axum::http::{Method, StatusCode};
use common::TestApp;
use serde_json::{Value, json};

async fn departments(app: &TestApp, admin: &str) -> Vec<Value> {
    let r = app.get("/api/v1/admin/departments", Some(admin)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json().as_array().unwrap().clone()
}

backend_tests! {
    async fn administrators_keep_the_departments(app: TestApp) {
        let admin = app.login("admin").await;
        let before = departments(&app, &admin).await;
        assert!(before.len() >= 10 && before.iter().all(|d| d["active"] == true));

        let water = json!({"code": "heating", "name": "区水务局", "name_en": "Water Bureau", "categories": ["sanitation"]});
        let r = app.json(Method::POST, "/api/v1/admin/departments", water.clone(), Some(&admin)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert_eq!(r.json()["categories"], json!(["sanitation"]));
        assert_eq!(app.json(Method::POST, "/api/v1/admin/departments", water, Some(&admin)).await.status, StatusCode::CONFLICT);
        let bad = app.json(Method::POST, "/api/v1/admin/departments", json!({"code": "水务", "name": "水务"}), Some(&admin)).await;
        assert_eq!((bad.status, bad.json()["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("code")));
        let bad = app.json(Method::POST, "/api/v1/admin/departments", json!({"code": "gas", "name": "燃气", "categories": ["nowhere"]}), Some(&admin)).await;
        assert_eq!((bad.status, bad.json()["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("categories")));

        // Renamed, competent for two categories; the audit row says before and after.
        let r = app.json(Method::PUT, "/api/v1/admin/departments/heating", json!({"name": "区水务和河湖局", "categories": ["sanitation", "city_order"]}), Some(&admin)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["name_en"], "区水务和河湖局", "an English name defaults to the Chinese one");
        let audit = app.get("/api/v1/admin/audit?action=department_change", Some(&admin)).await.json();
        assert!(audit[0]["detail"].as_str().unwrap().contains("区水务局 [sanitation] -> 区水务和河湖局 [sanitation,city_order]"), "{audit}");

        // A case dispatched to it: it cannot be deactivated until that is done.
        let worker = app.login("worker").await;
        let center = app.login("center").await;
        let point = app.get("/api/v1/territory/360199001001001/boundary", Some(&worker)).await.json();
        let p = &point["geometry"]["coordinates"][0][0];
        let (lng, lat) = (p[0].as_f64().unwrap() + 0.0001, p[1].as_f64().unwrap() + 0.0001);
        let id = app.report(&worker, "city_order", lat, lng).await;
        app.act(id, &center, json!({"action": "triage", "tier": "coordination"})).await;
        let r = app.act(id, &center, json!({"action": "dispatch", "departments": [{"department": "heating", "role": "lead"}]})).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let busy = app.json(Method::POST, "/api/v1/admin/departments/heating/deactivate", json!({}), Some(&admin)).await;
        assert_eq!(busy.status, StatusCode::CONFLICT);
        assert!(busy.json()["message"].as_str().unwrap().contains("未办结的派遣"));

        // A department without open dispatches: deactivated, and then nothing reaches it.
        let r = app.json(Method::POST, "/api/v1/admin/departments/market/deactivate", json!({}), Some(&admin)).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
        assert!(departments(&app, &admin).await.iter().any(|d| d["code"] == "market" && d["active"] == false));
        let id2 = app.report(&worker, "city_order", lat, lng).await;
        app.act(id2, &center, json!({"action": "triage", "tier": "coordination"})).await;
        let r = app.act(id2, &center, json!({"action": "dispatch", "departments": [{"department": "market", "role": "lead"}]})).await;
        assert!(r.status.is_client_error(), "a deactivated department receives nothing: {}", r.body);

        // Administrators only.
        let leader = app.login("leader").await;
        assert_eq!(app.get("/api/v1/admin/departments", Some(&leader)).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.json(Method::POST, "/api/v1/admin/departments", json!({"code": "x", "name": "x"}), Some(&leader)).await.status, StatusCode::FORBIDDEN);
    }
}
