//! A case on the grid worker's phone (`/w/cases/{id}`), through the real router on SQLite
//! and PostgreSQL: the deadline in working time, the steps a worker takes there as plain
//! forms (a progress note, the on-site check with its photo), refusals shown on the page,
//! and the workspace kept after resolving.

mod common;

use axum::http::StatusCode;
use serde_json::json;

const MY_GRID: &str = "360199001001001";

backend_tests! {
    async fn a_worker_follows_and_checks_a_case_without_leaving_the_workspace(app: TestApp) {
        let worker = app.login("worker").await;
        let center = app.login("center").await;
        let urban = app.login("dept").await;
        let (lat, lng) = app.inside(&worker, MY_GRID).await;
        let simple = app.report(&worker, "city_order", lat, lng).await;
        app.act(simple, &center, json!({"action": "triage", "tier": "simple"})).await;
        let page = app.get(&format!("/w/cases/{simple}"), Some(&worker)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("事件详情") && page.body.contains("class=\"tabs\""), "the workspace's page");
        assert!(page.body.contains(&format!("/w/cases/{simple}/resolve")), "resolve on the spot is offered");
        let r = app.post_multipart(&format!("/w/cases/{simple}/act"), &worker, (&[("action", "progress"), ("note", "已联系物业，明早处理")], &[]), "text/html").await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(r.location(), format!("/w/cases/{simple}?done=1"));
        let page = app.get(r.location(), Some(&worker)).await;
        assert!(page.body.contains("已记录“") && page.body.contains("已联系物业，明早处理"), "what the step did");

        let id = app.report(&worker, "city_order", lat, lng).await;

        // A department's result comes back for the worker's check on site.
        app.act(id, &center, json!({"action": "triage", "tier": "coordination"})).await;
        let r = app.act(id, &center, json!({"action": "dispatch", "departments": [{"department": "urban", "role": "lead"}]})).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        app.act(id, &urban, json!({"action": "acknowledge"})).await;
        let r = app.act(id, &urban, json!({"action": "resolve", "result": "已清理"})).await;
        assert_eq!(r.json()["summary"]["status"], "verifying");
        let page = app.get(&format!("/w/cases/{id}"), Some(&worker)).await;
        assert!(page.body.contains("name=\"passed\""), "the check's form");

        // Refusals come back on the page: a step that is not the phone's, a missing outcome.
        let r = app.post_multipart(&format!("/w/cases/{id}/act"), &worker, (&[("action", "dispatch")], &[]), "text/html").await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("role=\"alert\""));
        let r = app.post_multipart(&format!("/w/cases/{id}/act"), &worker, (&[("action", "verify"), ("note", "x")], &[]), "text/html").await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

        let r = app.post_multipart(&format!("/w/cases/{id}/act"), &worker,
            (&[("action", "verify"), ("passed", "false"), ("note", "路面仍有杂物")], &[("photo", "site.png", common::png(640, 480))]), "text/html").await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let d = app.get(&format!("/api/v1/cases/{id}"), Some(&center)).await.json();
        assert_eq!(d["summary"]["status"], "handling", "back to the department for rework");
        let verify = d["timeline"].as_array().unwrap().iter().rev().find(|e| e["action"] == "verify").unwrap();
        assert_eq!(verify["photos"].as_array().unwrap().len(), 1, "the photo is the check's");

        // The clock in working time, as the department's deadline stands.
        let page = app.get(&format!("/w/cases/{id}"), Some(&worker)).await;
        assert!(page.body.contains("截至") && (page.body.contains("个工作日") || page.body.contains("个工作小时")), "working time");
    }
}
