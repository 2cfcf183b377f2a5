//! The 数字城管 steps through the real router, on SQLite and PostgreSQL: invalid reports
//! (不予立案) and what the reporter reads, on-site verification and rework (核查/返工),
//! deferral (缓办) and its return on the review date, urgent clocks — each with who may
//! and in which state. The clock is fixed (Monday 2026-11-23 09:00) and moved by hand.

mod common;

use axum::http::StatusCode;
use chrono::Duration;
use serde_json::{Value, json};

const MY_GRID: &str = "360199001001001";

fn status(detail: &Value) -> &str {
    detail["summary"]["status"].as_str().unwrap()
}

fn kinds(v: &Value) -> Vec<String> {
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["kind"].as_str().unwrap().to_owned())
        .collect()
}

/// A coordination case dispatched to urban management and acknowledged.
async fn in_hand(app: &common::TestApp, worker: &str, center: &str, urban: &str) -> i64 {
    let (lat, lng) = app.inside(worker, MY_GRID).await;
    let id = app.report(worker, "city_order", lat, lng).await;
    app.act(
        id,
        center,
        json!({"action": "triage", "tier": "coordination"}),
    )
    .await;
    app.act(
        id,
        center,
        json!({"action": "dispatch", "departments": [{"department": "urban", "role": "lead"}]}),
    )
    .await;
    let d = app
        .act(id, urban, json!({"action": "acknowledge"}))
        .await
        .json();
    assert_eq!(status(&d), "handling");
    id
}

backend_tests! {
    async fn an_invalid_report_tells_the_reporter_why(app: TestApp) {
        let worker = app.login("worker").await;
        let center = app.login("center").await;
        let (lat, lng) = app.inside(&worker, MY_GRID).await;
        let id = app.report(&worker, "city_order", lat, lng).await;
        let r = app.act(id, &worker, json!({"action": "invalidate", "reason": "not_a_problem"})).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "the grid reports; the command decides");
        let r = app.act(id, &center, json!({"action": "invalidate", "reason": "not_our_remit", "note": " "})).await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert!(r.json()["message"].as_str().unwrap().contains("应向哪个单位反映"));
        let long = "长".repeat(2001);
        let r = app.act(id, &center, json!({"action": "invalidate", "reason": "not_our_remit", "note": long})).await;
        assert!(r.status.is_client_error(), "a note is bounded: {}", r.status);
        let r = app.act(id, &center, json!({"action": "invalidate", "reason": "sometimes"})).await;
        assert!(r.status.is_client_error(), "unknown reasons are refused: {}", r.status);
        let note = "请向小区物业服务企业反映。";
        let d = app.act(id, &center, json!({"action": "invalidate", "reason": "not_our_remit", "note": note})).await.json();
        assert_eq!(status(&d), "invalid");
        assert_eq!(d["invalid_reason"], "not_our_remit");
        assert_eq!(d["allowed_actions"], json!([]), "nothing follows an invalid report");
        assert_eq!(d["summary"]["colour"]["colour"], "green", "no colour of its own");
        let r = app.act(id, &center, json!({"action": "triage", "tier": "simple"})).await;
        assert_eq!(r.status, StatusCode::CONFLICT);

        // The reporter reads the reason in plain words, and the note, never a name.
        let code = d["summary"]["tracking_code"].as_str().unwrap().to_owned();
        let public = app.get(&format!("/api/v1/public/reports/{code}"), None).await.json();
        assert_eq!(public["status"], "invalid");
        let step = public["steps"].as_array().unwrap().iter().find(|s| s["action"] == "invalidate").unwrap().clone();
        assert_eq!(step["message"], "该问题不属于本平台受理范围，请按下方说明向相关单位反映。");
        assert_eq!(step["text"], note);
        let page = app.get(&format!("/t/{code}"), None).await;
        assert!(page.body.contains("经核实不予立案"), "progress in words");
        assert!(page.body.contains("不属于本平台受理范围") && page.body.contains(note));
        assert!(!page.body.contains("指挥中心"), "no staff names");

        // Invalid reports are not in the figures: the month's board does not count it.
        let leader = app.login("leader").await;
        let b = app.get("/api/v1/boards?period=2026-11", Some(&leader)).await.json();
        let t = &b["totals"];
        let total = ["red", "yellow", "green"].iter().map(|c| t[c].as_u64().unwrap_or(0)).sum::<u64>();
        assert_eq!(total, 0, "{t}");
        let k = app.get("/api/v1/kpis", Some(&leader)).await.json();
        assert_eq!((k["received"].as_u64(), k["invalid"].as_u64(), k["filed"].as_u64()), (Some(0), Some(1), Some(0)));
        assert_eq!(k["filing_rate"], 0.0, "立案率 = 0 filed ÷ (0 + 1 invalid)");
        assert_eq!(k["by_source"], json!([{"source": "grid_worker", "filed": 0, "invalid": 1, "filing_rate": 0.0}]));
        // Counted per reporter: the worker's row in the ranking says so.
        let r = app.get("/api/v1/rankings?kind=worker", Some(&leader)).await.json();
        let me = r["workers"].as_array().unwrap().iter().find(|w| w["facts"]["invalid_reports"] == 1);
        assert!(me.is_some(), "{r}");
    }

    async fn a_failed_check_sends_the_result_back_to_the_department(app: TestApp) {
        let worker = app.login("worker").await;
        let center = app.login("center").await;
        let urban = app.login("dept").await;
        let id = in_hand(&app, &worker, &center, &urban).await;
        let deadline = app.get(&format!("/api/v1/cases/{id}"), Some(&center)).await.json()["summary"]["deadline"].clone();
        app.advance(Duration::hours(3));
        let d = app.act(id, &urban, json!({"action": "resolve", "result": "已清理"})).await.json();
        assert_eq!(status(&d), "verifying");
        assert_eq!(d["verify_due"], "2026-11-24T09:30:00Z", "by the end of the next working day");
        // The grid worker's phone home lists it to check; a department's does not.
        let code = d["summary"]["tracking_code"].as_str().unwrap().to_owned();
        let home = app.get("/w", Some(&worker)).await;
        assert_eq!(home.status, StatusCode::OK);
        let listed = home.body.split_once("case-list to-verify").map_or("", |(_, rest)| rest);
        assert!(home.body.contains("待核查") && listed.contains(&code), "{}", home.body);
        let desk = app.get("/w", Some(&urban)).await;
        assert!(!desk.body.contains("case-list to-verify"), "departments do not check");
        let r = app.act(id, &urban, json!({"action": "verify", "passed": true})).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "nobody checks their own result");
        let r = app.act(id, &worker, json!({"action": "feedback", "satisfaction": "satisfied", "comment": "满意"})).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "the reporter is asked after the check");
        let r = app.act(id, &worker, json!({"action": "verify", "passed": false})).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "a failure says why");
        let d = app.act(id, &worker, json!({"action": "verify", "passed": false, "note": "仍有垃圾未清运"})).await.json();
        assert_eq!(status(&d), "handling");
        assert_eq!(d["rework_count"], 1);
        assert_eq!(d["summary"]["deadline"], deadline, "the original deadline stands");
        let n = app.get("/api/v1/notifications", Some(&urban)).await.json();
        assert!(kinds(&n).contains(&"rework".to_owned()), "{n}");

        let d = app.act(id, &urban, json!({"action": "resolve", "result": "已彻底清理"})).await.json();
        assert_eq!(status(&d), "verifying");
        app.advance(Duration::days(2));
        let d = app.act(id, &worker, json!({"action": "verify", "passed": true, "note": "已整改到位"})).await.json();
        assert_eq!(status(&d), "resolved");
        let checks: Vec<(bool, bool)> = d["timeline"].as_array().unwrap().iter()
            .filter(|e| e["action"] == "verify")
            .map(|e| (e["data"]["passed"].as_bool().unwrap(), e["data"]["on_time"].as_bool().unwrap()))
            .collect();
        assert_eq!(checks, [(false, true), (true, false)], "及时核查 is recorded per check");
        let d = app.act(id, &center, json!({"action": "feedback", "satisfaction": "satisfied", "comment": "电话回访：满意"})).await.json();
        assert_eq!(status(&d), "closed");
        // The figures: one of two checks failed, one of two was in time.
        let leader = app.login("leader").await;
        let k = app.get("/api/v1/kpis", Some(&leader)).await.json();
        assert_eq!(k["rework_rate"], 50.0);
        assert_eq!(k["verification_on_time_rate"], 50.0);
        assert_eq!(k["composite_index"]["parts"].as_array().unwrap().len(), 5);
        assert!(k["composite_index"]["value"].as_f64().is_some());
        // Counted per verifier: the worker made two checks, one in time.
        let r = app.get("/api/v1/rankings?kind=worker", Some(&leader)).await.json();
        let checks: Vec<(u64, u64)> = r["workers"].as_array().unwrap().iter()
            .filter(|w| w["facts"]["checks"].as_u64() > Some(0))
            .map(|w| (w["facts"]["checks"].as_u64().unwrap(), w["facts"]["checks_on_time"].as_u64().unwrap()))
            .collect();
        assert_eq!(checks, [(2, 1)]);
    }

    async fn a_deferred_case_waits_off_the_red_list_until_its_review_date(app: TestApp) {
        let worker = app.login("worker").await;
        let center = app.login("center").await;
        let urban = app.login("dept").await;
        let leader = app.login("leader").await;
        let id = in_hand(&app, &worker, &center, &urban).await;
        let r = app.act(id, &urban, json!({"action": "defer", "reason": "待预算", "review_on": "2026-11-23"})).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        assert_eq!(r.json()["message"], "复查日期须在明天至一年之内。");
        let d = app.act(id, &urban, json!({"action": "defer", "reason": "需纳入年度维修计划", "review_on": "2026-12-14"})).await.json();
        assert_eq!(status(&d), "handling", "asked, not yet approved");
        assert_eq!(d["review_on"], "2026-12-14");
        assert!(kinds(&app.get("/api/v1/notifications", Some(&center)).await.json()).contains(&"deferral_requested".to_owned()));
        let r = app.act(id, &urban, json!({"action": "approve_deferral"})).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "the level above approves");
        let d = app.act(id, &center, json!({"action": "approve_deferral", "note": "同意"})).await.json();
        assert_eq!(status(&d), "deferred");
        let k = app.get("/api/v1/kpis", Some(&leader)).await.json();
        assert_eq!((k["deferred"].as_u64(), k["due"].as_u64()), (Some(1), Some(1)), "缓办数 leaves 应结案");
        assert_eq!(k["closing_on_time_rate"], Value::Null, "nothing left to close on time");
        let report = app.get("/api/v1/reports?period=2026-11", Some(&leader)).await.json();
        let listed: Vec<i64> = report["deferred"].as_array().unwrap().iter().map(|d| d["id"].as_i64().unwrap()).collect();
        assert_eq!(listed, [id], "the rhythm report lists it");
        assert_eq!(report["deferred"][0]["review_on"], "2026-12-14");

        // Weeks later, past its deadline, it is not on the red list.
        app.advance(Duration::days(14));
        let b = app.get("/api/v1/boards?period=2026-11", Some(&leader)).await.json();
        assert!(b["red"].as_array().unwrap().iter().all(|c| c["id"] != id), "{}", b["red"]);
        let list = app.get("/api/v1/cases?status=deferred", Some(&center)).await.json();
        assert_eq!(list["total"], 1, "deferred cases have their own list");

        // Not before its day: the sweep leaves it.
        let state = &app.state;
        let now = state.clock.now();
        assert_eq!(app::ssr::services::cases::deferral::resume_due(state, now).await.unwrap(), 0);
        app.advance(Duration::days(7));
        let now = state.clock.now();
        assert_eq!(app::ssr::services::cases::deferral::resume_due(state, now).await.unwrap(), 1);
        assert_eq!(app::ssr::services::cases::deferral::resume_due(state, now).await.unwrap(), 0, "once");
        let d = app.get(&format!("/api/v1/cases/{id}"), Some(&center)).await.json();
        assert_eq!(status(&d), "handling");
        let last = d["timeline"].as_array().unwrap().last().unwrap().clone();
        assert_eq!((last["action"].as_str(), last["actor_name"].as_str()), (Some("resume"), Some("系统")));
        let deadline = chrono::DateTime::parse_from_rfc3339(d["summary"]["deadline"].as_str().unwrap()).unwrap();
        assert!(deadline > now + Duration::hours(8), "a fresh working day at least: {deadline}");
        assert!(kinds(&app.get("/api/v1/notifications", Some(&urban)).await.json()).contains(&"resumed".to_owned()));
    }

    async fn urgent_cases_have_their_own_clocks_and_marks(app: TestApp) {
        let worker = app.login("worker").await;
        let center = app.login("center").await;
        let (lat, lng) = app.inside(&worker, MY_GRID).await;
        let id = app.report(&worker, "city_order", lat, lng).await;
        let d = app.act(id, &center, json!({"action": "triage", "tier": "coordination", "urgent": true})).await.json();
        assert_eq!(d["summary"]["urgent"], true);
        assert_eq!(d["summary"]["deadline"], "2026-11-25T09:30:00Z", "two working days, not five");
        let d = app.act(id, &center, json!({"action": "dispatch", "departments": [{"department": "urban", "role": "lead"}]})).await.json();
        assert_eq!(d["dispatches"][0]["ack_due"], "2026-11-23T03:00:00Z", "two working hours to 报到");
        let list = app.get("/api/v1/cases", Some(&center)).await.json();
        let row = list["cases"].as_array().unwrap().iter().find(|c| c["id"] == id).unwrap().clone();
        assert_eq!(row["urgent"], true, "marked in lists");
    }

    async fn the_grid_leader_spot_checks_the_grid_s_own_results(app: TestApp) {
        // An instance that draws every grid result for a spot check (GRIDGOV_SPOT_CHECK_PERCENT=100).
        let (_, all) = common::instance_with(&app, |c| c.spot_check_percent = 100).await;
        let act = |cookie: String, id: i64, body: Value| {
            let router = all.clone();
            async move {
                let req = axum::http::Request::post(format!("/api/v1/cases/{id}/actions"))
                    .header(axum::http::header::HOST, "localhost")
                    .header(axum::http::header::CONTENT_TYPE, "application/json")
                    .header(axum::http::header::COOKIE, cookie)
                    .body(axum::body::Body::from(body.to_string()))
                    .unwrap();
                common::send(&router, req).await
            }
        };
        let worker = app.login("worker").await;
        let leader = app.login("gl001001").await;
        let (lat, lng) = app.inside(&worker, MY_GRID).await;
        let id = app.report(&worker, "sanitation", lat, lng).await;
        let r = act(worker.clone(), id, json!({"action": "triage", "tier": "simple"})).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let d = act(worker.clone(), id, json!({"action": "resolve", "result": "已清理"})).await.json();
        assert_eq!(status(&d), "verifying", "drawn for a spot check");
        let r = act(worker.clone(), id, json!({"action": "verify", "passed": true})).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert_eq!(r.json()["message"], "不能核查自己办结的事件，请由网格长或指挥中心核查。");
        let d = act(leader.clone(), id, json!({"action": "verify", "passed": true, "note": "抽查属实"})).await.json();
        assert_eq!(status(&d), "resolved");
        // Drawn by case, not by moment: the default instance (0 %) never draws it.
        let id2 = app.report(&worker, "sanitation", lat, lng).await;
        app.act(id2, &worker, json!({"action": "triage", "tier": "simple"})).await;
        let d = app.act(id2, &worker, json!({"action": "resolve", "result": "已清理"})).await.json();
        assert_eq!(status(&d), "resolved");
    }
}
