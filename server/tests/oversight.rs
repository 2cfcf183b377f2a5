//! Boards, KPIs and rankings against a hand-counted fixture: four cases of one grid, each
//! at a known step, and every figure checked by hand on SQLite and PostgreSQL.

mod common;

use axum::http::StatusCode;
use chrono::Duration;
use serde_json::{Value, json};

const MY_GRID: &str = "360199001001001";
const MY_COMMUNITY: &str = "360199001001";
const MY_STREET: &str = "360199001";

/// A: city order, dispatched to urban, never acknowledged (red once its 报到 is overdue).
/// B: simple, resolved by the worker in 50 minutes and rated satisfied by the centre (green).
/// C: reported, waiting for triage (yellow).
/// D: coordination, police acknowledges at once and resolves in 50 minutes (yellow, unrated).
/// Then two days pass. Returns the ids (A, B, C, D).
async fn fixture(app: &common::TestApp) -> [i64; 4] {
    let worker = app.login("worker").await;
    let center = app.login("center").await;
    let police = app.login("dept-police").await;
    let p = app.state.grid_index().interior_point(MY_GRID).unwrap();
    let mut ids = [0; 4];
    for (i, category) in ["city_order", "sanitation", "fire", "public_security"]
        .iter()
        .enumerate()
    {
        ids[i] = app.report(&worker, category, p.lat(), p.lng()).await;
    }
    let [a, b, _c, d] = ids;
    let ok = |r: common::Reply| assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    ok(app
        .act(
            a,
            &center,
            json!({"action": "triage", "tier": "coordination"}),
        )
        .await);
    ok(app
        .act(
            a,
            &center,
            json!({"action": "dispatch", "departments": [{"department": "urban", "role": "lead"}]}),
        )
        .await);
    ok(app
        .act(b, &center, json!({"action": "triage", "tier": "simple"}))
        .await);
    ok(app
        .act(
            d,
            &center,
            json!({"action": "triage", "tier": "coordination"}),
        )
        .await);
    ok(app
        .act(d, &center, json!({"action": "dispatch", "departments": [{"department": "police", "role": "lead"}]}))
        .await);
    ok(app.act(d, &police, json!({"action": "acknowledge"})).await);
    app.advance(Duration::minutes(50));
    ok(app
        .act(b, &worker, json!({"action": "resolve", "result": "已清运"}))
        .await);
    ok(app
        .act(
            b,
            &center,
            json!({"action": "feedback", "satisfaction": "satisfied", "comment": "电话回访"}),
        )
        .await);
    ok(app
        .act(d, &police, json!({"action": "resolve", "result": "已调解"}))
        .await);
    // The grid checks the department's result on site (核查) before the reporter is asked.
    ok(app
        .act(
            d,
            &worker,
            json!({"action": "verify", "passed": true, "note": "现场已解决"}),
        )
        .await);
    app.advance(Duration::days(2));
    ids
}

fn counts(v: &Value) -> (u64, u64, u64) {
    (
        v["red"].as_u64().unwrap(),
        v["yellow"].as_u64().unwrap(),
        v["green"].as_u64().unwrap(),
    )
}

fn find<'a>(list: &'a Value, key: &str, code: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|x| x[key] == code)
        .unwrap_or_else(|| panic!("{code} not in {list}"))
}

backend_tests! {
    async fn boards_count_each_case_once_in_its_colour(app: TestApp) {
        let [a, ..] = fixture(&app).await;
        let leader = app.login("leader").await;
        let r = app.get("/api/v1/boards?period=2026-11", Some(&leader)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let b = r.json();
        assert_eq!(b["period_label"], "2026年11月");
        assert_eq!(counts(&b["totals"]), (1, 2, 1));
        assert_eq!(b["area_level"], "district");
        assert_eq!(counts(&find(&b["areas"], "code", MY_STREET)["counts"]), (1, 2, 1));
        let others: u64 = b["areas"].as_array().unwrap().iter()
            .filter(|x| x["code"] != MY_STREET)
            .map(|x| { let (r, y, g) = counts(&x["counts"]); r + y + g }).sum();
        assert_eq!(others, 0);
        assert_eq!(counts(&find(&b["departments"], "code", "urban")["counts"]), (1, 0, 0));
        assert_eq!(counts(&find(&b["departments"], "code", "police")["counts"]), (0, 1, 0));
        assert_eq!(b["departments"][0]["code"], "urban", "red first");

        let red = &b["red"][0];
        assert_eq!(b["red_total"], 1);
        assert_eq!(red["id"], a);
        assert_eq!(red["reasons"], json!(["ack_overdue"]));
        assert_eq!(red["ack_overdue_hours"], 16, "due Tuesday 17:30, now Wednesday 09:50");
        assert_eq!(red["overdue_hours"], Value::Null, "its 5 working days are not over");
        assert_eq!(red["supervised"], false);

        // Drilling down: the community's grids, and the grid itself has no children.
        let c = app.get(&format!("/api/v1/boards?area={MY_COMMUNITY}"), Some(&leader)).await.json();
        assert_eq!(counts(&find(&c["areas"], "code", MY_GRID)["counts"]), (1, 2, 1));
        let g = app.get(&format!("/api/v1/boards?area={MY_GRID}"), Some(&leader)).await.json();
        assert_eq!(g["areas"], json!([]));
        assert_eq!(counts(&g["totals"]), (1, 2, 1));
        // The worker's own board is their grid's.
        let worker = app.login("worker").await;
        let w = app.get("/api/v1/boards", Some(&worker)).await.json();
        assert_eq!((w["area_code"].as_str(), counts(&w["totals"])), (Some(MY_GRID), (1, 2, 1)));

        // A month's board: its own cases plus the backlog still open from before.
        let dec = app.get("/api/v1/boards?period=2026-12", Some(&leader)).await.json();
        assert_eq!(counts(&dec["totals"]), (1, 1, 0), "A and C are still open");
        let oct = app.get("/api/v1/boards?period=2026-10", Some(&leader)).await.json();
        assert_eq!(counts(&oct["totals"]), (0, 0, 0), "nothing was reported yet");
    }

    async fn boards_are_scoped(app: TestApp) {
        fixture(&app).await;
        let center2 = app.login("center2").await;
        let r = app.get(&format!("/api/v1/boards?area={MY_STREET}"), Some(&center2)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "another street's board: {}", r.body);
        let own = app.get("/api/v1/boards", Some(&center2)).await.json();
        assert_eq!(counts(&own["totals"]), (0, 0, 0));
        let dept = app.login("dept").await;
        let r = app.get("/api/v1/boards", Some(&dept)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert_eq!(r.json()["message"], "看板与排名只对辖区人员开放。");
        let leader = app.login("leader").await;
        let r = app.get("/api/v1/boards?period=2026-13", Some(&leader)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.json()["message"], "期间格式应为 YYYY-MM、YYYY-Qn、YYYY-Hn 或 YYYY。");
        assert_eq!(app.get("/api/v1/boards", None).await.status, StatusCode::UNAUTHORIZED);
    }

    async fn a_board_is_kept_for_seconds_and_every_step_on_any_instance_shows_at_once(app: TestApp) {
        let [_a, _b, c, _d] = fixture(&app).await;
        let leader = app.login("leader").await;
        let board = |router: axum::Router| {
            let leader = leader.clone();
            async move {
                let req = axum::http::Request::get("/api/v1/boards")
                    .header(axum::http::header::HOST, "localhost")
                    .header(axum::http::header::COOKIE, leader)
                    .body(axum::body::Body::empty())
                    .unwrap();
                common::send(&router, req).await.json()
            }
        };
        let urban = |b: &Value| find(&b["departments"], "code", "urban")["name"].clone();
        let first = board(app.router.clone()).await;
        let before = urban(&first);
        // A change that is not a case step (a department renamed behind the server's back)
        // is not seen while the board is kept...
        sqlx::query("UPDATE departments SET name = '城管执法局（新）' WHERE code = 'urban'")
            .execute(&app.state.db.pool)
            .await
            .unwrap();
        let kept = board(app.router.clone()).await;
        assert_eq!(urban(&kept), before, "kept: {kept}");
        assert_eq!(kept, first);
        // ...and is, once the board is older than its few seconds: the first read after
        // them still gets the kept board while it is computed again behind it...
        app.advance(Duration::seconds(6));
        assert_eq!(urban(&board(app.router.clone()).await), before, "answered at once");
        let mut seen = None;
        for _ in 0..100 {
            let now = urban(&board(app.router.clone()).await);
            if now != before {
                seen = Some(now);
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert_eq!(seen, Some(json!("城管执法局（新）")), "then the new board");
        // ...and a board nobody read for longer is computed before it is answered.
        sqlx::query("UPDATE departments SET name = '城管执法局（二）' WHERE code = 'urban'")
            .execute(&app.state.db.pool)
            .await
            .unwrap();
        app.advance(Duration::seconds(11));
        assert_eq!(urban(&board(app.router.clone()).await), "城管执法局（二）");
        // A step on another instance is on this one's board at the next read.
        let (_, other) = common::second_instance(&app).await;
        let center = app.login("center").await;
        let req = axum::http::Request::post(format!("/api/v1/cases/{c}/actions"))
            .header(axum::http::header::HOST, "localhost")
            .header(axum::http::header::CONTENT_TYPE, "application/json")
            .header(axum::http::header::COOKIE, center)
            .body(axum::body::Body::from(json!({"action": "invalidate", "reason": "duplicate", "note": "与事件 A 重复"}).to_string()))
            .unwrap();
        let r = common::send(&other, req).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let after = board(app.router.clone()).await;
        let total = |b: &Value| { let (r, y, g) = counts(&b["totals"]); r + y + g };
        assert_eq!(total(&after), total(&first) - 1, "C is no longer counted: {after}");
    }

    async fn kpis_follow_the_documented_formulas(app: TestApp) {
        fixture(&app).await;
        let leader = app.login("leader").await;
        let r = app.get("/api/v1/kpis?from=2026-11-01&to=2026-11-30", Some(&leader)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let k = r.json();
        assert_eq!((k["received"].as_u64(), k["completed"].as_u64(), k["on_time"].as_u64()), (Some(4), Some(2), Some(2)));
        assert_eq!(k["completion_rate"], 50.0);
        assert_eq!(k["on_time_rate"], 100.0);
        assert_eq!(k["satisfaction_rate"], 100.0, "B satisfied; D not rated yet");
        let h = &k["handling"];
        assert_eq!((h[0]["tier"].as_str(), h[0]["avg_hours"].as_f64()), (Some("simple"), Some(0.8)));
        assert_eq!((h[1]["tier"].as_str(), h[1]["avg_hours"].as_f64()), (Some("coordination"), Some(0.8)));
        assert_eq!(h[2]["avg_hours"], Value::Null);
        assert_eq!(k["weekly"], json!([{"label": "2026-W48", "label_zh": "11月第4周", "received": 4, "completed": 2}]));
        assert_eq!(k["monthly"], json!([{"label": "2026-11", "label_zh": "2026年11月", "received": 4, "completed": 2}]));
        // The portrait: one row per street, one column per category.
        let p = &k["portrait"];
        let col = p["categories"].as_array().unwrap().iter().position(|c| c[0] == "fire").unwrap();
        assert_eq!(find(&p["rows"], "code", MY_STREET)["counts"][col], 1);
        assert_eq!(p["max"], 1);
        // Needs: the red coordination case first.
        assert_eq!((k["needs"][0]["category"].as_str(), k["needs"][0]["red"].as_u64()), (Some("city_order"), Some(1)));
        assert_eq!(k["needs"].as_array().unwrap().len(), 4);

        let empty = app.get("/api/v1/kpis?from=2026-10-01&to=2026-10-31", Some(&leader)).await.json();
        assert_eq!((empty["received"].as_u64(), &empty["completion_rate"]), (Some(0), &Value::Null));
        let r = app.get("/api/v1/kpis?from=2026-11-30&to=2026-11-01", Some(&leader)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let r = app.get("/api/v1/kpis?from=30/11/2026", Some(&leader)).await;
        assert_eq!(r.json()["message"], "日期格式应为 YYYY-MM-DD。");
    }

    async fn rankings_show_their_parts_and_the_same_inputs_give_the_same_order(app: TestApp) {
        fixture(&app).await;
        let leader = app.login("leader").await;
        let r = app.get("/api/v1/rankings?kind=worker&period=2026-11", Some(&leader)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let w = r.json();
        let top = &w["workers"][0];
        assert_eq!(top["rank"], 1);
        assert_eq!(top["facts"]["grid_name"].as_str().unwrap().is_empty(), false);
        let f = &top["facts"];
        assert_eq!((f["found"].as_u64(), f["self_closed_in_time"].as_u64(), f["resolved"].as_u64(), f["resolved_on_time"].as_u64()),
            (Some(4), Some(1), Some(2), Some(2)));
        assert_eq!(f["staff_ratings"]["satisfied"], 1);
        assert_eq!(f["red_open"], 1);
        // (40×20 + 20×15 + 100×25 + 100×20) ÷ 80 = 70, minus one red case (5).
        assert_eq!(top["score"], 65.0);
        assert_eq!(top["penalty"], 5.0);
        let visits = top["parts"].as_array().unwrap().iter().find(|p| p["part"] == "visits").unwrap();
        assert_eq!(visits["value"], Value::Null, "no household to visit: left out");
        assert_eq!(w["workers"][1]["score"], 0.0);
        let again = app.get("/api/v1/rankings?kind=worker&period=2026-11", Some(&leader)).await.json();
        assert_eq!(again, w, "reproducible");

        let d = app.get("/api/v1/rankings?kind=department&period=2026-Q4", Some(&leader)).await.json();
        assert_eq!(d["period_label"], "2026年第四季度");
        let units = d["units"].as_array().unwrap();
        assert_eq!((units[0]["facts"]["code"].as_str(), units[0]["score"].as_f64()), (Some("police"), Some(100.0)));
        assert_eq!((units[1]["facts"]["code"].as_str(), units[1]["score"].as_f64()), (Some("urban"), Some(0.0)));
        assert_eq!(units[1]["facts"]["red_open"], 1);

        let a = app.get("/api/v1/rankings?kind=area&period=2026-11", Some(&leader)).await.json();
        let first = &a["units"][0];
        // 50 × 0.3 + 100 × 0.4 + 100 × 0.3
        assert_eq!((first["facts"]["code"].as_str(), first["score"].as_f64()), (Some(MY_STREET), Some(85.0)));
        let r = app.get("/api/v1/rankings?kind=mediator", Some(&leader)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    }

    async fn the_monthly_report_downloads_as_xlsx_with_the_api_totals(app: TestApp) {
        fixture(&app).await;
        let leader = app.login("leader").await;
        let (status, headers, bytes) = common::get_bytes(&app.router, "/api/v1/reports.xlsx?period=2026-11", &leader).await;
        assert_eq!(status, StatusCode::OK);
        let disposition = headers[axum::http::header::CONTENT_DISPOSITION].to_str().unwrap();
        assert!(disposition.contains("report-360199-2026-11.xlsx"), "{disposition}");
        assert!(disposition.contains("filename*=UTF-8''"), "{disposition}");
        let rows = app::ssr::xlsx::read_table(&bytes).expect("a readable workbook");
        let value = |label: &str| rows.iter().find(|r| r[0] == label).unwrap_or_else(|| panic!("{label} in {rows:?}"))[1].clone();
        let k = app.get("/api/v1/kpis?from=2026-11-01&to=2026-11-30", Some(&leader)).await.json();
        let b = app.get("/api/v1/boards?period=2026-11", Some(&leader)).await.json();
        assert_eq!(value("受理"), k["received"].to_string());
        assert_eq!(value("办结"), k["completed"].to_string());
        assert_eq!(value("办结率（%）"), "50");
        assert_eq!(value("红色"), b["totals"]["red"].to_string());
        assert_eq!(value("黄色"), b["totals"]["yellow"].to_string());
        assert!(value("报告").ends_with("2026年11月月度调度表"));
        // The JSON form of the same report.
        let r = app.get("/api/v1/reports?period=2026-Q4", Some(&leader)).await.json();
        assert_eq!(r["title"], "季度督查报告");
        assert_eq!(r["workers"]["workers"][0]["score"], 65.0);
    }

    async fn a_ranking_downloads_as_the_page_shows_it(app: TestApp) {
        fixture(&app).await;
        let leader = app.login("leader").await;
        let page = app.get("/api/v1/rankings?kind=worker&period=2026-11", Some(&leader)).await.json();
        let (status, headers, bytes) = common::get_bytes(&app.router, "/api/v1/rankings.xlsx?kind=worker&period=2026-11", &leader).await;
        assert_eq!(status, StatusCode::OK);
        let disposition = headers[axum::http::header::CONTENT_DISPOSITION].to_str().unwrap();
        assert!(disposition.contains("ranking-worker-360199-2026-11.xlsx"), "{disposition}");
        let rows = app::ssr::xlsx::read_table(&bytes).unwrap();
        assert_eq!(rows[0][..4], ["名次", "网格员", "网格", "得分"]);
        assert_eq!(rows.len() - 1, page["workers"].as_array().unwrap().len(), "every worker, not the top ten only");
        assert_eq!(rows[1][1], page["workers"][0]["facts"]["name"].as_str().unwrap());
        assert_eq!(rows[1][3].parse::<f64>().unwrap(), page["workers"][0]["score"].as_f64().unwrap());
        let (_, _, bytes) = common::get_bytes(&app.router, "/api/v1/rankings.xlsx?kind=department&period=2026-11", &leader).await;
        let rows = app::ssr::xlsx::read_table(&bytes).unwrap();
        assert_eq!(rows[0][1], "部门");
        let (_, _, bytes) = common::get_bytes(&app.router, "/api/v1/rankings.xlsx?kind=worker&period=2026-12", &leader).await;
        let rows = app::ssr::xlsx::read_table(&bytes).unwrap();
        assert_eq!(rows[1][0], "本期暂无数据", "a future period ranks nobody");
        let r = app.get("/api/v1/rankings.xlsx?kind=nonsense", Some(&leader)).await;
        assert!(r.status.is_client_error());
    }

    async fn the_map_draws_cases_close_up_and_counts_per_grid_from_afar(app: TestApp) {
        let [a, ..] = fixture(&app).await;
        let leader = app.login("leader").await;
        let p = app.state.grid_index().interior_point(MY_GRID).unwrap();
        let bbox = format!("{},{},{},{}", p.lat() - 0.01, p.lng() - 0.01, p.lat() + 0.01, p.lng() + 0.01);
        let r = app.get(&format!("/api/v1/map/cases?bbox={bbox}&zoom=16"), Some(&leader)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let m = r.json();
        assert_eq!(m["mode"], "cases");
        let cases = m["cases"].as_array().unwrap();
        assert_eq!(cases.len(), 4);
        let red: Vec<&Value> = cases.iter().filter(|c| c["colour"] == "red").collect();
        assert_eq!((red.len(), &red[0]["id"]), (1, &json!(a)));
        assert!(red[0]["tracking_code"].as_str().unwrap().len() == 10);

        let far = app.get(&format!("/api/v1/map/cases?bbox={bbox}&zoom=12"), Some(&leader)).await.json();
        assert_eq!(far["mode"], "grids");
        assert_eq!(far["grids"].as_array().unwrap().len(), 1);
        assert_eq!(counts(&far["grids"][0]["counts"]), (1, 2, 1));
        assert_eq!(far["grids"][0]["grid_code"], MY_GRID);
        // Counted from the board's tallies (colour) or from the cases (other filters):
        // the same figures, each grid's whole count.
        let far_with = |q: &'static str| {
            let (app, leader, bbox) = (&app, &leader, bbox.clone());
            async move {
                let m = app.get(&format!("/api/v1/map/cases?bbox={bbox}&zoom=12&{q}"), Some(leader)).await.json();
                assert_eq!(m["mode"], "grids", "{q}");
                counts(&m["grids"][0]["counts"])
            }
        };
        assert_eq!(far_with("colour=red").await, (1, 0, 0));
        assert_eq!(far_with("colour=yellow").await, (0, 2, 0));
        assert_eq!(far_with("department=urban").await, (1, 0, 0));
        assert_eq!(far_with("category=fire").await, (0, 1, 0));
        assert_eq!(far_with("category=sanitation&colour=green").await, (0, 0, 1));
        // A corner of the grid away from its cases: no case close up, but from afar the
        // grid shows all of them (as the board does).
        let corner = (p.lat() + 0.0002, p.lng() + 0.0002, p.lat() + 0.0004, p.lng() + 0.0004);
        assert!(app.state.grid_index().meeting((corner.1, corner.0, corner.3, corner.2)).contains(&MY_GRID));
        let corner = format!("{},{},{},{}", corner.0, corner.1, corner.2, corner.3);
        let close = app.get(&format!("/api/v1/map/cases?bbox={corner}&zoom=17"), Some(&leader)).await.json();
        assert_eq!((close["mode"].as_str(), close["cases"].as_array().map(Vec::len)), (Some("cases"), Some(0)));
        for q in ["", "&category=fire"] {
            let from_afar = app.get(&format!("/api/v1/map/cases?bbox={corner}&zoom=12{q}"), Some(&leader)).await.json();
            let total = if q.is_empty() { (1, 2, 1) } else { (0, 1, 0) };
            assert_eq!(counts(&from_afar["grids"][0]["counts"]), total, "{q}");
        }

        let only_red = app.get(&format!("/api/v1/map/cases?bbox={bbox}&zoom=16&colour=red"), Some(&leader)).await.json();
        assert_eq!(only_red["cases"].as_array().unwrap().len(), 1);
        let urban = app.get(&format!("/api/v1/map/cases?bbox={bbox}&zoom=16&department=urban"), Some(&leader)).await.json();
        assert_eq!(urban["cases"].as_array().unwrap().len(), 1);
        let fire = app.get(&format!("/api/v1/map/cases?bbox={bbox}&zoom=16&category=fire&tier=simple"), Some(&leader)).await.json();
        assert_eq!(fire["cases"].as_array().unwrap().len(), 0);
        // Elsewhere in the district, nothing.
        let empty = app.get("/api/v1/map/cases?bbox=10,10,11,11&zoom=16", Some(&leader)).await.json();
        assert_eq!(empty["cases"], json!([]));
        let r = app.get("/api/v1/map/cases?bbox=1,2,3&zoom=16", Some(&leader)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.json()["message"], "地图范围应为“南,西,北,东”四个经纬度。");
        // Another street's centre sees none of these cases.
        let center2 = app.login("center2").await;
        let theirs = app.get(&format!("/api/v1/map/cases?bbox={bbox}&zoom=16"), Some(&center2)).await.json();
        assert_eq!(theirs["cases"], json!([]));
    }

    async fn an_open_case_turns_red_on_the_board_at_its_due_minute(app: TestApp) {
        let worker = app.login("worker").await;
        let center = app.login("center").await;
        let leader = app.login("leader").await;
        let p = app.state.grid_index().interior_point(MY_GRID).unwrap();
        let x = app.report(&worker, "city_order", p.lat(), p.lng()).await;
        let ok = |r: common::Reply| assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        ok(app.act(x, &center, json!({"action": "triage", "tier": "coordination"})).await);
        ok(app.act(x, &center, json!({"action": "dispatch", "departments": [{"department": "urban", "role": "lead"}]})).await);
        let board = || async { app.get("/api/v1/boards", Some(&leader)).await.json() };
        // Monday 09:00 → Tuesday 17:20: its 报到 is due at 17:30.
        app.advance(Duration::minutes(32 * 60 + 20));
        let b = board().await;
        assert_eq!(counts(&b["totals"]), (0, 1, 0));
        assert_eq!(counts(&find(&b["departments"], "code", "urban")["counts"]), (0, 1, 0));
        // 17:40, within the week it turned red (counted from the case itself).
        app.advance(Duration::minutes(20));
        let b = board().await;
        assert_eq!(counts(&b["totals"]), (1, 0, 0));
        assert_eq!(counts(&find(&b["departments"], "code", "urban")["counts"]), (1, 0, 0));
        // A week later (from the tallies), the same.
        app.advance(Duration::days(7));
        let b = board().await;
        assert_eq!(counts(&b["totals"]), (1, 0, 0));
        assert_eq!(b["red"][0]["id"], x);
        let r = app.get("/api/v1/rankings?kind=department", Some(&leader)).await.json();
        let urban = r["units"].as_array().unwrap().iter().find(|u| u["facts"]["code"] == "urban").unwrap();
        assert_eq!(urban["facts"]["red_open"], 1);
    }

    async fn tallies_kept_case_by_case_equal_a_rebuild_from_the_cases(app: TestApp) {
        let [a, _b, _c, d] = fixture(&app).await;
        let ok = |r: common::Reply| assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let center = app.login("center").await;
        let urban = app.login("dept").await;
        // D is rated dissatisfied: it reopens and is red for good.
        ok(app.act(d, &center, json!({"action": "feedback", "satisfaction": "dissatisfied", "comment": "没有解决"})).await);
        // Three weeks later, in December, urban acknowledges and resolves A (reported in
        // November): its months are no longer one.
        app.advance(Duration::days(21));
        ok(app.act(a, &urban, json!({"action": "acknowledge"})).await);
        ok(app.act(a, &urban, json!({"action": "resolve", "result": "已整改"})).await);

        let kept = app.tally_lines().await;
        assert!(kept.iter().any(|r| r.contains("|dept_resolved|urban|")), "{kept:#?}");
        assert!(kept.iter().any(|r| r.contains("|self_closed|")), "B, by the worker: {kept:#?}");
        assert!(kept.iter().any(|r| r.starts_with(&format!("{MY_GRID}|0|open|"))), "D is red for good: {kept:#?}");
        // Dated axes only: the open ones are bucketed by the hour a case turns red.
        let months: std::collections::BTreeSet<&str> = kept
            .iter()
            .filter(|r| !r.split('|').nth(2).unwrap().starts_with("open"))
            .map(|r| r.split('|').nth(1).unwrap())
            .collect();
        assert_eq!(months.len(), 2, "November and December: {kept:#?}");
        app::ssr::store::tallies::rebuild(&app.state.db.pool).await.unwrap();
        assert_eq!(kept, app.tally_lines().await);

        // The December board counts no case reported in December, but A's November board
        // shows it resolved and unrated (yellow), D red for good.
        let leader = app.login("leader").await;
        let nov = app.get("/api/v1/boards?period=2026-11", Some(&leader)).await.json();
        assert_eq!(counts(&nov["totals"]), (1, 2, 1), "{nov}");
        assert_eq!(counts(&find(&nov["departments"], "code", "urban")["counts"]), (0, 1, 0));
        assert_eq!(nov["red"][0]["id"], d);
        let dec = app.get("/api/v1/boards?period=2026-12", Some(&leader)).await.json();
        assert_eq!(counts(&dec["totals"]), (1, 1, 0), "the open ones (C and D) only: {dec}");
    }
}
