//! First use (issue #21): the choices a page makes for its user must not file or dispatch
//! wrongly — no form starts with a category or a rating chosen, a dispatch starts on the
//! category's competent department, never on the list's first entry, and nobody rates the
//! case they resolved.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::json;

const MY_GRID: &str = "360199001001001";

/// The `<select name="NAME" …>…</select>` of a page.
fn select<'a>(body: &'a str, name: &str) -> &'a str {
    let start = body
        .find(&format!("<select name=\"{name}\""))
        .unwrap_or_else(|| panic!("no select {name}"));
    let end = start + body[start..].find("</select>").unwrap();
    &body[start..end]
}

/// The category radios of a page, none of which may be checked.
fn category_radios(body: &str) -> Vec<&str> {
    body.match_indices("<input type=\"radio\" name=\"category\"")
        .map(|(i, _)| &body[i..i + body[i..].find('>').unwrap()])
        .collect()
}

async fn post_form(
    app: &common::TestApp,
    path: &str,
    cookie: &str,
    fields: &[(&str, &str)],
) -> common::Reply {
    let (ct, body) = common::multipart(fields, &[]);
    let req = Request::post(path)
        .header(header::HOST, "localhost")
        .header(header::ORIGIN, "http://localhost")
        .header(header::CONTENT_TYPE, ct)
        .header(header::COOKIE, cookie)
        .header(header::ACCEPT, "application/json")
        .body(Body::from(body))
        .unwrap();
    app.send(req).await
}

backend_tests! {
    async fn no_form_starts_with_a_category_chosen(app: TestApp) {
        let worker = app.login("worker").await;
        for path in ["/w/report", "/cases/new"] {
            let page = app.get(path, Some(&worker)).await;
            assert_eq!(page.status, StatusCode::OK, "{path}");
            let radios = category_radios(&page.body);
            assert_eq!(radios.len(), 12, "{path}");
            assert!(radios.iter().all(|r| !r.contains("checked")), "{path}: {radios:?}");
        }
        // The worker must name the category; the server says so if the form is sent without.
        let p = app.state.grid_index().interior_point(MY_GRID).unwrap();
        let (lat, lng) = (p.lat().to_string(), p.lng().to_string());
        let r = post_form(&app, "/w/report", &worker, &[("idempotency_key", "no-category-key-01"), ("description", "楼道灯坏了"), ("lat", &lat), ("lng", &lng)]).await;
        assert_eq!((r.status, r.json()["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("category")), "{}", r.body);
        assert_eq!(r.json()["message"], "请选择问题类别。");

        // The visit form's "needs as a case" starts on "choose"; a need sent without a
        // category is refused, not filed as a visit without its case.
        let csv = "门牌地址,姓名\n2栋1单元201,张伟\n";
        let req = Request::post(format!("/api/v1/households/import?grid={MY_GRID}"))
            .header(header::HOST, "localhost")
            .header(header::ORIGIN, "http://localhost")
            .header(header::COOKIE, &worker)
            .body(Body::from(csv))
            .unwrap();
        let r = app.send(req).await;
        assert_eq!((r.status, r.json()["households_created"].as_i64()), (StatusCode::OK, Some(1)), "{}", r.body);
        let hid: i64 = sqlx::query_scalar("SELECT id FROM households").fetch_one(&app.state.db.pool).await.unwrap();
        {
            let page = app.get(&format!("/w/households/{hid}"), Some(&worker)).await;
            let s = select(&page.body, "category");
            assert!(s.contains("<option value=\"\" selected"), "{s}");
            let r = app.json(Method::POST, &format!("/api/v1/households/{hid}/visits"),
                json!({"minutes": 20, "notes": "走访", "needs": "楼道灯坏了", "need_case_category": ""}), Some(&worker)).await;
            assert_eq!((r.status, r.json()["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("category")), "{}", r.body);
            let visits: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM visits").fetch_one(&app.state.db.pool).await.unwrap();
            assert_eq!(visits, 0);
        }
    }

    async fn a_dispatch_starts_on_the_competent_department(app: TestApp) {
        let worker = app.login("worker").await;
        let center = app.login("center").await;
        let p = app.state.grid_index().interior_point(MY_GRID).unwrap();
        let id = app.report(&worker, "city_order", p.lat(), p.lng()).await;
        let r = app.act(id, &center, json!({"action": "triage", "tier": "coordination"})).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let page = app.get(&format!("/cases/{id}"), Some(&center)).await;
        let lead = select(&page.body, "fields[lead]");
        assert!(lead.contains("<option value=\"urban\" selected"), "市容城管 → 区城市管理局: {lead}");
        assert!(!lead.contains("<option value=\"\" selected"), "{lead}");
        // Without a competent department on record, the form asks instead of guessing.
        sqlx::query("DELETE FROM department_categories WHERE category = 'city_order'").execute(&app.state.db.pool).await.unwrap();
        let page = app.get(&format!("/cases/{id}"), Some(&center)).await;
        let lead = select(&page.body, "fields[lead]");
        assert!(lead.contains("<option value=\"\" selected"), "{lead}");
        assert_eq!(lead.matches(" selected").count(), 1, "one choice only: {lead}");
    }

    async fn whoever_resolved_a_case_cannot_rate_it(app: TestApp) {
        // The worker reports, the centre triages it simple, the worker resolves it on the spot.
        let worker = app.login("worker").await;
        let center = app.login("center").await;
        let p = app.state.grid_index().interior_point(MY_GRID).unwrap();
        let id = app.report(&worker, "infrastructure", p.lat(), p.lng()).await;
        app.act(id, &center, json!({"action": "triage", "tier": "simple"})).await;
        let d = app.act(id, &worker, json!({"action": "resolve", "result": "路灯已更换"})).await.json();
        let offered = |d: &serde_json::Value| d["allowed_actions"].as_array().unwrap().iter().any(|a| a == "feedback");
        assert!(!offered(&d), "the resolver is not offered feedback: {}", d["allowed_actions"]);
        let page = app.get(&format!("/cases/{id}"), Some(&worker)).await;
        assert!(!page.body.contains("fields[satisfaction]"), "no rating form for the resolver");
        let r = app.act(id, &worker, json!({"action": "feedback", "satisfaction": "satisfied", "comment": "很满意"})).await;
        assert_eq!((r.status, r.json()["message"].as_str()), (StatusCode::FORBIDDEN, Some("办结该事件的人员不能为其评价回访，请由居民或指挥中心回访。")), "{}", r.body);

        // The centre records the resident's answer — with the answer, and marked as such.
        let d = app.get(&format!("/api/v1/cases/{id}"), Some(&center)).await.json();
        assert!(offered(&d));
        let page = app.get(&format!("/cases/{id}"), Some(&center)).await;
        let rating = select(&page.body, "fields[satisfaction]");
        assert!(rating.contains("<option value=\"\" selected"), "no rating is pre-selected: {rating}");
        let r = app.act(id, &center, json!({"action": "feedback", "satisfaction": "satisfied"})).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        let r = app.act(id, &center, json!({"action": "feedback", "satisfaction": "satisfied", "comment": "电话回访：居民表示满意"})).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let last = r.json()["timeline"].as_array().unwrap().last().unwrap().clone();
        assert_eq!((last["action"].as_str(), last["data"]["recorded_by_staff"].as_bool()), (Some("feedback"), Some(true)));
        let page = app.get(&format!("/cases/{id}"), Some(&center)).await;
        assert!(page.body.contains("工作人员代录回访"), "the timeline says who recorded it");
    }
}
