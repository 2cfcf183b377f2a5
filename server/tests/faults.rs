//! Faults around the process (issue #22): the database away, a data folder that takes no
//! write or is full. Every refusal is a quick 503 in the user's language with
//! `Retry-After`; nothing is half-stored (no case without its photo, no stray file); and
//! service comes back by itself when the fault ends.

mod common;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

const MY_GRID: &str = "360199001001001";
const TYPED: &str = "三号楼楼道灯坏了一周，晚上看不见台阶";
const PHOTO_REFUSED: &str = "系统暂时无法保存照片，请稍后再试，您填写的内容已保留。";
const DB_AWAY: &str = "系统暂时无法访问数据库，请几秒后重试。本次操作尚未保存。";

/// A resident's report as the no-JS form (`/r/{grid}`) or the API posts it.
fn report(path: &str, key: &str, photo: bool, ip: &str) -> Request<Body> {
    let fields = [
        ("grid", MY_GRID),
        ("category", "sanitation"),
        ("description", TYPED),
        ("idempotency_key", key),
    ];
    let files = if photo {
        vec![("photo", "p.png", common::png(40, 30))]
    } else {
        vec![]
    };
    let (ct, body) = common::multipart(&fields, &files);
    let mut req = Request::post(path)
        .header(header::HOST, "localhost")
        .header(header::ORIGIN, "http://localhost")
        .header(header::CONTENT_TYPE, ct)
        .header("idempotency-key", key)
        .body(Body::from(body))
        .unwrap();
    let addr: SocketAddr = format!("{ip}:40000").parse().unwrap();
    req.extensions_mut().insert(ConnectInfo(addr));
    req
}

fn get(path: &str) -> Request<Body> {
    Request::get(path)
        .header(header::HOST, "localhost")
        .body(Body::empty())
        .unwrap()
}

/// The scraper's token of the instances these stories start.
const SCRAPER: &str = "faults-scraper-token";

fn scrape() -> Request<Body> {
    Request::get("/metrics")
        .header(header::HOST, "localhost")
        .header(header::AUTHORIZATION, format!("Bearer {SCRAPER}"))
        .body(Body::empty())
        .unwrap()
}

fn scraped(c: &mut app::ssr::config::Config) {
    c.metrics_token = Some(app::ssr::config::Secret(SCRAPER.into()));
}

async fn cases(app: &common::TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM cases")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
}

/// Every entry of a folder (none when it does not exist).
fn entries(dir: &std::path::Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn retry_after(r: &common::Reply) -> Option<String> {
    r.headers
        .get(header::RETRY_AFTER)
        .map(|v| v.to_str().unwrap().to_owned())
}

backend_tests! {
    async fn a_photo_that_cannot_be_saved_refuses_the_report_whole_and_keeps_the_text(app: TestApp) {
        // A data folder whose photo folder cannot be made (a file stands in its place):
        // every photo write fails, as on a read-only or broken disk.
        let (state, router) = common::second_instance(&app).await;
        let photos = state.config.data_dir.join("photos");
        std::fs::write(&photos, b"not a folder").unwrap();
        let before = cases(&app).await;

        let r = common::send(&router, report(&format!("/r/{MY_GRID}"), "disk-fault-key-0001", true, "10.0.9.1")).await;
        assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{}", r.body);
        assert_eq!(retry_after(&r).as_deref(), Some("60"));
        assert!(r.body.contains(PHOTO_REFUSED), "the resident is told why: {}", r.body);
        assert!(r.body.contains(TYPED), "what the resident typed is on the page again");
        assert!(r.body.contains("disk-fault-key-0001"), "the retry keeps its idempotency key");

        let r = common::send(&router, report("/api/v1/public/reports", "disk-fault-key-0002", true, "10.0.9.2")).await;
        assert_eq!((r.status, r.json()["error"].as_str()), (StatusCode::SERVICE_UNAVAILABLE, Some("unavailable")), "{}", r.body);
        assert_eq!(r.json()["message"], PHOTO_REFUSED);
        assert_eq!(retry_after(&r).as_deref(), Some("60"));
        assert_eq!(cases(&app).await, before, "no case without its photo");

        // A text-only report still goes through; once photos can be written again, the
        // same key stores the refused report once.
        let r = common::send(&router, report("/api/v1/public/reports", "disk-fault-key-0003", false, "10.0.9.3")).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        std::fs::remove_file(&photos).unwrap();
        let r = common::send(&router, report(&format!("/r/{MY_GRID}"), "disk-fault-key-0001", true, "10.0.9.1")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let again = common::send(&router, report("/api/v1/public/reports", "disk-fault-key-0001", true, "10.0.9.1")).await;
        assert_eq!(again.headers.get("idempotent-replayed").map(|v| v.to_str().unwrap()), Some("true"), "{}", again.body);
        assert_eq!(cases(&app).await, before + 2);
        let files = entries(&photos);
        assert_eq!(files.len(), 1, "one photo, no temporary file: {files:?}");
    }

    async fn a_full_disk_refuses_photos_says_so_and_leaves_no_file(app: TestApp) {
        // A real full filesystem: a 1 MiB tmpfs as the instance's data folder (needs root
        // and mount rights; elsewhere the folder-that-takes-no-write test above stands).
        let Some(disk) = SmallDisk::mount() else {
            eprintln!("skipped: cannot mount a tmpfs here (not root, or no mount rights)");
            return;
        };
        std::fs::copy(app.state.config.data_dir.join("secret.key"), disk.path.join("secret.key")).unwrap();
        let (state, router) = on_folder(&app, &disk.path).await;
        let r = common::send(&router, scrape()).await;
        assert!(r.body.contains("\ngridgov_data_low_space 1\n"), "1 MiB free is under the 1 GiB default: {}", r.body);
        disk.fill();
        let before = cases(&app).await;
        let r = common::send(&router, report(&format!("/r/{MY_GRID}"), "full-disk-key-0001", true, "10.0.8.1")).await;
        assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{}", r.body);
        assert!(r.body.contains(PHOTO_REFUSED) && r.body.contains(TYPED), "{}", r.body);
        assert_eq!(retry_after(&r).as_deref(), Some("60"));
        assert_eq!(cases(&app).await, before);
        let photos = state.config.data_dir.join("photos");
        assert!(entries(&photos).is_empty(), "no empty or partial file left: {:?}", entries(&photos));
        let r = common::send(&router, get("/readyz")).await;
        assert_eq!((r.status, r.json()["failing"].clone()), (StatusCode::SERVICE_UNAVAILABLE, serde_json::json!(["disk"])), "{}", r.body);
        // Space comes back: the same report goes through, once.
        disk.empty();
        let r = common::send(&router, report(&format!("/r/{MY_GRID}"), "full-disk-key-0001", true, "10.0.8.1")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(cases(&app).await, before + 1);
        assert_eq!(entries(&photos).len(), 1);
        assert_eq!(common::send(&router, get("/readyz")).await.status, StatusCode::OK);
    }

    async fn the_sweep_removes_photo_files_no_row_names(app: TestApp) {
        let (state, router) = common::second_instance(&app).await;
        let r = common::send(&router, report("/api/v1/public/reports", "sweep-key-0001", true, "10.0.7.1")).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let photos = state.config.data_dir.join("photos");
        let kept = entries(&photos);
        assert_eq!(kept.len(), 1);
        let old = std::time::SystemTime::now() - Duration::from_secs(3600);
        let age = |name: &str| {
            let f = std::fs::File::options().write(true).open(photos.join(name)).unwrap();
            f.set_modified(old).unwrap();
        };
        age(&kept[0]);
        let orphan = "0123456789abcdef0123456789abcdef.jpg";
        let half = "fedcba9876543210fedcba9876543210.jpg.part";
        let young = "00000000000000000000000000000000.jpg";
        let foreign = "README.txt";
        for f in [orphan, half, young, foreign] {
            std::fs::write(photos.join(f), b"x").unwrap();
        }
        for f in [orphan, half, foreign] {
            age(f);
        }
        let swept = app::ssr::storage::sweep_photos(&state.db, &state.config.data_dir, Duration::from_secs(600)).await.unwrap();
        assert_eq!(swept, app::ssr::storage::Swept { orphans: 1, parts: 1, kept: 1 });
        let mut left = vec![kept[0].clone(), young.to_owned(), foreign.to_owned()];
        left.sort();
        assert_eq!(entries(&photos), left, "the named photo, a file that may still be committing, and a file that is not ours stay");
    }

    async fn metrics_tell_the_free_space_and_whether_it_is_low(app: TestApp) {
        let (_, plenty) = common::instance_with(&app, |c| { c.low_disk_bytes = 0; scraped(c) }).await;
        let r = common::send(&plenty, scrape()).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("application/openmetrics-text"));
        let value = |body: &str, name: &str| -> u64 {
            body.lines().find_map(|l| l.strip_prefix(&format!("{name} "))).and_then(|v| v.parse().ok()).unwrap_or_else(|| panic!("{name} in {body}"))
        };
        assert!(value(&r.body, "gridgov_data_free_bytes") > 0);
        assert_eq!(value(&r.body, "gridgov_data_low_space"), 0);
        assert_eq!(value(&r.body, "gridgov_database_up"), 1);
        let (_, short) = common::instance_with(&app, |c| { c.low_disk_bytes = u64::MAX; scraped(c) }).await;
        assert_eq!(value(&common::send(&short, scrape()).await.body, "gridgov_data_low_space"), 1);
        // With a token, only its bearer reads them.
        let (_, guarded) = common::instance_with(&app, |c| c.metrics_token = Some(app::ssr::config::Secret("s3cret-token".into()))).await;
        assert_eq!(common::send(&guarded, get("/metrics")).await.status, StatusCode::UNAUTHORIZED);
        let req = Request::get("/metrics").header(header::HOST, "localhost").header(header::AUTHORIZATION, "Bearer s3cret-token").body(Body::empty()).unwrap();
        assert_eq!(common::send(&guarded, req).await.status, StatusCode::OK);
    }

    async fn with_the_database_away_requests_fail_fast_in_the_users_language(app: TestApp) {
        let (state, router) = common::second_instance(&app).await;
        state.db.pool.close().await;
        let started = Instant::now();
        let r = common::send(&router, report("/api/v1/public/reports", "db-away-key-0001", false, "10.0.6.1")).await;
        assert!(started.elapsed() < Duration::from_secs(4), "{:?}", started.elapsed());
        assert_eq!((r.status, r.json()["error"].as_str()), (StatusCode::SERVICE_UNAVAILABLE, Some("unavailable")), "{}", r.body);
        assert_eq!(r.json()["message"], DB_AWAY);
        assert_eq!(retry_after(&r).as_deref(), Some("5"));
        // A page says it too (not "something went wrong").
        let r = common::send(&router, get(&format!("/r/{MY_GRID}"))).await;
        assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(r.body.contains(DB_AWAY), "{}", r.body);
        assert!(retry_after(&r).is_some());
    }
}

/// The instance of `app`'s database whose data folder is `dir`.
async fn on_folder(app: &common::TestApp, dir: &std::path::Path) -> (app::ssr::AppState, Router) {
    let dir = dir.to_owned();
    common::instance_with(app, move |c| {
        c.data_dir = dir;
        scraped(c);
    })
    .await
}

/// A 1 MiB tmpfs, unmounted when dropped.
struct SmallDisk {
    path: std::path::PathBuf,
    _holder: tempfile::TempDir,
}

impl SmallDisk {
    fn mount() -> Option<SmallDisk> {
        let holder = tempfile::tempdir().ok()?;
        let path = holder.path().join("data");
        std::fs::create_dir(&path).ok()?;
        let ok = std::process::Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                "size=1m",
                "gridgov-test",
                path.to_str()?,
            ])
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(SmallDisk {
            path,
            _holder: holder,
        })
    }

    /// Takes every free byte (a write fails with ENOSPC at the end).
    fn fill(&self) {
        use std::io::Write;
        let mut f = std::fs::File::create(self.path.join("filler")).unwrap();
        let chunk = vec![7u8; 4096];
        while f.write_all(&chunk).is_ok() {}
        let _ = f.sync_all();
    }

    fn empty(&self) {
        std::fs::remove_file(self.path.join("filler")).unwrap();
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg(&self.path)
            .status();
    }
}

/// PostgreSQL going away under a running instance and coming back (its connections run
/// through a proxy the test cuts): quick 503s and health while it is away, then service
/// resumes by itself — requests, the retried report, and the live tailer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_outage_and_recovery() {
    let Some(app) = common::postgres_app().await else {
        return;
    };
    let (prefix, rest) = app.database_url.split_once('@').unwrap();
    let (target, db) = rest.split_once('/').unwrap();
    let proxy = Proxy::start(target.to_owned()).await;
    let via_proxy = format!("{prefix}@{}/{db}", proxy.addr);
    let (_state, router) = common::instance_with(&app, move |c| c.database_url = via_proxy).await;
    let leader = app.login("leader").await;
    let r = common::send(
        &router,
        report(
            "/api/v1/public/reports",
            "pg-away-key-0001",
            false,
            "10.0.5.1",
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

    proxy.cut();
    let started = Instant::now();
    let r = common::send(&router, get("/healthz")).await;
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        (r.status, r.json()["failing"].clone()),
        (
            StatusCode::SERVICE_UNAVAILABLE,
            serde_json::json!(["database"])
        ),
        "{}",
        r.body
    );
    let started = Instant::now();
    let r = send_report(&router, "pg-away-key-0002").await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "fails within the acquire timeout: {:?}",
        started.elapsed()
    );
    assert_eq!(
        (r.status, r.json()["message"].as_str()),
        (StatusCode::SERVICE_UNAVAILABLE, Some(DB_AWAY)),
        "{}",
        r.body
    );

    proxy.restore();
    let started = Instant::now();
    let stored = loop {
        let r = send_report(&router, "pg-away-key-0002").await;
        if r.status == StatusCode::CREATED || started.elapsed() > Duration::from_secs(15) {
            break r;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(
        stored.status,
        StatusCode::CREATED,
        "the retried report is stored once the database is back: {}",
        stored.body
    );
    eprintln!("recovered after {:?}", started.elapsed());
    // The live tailer LISTENs again: a case filed on another instance reaches this one.
    let mut s = common::open_stream(&router, &leader, None).await;
    assert!(s.wait_for("event: hello", 10).await, "{}", s.text);
    let worker = app.login("worker").await;
    let p = app.state.grid_index().interior_point(MY_GRID).unwrap();
    let id = app.report(&worker, "city_order", p.lat(), p.lng()).await;
    assert!(
        s.wait_for(&format!("\"case_id\":{id}"), 10).await,
        "{}",
        s.text
    );
}

/// A text-only report through the public API (the same key is the same report).
async fn send_report(router: &Router, key: &str) -> common::Reply {
    common::send(
        router,
        report("/api/v1/public/reports", key, false, "10.0.5.2"),
    )
    .await
}

/// A TCP proxy to the database that the test can cut (every connection reset, new ones
/// closed at once) and restore.
struct Proxy {
    addr: SocketAddr,
    up: std::sync::Arc<std::sync::atomic::AtomicBool>,
    links: std::sync::Arc<std::sync::Mutex<tokio::task::JoinSet<()>>>,
}

impl Proxy {
    async fn start(target: String) -> Proxy {
        use std::sync::atomic::Ordering;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let up = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
        let links = std::sync::Arc::new(std::sync::Mutex::new(tokio::task::JoinSet::new()));
        let (up2, links2) = (up.clone(), links.clone());
        tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                if !up2.load(Ordering::SeqCst) {
                    continue; // dropped: the client sees the connection closed
                }
                let target = target.clone();
                links2.lock().unwrap().spawn(async move {
                    if let Ok(mut out) = tokio::net::TcpStream::connect(target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut out).await;
                    }
                });
            }
        });
        Proxy { addr, up, links }
    }

    fn cut(&self) {
        self.up.store(false, std::sync::atomic::Ordering::SeqCst);
        self.links.lock().unwrap().abort_all();
    }

    fn restore(&self) {
        self.up.store(true, std::sync::atomic::Ordering::SeqCst);
    }
}
