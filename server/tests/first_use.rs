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

/// One household in the worker's grid, imported as a worker would; its id.
async fn one_household(app: &common::TestApp, worker: &str) -> i64 {
    let req = Request::post(format!("/api/v1/households/import?grid={MY_GRID}"))
        .header(header::HOST, "localhost")
        .header(header::ORIGIN, "http://localhost")
        .header(header::COOKIE, worker)
        .body(Body::from("门牌地址,姓名\n2栋1单元201,张伟\n"))
        .unwrap();
    let r = app.send(req).await;
    assert_eq!(
        (r.status, r.json()["households_created"].as_i64()),
        (StatusCode::OK, Some(1)),
        "{}",
        r.body
    );
    sqlx::query_scalar("SELECT id FROM households")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
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
        let hid = one_household(&app, &worker).await;
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
        let d = app.resolve_with_photo(id, &worker, "路灯已更换").await.json();
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

    async fn each_role_lands_on_its_work(app: TestApp) {
        for (who, landing) in [("center", "/inbox"), ("dept", "/desk"), ("leader", "/dashboard"), ("worker", "/w")] {
            let r = app.form("/login", &[("username", who), ("password", "Demo@2026"), ("next", "/")], None, Some("http://localhost")).await;
            assert_eq!((r.status, r.location()), (StatusCode::SEE_OTHER, landing), "{who}");
        }
        // A page asked for is still where the login goes.
        let r = app.form("/login", &[("username", "center"), ("password", "Demo@2026"), ("next", "/cases")], None, Some("http://localhost")).await;
        assert_eq!(r.location(), "/cases");
    }

    async fn residents_hear_words_and_workers_hear_why_it_is_red(app: TestApp) {
        // A resident's report, and the tracking page a day and a half later.
        let (ct, body) = common::multipart(&[("grid", MY_GRID), ("category", "sanitation"), ("description", "小区南门垃圾桶满溢")], &[]);
        let req = Request::post("/api/v1/public/reports").header(header::HOST, "localhost").header(header::CONTENT_TYPE, ct).body(Body::from(body)).unwrap();
        let r = app.send(req).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let code = r.json()["tracking_code"].as_str().unwrap().to_owned();
        let page = app.get(&format!("/t/{code}"), None).await;
        assert!(page.body.contains("已收到，等待受理"), "{}", page.body);
        // The worker's own report, dispatched and never acknowledged: red, and it says why.
        let worker = app.login("worker").await;
        let center = app.login("center").await;
        let p = app.state.grid_index().interior_point(MY_GRID).unwrap();
        let id = app.report(&worker, "city_order", p.lat(), p.lng()).await;
        let theirs: i64 = sqlx::query_scalar("SELECT id FROM cases WHERE tracking_code = $1").bind(&code).fetch_one(&app.state.db.pool).await.unwrap();
        for case in [id, theirs] {
            app.act(case, &center, json!({"action": "triage", "tier": "coordination"})).await;
            let r = app.act(case, &center, json!({"action": "dispatch", "departments": [{"department": "urban", "role": "lead"}]})).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        }
        app.advance(chrono::Duration::hours(36));
        let page = app.get(&format!("/t/{code}"), None).await;
        for colour in ["红", "黄", "绿"] {
            assert!(!page.body.contains(&format!("class=\"chip\">{colour}<")), "no colour name for residents: {colour}");
        }
        assert!(page.body.contains("已超期，正在督办"), "{}", page.body);
        let home = app.get("/w", Some(&worker)).await;
        let row = &home.body[home.body.find(&format!("/cases/{id}")).unwrap()..];
        let row = &row[..row.find("</li>").unwrap()];
        assert!(row.contains("colour-red") || home.body.contains("colour-red"), "{row}");
        assert!(row.contains("部门超时未报到"), "the red says why: {row}");
    }

    async fn a_visit_that_makes_a_case_names_its_tracking_code(app: TestApp) {
        let worker = app.login("worker").await;
        let hid = one_household(&app, &worker).await;
        let (ct, body) = common::multipart(&[("minutes", "20"), ("notes", "老人身体尚可"), ("needs", "楼道灯坏了"), ("to_case", "1"), ("category", "infrastructure")], &[]);
        let req = Request::post(format!("/w/households/{hid}/visits"))
            .header(header::HOST, "localhost")
            .header(header::ORIGIN, "http://localhost")
            .header(header::CONTENT_TYPE, ct)
            .header(header::COOKIE, &worker)
            .body(Body::from(body))
            .unwrap();
        let r = app.send(req).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let code: String = sqlx::query_scalar("SELECT tracking_code FROM cases").fetch_one(&app.state.db.pool).await.unwrap();
        assert!(r.location().contains(&format!("code={code}")), "{}", r.location());
        let page = app.get(r.location(), Some(&worker)).await;
        assert!(page.body.contains("走访已登记") && page.body.contains(&code), "the worker is told the case's code");
    }

    async fn the_case_map_explains_its_colours_and_counts(app: TestApp) {
        let leader = app.login("leader").await;
        let page = app.get("/dashboard", Some(&leader)).await;
        assert_eq!(page.status, StatusCode::OK);
        for words in ["红：已超期", "黄：在时限内办理中", "绿：已办结", "红色件数/事件总数"] {
            assert!(page.body.contains(words), "legend: {words}");
        }
    }

    async fn empty_and_future_periods_rank_nobody(app: TestApp) {
        let leader = app.login("leader").await;
        // Nothing has happened yet this month (the tests' district has no cases).
        let r = app.get("/api/v1/rankings?kind=worker&period=2026-11", Some(&leader)).await.json();
        assert_eq!(r["empty"], true, "{r}");
        let offered: Vec<&str> = r["periods"].as_array().unwrap().iter().map(|p| p[0].as_str().unwrap()).collect();
        assert!(offered.contains(&"2026-10") && !offered.contains(&"2026-12"), "no future period is offered: {offered:?}");
        let page = app.get("/rankings?kind=worker&period=2026-11", Some(&leader)).await;
        assert!(page.body.contains("本期暂无数据") && !page.body.contains("<table class=\"board-table ranking workers"), "no table of zeros");
        assert!(page.body.contains("period=2026-11\" aria-pressed=\"true\" class=\"filter\">2026年11月"), "the chosen period is marked");
        // A future period is empty whatever happens now.
        let worker = app.login("worker").await;
        let p = app.state.grid_index().interior_point(MY_GRID).unwrap();
        app.report(&worker, "city_order", p.lat(), p.lng()).await;
        let now = app.get("/api/v1/rankings?kind=worker&period=2026-11", Some(&leader)).await.json();
        assert_eq!(now["empty"], false, "a report this month: ranked");
        let next = app.get("/api/v1/rankings?kind=worker&period=2027-01", Some(&leader)).await.json();
        assert_eq!(next["empty"], true);
    }

    async fn case_lists_search_words_codes_categories_and_dates(app: TestApp) {
        let worker = app.login("worker").await;
        let center = app.login("center").await;
        let p = app.state.grid_index().interior_point(MY_GRID).unwrap();
        let lamp = app.report(&worker, "infrastructure", p.lat(), p.lng()).await;
        let body = json!({"category": "sanitation", "description": "垃圾桶满溢_三天 100%", "lat": p.lat(), "lng": p.lng()});
        let bins = app.json(Method::POST, "/api/v1/cases", body, Some(&worker)).await.json()["summary"].clone();
        let (bins_id, code) = (bins["id"].as_i64().unwrap(), bins["tracking_code"].as_str().unwrap().to_owned());
        let ids = |v: serde_json::Value| -> Vec<i64> { v["cases"].as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()).collect() };
        let list = |q: String| { let center = center.clone(); let app = &app; async move { app.get(&format!("/api/v1/cases?{q}"), Some(&center)).await } };
        assert_eq!(ids(list("q=%E5%9E%83%E5%9C%BE%E6%A1%B6".into()).await.json()), [bins_id], "垃圾桶");
        assert_eq!(ids(list(format!("q={}", code.to_lowercase())).await.json()), [bins_id], "a tracking code, in any case");
        assert_eq!(ids(list("q=100%25".into()).await.json()), [bins_id], "% is matched as itself");
        assert!(ids(list("q=%E6%A1%B6_%E6%BA%A2".into()).await.json()).is_empty(), "_ is not a wildcard (桶_溢)");
        assert!(ids(list("q=%E5%9E%83%E5%9C%BE%25%E4%B8%89%E5%A4%A9".into()).await.json()).is_empty(), "% is not a wildcard (垃圾%三天)");
        assert_eq!(ids(list("category=infrastructure".into()).await.json()), [lamp]);
        assert_eq!(ids(list("from=2026-11-23&to=2026-11-23".into()).await.json()).len(), 2);
        assert!(ids(list("from=2026-11-24".into()).await.json()).is_empty());
        let r = list(format!("q={}", "长".repeat(101))).await;
        assert_eq!((r.status, r.json()["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("q")));
        // The page offers the same search, without JavaScript.
        let page = app.get("/cases?q=%E5%9E%83%E5%9C%BE%E6%A1%B6", Some(&center)).await;
        assert!(page.body.contains("role=\"search\"") && page.body.contains("垃圾桶满溢"), "search form and its result");
        assert!(!page.body.contains("路灯不亮"), "only the match is listed");
    }

    async fn the_inbox_puts_overdue_first_and_flags_possible_repeats(app: TestApp) {
        let worker = app.login("worker").await;
        let center = app.login("center").await;
        let p = app.state.grid_index().interior_point(MY_GRID).unwrap();
        let first = app.report(&worker, "sanitation", p.lat(), p.lng()).await;
        let twin = app.report(&worker, "sanitation", p.lat() + 0.0002, p.lng()).await;
        let other = app.report(&worker, "traffic", p.lat(), p.lng()).await;
        let inbox = app.get("/api/v1/inbox", Some(&center)).await.json();
        let flag = |id: i64| inbox["to_triage"].as_array().unwrap().iter().find(|c| c["id"] == id).unwrap()["possible_repeat"].as_bool();
        assert_eq!((flag(first), flag(twin), flag(other)), (Some(true), Some(true), Some(false)), "{inbox}");
        let page = app.get("/inbox", Some(&center)).await;
        assert!(page.body.contains("疑似重复"), "the badge is shown");
        let (overdue, triage) = (page.body.find("已超期（含部门超时未报到）").unwrap(), page.body.find("待受理").unwrap());
        assert!(overdue < triage, "overdue work comes first");
    }
}
