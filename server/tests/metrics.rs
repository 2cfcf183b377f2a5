//! `/metrics` through the real router on SQLite and PostgreSQL: who may read it
//! (administrators, a token, a listed scraper address — nobody else), and that what it
//! says moves with what happens: requests per route template and their latency, reports
//! filed per source, case steps, live connections and the webhook queue.

mod common;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::json;
use std::net::SocketAddr;

const MY_GRID: &str = "360199001001001";

fn scrape(cookie: Option<&str>, from: Option<&str>) -> Request<Body> {
    let mut b = Request::get("/metrics").header(header::HOST, "localhost");
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    let mut req = b.body(Body::empty()).unwrap();
    if let Some(ip) = from {
        let addr = SocketAddr::new(ip.parse().unwrap(), 50000);
        req.extensions_mut().insert(ConnectInfo(addr));
    }
    req
}

/// The value of one sample line (`name{labels} value`), 0 when absent.
fn sample(body: &str, line_start: &str) -> f64 {
    body.lines()
        .find_map(|l| {
            l.strip_prefix(line_start)
                .and_then(|v| v.trim().parse().ok())
        })
        .unwrap_or(0.0)
}

fn resident_report(key: &str) -> Request<Body> {
    let (ct, body) = common::multipart(
        &[
            ("grid", MY_GRID),
            ("category", "sanitation"),
            ("description", "垃圾桶满溢，三天没人清运"),
        ],
        &[],
    );
    Request::post("/api/v1/public/reports")
        .header(header::HOST, "localhost")
        .header(header::ORIGIN, "http://localhost")
        .header(header::CONTENT_TYPE, ct)
        .header("idempotency-key", key)
        .body(Body::from(body))
        .unwrap()
}

backend_tests! {
    async fn only_administrators_a_token_or_a_listed_scraper_read_the_metrics(app: TestApp) {
        let admin = app.login("admin").await;
        let worker = app.login("worker").await;
        let r = app.send(scrape(None, Some("203.0.113.9"))).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "anonymous, by default");
        assert_eq!(app.send(scrape(Some(&worker), None)).await.status, StatusCode::UNAUTHORIZED);
        let r = app.send(scrape(Some(&admin), None)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("application/openmetrics-text"));
        assert!(r.body.ends_with("# EOF\n"), "one OpenMetrics exposition");

        let (_, listed) = common::instance_with(&app, |c| {
            c.metrics_from = vec!["10.9.0.0/24".parse().unwrap(), "2001:db8::5/128".parse().unwrap()];
        }).await;
        assert_eq!(common::send(&listed, scrape(None, Some("10.9.0.7"))).await.status, StatusCode::OK);
        assert_eq!(common::send(&listed, scrape(None, Some("2001:db8::5"))).await.status, StatusCode::OK);
        assert_eq!(common::send(&listed, scrape(None, Some("10.9.1.7"))).await.status, StatusCode::UNAUTHORIZED);
        // A forwarded-for header counts only behind a trusted proxy.
        let mut forged = scrape(None, Some("198.51.100.1"));
        forged.headers_mut().insert("x-forwarded-for", "10.9.0.7".parse().unwrap());
        assert_eq!(common::send(&listed, forged).await.status, StatusCode::UNAUTHORIZED);
    }

    async fn the_counters_move_with_requests_reports_steps_and_connections(app: TestApp) {
        let admin = app.login("admin").await;
        let center = app.login("center").await;
        let worker = app.login("worker").await;
        let before = app.send(scrape(Some(&admin), None)).await.body;
        let reports = r#"gridgov_reports_total{source="resident_qr"} "#;
        let triaged = r#"gridgov_case_steps_total{action="triage"} "#;

        // A resident's report (and its retry, answered from its key: not a second case).
        let first = app.send(resident_report("metrics-key-000001")).await;
        assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
        let again = app.send(resident_report("metrics-key-000001")).await;
        assert_eq!(again.json()["tracking_code"], first.json()["tracking_code"], "{} {}", first.body, again.body);
        let (lat, lng) = app.inside(&worker, MY_GRID).await;
        let id = app.report(&worker, "city_order", lat, lng).await;
        assert_eq!(app.act(id, &center, json!({"action": "triage", "tier": "simple"})).await.status, StatusCode::OK);
        let refused = app.act(id, &center, json!({"action": "triage", "tier": "simple"})).await;
        assert!(refused.status.is_client_error(), "a refused step is no step");
        for _ in 0..3 {
            assert_eq!(app.get(&format!("/api/v1/cases/{id}"), Some(&center)).await.status, StatusCode::OK);
        }
        app.act(id, &worker, json!({"action": "resolve", "result": "已清理"})).await;
        // A webhook registered: the dispatch after it waits in the queue (no worker runs here).
        let r = app.json(Method::POST, "/api/v1/webhooks", json!({"url": "https://hooks.example.org/gridgov"}), Some(&admin)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        server::spawn_live_tailer(&app.state);
        let mut stream = common::open_stream(&app.router, &center, None).await;
        let other = app.report(&worker, "sanitation", lat, lng).await;
        app.act(other, &center, json!({"action": "triage", "tier": "coordination"})).await;
        let r = app.act(other, &center, json!({"action": "dispatch", "departments": [{"department": "urban", "role": "lead"}]})).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(stream.wait_for("dispatch", 5).await, "the live connection is open");

        let after = app.send(scrape(Some(&admin), None)).await.body;
        assert_eq!(sample(&after, reports) - sample(&before, reports), 1.0, "{after}");
        assert_eq!(sample(&after, r#"gridgov_reports_total{source="grid_worker"} "#) - sample(&before, r#"gridgov_reports_total{source="grid_worker"} "#), 2.0);
        assert_eq!(sample(&after, triaged) - sample(&before, triaged), 2.0, "{after}");
        assert!(sample(&after, r#"gridgov_case_steps_total{action="resolve"} "#) >= 1.0);
        // Routes by template: the case's id never becomes a label.
        let route = r#"gridgov_http_requests_total{method="GET",route="/api/v1/cases/{id}",status="2xx"} "#;
        assert!(sample(&after, route) >= 3.0, "{after}");
        assert!(!after.contains(&format!("/api/v1/cases/{id}\"")), "no raw path");
        assert!(sample(&after, r#"gridgov_http_request_duration_seconds_count{method="GET",route="/api/v1/cases/{id}"} "#) >= 3.0);
        assert!(sample(&after, r#"gridgov_http_requests_total{method="POST",route="/api/v1/cases/{id}/actions",status="4xx"} "#) >= 1.0);
        assert!(sample(&after, "gridgov_live_subscribers ") >= 1.0, "{after}");
        assert!(sample(&after, "gridgov_webhook_queue ") >= 1.0, "{after}");
        assert!(sample(&after, "gridgov_database_connections_max ") >= 1.0);
        assert_eq!(sample(&after, "gridgov_database_up "), 1.0);
        // SQLite: every step above went through the writer, in at most as many commits.
        if app.state.db.backend == app::ssr::db::Backend::Sqlite {
            let steps = sample(&after, "gridgov_sqlite_write_steps_total ") - sample(&before, "gridgov_sqlite_write_steps_total ");
            let groups = sample(&after, "gridgov_sqlite_write_groups_total ") - sample(&before, "gridgov_sqlite_write_groups_total ");
            assert!(steps >= 8.0 && groups >= 1.0 && groups <= steps, "{steps} steps in {groups} groups: {after}");
        } else {
            assert!(!after.contains("gridgov_sqlite_write"), "{after}");
        }
    }
}
