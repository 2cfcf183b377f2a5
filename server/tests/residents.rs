//! Residents (码上办): report from a grid's QR page with photos, follow the case by its
//! tracking code, rate it. Every refusal is a clear 4xx and stores nothing.

mod common;

use common::{jpeg_with_gps, png};

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use serde_json::{Value, json};
use std::net::SocketAddr;

const MY_GRID: &str = "360199001001001";
const NEXT_GRID: &str = "360199001001002";
const PHONE: &str = "13812341234";

/// A report as the form sends it.
struct Report<'a> {
    fields: Vec<(&'a str, String)>,
    photos: Vec<(&'a str, Vec<u8>)>,
    key: Option<&'a str>,
    ip: &'a str,
}

impl<'a> Report<'a> {
    fn new(grid: &str) -> Report<'a> {
        Report {
            fields: vec![
                ("grid", grid.to_owned()),
                ("category", "sanitation".to_owned()),
                ("description", "小区南门垃圾桶满溢三天无人清运".to_owned()),
            ],
            photos: vec![],
            key: None,
            ip: "10.0.0.1",
        }
    }

    fn set(mut self, name: &'a str, value: &str) -> Self {
        self.fields.retain(|(n, _)| *n != name);
        self.fields.push((name, value.to_owned()));
        self
    }

    fn photo(mut self, name: &'a str, bytes: Vec<u8>) -> Self {
        self.photos.push((name, bytes));
        self
    }

    fn body(&self) -> (String, Vec<u8>) {
        let boundary = "gridgov-resident-boundary";
        let mut body = Vec::new();
        for (name, value) in &self.fields {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
            );
        }
        for (file, bytes) in &self.photos {
            body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"{file}\"\r\nContent-Type: image/jpeg\r\n\r\n").as_bytes());
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        (format!("multipart/form-data; boundary={boundary}"), body)
    }

    fn request(&self, path: &str) -> Request<Body> {
        let (ct, body) = self.body();
        let mut b = Request::post(path)
            .header(header::HOST, "localhost")
            .header(header::ORIGIN, "http://localhost")
            .header(header::CONTENT_TYPE, ct);
        if let Some(k) = self.key {
            b = b.header("idempotency-key", k);
        }
        let mut req = b.body(Body::from(body)).unwrap();
        let addr: SocketAddr = format!("{}:40000", self.ip).parse().unwrap();
        req.extensions_mut().insert(ConnectInfo(addr));
        req
    }

    async fn send(&self, app: &common::TestApp) -> common::Reply {
        app.send(self.request("/api/v1/public/reports")).await
    }
}

async fn count(app: &common::TestApp, table: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    n
}

fn photo_files(app: &common::TestApp) -> usize {
    std::fs::read_dir(app.state.config.data_dir.join("photos"))
        .map(|d| d.count())
        .unwrap_or(0)
}

async fn case_id(app: &common::TestApp, code: &str) -> i64 {
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM cases WHERE tracking_code = $1")
        .bind(code)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    id
}

async fn public(app: &common::TestApp, code: &str) -> Value {
    let r = app
        .get(&format!("/api/v1/public/reports/{code}"), None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
}

backend_tests! {
    async fn a_resident_reports_with_a_photo_and_follows_it(app: TestApp) {
        let page = app.get(&format!("/r/{MY_GRID}"), None).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("网格员公示") && page.body.contains("enctype=\"multipart/form-data\""));
        assert!(!page.body.contains("/pkg/gridgov"), "the resident page loads no app WASM");

        let r = Report::new(MY_GRID)
            .set("name", "张三丰")
            .set("phone", "138 1234 1234")
            .photo("scene.jpg", jpeg_with_gps())
            .send(&app)
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let code = r.json()["tracking_code"].as_str().unwrap().to_owned();
        assert_eq!(code.len(), 10);
        let token = r.json()["feedback_token"].as_str().unwrap().to_owned();
        assert_eq!(r.json()["url"], format!("/t/{code}?k={token}"));

        let p = public(&app, &code).await;
        assert_eq!(p["status"], "reported");
        assert_eq!(p["steps"][0]["action"], "report");
        let photo = p["steps"][0]["photos"][0].as_str().unwrap().to_owned();
        let img = app.get(&photo, None).await;
        assert_eq!(img.status, StatusCode::OK);
        assert_eq!(img.headers[header::CONTENT_TYPE], "image/jpeg");
        assert!(!img.body.contains("GPSLatitude"), "EXIF stripped");

        // Sealed at rest, masked for the grid's staff.
        let (phone_sealed,): (String,) = sqlx::query_as("SELECT phone_sealed FROM case_contacts")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
        assert!(phone_sealed.starts_with("v1:") && !phone_sealed.contains("1381234"));
        let worker = app.login("worker").await;
        let id = case_id(&app, &code).await;
        let detail = app.get(&format!("/api/v1/cases/{id}"), Some(&worker)).await;
        assert_eq!(detail.json()["reporter_contact"], json!({"name": "张**", "phone": "138****1234"}));
        assert!(!detail.body.contains(PHONE));
        assert_eq!(detail.json()["source"], "resident_qr");

        let html = app.get(&format!("/t/{code}?new=1"), None).await;
        assert_eq!(html.status, StatusCode::OK);
        assert!(html.body.contains(&code) && html.body.contains("上报成功"));
        assert!(!html.body.contains(PHONE) && !html.body.contains("张三丰"));
    }

    async fn staff_resolve_and_the_resident_rates_it(app: TestApp) {
        let r = Report::new(MY_GRID).send(&app).await;
        let code = r.json()["tracking_code"].as_str().unwrap().to_owned();
        let id = case_id(&app, &code).await;
        let worker = app.login("worker").await;
        let triage = json!({"action": "triage", "tier": "simple", "note": ""});
        let resolve = json!({"action": "resolve", "result": "已联系环卫清运完毕"});
        assert_eq!(app.act(id, &worker, triage).await.status, StatusCode::OK);
        assert_eq!(app.act(id, &worker, resolve.clone()).await.status, StatusCode::OK);

        let p = public(&app, &code).await;
        assert_eq!((p["status"].as_str(), p["can_rate"].as_bool()), (Some("resolved"), Some(true)));
        let result_step = p["steps"].as_array().unwrap().iter().find(|s| s["action"] == "resolve").unwrap();
        assert_eq!(result_step["text"], "已联系环卫清运完毕");
        let worker_name = app.get("/api/v1/me", Some(&worker)).await.json()["display_name"].as_str().unwrap().to_owned();
        assert!(!p.to_string().contains(&worker_name), "no staff names in public");

        // The tracking code alone (seen by staff, webhooks, logs) cannot rate.
        let token = r.json()["feedback_token"].as_str().unwrap().to_owned();
        assert_eq!(r.json()["url"], format!("/t/{code}?k={token}"));
        let detail = app.get(&format!("/api/v1/cases/{id}"), Some(&worker)).await;
        assert!(!detail.body.contains(&token), "staff never see the feedback token");
        let rate_path = format!("/api/v1/public/reports/{code}/feedback");
        let rate = |body: serde_json::Value| app.json(axum::http::Method::POST, &rate_path, body, None);
        for forged in [json!({"satisfaction": "satisfied"}), json!({"satisfaction": "satisfied", "token": "0".repeat(24)})] {
            let refused = rate(forged).await;
            assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
            assert!(refused.json()["message"].as_str().unwrap().contains("只有上报人可以评价"));
        }
        let f = app.form(&format!("/t/{code}/feedback"), &[("satisfaction", "satisfied")], None, Some("http://localhost")).await;
        assert_eq!(f.status, StatusCode::FORBIDDEN);
        assert_eq!(public(&app, &code).await["status"], "resolved", "nothing was rated");
        let plain = app.get(&format!("/t/{code}"), None).await;
        assert!(plain.body.contains("只能由上报人评价") && !plain.body.contains("name=\"satisfaction\""));

        // The reporter's own link: the form carries the token, and the browser keeps it.
        let own = app.get(&format!("/t/{code}?k={token}"), None).await;
        assert!(own.body.contains(&format!("name=\"token\" value=\"{token}\"")), "{}", own.body);
        let cookie = own.headers[header::SET_COOKIE].to_str().unwrap().to_owned();
        assert!(cookie.starts_with(&format!("gridgov_rate_{code}={token};")) && cookie.contains(&format!("Path=/t/{code};")) && cookie.contains("HttpOnly"), "{cookie}");
        let cookie = cookie.split(';').next().unwrap().to_owned();
        let later = app.get(&format!("/t/{code}"), Some(&cookie)).await;
        assert!(later.body.contains("name=\"satisfaction\""), "the plain link rates in the reporter's browser");

        // Dissatisfied through the plain form, the token from the cookie: reopened, red.
        let f = app
            .form(&format!("/t/{code}/feedback"), &[("satisfaction", "dissatisfied"), ("comment", "还有异味")], Some(&cookie), Some("http://localhost"))
            .await;
        assert_eq!(f.status, StatusCode::SEE_OTHER, "{}", f.body);
        let p = public(&app, &code).await;
        assert_eq!((p["status"].as_str(), p["colour"].as_str()), (Some("in_grid"), Some("red")));

        // Resolved again, satisfied through the API: closed and green.
        assert_eq!(app.act(id, &worker, resolve).await.status, StatusCode::OK);
        let r = rate(json!({"satisfaction": "satisfied", "comment": "很快", "token": token})).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!((r.json()["status"].as_str(), r.json()["colour"].as_str()), (Some("closed"), Some("green")));
        let again = rate(json!({"satisfaction": "satisfied", "token": token})).await;
        assert_eq!(again.status, StatusCode::CONFLICT, "rated once");
        // Attributed: the resident's ratings carry no account.
        let (staff_rated,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM case_events WHERE case_id = $1 AND action = 'feedback' AND actor_account IS NOT NULL")
            .bind(id)
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
        assert_eq!(staff_rated, 0);
    }

    async fn the_plain_form_works_without_javascript_and_keeps_what_was_typed(app: TestApp) {
        let r = app.send(Report::new(MY_GRID).set("idempotency_key", "form-key-0001").request(&format!("/r/{MY_GRID}"))).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert!(r.location().starts_with("/t/") && r.location().contains("?k=") && r.location().ends_with("&new=1"), "{}", r.location());
        let before = count(&app, "cases").await;

        let bad = Report::new(MY_GRID)
            .set("description", "脏")
            .set("phone", "12345")
            .set("name", "李四")
            .photo("a.jpg", png(20, 20));
        let r = app.send(bad.request(&format!("/r/{MY_GRID}"))).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("上报未保存"), "says it was not saved");
        assert!(r.body.contains("请多写几个字") && r.body.contains("手机号码格式不对"));
        assert!(r.body.contains("李四") && r.body.contains("value=\"12345\"") && r.body.contains(">脏</textarea>"), "typed text kept");
        assert!(r.body.contains("照片需要重新选择"));
        assert_eq!(count(&app, "cases").await, before, "nothing stored");
    }

    async fn bad_photos_are_refused_and_nothing_is_stored(app: TestApp) {
        let cases = count(&app, "cases").await;
        let cases_of = |r: &common::Reply| r.json()["errors"][0]["message_en"].as_str().unwrap_or("").to_owned();
        let fake = Report::new(MY_GRID).photo("photo.jpg", b"%PDF-1.7 this is not a picture".to_vec()).send(&app).await;
        assert_eq!(fake.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", fake.body);
        assert_eq!(fake.json()["field"], "photo");
        assert!(cases_of(&fake).contains("JPEG, PNG or WebP"), "{}", fake.body);

        let huge = Report::new(MY_GRID).photo("big.jpg", vec![0xFF; 11 * 1024 * 1024]).send(&app).await;
        assert_eq!(huge.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", huge.body);
        assert!(huge.json()["message_en"].as_str().unwrap().contains("10 MB"), "{}", huge.body);

        let bomb = Report::new(MY_GRID).photo("bomb.png", png(20_000, 1)).send(&app).await;
        assert_eq!(bomb.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bomb.body);
        assert_eq!(bomb.json()["field"], "photo");

        let four = (0..4).fold(Report::new(MY_GRID), |r, _| r.photo("x.png", png(8, 8))).send(&app).await;
        assert_eq!(four.status, StatusCode::UNPROCESSABLE_ENTITY);

        assert_eq!(count(&app, "cases").await, cases);
        assert_eq!(count(&app, "case_attachments").await, 0);
        assert_eq!(photo_files(&app), 0, "no file left behind");
    }

    async fn eleven_reports_in_ten_minutes_are_too_many(app: TestApp) {
        for i in 0..10 {
            let r = Report::new(MY_GRID).set("description", &format!("第{i}次反映：路面塌陷需要修补")).send(&app).await;
            assert_eq!(r.status, StatusCode::CREATED, "report {i}: {}", r.body);
        }
        let mut eleventh = Report::new(MY_GRID).set("description", "第十一次反映：路面塌陷");
        let r = eleventh.send(&app).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(r.headers.contains_key(header::RETRY_AFTER));
        assert!(r.json()["message"].as_str().unwrap().contains("提交太频繁"));
        // The grid is also limited: another address reporting here waits too…
        eleventh.ip = "10.0.0.2";
        assert_eq!(eleventh.send(&app).await.status, StatusCode::TOO_MANY_REQUESTS);
        // …while that address may report in another grid.
        let other = Report { ip: "10.0.0.2", ..Report::new(NEXT_GRID) };
        assert_eq!(other.send(&app).await.status, StatusCode::CREATED);
        // Ten minutes later the allowance is back.
        // (governor keeps real time, so the test stops here rather than sleeping.)
        assert_eq!(count(&app, "cases").await, 11);
    }

    async fn a_flood_of_reports_is_turned_away_before_its_body_is_read(app: TestApp) {
        // Thirty bodies per address in ten minutes (three times the report limit, for
        // retries); the thirty-first is refused before a byte of it is read.
        for i in 0..30 {
            let r = Report { ip: "10.9.9.9", ..Report::new(MY_GRID) }.set("description", &format!("第{i}次：井盖缺失有危险")).send(&app).await;
            assert!(matches!(r.status.as_u16(), 201 | 429), "{i}: {}", r.status);
        }
        for path in ["/api/v1/public/reports".to_owned(), format!("/r/{MY_GRID}")] {
            let polled = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
            let flag = polled.clone();
            let body = futures_util::stream::once(async move {
                flag.store(true, std::sync::atomic::Ordering::SeqCst);
                Ok::<_, std::io::Error>(axum::body::Bytes::from(vec![b'x'; 1 << 20]))
            });
            let mut req = Request::post(path.as_str())
                .header(header::HOST, "localhost")
                .header(header::ORIGIN, "http://localhost")
                .header(header::CONTENT_TYPE, "multipart/form-data; boundary=b")
                .body(Body::from_stream(body))
                .unwrap();
            req.extensions_mut().insert(ConnectInfo::<SocketAddr>("10.9.9.9:40000".parse().unwrap()));
            let r = app.send(req).await;
            assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{path}: {}", r.body);
            assert!(r.headers.contains_key(header::RETRY_AFTER), "{path}");
            assert!(!polled.load(std::sync::atomic::Ordering::SeqCst), "{path}: the body was read");
        }
        // Another address is not affected.
        let other = Report { ip: "10.9.9.8", ..Report::new(NEXT_GRID) }.send(&app).await;
        assert_eq!(other.status, StatusCode::CREATED);
    }

    async fn an_idempotency_key_answers_retries_and_refuses_a_different_body(app: TestApp) {
        let before = count(&app, "cases").await;
        let first = Report { key: Some("3f1c2a9e-key-one"), ..Report::new(MY_GRID) }.photo("p.png", png(30, 30));
        let a = first.send(&app).await;
        assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
        let b = first.send(&app).await;
        assert_eq!(b.status, StatusCode::CREATED);
        assert_eq!(a.json(), b.json(), "the first answer again");
        assert_eq!(b.headers["idempotent-replayed"], "true");
        assert_eq!(count(&app, "cases").await, before + 1, "one case");
        assert_eq!(photo_files(&app), 1, "one photo");

        let other = Report { key: Some("3f1c2a9e-key-one"), ..Report::new(MY_GRID) }.set("description", "另一件事：井盖缺失很危险");
        let c = other.send(&app).await;
        assert_eq!(c.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(c.json()["error"], "idempotency_key_reused");
        assert_eq!(count(&app, "cases").await, before + 1);
    }

    async fn the_public_api_shows_what_the_public_page_shows(app: TestApp) {
        // Support members (volunteers, party members…) are private people: name and role only
        // (issue #15, item 6). Grid workers keep their work phones, as on the page.
        let card = app.get(&format!("/api/v1/public/grids/{MY_GRID}"), None).await.json()["card"].clone();
        let members = card["members"].as_array().unwrap();
        let support: Vec<&Value> = members.iter().filter(|m| m["kind"] == "support").collect();
        assert!(!support.is_empty(), "the demo grid has support members");
        for m in &support {
            assert_eq!((m["work_phone"].as_str(), m["duties"].as_str()), (Some(""), Some("")), "{m}");
        }
        let page = app.get(&format!("/r/{MY_GRID}"), None).await.body;
        let phones: Vec<&str> = members.iter().filter_map(|m| m["work_phone"].as_str()).filter(|p| !p.is_empty()).collect();
        assert!(!phones.is_empty());
        for p in phones {
            assert!(page.contains(p), "{p} is on the page too");
        }
        // And the staff's own view of the grid still has every member's phone.
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM grid_members WHERE kind = 'support' AND work_phone <> ''")
            .fetch_one(&app.state.db.pool).await.unwrap();
        assert!(n > 0);
    }

    async fn script_clients_use_the_public_api_without_origin_and_without_a_session(app: TestApp) {
        // A kiosk or a mini-program's backend sends no Origin and no Sec-Fetch-Site (issue #15,
        // item 15). A staff cookie that comes along is dropped: the report is a resident's.
        let staff = app.login("worker").await;
        let (ct, body) = Report::new(MY_GRID).body();
        let script = |origin: Option<&str>| {
            let mut b = Request::post("/api/v1/public/reports")
                .header(header::HOST, "localhost")
                .header(header::CONTENT_TYPE, ct.clone())
                .header(header::COOKIE, staff.clone());
            if let Some(o) = origin {
                b = b.header(header::ORIGIN, o);
            }
            let mut req = b.body(Body::from(body.clone())).unwrap();
            req.extensions_mut().insert(ConnectInfo("10.0.0.9:40000".parse::<SocketAddr>().unwrap()));
            req
        };
        let r = app.send(script(None)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let id = case_id(&app, r.json()["tracking_code"].as_str().unwrap()).await;
        let (by,): (Option<i64>,) = sqlx::query_as("SELECT actor_account FROM case_events WHERE case_id = $1 ORDER BY seq LIMIT 1")
            .bind(id).fetch_one(&app.state.db.pool).await.unwrap();
        assert_eq!(by, None, "filed by a resident, not by the staff cookie");
        // A cross-site browser is still refused, and staff endpoints still need the token.
        assert_eq!(app.send(script(Some("https://evil.example"))).await.status, StatusCode::FORBIDDEN);
        let r = app.form("/logout", &[], Some(&staff), None).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "no token, no Origin: refused");
    }

    async fn residents_contacts_are_erased_two_years_after_closure(app: TestApp) {
        // Issue #15, item 16 (PIPL Art. 19, 47): contacts go, the case and its timeline stay.
        let old = Report::new(MY_GRID).set("name", "王芳").set("phone", PHONE).send(&app).await;
        let recent = Report::new(MY_GRID).set("name", "李强").set("phone", "13912345678").set("description", "路灯不亮已经一周了，晚上很黑").send(&app).await;
        let (old, recent) = (
            case_id(&app, old.json()["tracking_code"].as_str().unwrap()).await,
            case_id(&app, recent.json()["tracking_code"].as_str().unwrap()).await,
        );
        assert_eq!(count(&app, "case_contacts").await, 2);
        let now = app.state.clock.now().timestamp_millis();
        let month = 30 * 24 * 3_600_000_i64;
        for (id, closed) in [(old, now - 25 * month), (recent, now - 23 * month)] {
            sqlx::query("UPDATE cases SET status = 'closed', closed_at = $1 WHERE id = $2")
                .bind(closed).bind(id).execute(&app.state.db.pool).await.unwrap();
        }
        // An audit row older than the audit retention (36 months) goes too; a recent one stays.
        let admin_id: (i64,) = sqlx::query_as("SELECT id FROM accounts WHERE username = 'admin'").fetch_one(&app.state.db.pool).await.unwrap();
        for at in [now - 40 * month, now - month] {
            app::ssr::store::audit::record(&app.state.db.pool, app::ssr::db::from_millis(at), admin_id.0, "read", "household", 1, "test").await.unwrap();
        }
        let erased = app::ssr::services::retention::run(&app.state, app.state.clock.now()).await.unwrap();
        assert_eq!((erased.contacts, erased.audit_rows), (1, 1));
        let (left,): (i64,) = sqlx::query_as("SELECT case_id FROM case_contacts").fetch_one(&app.state.db.pool).await.unwrap();
        assert_eq!(left, recent);
        let (events,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM case_events WHERE case_id = $1").bind(old).fetch_one(&app.state.db.pool).await.unwrap();
        assert!(events >= 1, "the timeline stays");
        assert_eq!(count(&app, "audit_log").await, 1);
    }

    async fn forged_tracking_codes_find_nothing(app: TestApp) {
        let r = Report::new(MY_GRID).photo("p.png", png(10, 10)).send(&app).await;
        let code = r.json()["tracking_code"].as_str().unwrap().to_owned();
        let photo = public(&app, &code).await["steps"][0]["photos"][0].as_str().unwrap().to_owned();
        let name = photo.rsplit('/').next().unwrap().to_owned();
        for forged in ["ABCDEFGHJK", "0000000000", "..%2F..%2Fetc", "abc"] {
            let j = app.get(&format!("/api/v1/public/reports/{forged}"), None).await;
            assert_eq!(j.status, StatusCode::NOT_FOUND, "{forged}");
            assert!(j.json()["message"].is_string());
        }
        let page = app.get("/t/ABCDEFGHJK", None).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND);
        assert!(page.body.contains("没有找到这个查询码"));
        let f = app.form("/t/ABCDEFGHJK/feedback", &[("satisfaction", "satisfied")], None, Some("http://localhost")).await;
        assert_eq!(f.status, StatusCode::NOT_FOUND);
        // A real photo name under someone else's code is not served.
        let other = Report::new(MY_GRID).set("description", "另一个居民：楼道堆放杂物").send(&app).await;
        let other_code = other.json()["tracking_code"].as_str().unwrap().to_owned();
        assert_eq!(app.get(&format!("/t/{other_code}/photos/{name}"), None).await.status, StatusCode::NOT_FOUND);
        assert_eq!(app.get(&format!("/t/{code}/photos/{name}"), None).await.status, StatusCode::OK);
        // Lower case and dashes are forgiven when typed by hand.
        let typed = format!("{}-{}", &code[..5], &code[5..]).to_lowercase();
        assert_eq!(app.get(&format!("/t?code={typed}"), None).await.location(), format!("/t/{code}"));
    }

    async fn robots_and_unknown_grids_are_turned_away(app: TestApp) {
        let before = count(&app, "cases").await;
        let bot = Report::new(MY_GRID).set("website", "http://spam.example").send(&app).await;
        assert_eq!(bot.status, StatusCode::BAD_REQUEST);
        assert!(bot.json()["message"].as_str().unwrap().contains("未被接受"));
        let nowhere = Report::new("360199999999999").send(&app).await;
        assert_eq!(nowhere.status, StatusCode::NOT_FOUND);
        assert_eq!(app.get("/r/360199999999999", None).await.status, StatusCode::NOT_FOUND);
        assert_eq!(app.get("/r/360199001001", None).await.status, StatusCode::NOT_FOUND, "a community is not a grid");
        assert_eq!(count(&app, "cases").await, before);
    }

    async fn the_position_decides_the_grid_and_falls_back_to_the_scanned_one(app: TestApp) {
        let index = app.state.grid_index();
        let inside_next = index.interior_point(NEXT_GRID).unwrap();
        let r = Report::new(MY_GRID)
            .set("lat", &inside_next.lat().to_string())
            .set("lng", &inside_next.lng().to_string())
            .send(&app)
            .await;
        let code = r.json()["tracking_code"].as_str().unwrap().to_owned();
        let (grid,): (String,) = sqlx::query_as("SELECT grid_code FROM cases WHERE tracking_code = $1").bind(&code).fetch_one(&app.state.db.pool).await.unwrap();
        assert_eq!(grid, NEXT_GRID);

        let far = Report::new(MY_GRID).set("lat", "39.9").set("lng", "116.4").send(&app).await;
        let code = far.json()["tracking_code"].as_str().unwrap().to_owned();
        let (grid, lat, lng): (String, f64, f64) = sqlx::query_as("SELECT grid_code, lat, lng FROM cases WHERE tracking_code = $1").bind(&code).fetch_one(&app.state.db.pool).await.unwrap();
        assert_eq!(grid, MY_GRID, "outside the district: the scanned grid");
        assert_eq!(index.locate(app::domain::geo_point::GeoPoint::parse(lat, lng).unwrap()), Some(MY_GRID));
    }

    async fn posters_and_qr_codes_for_staff_and_print(app: TestApp) {
        let svg = app.get(&format!("/r/{MY_GRID}/qr.svg"), None).await;
        assert_eq!(svg.status, StatusCode::OK);
        assert_eq!(svg.headers[header::CONTENT_TYPE], "image/svg+xml");
        assert!(svg.body.contains("<svg"));
        let png = app.get(&format!("/r/{MY_GRID}/qr.png"), None).await;
        assert_eq!(png.status, StatusCode::OK);
        assert_eq!(png.headers[header::CONTENT_TYPE], "image/png");
        assert_eq!(app.get("/r/360199999999999/qr.svg", None).await.status, StatusCode::NOT_FOUND);

        let anon = app.get(&format!("/posters/{MY_GRID}"), None).await;
        assert_eq!(anon.status, StatusCode::SEE_OTHER);
        assert!(anon.location().starts_with("/login"));
        let worker = app.login("worker").await;
        let one = app.get(&format!("/posters/{MY_GRID}"), Some(&worker)).await;
        assert_eq!(one.status, StatusCode::OK);
        assert!(one.body.contains("http://localhost/r/360199001001001") && one.body.contains("<svg"));
        assert_eq!(one.body.matches("class=\"poster\"").count(), 1);
        assert_eq!(app.get("/posters/360199001001", Some(&worker)).await.status, StatusCode::NOT_FOUND, "outside the worker's grid");
        let center = app.login("center").await;
        let all = app.get("/posters/360199001001", Some(&center)).await;
        assert_eq!(all.status, StatusCode::OK);
        assert!(all.body.matches("class=\"poster\"").count() >= 3);
        let dept = app.login("dept").await;
        assert_eq!(app.get(&format!("/posters/{MY_GRID}"), Some(&dept)).await.status, StatusCode::NOT_FOUND);
    }
}
