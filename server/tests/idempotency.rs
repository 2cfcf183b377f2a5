//! One tap files one case (issue #15, item 2): twins of a report sent in parallel with the
//! same idempotency key — a phone retrying on a flaky connection — all get the first answer,
//! never a 5xx, and leave one case with its photos and no stray files. Staff and residents'
//! keys live apart.

mod common;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use std::net::SocketAddr;

const MY_GRID: &str = "360199001001001";
const TWINS: usize = 4;
const ROUNDS: usize = 6;

fn post(
    path: &str,
    cookie: Option<&str>,
    fields: &[(&str, String)],
    photo: Option<Vec<u8>>,
) -> Request<Body> {
    let fields: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let files: Vec<(&str, &str, Vec<u8>)> =
        photo.into_iter().map(|p| ("photo", "p.png", p)).collect();
    let (ct, body) = common::multipart(&fields, &files);
    let mut b = Request::post(path)
        .header(header::HOST, "localhost")
        .header(header::ORIGIN, "http://localhost")
        .header(header::CONTENT_TYPE, ct)
        .header(header::ACCEPT, "application/json");
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    let mut req = b.body(Body::from(body)).unwrap();
    let addr: SocketAddr = "10.0.0.7:40000".parse().unwrap();
    req.extensions_mut().insert(ConnectInfo(addr));
    req
}

/// Two instances on one database, as behind a load balancer: within an instance twins take
/// turns; across instances the key's row in the case's transaction decides.
struct Pair {
    routers: [axum::Router; 2],
    photo_dirs: [std::path::PathBuf; 2],
}

async fn pair(app: &common::TestApp) -> Pair {
    let (second, router) = common::second_instance(app).await;
    Pair {
        routers: [app.router.clone(), router],
        photo_dirs: [
            app.state.config.data_dir.join("photos"),
            second.config.data_dir.join("photos"),
        ],
    }
}

/// Sends `TWINS` copies at once, alternating between the instances; the replies in order.
async fn twins(pair: &Pair, make: impl Fn() -> Request<Body>) -> Vec<common::Reply> {
    let tasks: Vec<_> = (0..TWINS)
        .map(|i| {
            let router = pair.routers[i % 2].clone();
            let req = make();
            tokio::spawn(async move { common::send(&router, req).await })
        })
        .collect();
    let mut replies = Vec::new();
    for t in tasks {
        replies.push(t.await.unwrap());
    }
    replies
}

async fn count(app: &common::TestApp, sql: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    n
}

fn photo_files(pair: &Pair) -> i64 {
    pair.photo_dirs
        .iter()
        .map(|dir| {
            std::fs::read_dir(dir)
                .map(|d| d.count() as i64)
                .unwrap_or(0)
        })
        .sum()
}

backend_tests! {
    async fn parallel_twins_of_a_workers_report_file_one_case(app: TestApp) {
        let worker = app.login("worker").await;
        let pair = pair(&app).await;
        let p = app.state.grid_index().interior_point(MY_GRID).unwrap();
        for round in 0..ROUNDS {
            let key = format!("twin-key-{round:04}-abcdefgh");
            let fields = vec![
                ("idempotency_key", key.clone()),
                ("category", "infrastructure".to_owned()),
                ("description", format!("路灯不亮 {round}")),
                ("lat", p.lat().to_string()),
                ("lng", p.lng().to_string()),
                ("mode", if round % 2 == 0 { "self" } else { "whistle" }.to_owned()),
            ];
            let before = count(&app, "SELECT COUNT(*) FROM cases").await;
            let replies = twins(&pair, || post("/w/report", Some(&worker), &fields, Some(common::png(64, 48)))).await;
            let ids: Vec<i64> = replies
                .iter()
                .map(|r| {
                    assert_eq!(r.status, StatusCode::CREATED, "round {round}: {}", r.body);
                    r.json()["id"].as_i64().unwrap()
                })
                .collect();
            assert!(ids.iter().all(|id| *id == ids[0]), "round {round}: {ids:?}");
            assert_eq!(count(&app, "SELECT COUNT(*) FROM cases").await, before + 1, "round {round}");
            let id = ids[0];
            assert_eq!(count(&app, &format!("SELECT COUNT(*) FROM case_attachments WHERE case_id = {id}")).await, 1);
            // 自办自结 took effect once (one triage event), and only in the self-handled rounds.
            let triaged = count(&app, &format!("SELECT COUNT(*) FROM case_events WHERE case_id = {id} AND action = 'triage'")).await;
            assert_eq!(triaged, i64::from(round % 2 == 0), "round {round}");
        }
        // Every stored photo file belongs to an attachment: the twins' files were removed.
        assert_eq!(photo_files(&pair), count(&app, "SELECT COUNT(*) FROM case_attachments").await);

        // A later retry gets the first answer; the same key with other content is a 409.
        let key = "twin-key-0000-abcdefgh".to_owned();
        let first = count(&app, "SELECT MIN(id) FROM cases WHERE description = '路灯不亮 0'").await;
        let fields = vec![
            ("idempotency_key", key.clone()),
            ("category", "infrastructure".to_owned()),
            ("description", "路灯不亮 0".to_owned()),
            ("lat", p.lat().to_string()),
            ("lng", p.lng().to_string()),
            ("mode", "self".to_owned()),
        ];
        let again = common::send(&app.router, post("/w/report", Some(&worker), &fields, Some(common::png(64, 48)))).await;
        assert_eq!((again.status, again.json()["id"].as_i64()), (StatusCode::CREATED, Some(first)));
        let mut other = fields.clone();
        other[2].1 = "另一件事".to_owned();
        let r = common::send(&app.router, post("/w/report", Some(&worker), &other, None)).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);

        // A resident using the very same key files their own case: the spaces are apart.
        let public = [
            ("grid", MY_GRID.to_owned()),
            ("category", "sanitation".to_owned()),
            ("description", "垃圾桶满溢三天无人清运".to_owned()),
            ("idempotency_key", key),
        ];
        let cases = count(&app, "SELECT COUNT(*) FROM cases").await;
        let r = common::send(&app.router, post("/api/v1/public/reports", None, &public, None)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM cases").await, cases + 1);
    }

    async fn parallel_twins_of_a_residents_report_file_one_case(app: TestApp) {
        let pair = pair(&app).await;
        for round in 0..ROUNDS {
            let fields = vec![
                ("grid", MY_GRID.to_owned()),
                ("category", "sanitation".to_owned()),
                ("description", format!("小区南门垃圾桶满溢 {round}")),
                ("idempotency_key", format!("resident-twin-{round:04}-xyz")),
            ];
            let before = count(&app, "SELECT COUNT(*) FROM cases").await;
            let replies = twins(&pair, || post("/api/v1/public/reports", None, &fields, Some(common::png(32, 32)))).await;
            let codes: Vec<String> = replies
                .iter()
                .map(|r| {
                    assert_eq!(r.status, StatusCode::CREATED, "round {round}: {}", r.body);
                    r.json()["tracking_code"].as_str().unwrap().to_owned()
                })
                .collect();
            assert!(codes.iter().all(|c| *c == codes[0]), "round {round}: {codes:?}");
            assert_eq!(count(&app, "SELECT COUNT(*) FROM cases").await, before + 1);
        }
        assert_eq!(photo_files(&pair), count(&app, "SELECT COUNT(*) FROM case_attachments").await);
    }
}

/// A worker's self-handled case in their grid (filed through the one-tap form).
async fn own_case(app: &common::TestApp, worker: &str, text: &str) -> i64 {
    let p = app.state.grid_index().interior_point(MY_GRID).unwrap();
    let fields = vec![
        (
            "idempotency_key",
            format!("own-case-{}-abcdefgh", text.len()),
        ),
        ("category", "sanitation".to_owned()),
        ("description", text.to_owned()),
        ("lat", p.lat().to_string()),
        ("lng", p.lng().to_string()),
        ("mode", "self".to_owned()),
    ];
    let r = common::send(&app.router, post("/w/report", Some(worker), &fields, None)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.json()["id"].as_i64().unwrap()
}

backend_tests! {
    // Issue 19: the phone's outbox resends a resolution or a visit after a lost answer.
    async fn twins_of_a_queued_resolution_resolve_once(app: TestApp) {
        let worker = app.login("worker").await;
        let pair = pair(&app).await;
        let id = own_case(&app, &worker, "人行道砖块松动").await;
        let key = "0b6f2c1e-8a4d-4c1b-9d2e-3f4a5b6c7d8e".to_owned();
        let fields = vec![("result", "已重新铺砌".to_owned()), ("idempotency_key", key.clone())];
        let path = format!("/w/cases/{id}/resolve");
        let replies = twins(&pair, || post(&path, Some(&worker), &fields, Some(common::png(40, 30)))).await;
        for r in &replies {
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            assert_eq!(r.json()["id"].as_i64(), Some(id));
            assert_eq!(r.json()["url"], format!("/w/cases/{id}?done=1"));
            assert!(r.json()["code"].as_str().is_some_and(|c| !c.is_empty()));
        }
        let resolves = format!("SELECT COUNT(*) FROM case_events WHERE case_id = {id} AND action = 'resolve'");
        assert_eq!(count(&app, &resolves).await, 1);
        assert_eq!(count(&app, &format!("SELECT COUNT(*) FROM case_attachments WHERE case_id = {id}")).await, 1);
        assert_eq!(photo_files(&pair), count(&app, "SELECT COUNT(*) FROM case_attachments").await);

        // Days later (within the week kept), the resend still gets the first answer.
        app.advance(chrono::Duration::days(3));
        let again = common::send(&app.router, post(&path, Some(&worker), &fields, Some(common::png(40, 30)))).await;
        assert_eq!((again.status, again.json()["id"].as_i64()), (StatusCode::OK, Some(id)), "{}", again.body);
        assert_eq!(count(&app, &resolves).await, 1);
        // The key with other words is refused, and so is another account using it.
        let other = vec![("result", "另一个结果".to_owned()), ("idempotency_key", key.clone())];
        let r = common::send(&app.router, post(&path, Some(&worker), &other, Some(common::png(40, 30)))).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        let leader = app.login("leader").await;
        let r = common::send(&app.router, post(&path, Some(&leader), &fields, Some(common::png(40, 30)))).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        // A key that is not one is refused by name, nothing done.
        let bad = vec![("result", "x".to_owned()), ("idempotency_key", "../not a key".to_owned())];
        let r = common::send(&app.router, post(&path, Some(&worker), &bad, None)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    }

    async fn twins_of_a_queued_visit_log_one_visit_and_one_case(app: TestApp) {
        let worker = app.login("worker").await;
        let pair = pair(&app).await;
        let member = [
            ("building", "3栋".to_owned()),
            ("address", "3栋2单元502室".to_owned()),
            ("name", "张桂兰".to_owned()),
            ("relation", "户主".to_owned()),
            ("phone", "13800001111".to_owned()),
        ];
        let added = common::send(&app.router, post(&format!("/w/households/add?grid={MY_GRID}"), Some(&worker), &member, None)).await;
        assert_eq!(added.status, StatusCode::OK, "{}", added.body);
        let (household,): (i64,) = sqlx::query_as(&format!("SELECT id FROM households WHERE grid_code = '{MY_GRID}' ORDER BY id LIMIT 1"))
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
        let fields = vec![
            ("minutes", "25".to_owned()),
            ("notes", "老人身体尚可，独居".to_owned()),
            ("needs", "楼道灯坏了，夜间上下楼不便".to_owned()),
            ("to_case", "1".to_owned()),
            ("category", "infrastructure".to_owned()),
            ("idempotency_key", "visit-key-0001-abcdefgh".to_owned()),
        ];
        let path = format!("/w/households/{household}/visits");
        let cases = count(&app, "SELECT COUNT(*) FROM cases").await;
        let replies = twins(&pair, || post(&path, Some(&worker), &fields, Some(common::png(30, 30)))).await;
        let first = replies[0].json();
        for r in &replies {
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            assert_eq!(r.json(), first, "every twin gets the first answer");
        }
        assert!(first["code"].as_str().is_some_and(|c| !c.is_empty()), "{first}");
        let visits = "SELECT COUNT(*) FROM visits WHERE notes = '老人身体尚可，独居'";
        assert_eq!(count(&app, visits).await, 1);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM cases").await, cases + 1, "one need case");
        // A resend later: the same visit and case, nothing new.
        let again = common::send(&app.router, post(&path, Some(&worker), &fields, Some(common::png(30, 30)))).await;
        assert_eq!(again.json(), first);
        assert_eq!(count(&app, visits).await, 1);
        // A script through the API: `Idempotency-Key` does the same.
        let api = |key: &str, notes: &str| {
            let body = serde_json::json!({ "minutes": 15, "notes": notes, "needs": "" });
            Request::post(format!("/api/v1/households/{household}/visits"))
                .header(header::HOST, "localhost")
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::COOKIE, &worker)
                .header("idempotency-key", key)
                .body(Body::from(body.to_string()))
                .unwrap()
        };
        let a = common::send(&app.router, api("api-visit-key-0001", "电话回访，一切正常")).await;
        let b = common::send(&app.router, api("api-visit-key-0001", "电话回访，一切正常")).await;
        assert_eq!((a.status, b.status), (StatusCode::CREATED, StatusCode::CREATED), "{}", b.body);
        assert_eq!(a.json()["id"], b.json()["id"]);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM visits WHERE notes = '电话回访，一切正常'").await, 1);
        let other = common::send(&app.router, api("api-visit-key-0001", "另一次回访")).await;
        assert_eq!(other.status, StatusCode::CONFLICT, "{}", other.body);
        // Without a key (a plain form), each post is a visit of its own, as before.
        let plain: Vec<_> = fields.iter().filter(|(k, _)| *k != "idempotency_key" && *k != "to_case").cloned().collect();
        let r = common::send(&app.router, post(&path, Some(&worker), &plain, None)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(count(&app, visits).await, 2);
    }
}
