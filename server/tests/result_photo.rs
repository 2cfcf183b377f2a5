//! One result-photo rule per category (办结须附照片), from the standards table, for grid
//! workers and departments alike, through the real router on SQLite and PostgreSQL: the
//! table and the administrator's form set it, a result without the photo is refused on
//! every way in (the API's step, the result form, the worker's phone), and a result with
//! it carries the photo in the same step.

mod common;

use axum::http::{Method, StatusCode};
use serde_json::json;

const MY_GRID: &str = "360199001001001";

/// Sets `code`'s rule through the API's standards table (as the admin page's form does).
async fn set_rule(app: &common::TestApp, admin: &str, code: &str, rule: Option<bool>) {
    let table = app.get("/api/v1/categories", Some(admin)).await.json();
    let mut row = table
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == code)
        .unwrap()
        .clone();
    row["result_photo"] = json!(rule);
    let r = app
        .json(
            Method::PUT,
            &format!("/api/v1/categories/{code}"),
            row,
            Some(admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

/// A coordination case of `category` in the urban department's hands, acknowledged.
async fn with_department(app: &common::TestApp, category: &str) -> i64 {
    let worker = app.login("worker").await;
    let center = app.login("center").await;
    let urban = app.login("dept").await;
    let (lat, lng) = app.inside(&worker, MY_GRID).await;
    let id = app.report(&worker, category, lat, lng).await;
    app.act(
        id,
        &center,
        json!({"action": "triage", "tier": "coordination"}),
    )
    .await;
    let r = app
        .act(
            id,
            &center,
            json!({"action": "dispatch", "departments": [{"department": "urban", "role": "lead"}]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    app.act(id, &urban, json!({"action": "acknowledge"})).await;
    id
}

backend_tests! {
    async fn a_category_that_asks_for_a_result_photo_gets_one_from_everyone(app: TestApp) {
        let admin = app.login("admin").await;
        let urban = app.login("dept").await;
        let worker = app.login("worker").await;
        set_rule(&app, &admin, "city_order", Some(true)).await;

        // A department: the plain step is refused with the reason, nothing is written.
        let id = with_department(&app, "city_order").await;
        let detail = app.get(&format!("/api/v1/cases/{id}"), Some(&urban)).await.json();
        assert_eq!(detail["result_photo_required"], true);
        let r = app.act(id, &urban, json!({"action": "resolve", "result": "已清理"})).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        assert!(r.json()["message"].as_str().unwrap().contains("办结须附处置结果照片"), "{}", r.body);
        let path = format!("/api/v1/cases/{id}/resolution");
        let r = app.post_multipart(&path, &urban, (&[("result", "已清理")], &[]), "application/json").await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        let after = app.get(&format!("/api/v1/cases/{id}"), Some(&urban)).await.json();
        assert_eq!(after["summary"]["status"], "handling", "nothing was taken");
        // A file that is not a photo is refused before anything is written.
        let r = app.post_multipart(&path, &urban, (&[("result", "已清理")], &[("photo", "x.png", b"not a photo".to_vec())]), "application/json").await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        // With the photo: one step, the photo on it.
        let r = app.post_multipart(&path, &urban, (&[("result", "已清理")], &[("photo", "after.png", common::png(40, 30))]), "application/json").await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let case = r.json();
        assert_eq!(case["summary"]["status"], "verifying");
        let last = case["timeline"].as_array().unwrap().last().unwrap().clone();
        assert_eq!(last["action"], "resolve");
        assert_eq!(last["note"], "已清理");
        assert_eq!(last["photos"].as_array().unwrap().len(), 1, "{last}");

        // The browser's form goes back to the case page.
        let id = with_department(&app, "city_order").await;
        let r = app.post_multipart(&format!("/api/v1/cases/{id}/resolution"), &urban, (&[("result", "已清理")], &[("photo", "a.png", common::png(20, 20))]), "text/html").await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(r.location(), format!("/cases/{id}"));

        // A grid worker on the phone: the form asks for the photo, the server insists.
        let center = app.login("center").await;
        let (lat, lng) = app.inside(&worker, MY_GRID).await;
        let own = app.report(&worker, "city_order", lat, lng).await;
        app.act(own, &center, json!({"action": "triage", "tier": "simple"})).await;
        let page = app.get(&format!("/w/cases/{own}/resolve"), Some(&worker)).await;
        assert!(page.body.contains("本类问题必附"), "the rule is said");
        assert!(page.body.contains("capture=\"environment\" required"), "the photo is a required field");
        let r = app.post_multipart(&format!("/w/cases/{own}/resolve"), &worker, (&[("result", "已劝离")], &[]), "text/html").await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        assert!(r.body.contains("办结须附处置结果照片"), "the reason on the page");
        let r = app.post_multipart(&format!("/w/cases/{own}/resolve"), &worker, (&[("result", "已劝离")], &[("photo", "a.png", common::png(20, 20))]), "text/html").await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let case = app.get(&format!("/api/v1/cases/{own}"), Some(&worker)).await.json();
        let last = case["timeline"].as_array().unwrap().last().unwrap().clone();
        assert_eq!((last["action"].as_str(), last["photos"].as_array().unwrap().len()), (Some("resolve"), 1));
    }

    async fn without_the_rule_a_photo_is_welcome_but_not_asked(app: TestApp) {
        let admin = app.login("admin").await;
        let urban = app.login("dept").await;
        let worker = app.login("worker").await;
        let center = app.login("center").await;
        // The standard 部件 subcategories ask for one; a category that says nothing does not.
        let table = app.get("/api/v1/categories", Some(&admin)).await.json();
        let manhole = table.as_array().unwrap().iter().find(|c| c["code"] == "infrastructure.manhole").unwrap().clone();
        assert_eq!(manhole["result_photo"], true, "{manhole}");
        let sanitation = table.as_array().unwrap().iter().find(|c| c["code"] == "sanitation").unwrap().clone();
        assert_eq!(sanitation["result_photo"], serde_json::Value::Null);

        let id = with_department(&app, "sanitation").await;
        let detail = app.get(&format!("/api/v1/cases/{id}"), Some(&urban)).await.json();
        assert_eq!(detail["result_photo_required"], false);
        let r = app.post_multipart(&format!("/api/v1/cases/{id}/resolution"), &urban, (&[("result", "已清运")], &[]), "application/json").await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let (lat, lng) = app.inside(&worker, MY_GRID).await;
        let own = app.report(&worker, "sanitation", lat, lng).await;
        app.act(own, &center, json!({"action": "triage", "tier": "simple"})).await;
        let page = app.get(&format!("/w/cases/{own}/resolve"), Some(&worker)).await;
        assert!(page.body.contains("办结照片（可选）"), "optional, and said so");
        assert!(!page.body.contains("capture=\"environment\" required"));
        let r = app.post_multipart(&format!("/w/cases/{own}/resolve"), &worker, (&[("result", "已清扫")], &[]), "text/html").await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

        // A subcategory that says no overrides its category's yes.
        set_rule(&app, &admin, "infrastructure", Some(true)).await;
        set_rule(&app, &admin, "infrastructure.manhole", Some(false)).await;
        let id = with_department(&app, "infrastructure").await;
        assert_eq!(app.get(&format!("/api/v1/cases/{id}"), Some(&urban)).await.json()["result_photo_required"], true);
        let r = app.act(id, &urban, json!({"action": "resolve", "result": "已修复"})).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    }

    async fn the_rule_travels_with_the_standards_table(app: TestApp) {
        let admin = app.login("admin").await;
        let rule = |all: &serde_json::Value, code: &str| {
            all.as_array().unwrap().iter().find(|c| c["code"] == code).unwrap()["result_photo"].clone()
        };
        // In by the table's column (是/否, or empty: as the category above).
        let csv = "编码,所属大类,名称,办结须附照片\nwater.pipe,water,供水管道漏水,是\nwater.hydrant,water,消火栓损坏,\n";
        let r = app.post_body("/api/v1/categories/import", &admin, "text/csv", csv.as_bytes().to_vec(), "application/json").await;
        assert!(r.status.is_success(), "{} {}", r.status, r.body);
        let all = app.get("/api/v1/categories", Some(&admin)).await.json();
        assert_eq!(rule(&all, "water.pipe"), true);
        assert_eq!(rule(&all, "water.hydrant"), serde_json::Value::Null);
        // Out and back in unchanged: the workbook carries the column.
        let (status, _, xlsx) = common::get_bytes(&app.router, "/api/v1/categories.xlsx", &admin).await;
        assert_eq!(status, StatusCode::OK);
        set_rule(&app, &admin, "water.pipe", Some(false)).await;
        let r = app.post_body("/api/v1/categories/import", &admin, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx, "application/json").await;
        assert!(r.status.is_success(), "{} {}", r.status, r.body);
        let all = app.get("/api/v1/categories", Some(&admin)).await.json();
        assert_eq!(rule(&all, "water.pipe"), true, "the exported yes came back");
        // A word that is not yes or no is refused by cell, and nothing changes.
        let bad = "编码,所属大类,名称,办结须附照片\nwater.pipe,water,供水管道漏水,必须\n";
        let r = app.post_body("/api/v1/categories/import", &admin, "text/csv", bad.as_bytes().to_vec(), "application/json").await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("result_photo") && r.body.contains("必须"), "{}", r.body);

        // The administrator's page shows and sets it.
        let page = app.get("/admin/categories", Some(&admin)).await;
        assert!(page.body.contains("name=\"result_photo\""), "the form has the rule");
        assert!(page.body.contains("办结须附照片"));
    }
}
