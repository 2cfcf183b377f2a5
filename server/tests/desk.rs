//! The 吹哨报到 desk: notifications raised by steps, overdue acknowledgements announced
//! once, signed webhooks retried with back-off, and every action refused outside scope.

mod common;

use axum::http::{HeaderMap, Method, StatusCode};
use chrono::Duration;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};

const MY_GRID: &str = "360199001001001";

async fn new_case(app: &common::TestApp, category: &str) -> i64 {
    let worker = app.login("worker").await;
    let p = app.state.grid_index().interior_point(MY_GRID).unwrap();
    app.report(&worker, category, p.lat(), p.lng()).await
}

/// Triaged as coordination and dispatched by the street's centre: urban leads, police helps.
async fn dispatched_case(app: &common::TestApp) -> i64 {
    let id = new_case(app, "city_order").await;
    let center = app.login("center").await;
    let r = app
        .act(
            id,
            &center,
            json!({"action": "triage", "tier": "coordination"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app
        .act(id, &center, json!({"action": "dispatch", "departments": [
            {"department": "urban", "role": "lead"}, {"department": "police", "role": "co_handler"}]}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    id
}

async fn bell(app: &common::TestApp, cookie: &str) -> Value {
    let r = app.get("/api/v1/notifications", Some(cookie)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
}

fn kinds(inbox: &Value) -> Vec<String> {
    inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["kind"].as_str().unwrap().to_owned())
        .collect()
}

/// A receiver on 127.0.0.1 that refuses the first `fail_first` deliveries with 500.
async fn receiver(fail_first: usize) -> (String, Arc<Mutex<Vec<(HeaderMap, String)>>>) {
    let seen: Arc<Mutex<Vec<(HeaderMap, String)>>> = Arc::default();
    let log = seen.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: String| {
            let log = log.clone();
            async move {
                let mut l = log.lock().unwrap();
                l.push((headers, body));
                if l.len() <= fail_first {
                    StatusCode::INTERNAL_SERVER_ERROR
                } else {
                    StatusCode::NO_CONTENT
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}/hook"), seen)
}

backend_tests! {
    async fn steps_notify_the_people_who_must_act(app: TestApp) {
        let id = dispatched_case(&app).await;
        let urban = app.login("dept").await;
        let police = app.login("dept-police").await;
        let fire = app.login("dept-fire").await;
        let center = app.login("center").await;
        let center2 = app.login("center2").await;
        let inbox = bell(&app, &urban).await;
        assert_eq!((inbox["unread"].as_i64(), kinds(&inbox)), (Some(1), vec!["dispatched".to_owned()]));
        assert_eq!(inbox["items"][0]["case_id"], id);
        assert_eq!(bell(&app, &police).await["unread"], 1);
        assert_eq!(bell(&app, &fire).await["unread"], 0, "not dispatched to fire");

        // The co-handler sends it back: the street's centre hears, the other street's does not.
        let r = app.act(id, &police, json!({"action": "return", "reason": "不属于公安职责"})).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(kinds(&bell(&app, &center).await), ["returned"]);
        assert_eq!(bell(&app, &center2).await["unread"], 0);

        // The lead asks for more time; the leader supervises: handlers and the grid hear.
        app.act(id, &urban, json!({"action": "acknowledge"})).await;
        let r = app.act(id, &urban, json!({"action": "request_extension", "days": 2, "reason": "需协调物业"})).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(kinds(&bell(&app, &center).await), ["extension_requested", "returned"]);
        let leader = app.login("leader").await;
        let r = app.act(id, &leader, json!({"action": "supervise", "note": "请加快办理"})).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(kinds(&bell(&app, &urban).await), ["supervised", "dispatched"]);
        let worker = app.login("worker").await;
        let w = bell(&app, &worker).await;
        assert_eq!(kinds(&w), ["supervised"]);
        assert_eq!(w["items"][0]["supervised"], true);

        // Reading: one, then all.
        let first = bell(&app, &urban).await["items"][0]["id"].as_i64().unwrap();
        let r = app.json(Method::POST, "/api/v1/notifications/read", json!({"id": first}), Some(&urban)).await;
        assert_eq!(r.json()["updated"], 1);
        assert_eq!(bell(&app, &urban).await["unread"], 1);
        app.json(Method::POST, "/api/v1/notifications/read", json!({}), Some(&urban)).await;
        assert_eq!(bell(&app, &urban).await["unread"], 0);
        // Nobody reads someone else's.
        let r = app.json(Method::POST, "/api/v1/notifications/read", json!({}), Some(&police)).await;
        assert_eq!(bell(&app, &urban).await["unread"], 0);
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(app.get("/api/v1/notifications", None).await.status, StatusCode::UNAUTHORIZED);
    }

    async fn overdue_acknowledgements_are_announced_once(app: TestApp) {
        let id = dispatched_case(&app).await;
        let urban = app.login("dept").await;
        let police = app.login("dept-police").await;
        app.act(id, &police, json!({"action": "acknowledge"})).await;
        let now = app.state.clock.now();
        assert_eq!(app::ssr::services::notify::scan_ack_overdue(&app.state, now).await.unwrap(), 0, "not due yet");
        app.advance(Duration::days(2));
        let later = app.state.clock.now();
        assert_eq!(app::ssr::services::notify::scan_ack_overdue(&app.state, later).await.unwrap(), 1, "urban only: police reported");
        assert_eq!(app::ssr::services::notify::scan_ack_overdue(&app.state, later).await.unwrap(), 0, "once");
        assert_eq!(kinds(&bell(&app, &urban).await), ["ack_overdue", "dispatched"]);
        let center = app.login("center").await;
        assert_eq!(kinds(&bell(&app, &center).await), ["ack_overdue"]);
    }

    async fn webhooks_are_signed_and_retried_with_back_off(app: TestApp) {
        let (url, seen) = receiver(1).await;
        let admin = app.login("admin").await;
        let center = app.login("center").await;
        let refused = app.json(Method::POST, "/api/v1/webhooks", json!({"url": url}), Some(&center)).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "administrators only");
        let bad = app.json(Method::POST, "/api/v1/webhooks", json!({"url": "ftp://x"}), Some(&admin)).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        let r = app.json(Method::POST, "/api/v1/webhooks", json!({"url": url, "kinds": ["dispatched"]}), Some(&admin)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let hook = r.json();
        let secret = hook["secret"].as_str().unwrap().to_owned();
        assert_eq!(secret.len(), 64);
        let listed = app.get("/api/v1/webhooks", Some(&admin)).await.json();
        assert!(listed[0].get("secret").is_none(), "the secret is shown once");

        let id = dispatched_case(&app).await;
        let deliver = || app::ssr::services::webhooks::deliver_due(&app.state, app.state.clock.now());
        assert_eq!(deliver().await.unwrap(), 0, "the receiver fails the first time");
        let path = format!("/api/v1/webhooks/{}/deliveries", hook["id"]);
        let d = app.get(&path, Some(&admin)).await.json();
        assert_eq!((d[0]["attempts"].as_i64(), d[0]["last_status"].as_i64()), (Some(1), Some(500)));
        assert_eq!(deliver().await.unwrap(), 0, "not before the back-off");
        app.advance(Duration::seconds(31));
        assert_eq!(deliver().await.unwrap(), 1);
        let d = app.get(&path, Some(&admin)).await.json();
        assert!(d[0]["delivered_at"].is_string());
        assert_eq!(deliver().await.unwrap(), 0, "delivered once");

        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 2);
        let (headers, body) = &seen[1];
        let ts: i64 = headers["x-gridgov-timestamp"].to_str().unwrap().parse().unwrap();
        let expected = app::ssr::services::webhooks::signature(&secret, ts, body);
        assert_eq!(headers["x-gridgov-signature"].to_str().unwrap(), expected);
        assert_eq!(headers["x-gridgov-event"], "dispatched");
        let payload: Value = serde_json::from_str(body).unwrap();
        assert_eq!(payload["case"]["id"], id);
        assert_eq!(payload["departments"], json!(["urban", "police"]));
        assert!(!body.contains("孙子涵"), "no personal names");
        // A kind the hook did not ask for is not sent.
        let leader = app.login("leader").await;
        app.act(id, &leader, json!({"action": "supervise", "note": "督办"})).await;
        assert!(app.get(&path, Some(&admin)).await.json().as_array().unwrap().len() == 1);
        // Switched off: nothing more is queued.
        assert_eq!(app.json(Method::DELETE, &format!("/api/v1/webhooks/{}", hook["id"]), json!({}), Some(&admin)).await.status, StatusCode::NO_CONTENT);
    }

    async fn webhooks_cannot_reach_the_server_itself_and_wait_for_no_one(app: TestApp) {
        // Issue #15, item 12: loopback, link-local and metadata targets are refused (only
        // 127.0.0.1 is allowed here, by GRIDGOV_WEBHOOK_ALLOW); plain http needs the list.
        let admin = app.login("admin").await;
        for (url, why) in [
            ("http://169.254.169.254/latest/meta-data", "云服务元数据"),
            ("https://127.0.0.2:8443/hook", "本机"),
            ("https://[::1]/hook", "本机"),
            ("https://localhost/hook", "本机"),
            ("http://hooks.example.invalid/hook", "https://"),
        ] {
            let r = app.json(Method::POST, "/api/v1/webhooks", json!({"url": url}), Some(&admin)).await;
            assert_eq!((r.status, r.json()["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("url")), "{url}");
            assert!(r.json()["message"].as_str().unwrap().contains(why), "{url}: {}", r.body);
        }
        // An https name that does not resolve (yet) is accepted: it is checked at each send.
        let r = app.json(Method::POST, "/api/v1/webhooks", json!({"url": "https://hooks.example.invalid/hook", "kinds": ["dispatched"]}), Some(&admin)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        app.json(Method::DELETE, &format!("/api/v1/webhooks/{}", r.json()["id"]), json!({}), Some(&admin)).await;

        // A receiver that hangs does not hold up another: the fast one is served while the
        // slow one still waits (it is released only once the fast one has its delivery).
        let release = Arc::new(tokio::sync::Notify::new());
        let slow = {
            let release = release.clone();
            let app = axum::Router::new().route("/hook", axum::routing::post(move || {
                let release = release.clone();
                async move { release.notified().await; StatusCode::NO_CONTENT }
            }));
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let addr = listener.local_addr().unwrap();
            tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
            format!("http://{addr}/hook")
        };
        let (fast, seen) = receiver(0).await;
        for url in [&slow, &fast] {
            let r = app.json(Method::POST, "/api/v1/webhooks", json!({"url": url, "kinds": ["dispatched"]}), Some(&admin)).await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        }
        dispatched_case(&app).await;
        let state = app.state.clone();
        let now = app.state.clock.now();
        let sending = tokio::spawn(async move { app::ssr::services::webhooks::deliver_due(&state, now).await });
        let mut fast_served = false;
        for _ in 0..50 {
            if !seen.lock().unwrap().is_empty() {
                fast_served = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        release.notify_one();
        assert!(fast_served, "the fast receiver waited for the slow one");
        assert_eq!(sending.await.unwrap().unwrap(), 2);
    }

    async fn every_action_is_refused_outside_the_actors_scope(app: TestApp) {
        let id = dispatched_case(&app).await;
        let events = |app: &common::TestApp| {
            let pool = app.state.db.pool.clone();
            async move {
                let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM case_events WHERE case_id = $1").bind(id).fetch_one(&pool).await.unwrap();
                n
            }
        };
        let before = events(&app).await;
        let actions = [
            json!({"action": "triage", "tier": "simple"}),
            json!({"action": "dispatch", "departments": [{"department": "fire", "role": "lead"}]}),
            json!({"action": "acknowledge"}),
            json!({"action": "return", "reason": "x"}),
            json!({"action": "progress", "note": "x"}),
            json!({"action": "resolve", "result": "x"}),
            json!({"action": "feedback", "satisfaction": "satisfied"}),
            json!({"action": "escalate", "reason": "x"}),
            json!({"action": "request_extension", "days": 2, "reason": "x"}),
            json!({"action": "approve_extension", "approve": true}),
            json!({"action": "supervise", "note": "x"}),
            json!({"action": "merge", "into": id}),
            json!({"action": "close"}),
        ];
        // Another street's centre, another grid's worker, a department not dispatched to.
        for outsider in ["center2", "w001001002", "dept-fire"] {
            let cookie = app.login(outsider).await;
            assert_eq!(app.get(&format!("/api/v1/cases/{id}"), Some(&cookie)).await.status, StatusCode::NOT_FOUND, "{outsider} cannot see it");
            for a in &actions {
                let r = app.act(id, &cookie, a.clone()).await;
                assert!(matches!(r.status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN), "{outsider} {a}: {} {}", r.status, r.body);
            }
            assert_eq!(app.get("/api/v1/cases?per_page=200", Some(&cookie)).await.json()["cases"].as_array().unwrap().iter().filter(|c| c["id"] == id).count(), 0);
        }
        assert_eq!(events(&app).await, before, "nothing happened");
        // A department sees exactly the cases dispatched to it.
        let urban = app.login("dept").await;
        let listed = app.get("/api/v1/cases?per_page=200", Some(&urban)).await.json();
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(DISTINCT case_id) FROM case_dispatches WHERE department = 'urban' AND withdrawn_at IS NULL")
            .fetch_one(&app.state.db.pool).await.unwrap();
        assert_eq!(listed["total"].as_i64(), Some(n));
    }
}
