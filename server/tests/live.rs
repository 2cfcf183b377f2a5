//! Live updates over SSE: replay after `Last-Event-ID`, scoping, delivery by the tailer,
//! and two server instances on one database (PostgreSQL: LISTEN/NOTIFY) both delivering
//! every change.

mod common;

use axum::http::StatusCode;
use serde_json::json;

const MY_GRID: &str = "360199001001001";

async fn report(app: &common::TestApp) -> i64 {
    let worker = app.login("worker").await;
    let p = app.state.grid_index().interior_point(MY_GRID).unwrap();
    app.report(&worker, "city_order", p.lat(), p.lng()).await
}

/// Opens a stream without `Last-Event-ID` and returns the id of the newest event.
async fn newest(app: &common::TestApp, cookie: &str) -> i64 {
    let mut s = common::open_stream(&app.router, cookie, None).await;
    assert!(s.wait_for("event: hello", 5).await, "{}", s.text);
    let hello = s
        .text
        .split("\n\n")
        .find(|e| e.contains("event: hello"))
        .unwrap();
    hello
        .lines()
        .find_map(|l| l.strip_prefix("id: "))
        .unwrap()
        .parse()
        .unwrap()
}

backend_tests! {
    async fn a_reconnecting_client_is_sent_what_it_missed_and_only_what_it_may_read(app: TestApp) {
        let leader = app.login("leader").await;
        let last = newest(&app, &leader).await;
        let id = report(&app).await;
        let center = app.login("center").await;
        let r = app.act(id, &center, json!({"action": "triage", "tier": "coordination"})).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);

        let mut s = common::open_stream(&app.router, &leader, Some(last)).await;
        assert!(s.wait_for(&format!("id: {}", last + 2), 5).await, "{}", s.text);
        assert_eq!(s.case_ids(), [last + 1, last + 2]);
        assert!(s.text.contains(&format!("\"case_id\":{id}")));
        assert!(s.text.contains("\"action\":\"triage\""));
        assert!(s.text.contains("\"colour\":\"yellow\""));
        assert!(s.text.starts_with("retry: 3000\n: gridgov"), "{}", s.text);

        // Another street's centre and an unconcerned department are sent nothing.
        let center2 = app.login("center2").await;
        let mut other = common::open_stream(&app.router, &center2, Some(last)).await;
        assert!(!other.wait_for("event: case", 1).await, "{}", other.text);
        let dept = app.login("dept").await;
        let mut d = common::open_stream(&app.router, &dept, Some(last)).await;
        assert!(!d.wait_for("event: case", 1).await);
        // Once dispatched to urban, its staff see the case's events.
        let r = app.act(id, &center, json!({"action": "dispatch", "departments": [{"department": "urban", "role": "lead"}]})).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let mut d = common::open_stream(&app.router, &dept, Some(last)).await;
        assert!(d.wait_for(&format!("id: {}", last + 3), 5).await, "{}", d.text);

        assert_eq!(app.get("/api/v1/stream", None).await.status, StatusCode::UNAUTHORIZED);
    }

    async fn the_tailer_pushes_each_change_as_it_happens(app: TestApp) {
        server::spawn_live_tailer(&app.state);
        let leader = app.login("leader").await;
        let mut s = common::open_stream(&app.router, &leader, None).await;
        assert!(s.wait_for("event: hello", 5).await);
        // Let the tailer read its starting point before the change.
        tokio::time::sleep(std::time::Duration::from_millis(700)).await;
        let id = report(&app).await;
        assert!(s.wait_for(&format!("\"case_id\":{id}"), 10).await, "{}", s.text);
        assert!(s.text.contains("\"action\":\"report\""));
    }

    async fn two_instances_on_one_database_both_deliver_every_change(app: TestApp) {
        // Instance A is the test app; B is a second server on the same database with its
        // own tailer (on PostgreSQL woken by NOTIFY from A's insert).
        let (_b_state, b_router) = common::second_instance(&app).await;
        let leader = app.login("leader").await;
        let mut on_b = common::open_stream(&b_router, &leader, None).await;
        assert!(on_b.wait_for("event: hello", 5).await, "{}", on_b.text);
        tokio::time::sleep(std::time::Duration::from_millis(700)).await;
        let id = report(&app).await;
        assert!(on_b.wait_for(&format!("\"case_id\":{id}"), 10).await, "B never heard of A's case: {}", on_b.text);
    }

    async fn streams_end_with_their_session(app: TestApp) {
        // Issue #15, item 10: a logout, a deactivation or a password reset closes an open
        // stream within the re-check period (1 s here, 15 s by default).
        let leader = app.login("leader").await;
        let mut s = common::open_stream(&app.router, &leader, None).await;
        assert!(s.wait_for("event: hello", 5).await, "{}", s.text);
        assert!(!s.wait_for_end(2).await, "a live session's stream stays open");
        let r = app.json(axum::http::Method::POST, "/api/v1/logout", json!({}), Some(&leader)).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
        assert!(s.wait_for_end(5).await, "the stream outlived its logout");

        let admin = app.login("admin").await;
        for (path, who) in [("deactivate", "center2"), ("reset-password", "center3")] {
            let cookie = app.login(who).await;
            let mut s = common::open_stream(&app.router, &cookie, None).await;
            assert!(s.wait_for("event: hello", 5).await, "{}", s.text);
            let r = app.json(axum::http::Method::POST, &format!("/api/v1/admin/accounts/{who}/{path}"), json!({}), Some(&admin)).await;
            assert!(r.status.is_success(), "{path}: {}", r.body);
            assert!(s.wait_for_end(5).await, "the stream outlived {path}");
        }
    }
}
