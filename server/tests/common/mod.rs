//! Test harness: a real router over a real database — a fresh SQLite file per test, and a
//! fresh PostgreSQL database per test on the server `.ci/test.sh` starts
//! (`GRIDGOV_TEST_POSTGRES_URL`). `backend_tests!` expands each story into a `sqlite` and a
//! `postgres` test.
#![allow(dead_code)] // each test binary uses part of the harness

use app::ssr::AppState;
use app::ssr::config::Config;
use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use leptos::config::LeptosOptions;
use tower::ServiceExt;

pub struct TestApp {
    pub state: AppState,
    pub router: Router,
    pub database_url: String,
    _dir: tempfile::TempDir,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// `name=value` of a cookie the response sets, for the next request's Cookie header.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.set_cookie_line(name)
            .map(|l| l.split(';').next().unwrap().to_owned())
    }

    pub fn set_cookie_line(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|l| l.starts_with(&format!("{name}=")))
            .map(str::to_owned)
    }
}

pub fn leptos_options() -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("gridgov")
        .site_root("target/site")
        .build()
}

pub fn test_config(database_url: &str, data_dir: &std::path::Path) -> Config {
    let mut c = Config::from_lookup(|_| None);
    c.database_url = database_url.to_owned();
    c.data_dir = data_dir.to_owned();
    // The demo district, without its 5,000 cases (one test loads those itself).
    c.demo = false;
    // Stories that move the clock by weeks keep their logins (7 days in production; the
    // absolute lifetime's own test reads this value).
    c.session_max_days = 90;
    // Live streams re-check their session every second (15 s in production).
    c.stream_recheck_secs = 1;
    // Tests' webhook receivers listen on 127.0.0.1 over plain http (other loopback
    // addresses stay refused, which the SSRF test relies on).
    c.webhook_allow = vec!["127.0.0.1".to_owned()];
    // Stories rank a handful of cases (5 in production; `domain::ranking::units` tests the
    // minimum itself).
    c.ranking_min_cases = 1;
    // Stories follow one case at a time; the spot check's own story sets its share.
    c.spot_check_percent = 0;
    c
}

pub async fn sqlite_app() -> TestApp {
    sqlite_app_with(Content::DemoDistrict).await
}

pub async fn postgres_app() -> Option<TestApp> {
    postgres_app_with(Content::DemoDistrict).await
}

/// A fresh installation: no territory, no account (a real district's first start).
pub async fn empty_sqlite_app() -> TestApp {
    sqlite_app_with(Content::Empty).await
}

pub async fn empty_postgres_app() -> Option<TestApp> {
    postgres_app_with(Content::Empty).await
}

/// What a test database starts with.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Content {
    /// The demo district's territory, people and calendar (not its cases).
    DemoDistrict,
    Empty,
}

async fn sqlite_app_with(content: Content) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("gridgov.db").display());
    app_on(url, dir, content).await
}

async fn postgres_app_with(content: Content) -> Option<TestApp> {
    let Ok(admin_url) = std::env::var("GRIDGOV_TEST_POSTGRES_URL") else {
        assert!(
            std::env::var("GRIDGOV_REQUIRE_POSTGRES").is_err(),
            "GRIDGOV_REQUIRE_POSTGRES is set but GRIDGOV_TEST_POSTGRES_URL is not"
        );
        eprintln!("skipped: GRIDGOV_TEST_POSTGRES_URL is not set (bash .ci/test.sh sets it)");
        return None;
    };
    let name = format!("gridgov_test_{}_{}", unix_now(), rand_suffix());
    {
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect(&admin_url)
            .await
            .expect("connect to the test PostgreSQL");
        sweep_old_databases(&mut conn).await;
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await
            .unwrap();
    }
    let base = admin_url
        .rsplit_once('/')
        .map(|(b, _)| b)
        .unwrap_or(&admin_url);
    Some(
        app_on(
            format!("{base}/{name}"),
            tempfile::tempdir().unwrap(),
            content,
        )
        .await,
    )
}

/// Monday 23 November 2026, 09:00 in Asia/Shanghai: every test starts the clock here.
pub fn monday_9am() -> chrono::DateTime<chrono::Utc> {
    use chrono::TimeZone;
    app::domain::calendar::district_tz()
        .with_ymd_and_hms(2026, 11, 23, 9, 0, 0)
        .unwrap()
        .with_timezone(&chrono::Utc)
}

async fn app_on(database_url: String, dir: tempfile::TempDir, content: Content) -> TestApp {
    let config = test_config(&database_url, dir.path());
    let mut state = server::build_state(config, leptos_options())
        .await
        .expect("state");
    state.clock = app::ssr::state::Clock::fixed(monday_9am());
    if content == Content::DemoDistrict {
        app::ssr::demo::load(&state.db)
            .await
            .expect("demo district");
    }
    app::ssr::services::territory::reload_grid_index(&state)
        .await
        .expect("grid index");
    let router = {
        let _g = LEPTOS.lock().await;
        server::router(state.clone())
    };
    TestApp {
        router,
        state,
        database_url,
        _dir: dir,
    }
}

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// A test's database outlives it (its app lives to the test's end and cannot drop it
/// asynchronously), so the first PostgreSQL test of each run drops the databases of runs
/// more than six hours old: a developer's cluster once held 2,570 of them (26 GB) and the
/// disk filled. Younger ones may belong to a run still going; they stay.
async fn sweep_old_databases(conn: &mut sqlx::PgConnection) {
    use std::sync::atomic::{AtomicBool, Ordering};
    static SWEPT: AtomicBool = AtomicBool::new(false);
    if SWEPT.swap(true, Ordering::SeqCst) {
        return;
    }
    let names: Vec<(String,)> =
        sqlx::query_as("SELECT datname FROM pg_database WHERE datname LIKE 'gridgov\\_test\\_%'")
            .fetch_all(&mut *conn)
            .await
            .unwrap_or_default();
    let now = unix_now();
    for (name,) in names {
        let born = name
            .strip_prefix("gridgov_test_")
            .and_then(|rest| rest.split('_').next())
            .and_then(|secs| secs.parse::<u64>().ok());
        // Names from before the timestamp (no second part) are old by construction.
        let old = born.is_none_or(|b| now.saturating_sub(b) > 6 * 3600);
        if old {
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
                .execute(&mut *conn)
                .await;
        }
    }
}

fn rand_suffix() -> String {
    use rand::Rng;
    let n: u64 = rand::rng().random();
    format!("{n:016x}")
}

impl TestApp {
    /// The same database behind a new state and router, as after a restart.
    pub async fn restarted(&self) -> Router {
        let mut config = test_config(&self.database_url, self._dir.path());
        config.demo = false;
        let state = server::build_state(config, leptos_options()).await.unwrap();
        let _g = LEPTOS.lock().await;
        server::router(state)
    }

    pub async fn send(&self, req: Request<Body>) -> Reply {
        send(&self.router, req).await
    }

    pub async fn get(&self, path: &str, cookie: Option<&str>) -> Reply {
        let mut b = Request::get(path).header(header::HOST, "localhost");
        if let Some(c) = cookie {
            b = b.header(header::COOKIE, c);
        }
        self.send(b.body(Body::empty()).unwrap()).await
    }

    /// A JSON request as a script sends it: no Origin header.
    pub async fn json(
        &self,
        method: Method,
        path: &str,
        body: serde_json::Value,
        cookie: Option<&str>,
    ) -> Reply {
        let mut b = Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, "localhost")
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(c) = cookie {
            b = b.header(header::COOKIE, c);
        }
        self.send(b.body(Body::from(body.to_string())).unwrap())
            .await
    }

    /// A form post; `origin` as a browser would send it.
    pub async fn form(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        cookie: Option<&str>,
        origin: Option<&str>,
    ) -> Reply {
        let body: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        let mut b = Request::post(path)
            .header(header::HOST, "localhost")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(c) = cookie {
            b = b.header(header::COOKIE, c);
        }
        if let Some(o) = origin {
            b = b.header(header::ORIGIN, o);
        }
        self.send(b.body(Body::from(body)).unwrap()).await
    }

    pub fn advance(&self, d: chrono::Duration) {
        self.state.clock.set(self.state.clock.now() + d);
    }

    /// A case action by `cookie`'s user.
    pub async fn act(&self, id: i64, cookie: &str, action: serde_json::Value) -> Reply {
        self.json(
            Method::POST,
            &format!("/api/v1/cases/{id}/actions"),
            action,
            Some(cookie),
        )
        .await
    }

    /// A multipart form posted as a browser posts it (same origin), answered as `accept`.
    pub async fn post_multipart(
        &self,
        path: &str,
        cookie: &str,
        form: (&[(&str, &str)], &[(&str, &str, Vec<u8>)]),
        accept: &str,
    ) -> Reply {
        let (ct, body) = multipart(form.0, form.1);
        self.post_body(path, cookie, &ct, body, accept).await
    }

    /// A body of `content_type` (a form, an imported file) posted from the same origin.
    pub async fn post_body(
        &self,
        path: &str,
        cookie: &str,
        content_type: &str,
        body: Vec<u8>,
        accept: &str,
    ) -> Reply {
        self.send(
            Request::post(path)
                .header(header::HOST, "localhost")
                .header(header::ORIGIN, "http://localhost")
                .header(header::CONTENT_TYPE, content_type)
                .header(header::ACCEPT, accept)
                .header(header::COOKIE, cookie)
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }

    /// A result (办结) with one photo of it, as the case page's form sends it (a category
    /// may ask for the photo: the demo's facilities do).
    pub async fn resolve_with_photo(&self, id: i64, cookie: &str, result: &str) -> Reply {
        let (ct, body) = multipart(
            &[("result", result)],
            &[("photo", "after.png", png(24, 16))],
        );
        self.send(
            Request::post(format!("/api/v1/cases/{id}/resolution"))
                .header(header::HOST, "localhost")
                .header(header::ORIGIN, "http://localhost")
                .header(header::CONTENT_TYPE, ct)
                .header(header::ACCEPT, "application/json")
                .header(header::COOKIE, cookie)
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }

    /// A resident's report as the QR page's form posts it (`fields` as the form's, one
    /// photo), answered as JSON.
    pub async fn public_report(&self, fields: &[(&str, &str)], photo: Vec<u8>) -> Reply {
        let (ct, body) = multipart(fields, &[("photo", "a.png", photo)]);
        self.send(
            Request::post("/api/v1/public/reports")
                .header(header::HOST, "localhost")
                .header(header::CONTENT_TYPE, ct)
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }

    /// Every tally row as one comparable line (`grid|month|axis|subject|colour|counts…`),
    /// in key order.
    pub async fn tally_lines(&self) -> Vec<String> {
        use sqlx::Row;
        let rows = sqlx::query(
            "SELECT grid_code, month, axis, subject, colour, cases, completed, on_time, satisfied, basically, \
             dissatisfied, closed_unrated, resident_satisfied, resident_basically, resident_dissatisfied, ack_due, \
             ack_on_time FROM case_tallies ORDER BY grid_code, month, axis, subject, colour",
        )
        .fetch_all(&self.state.db.pool)
        .await
        .unwrap();
        rows.iter()
            .map(|r| {
                let mut parts = vec![r.get::<String, _>(0), r.get::<i64, _>(1).to_string()];
                parts.extend((2..5).map(|i| r.get::<String, _>(i)));
                parts.extend((5..17).map(|i| r.get::<i64, _>(i).to_string()));
                parts.join("|")
            })
            .collect()
    }

    /// Reports a case through the API and returns its id.
    pub async fn report(&self, cookie: &str, category: &str, lat: f64, lng: f64) -> i64 {
        let body = serde_json::json!({"category": category, "description": "路灯不亮，晚上行人不安全", "lat": lat, "lng": lng});
        let r = self
            .json(Method::POST, "/api/v1/cases", body, Some(cookie))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        r.json()["summary"]["id"].as_i64().unwrap()
    }

    /// A point inside `grid` (the mean of its boundary's corners), read through the API
    /// as `cookie`'s user.
    pub async fn inside(&self, cookie: &str, grid: &str) -> (f64, f64) {
        let f = self
            .get(&format!("/api/v1/territory/{grid}/boundary"), Some(cookie))
            .await
            .json();
        let ring = f["geometry"]["coordinates"][0].as_array().unwrap().clone();
        let corners = &ring[..ring.len() - 1];
        let mean = |i: usize| {
            corners.iter().map(|p| p[i].as_f64().unwrap()).sum::<f64>() / corners.len() as f64
        };
        (mean(1), mean(0))
    }

    /// Logs in through the JSON API and returns the session cookie.
    pub async fn login(&self, username: &str) -> String {
        let r = self
            .json(
                Method::POST,
                "/api/v1/login",
                serde_json::json!({"username": username, "password": "Demo@2026"}),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "login {username}: {}", r.body);
        r.cookie(server::SESSION_COOKIE).expect("session cookie")
    }
}

pub async fn send(router: &Router, req: Request<Body>) -> Reply {
    let what = format!("{} {}", req.method(), req.uri());
    // JSON API calls render nothing; pages (app and light) do.
    let _render = if req.uri().path().starts_with("/api/") {
        None
    } else {
        Some(LEPTOS.lock().await)
    };
    let res = tokio::time::timeout(
        std::time::Duration::from_secs(60),
        router.clone().oneshot(req),
    )
    .await
    .unwrap_or_else(|_| panic!("no answer in 60 s: {what}"))
    .unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    let body = String::from_utf8_lossy(&bytes).into_owned();
    let html = headers
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if html {
        assert_attributes_within_limit(&what, &body);
    }
    Reply {
        status,
        headers,
        body,
    }
}

/// Leptos's views (tachys) panic in release builds when one element gets more than 26
/// attributes, while the debug builds the tests use erase the types and never do: every
/// page a test renders is held to the limit here, so such a page fails in the tests.
fn assert_attributes_within_limit(what: &str, html: &str) {
    let page = scraper::Html::parse_document(html);
    for element in page.tree.nodes().filter_map(|n| n.value().as_element()) {
        let n = element.attrs().count();
        assert!(
            n <= 26,
            "{what}: <{}> has {n} attributes (release builds panic past 26)",
            element.name()
        );
    }
}

/// A GET whose answer is kept as bytes (downloads).
pub async fn get_bytes(
    router: &Router,
    path: &str,
    cookie: &str,
) -> (StatusCode, HeaderMap, Vec<u8>) {
    let req = Request::get(path)
        .header(header::HOST, "localhost")
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .unwrap();
    let res = router.clone().oneshot(req).await.unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    let bytes = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    (status, headers, bytes)
}

/// A second server instance on the same database (as behind a load balancer), with the
/// same fixed clock and its own live tailer.
pub async fn second_instance(app: &TestApp) -> (AppState, Router) {
    instance_with(app, |_| {}).await
}

/// [`second_instance`] with its configuration changed first.
pub async fn instance_with(app: &TestApp, tweak: impl FnOnce(&mut Config)) -> (AppState, Router) {
    let dir = tempfile::tempdir().unwrap().keep();
    // Instances of one district share its secret (sealed data, keyed fingerprints).
    std::fs::copy(
        app.state.config.data_dir.join("secret.key"),
        dir.join("secret.key"),
    )
    .unwrap();
    let mut config = test_config(&app.database_url, &dir);
    tweak(&mut config);
    let mut state = server::build_state(config, leptos_options())
        .await
        .expect("second state");
    state.clock = app.state.clock.clone();
    server::spawn_live_tailer(&state);
    let router = {
        let _g = LEPTOS.lock().await;
        server::router(state.clone())
    };
    (state, router)
}

/// An open `GET /api/v1/stream`, read frame by frame.
pub struct EventStream {
    body: Body,
    pub text: String,
}

pub async fn open_stream(router: &Router, cookie: &str, last_event_id: Option<i64>) -> EventStream {
    let mut b = Request::get("/api/v1/stream")
        .header(header::HOST, "localhost")
        .header(header::COOKIE, cookie);
    if let Some(id) = last_event_id {
        b = b.header("last-event-id", id.to_string());
    }
    let res = router
        .clone()
        .oneshot(b.body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[header::CONTENT_TYPE], "text/event-stream");
    EventStream {
        body: res.into_body(),
        text: String::new(),
    }
}

impl EventStream {
    /// Reads until `needle` has arrived (true) or `secs` have passed (false).
    pub async fn wait_for(&mut self, needle: &str, secs: u64) -> bool {
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(secs);
        while !self.text.contains(needle) {
            match tokio::time::timeout_at(deadline, self.body.frame()).await {
                Ok(Some(Ok(frame))) => {
                    if let Some(d) = frame.data_ref() {
                        self.text.push_str(&String::from_utf8_lossy(d));
                    }
                }
                _ => return false,
            }
        }
        true
    }

    /// Reads until the server ends the stream (true) or `secs` have passed (false).
    pub async fn wait_for_end(&mut self, secs: u64) -> bool {
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(secs);
        loop {
            match tokio::time::timeout_at(deadline, self.body.frame()).await {
                Ok(Some(Ok(frame))) => {
                    if let Some(d) = frame.data_ref() {
                        self.text.push_str(&String::from_utf8_lossy(d));
                    }
                }
                Ok(None) | Ok(Some(Err(_))) => return true,
                Err(_) => return false,
            }
        }
    }

    /// The ids of the `case` events read so far.
    pub fn case_ids(&self) -> Vec<i64> {
        self.text
            .split("\n\n")
            .filter(|e| e.contains("event: case"))
            .filter_map(|e| {
                e.lines()
                    .find_map(|l| l.strip_prefix("id: "))
                    .and_then(|i| i.parse().ok())
            })
            .collect()
    }
}

/// A plain PNG of the given size.
pub fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(w, h, image::Rgb([30, 120, 200]));
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

/// A JPEG carrying an EXIF segment with a GPS position, as phone cameras write them.
pub fn jpeg_with_gps() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(40, 30, image::Rgb([200, 200, 30]));
    let mut plain = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(
            &mut std::io::Cursor::new(&mut plain),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
    let payload = b"Exif\0\0GPSLatitude=28.6701;GPSLongitude=115.8702";
    let len = (payload.len() + 2) as u16;
    let mut out = vec![0xFF, 0xD8, 0xFF, 0xE1];
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(payload);
    out.extend_from_slice(&plain[2..]);
    out
}

/// Expands one async story `fn(TestApp)` into a SQLite test and a PostgreSQL test, each on
/// the demo district's territory and people.
#[macro_export]
macro_rules! backend_tests {
    (@on $sqlite:ident $postgres:ident; $(async fn $name:ident($app:ident: TestApp) $body:block)*) => {
        $(
            mod $name {
                #[allow(unused_imports)]
                use super::*;

                async fn story($app: common::TestApp) $body

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    story(common::$sqlite().await).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if let Some(app) = common::$postgres().await {
                        story(app).await;
                    }
                }
            }
        )*
    };
    ($($story:tt)*) => {
        backend_tests!(@on sqlite_app postgres_app; $($story)*);
    };
}

/// [`backend_tests!`] on an empty database: a fresh installation.
#[macro_export]
macro_rules! empty_backend_tests {
    ($($story:tt)*) => {
        backend_tests!(@on empty_sqlite_app empty_postgres_app; $($story)*);
    };
}

/// Leptos keeps process-wide reactive state. The server builds its route list (which
/// renders the app once) before it serves, but tests build one router per test while other
/// tests render pages, and a render overlapping another test's route generation could then
/// wait forever (seen as a rare hang). Tests therefore never overlap the two: building a
/// router and rendering a page hold this lock.
static LEPTOS: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// A multipart body with text fields and files `(field, file name, bytes)`, as a browser
/// posts a form: (content type, body).
pub fn multipart(fields: &[(&str, &str)], files: &[(&str, &str, Vec<u8>)]) -> (String, Vec<u8>) {
    let boundary = "gridgov-test-boundary";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    for (name, file, bytes) in files {
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes());
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}
