//! Photos on cases: only real images, re-encoded without EXIF, size and pixel limits,
//! attached to one's own step, served only within scope. Nothing half-stored.

mod common;

use common::{jpeg_with_gps, png};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::json;

const MY_GRID: &str = "360199001001001";

fn multipart(files: &[(&str, Vec<u8>)]) -> (String, Vec<u8>) {
    let boundary = "gridgov-test-boundary";
    let mut body = Vec::new();
    for (name, bytes) in files {
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"{name}\"\r\nContent-Type: image/jpeg\r\n\r\n").as_bytes());
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn upload(
    app: &common::TestApp,
    id: i64,
    cookie: &str,
    files: &[(&str, Vec<u8>)],
) -> common::Reply {
    let (ct, body) = multipart(files);
    let req = Request::post(format!("/api/v1/cases/{id}/photos"))
        .header(header::HOST, "localhost")
        .header(header::ORIGIN, "http://localhost")
        .header(header::CONTENT_TYPE, ct)
        .header(header::COOKIE, cookie)
        .body(Body::from(body))
        .unwrap();
    app.send(req).await
}

async fn stored(app: &common::TestApp) -> (i64, usize) {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM case_attachments")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    let files = std::fs::read_dir(app.state.config.data_dir.join("photos"))
        .map(|d| d.count())
        .unwrap_or(0);
    (n, files)
}

backend_tests! {
    async fn photos_are_checked_reencoded_and_scoped(app: TestApp) {
        let worker = app.login("worker").await;
        let center = app.login("center").await;
        let f = app.get(&format!("/api/v1/territory/{MY_GRID}/boundary"), Some(&worker)).await.json();
        let p = &f["geometry"]["coordinates"][0][0];
        let (lng, lat) = (p[0].as_f64().unwrap() + 0.001, p[1].as_f64().unwrap() + 0.001);
        let id = app.report(&worker, "infrastructure", lat, lng).await;

        // Bad input: clear 4xx in both languages, nothing stored.
        let r = upload(&app, id, &worker, &[("photo.jpg", b"%PDF-1.4 this is a document".to_vec())]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.json()["message"], "只能上传JPEG、PNG或WebP格式的图片。");
        let r = upload(&app, id, &worker, &[("big.jpg", vec![0xFF; 10 * 1024 * 1024 + 1])]).await;
        assert_eq!(r.json()["message"], "照片不能超过10MB。");
        let r = upload(&app, id, &worker, &[("bomb.png", png(20_000, 1))]).await;
        assert_eq!(r.json()["message"], "图片尺寸过大，无法处理。");
        let r = upload(&app, id, &worker, &[("a.png", png(8, 8)), ("b.png", png(8, 8)), ("c.png", png(8, 8)), ("d.png", png(8, 8))]).await;
        assert_eq!(r.json()["message"], "每一步最多上传3张照片。");
        let r = upload(&app, id, &worker, &[("ok.png", png(8, 8)), ("bad.jpg", b"nope".to_vec())]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "one bad file refuses the whole upload");
        assert_eq!(stored(&app).await, (0, 0));
        let r = upload(&app, id, &center, &[("ok.png", png(8, 8))]).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "not the centre's step");
        assert_eq!(r.json()["message"], "照片只能附在您自己最近的一步操作上。");

        // A real phone photo: stored re-encoded, without its GPS.
        let r = upload(&app, id, &worker, &[("IMG_0001.jpg", jpeg_with_gps()), ("wide.png", png(3000, 1000))]).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let d = r.json();
        let urls: Vec<String> = d["timeline"][0]["photos"].as_array().unwrap().iter().map(|u| u.as_str().unwrap().to_owned()).collect();
        assert_eq!(urls.len(), 2);
        assert_eq!(stored(&app).await, (2, 2));
        let got = app.get(&urls[0], Some(&worker)).await;
        assert_eq!(got.status, StatusCode::OK);
        assert_eq!(got.headers.get(header::CONTENT_TYPE).unwrap(), "image/jpeg");
        assert_eq!(got.headers.get("x-content-type-options").unwrap(), "nosniff");
        let bytes = got.body.as_bytes();
        let img = image::load_from_memory(&app_bytes(&app, &urls[0], &worker).await).unwrap();
        assert_eq!((img.width(), img.height()), (40, 30));
        assert!(!bytes.windows(4).any(|w| w == b"Exif") && !bytes.windows(3).any(|w| w == b"GPS"), "EXIF removed");
        let wide = image::load_from_memory(&app_bytes(&app, &urls[1], &worker).await).unwrap();
        assert_eq!((wide.width(), wide.height()), (2048, 683), "scaled down");

        // Scope: another grid's worker cannot fetch it; nobody can guess a path.
        let other = app.login("w001001002").await;
        assert_eq!(app.get(&urls[0], Some(&other)).await.status, StatusCode::NOT_FOUND);
        assert_eq!(app.get(&urls[0], None).await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(app.get("/api/v1/photos/..%2F..%2Fgridgov.db", Some(&worker)).await.status, StatusCode::NOT_FOUND);

        // A facility's result (the demo asks for its photo) carries it in the same step;
        // another photo may follow on that step.
        app.act(id, &center, json!({"action": "triage", "tier": "simple"})).await;
        let r = app.act(id, &worker, json!({"action": "resolve", "result": "已修复"})).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        app.resolve_with_photo(id, &worker, "已修复").await;
        let d = upload(&app, id, &worker, &[("after.png", png(16, 16))]).await.json();
        assert_eq!(d["timeline"][2]["action"], "resolve");
        assert_eq!(d["timeline"][2]["photos"].as_array().unwrap().len(), 2);
    }
}

async fn app_bytes(app: &common::TestApp, url: &str, cookie: &str) -> Vec<u8> {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let req = Request::get(url)
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .unwrap();
    let res = app.router.clone().oneshot(req).await.unwrap();
    res.into_body().collect().await.unwrap().to_bytes().to_vec()
}
