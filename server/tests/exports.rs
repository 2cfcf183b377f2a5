//! Case lists as files through the real router, on SQLite and PostgreSQL: XLSX, CSV and
//! GeoJSON hold exactly the cases `GET /cases` lists with the same filters and scope, the
//! CSV cannot smuggle a formula into a spreadsheet, the GeoJSON has no free text, and each
//! export is audited.

mod common;

use axum::http::{Method, StatusCode, header};
use serde_json::{Value, json};

const MY_GRID: &str = "360199001001001";

fn total(list: &Value) -> usize {
    list["total"].as_i64().unwrap() as usize
}

async fn exports_audited(app: &common::TestApp) -> i64 {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action = 'cases_export'")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
    n
}

backend_tests! {
    async fn each_export_holds_the_listed_cases_and_nothing_to_run_or_to_identify(app: TestApp) {
        let worker = app.login("worker").await;
        let (lat, lng) = app.inside(&worker, MY_GRID).await;
        let body = json!({"category": "sanitation", "description": "=HYPERLINK(\"http://evil\") 张三 13800000000 门口垃圾", "lat": lat, "lng": lng});
        let r = app.json(Method::POST, "/api/v1/cases", body, Some(&worker)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let code = r.json()["summary"]["tracking_code"].as_str().unwrap().to_owned();

        let filter = "status=reported&category=sanitation";
        let listed = app.get(&format!("/api/v1/cases?{filter}&per_page=200"), Some(&worker)).await.json();
        let n = total(&listed);
        assert!(n >= 1);

        let (status, headers, xlsx) = common::get_bytes(&app.router, &format!("/api/v1/cases.xlsx?{filter}"), &worker).await;
        assert_eq!(status, StatusCode::OK);
        assert!(headers[header::CONTENT_DISPOSITION].to_str().unwrap().contains("cases.xlsx"));
        assert_eq!(headers[header::CACHE_CONTROL], "private, no-store");
        let table = app::ssr::xlsx::read_table(&xlsx).unwrap();
        assert_eq!(table[0][0], "查询码");
        assert_eq!(table.len() - 1, n, "one row per listed case");
        let mine = table.iter().find(|r| r[0] == code).expect("the new case is exported");
        assert!(mine[3].starts_with("=HYPERLINK"), "XLSX keeps text as text: {mine:?}");
        assert_eq!(mine[6], "待受理");

        let (status, headers, csv) = common::get_bytes(&app.router, &format!("/api/v1/cases.csv?{filter}"), &worker).await;
        assert_eq!(status, StatusCode::OK);
        assert!(headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/csv"));
        assert!(csv.starts_with(b"\xEF\xBB\xBF"), "a byte-order mark for spreadsheets");
        let text = String::from_utf8(csv).unwrap();
        assert!(text.contains("\"'=HYPERLINK("), "the formula is defused: {text}");
        assert_eq!(app::ssr::xlsx::read_table(text.as_bytes()).unwrap().len() - 1, n);

        let (status, headers, geo) = common::get_bytes(&app.router, &format!("/api/v1/cases.geojson?{filter}"), &worker).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers[header::CONTENT_TYPE], "application/geo+json");
        let geo: Value = serde_json::from_slice(&geo).unwrap();
        assert_eq!(geo["type"], "FeatureCollection");
        let features = geo["features"].as_array().unwrap();
        assert_eq!(features.len(), n);
        let f = features.iter().find(|f| f["id"] == code.as_str()).unwrap();
        let at = &f["geometry"]["coordinates"];
        assert!((at[0].as_f64().unwrap() - lng).abs() < 1e-9 && (at[1].as_f64().unwrap() - lat).abs() < 1e-9, "longitude first: {at}");
        assert_eq!(f["properties"]["status"], "reported");
        let text = geo.to_string();
        assert!(!text.contains("13800000000") && !text.contains("张三") && !text.contains("HYPERLINK"));
        assert_eq!(exports_audited(&app).await, 3);
    }

    async fn exports_keep_the_readers_scope_and_refuse_what_a_list_refuses(app: TestApp) {
        let dept = app.login("dept").await;
        let listed = app.get("/api/v1/cases?per_page=1", Some(&dept)).await.json();
        let (status, _, geo) = common::get_bytes(&app.router, "/api/v1/cases.geojson", &dept).await;
        assert_eq!(status, StatusCode::OK);
        let geo: Value = serde_json::from_slice(&geo).unwrap();
        assert_eq!(geo["features"].as_array().unwrap().len(), total(&listed), "a department exports its own dispatches only");

        let worker = app.login("worker").await;
        let r = app.get("/api/v1/cases.csv?area=360199", Some(&worker)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "an area beyond the reader's scope");
        let r = app.get("/api/v1/cases.xlsx?status=nonsense", Some(&worker)).await;
        assert!(r.status.is_client_error() && r.body.contains("status"), "{}", r.body);
        let r = app.get("/api/v1/cases.geojson", None).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert_eq!(exports_audited(&app).await, 1, "only the export that was answered is audited");
    }
}
