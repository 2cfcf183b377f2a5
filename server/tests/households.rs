//! Grid workers: households with masked numbers and an audited reveal, imports that are
//! all-or-nothing with per-row errors, visit rules and overdue lists, the one-tap report
//! (自办自结) and the work ledger, read back from its XLSX.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::{Value, json};

const MY_GRID: &str = "360199001001001";
/// The full-time worker of the next grid: same community, other households.
const OTHER_WORKER: &str = "w001001002";
/// The community's grid leader.
const GRID_LEADER: &str = "gl001001";

const GOOD_CSV: &str = "楼栋,门牌地址,姓名,与户主关系,手机号码,身份证号,特殊人群\n\
1栋,1栋1单元101,王秀英,户主,13800001234,11010519491231002X,独居老人\n\
1栋,1栋1单元102,李明,户主,13900005678,,失业人员\n\
1栋,1栋1单元102,赵丽,配偶,,,\n\
2栋,2栋1单元201,张伟,户主,,,\n";

use common::multipart;

/// A browser's multipart form post (same origin).
async fn post_form(
    app: &common::TestApp,
    path: &str,
    cookie: &str,
    fields: &[(&str, &str)],
    files: &[(&str, &str, Vec<u8>)],
    accept_json: bool,
) -> common::Reply {
    let (ct, body) = multipart(fields, files);
    let mut b = Request::post(path)
        .header(header::HOST, "localhost")
        .header(header::ORIGIN, "http://localhost")
        .header(header::CONTENT_TYPE, ct)
        .header(header::COOKIE, cookie);
    if accept_json {
        b = b.header(header::ACCEPT, "application/json");
    }
    app.send(b.body(Body::from(body)).unwrap()).await
}

/// Imports a file through the API as a script would (raw body, CSRF header).
async fn import(app: &common::TestApp, cookie: &str, grid: &str, bytes: Vec<u8>) -> common::Reply {
    let req = Request::post(format!("/api/v1/households/import?grid={grid}"))
        .header(header::HOST, "localhost")
        .header(header::ORIGIN, "http://localhost")
        .header(header::COOKIE, cookie)
        .body(Body::from(bytes))
        .unwrap();
    app.send(req).await
}

async fn households(app: &common::TestApp, cookie: &str) -> Vec<Value> {
    let r = app
        .get(&format!("/api/v1/households?grid={MY_GRID}"), Some(cookie))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json().as_array().unwrap().clone()
}

fn by_address<'a>(list: &'a [Value], address: &str) -> &'a Value {
    list.iter()
        .find(|h| h["address"] == address)
        .unwrap_or_else(|| panic!("no household {address}"))
}

async fn overdue(app: &common::TestApp, cookie: String) -> Vec<String> {
    let r = app
        .get(
            &format!("/api/v1/visits/overdue?grid={MY_GRID}"),
            Some(&cookie),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["address"].as_str().unwrap().to_owned())
        .collect()
}

async fn count(app: &common::TestApp, sql: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    n
}

async fn imported(app: &common::TestApp) -> String {
    let worker = app.login("worker").await;
    let r = import(app, &worker, MY_GRID, GOOD_CSV.as_bytes().to_vec()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let report = r.json();
    assert_eq!(
        (
            report["households_created"].as_i64(),
            report["members_created"].as_i64()
        ),
        (Some(3), Some(4))
    );
    worker
}

backend_tests! {
    async fn a_worker_adds_a_household_by_hand_on_the_phone(app: TestApp) {
        let worker = app.login("worker").await;
        let before = households(&app, &worker).await.len();
        let add = |fields: Vec<(&'static str, &'static str)>| {
            let app = &app;
            let worker = worker.clone();
            async move {
                let mut r = post_form(app, &format!("/w/households/add?grid={MY_GRID}"), &worker, &fields, &[], false).await;
                r.body = r.body.replace("<!>", ""); // the renderer's markers between texts
                r
            }
        };
        let r = add(vec![("address", "幸福里9号101"), ("name", "王小明"), ("phone", "1391234"), ("id_number", "123")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "the page again, with the refusal");
        assert!(r.body.contains("id=\"import-errors\"") && r.body.contains("手机号码") && r.body.contains("身份证号"), "both numbers refused");
        assert!(!r.body.contains("1391234"), "a refused phone is not echoed");
        assert_eq!(households(&app, &worker).await.len(), before, "nothing written");

        let r = add(vec![("address", "幸福里9号101"), ("building", "幸福里9号"), ("name", "王小明"), ("relation", "户主"), ("phone", "13912345678")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("新建住户 1"), "{}", r.body);
        let r = add(vec![("address", "幸福里9号101"), ("name", "李芳"), ("relation", "配偶")]).await;
        assert!(r.body.contains("新建住户 0") && r.body.contains("新建成员 1"));
        let list = households(&app, &worker).await;
        assert_eq!(list.len(), before + 1);
        let h = by_address(&list, "幸福里9号101");
        assert_eq!(h["members"].as_array().unwrap().len(), 2);
        assert!(h.to_string().contains("139****5678") && !h.to_string().contains("13912345678"), "masked: {h}");
    }

    async fn lists_are_masked_and_a_reveal_is_audited(app: TestApp) {
        let worker = imported(&app).await;
        let list = households(&app, &worker).await;
        assert_eq!(list.len(), 3);
        let wang = &by_address(&list, "1栋1单元101")["members"][0];
        assert_eq!(wang["phone_masked"], "138****1234");
        // Only the last four characters, and no birth year (issue #15, item 7).
        assert_eq!(wang["id_masked"], "**************002X");
        assert_eq!(wang["tags"][0]["code"], "elderly_alone");
        assert!(wang.get("birth_year").is_none(), "{wang}");
        assert_eq!(count(&app, "SELECT COUNT(*) FROM household_members WHERE id_masked LIKE '110%'").await, 0);
        // Neither the list nor the household page carries a full number.
        let id = by_address(&list, "1栋1单元101")["id"].as_i64().unwrap();
        let page = app.get(&format!("/w/households/{id}"), Some(&worker)).await;
        assert_eq!(page.status, StatusCode::OK);
        for body in [serde_json::to_string(&list).unwrap(), page.body.clone()] {
            assert!(!body.contains("13800001234") && !body.contains("11010519491231002X"));
        }
        // Stored sealed: the database has no plain number either.
        let plain = count(&app, "SELECT COUNT(*) FROM household_members WHERE phone_sealed LIKE '%1380000%' OR id_sealed LIKE '%110105%'").await;
        assert_eq!(plain, 0);

        // The reveal shows the numbers and writes who saw them.
        let member = wang["id"].as_i64().unwrap();
        let path = format!("/api/v1/households/{id}/members/{member}/reveal");
        let r = app.json(Method::POST, &path, json!({}), Some(&worker)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["phone"], "13800001234");
        assert_eq!(r.json()["id_number"], "11010519491231002X");
        assert_eq!(r.headers.get(header::CACHE_CONTROL).unwrap(), "no-store");
        let audited = count(&app, &format!("SELECT COUNT(*) FROM audit_log WHERE action = 'reveal' AND subject_id = {member}")).await;
        assert_eq!(audited, 1);
        // The page form does the same, and shows the number.
        let page = app.form(&format!("/w/households/{id}/members/{member}/reveal"), &[], Some(&worker), Some("http://localhost")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("13800001234"));
        assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_log WHERE action = 'reveal'").await, 2);

        // A leader sees the masked list but may not reveal; nothing is audited for a refusal.
        let leader = app.login("leader").await;
        assert_eq!(households(&app, &leader).await.len(), 3);
        let r = app.json(Method::POST, &path, json!({}), Some(&leader)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_log WHERE action = 'reveal'").await, 2);
    }

    async fn outsiders_cannot_read_a_grids_households(app: TestApp) {
        let worker = imported(&app).await;
        let id = households(&app, &worker).await[0]["id"].as_i64().unwrap();
        let other = app.login(OTHER_WORKER).await;
        let dept = app.login("dept").await;
        for cookie in [&other, &dept] {
            let r = app.get(&format!("/api/v1/households?grid={MY_GRID}"), Some(cookie)).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
            let r = app.get(&format!("/api/v1/households/{id}"), Some(cookie)).await;
            assert!(matches!(r.status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN), "{}", r.body);
            let r = app.json(Method::POST, &format!("/api/v1/households/{id}/visits"), json!({"minutes": 20, "notes": "x"}), Some(cookie)).await;
            assert!(matches!(r.status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN), "{}", r.body);
            let r = import(&app, cookie, MY_GRID, GOOD_CSV.as_bytes().to_vec()).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        }
        // The other grid's worker sees their own (empty) grid, and nobody was audited.
        let r = app.get("/api/v1/households", Some(&other)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.json().as_array().unwrap().len(), 0);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM visits").await, 0);
        // Visitors get a 401, and the page sends them to log in.
        assert_eq!(app.get(&format!("/api/v1/households/{id}"), None).await.status, StatusCode::UNAUTHORIZED);
        assert!(app.get("/w/households", None).await.location().starts_with("/login"));
    }

    async fn an_import_with_bad_rows_imports_nothing_and_says_why(app: TestApp) {
        let worker = app.login("worker").await;
        let csv = "门牌地址,姓名,手机号码,身份证号,特殊人群\n\
                   3栋101,孙红,13800001111,,独居老人\n\
                   3栋102,,,,\n\
                   3栋103,周杰,12345,110105194912310021,外星人\n";
        let r = import(&app, &worker, MY_GRID, csv.as_bytes().to_vec()).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let errors: Vec<(i64, String)> = r.json()["errors"].as_array().unwrap().iter()
            .map(|e| (e["row"].as_i64().unwrap(), e["column"].as_str().unwrap_or("").to_owned()))
            .collect();
        assert_eq!(errors, [(3, "name".into()), (4, "phone".into()), (4, "id_number".into()), (4, "tags".into())]);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM households").await, 0);
        // The page shows the same report in Chinese.
        let (ct, body) = multipart(&[], &[("file", "h.csv", csv.as_bytes().to_vec())]);
        let req = Request::post(format!("/w/households/import?grid={MY_GRID}"))
            .header(header::HOST, "localhost").header(header::ORIGIN, "http://localhost")
            .header(header::CONTENT_TYPE, ct).header(header::COOKIE, &worker)
            .body(Body::from(body)).unwrap();
        let page = app.send(req).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.body.contains("没有导入") && page.body.contains("身份证号不对"));
        // Not a table at all.
        let r = import(&app, &worker, MY_GRID, vec![0xb5, 0xd8, 0xd6, 0xb7]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.json()["field"], "file");

        // An XLSX file as an office exports it imports; importing it again updates.
        use app::domain::sheet::{Cell, Sheet};
        let sheet = Sheet {
            name: "住户".into(),
            headers: ["门牌地址", "姓名", "身份证号", "特殊人群"].map(String::from).to_vec(),
            rows: vec![vec![
                Cell::Text("5栋501".into()),
                Cell::Text("钱桂英".into()),
                Cell::Text("11010519491231002X".into()),
                Cell::Text("残疾人、低保/五保".into()),
            ]],
        };
        let xlsx = app::ssr::xlsx::write(&[sheet]).unwrap();
        let r = import(&app, &worker, MY_GRID, xlsx.clone()).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let r = import(&app, &worker, MY_GRID, xlsx).await;
        assert_eq!((r.json()["members_created"].as_i64(), r.json()["members_updated"].as_i64()), (Some(0), Some(1)));
        let list = households(&app, &worker).await;
        assert_eq!(list.len(), 1);
        assert_eq!(list[0]["visit_every_days"], 30);
        let tags: Vec<&str> = list[0]["members"][0]["tags"].as_array().unwrap().iter().map(|t| t["code"].as_str().unwrap()).collect();
        assert_eq!(tags, ["disabled", "subsistence"]);
    }

    async fn reads_of_sensitive_lists_are_audited_and_the_log_cannot_be_changed(app: TestApp) {
        // Issue #15, item 8: one audit row per list read (who, which list, scope, how many).
        let worker = imported(&app).await;
        households(&app, &worker).await;
        let leader = app.login("leader").await;
        app.advance(chrono::Duration::days(8));
        let r = app.get("/api/v1/visits/overdue", Some(&leader)).await;
        assert_eq!(r.status, StatusCode::OK);
        let n = r.json().as_array().unwrap().len();
        assert!(n >= 1);
        let admin = app.login("admin").await;
        let found = app.get("/api/v1/admin/audit?action=read_list&limit=50", Some(&admin)).await;
        assert_eq!(found.status, StatusCode::OK, "{}", found.body);
        let entries = found.json();
        let entries = entries.as_array().unwrap();
        let overdue = entries.iter().find(|e| e["subject_kind"] == "visits_overdue").expect("the overdue read");
        assert_eq!(overdue["username"], "leader");
        assert!(overdue["detail"].as_str().unwrap().ends_with(&format!(": {n} households")), "{overdue}");
        let list = entries.iter().find(|e| e["subject_kind"] == "households").expect("the list read");
        assert_eq!((list["username"].as_str(), list["detail"].as_str()), (Some("worker"), Some(format!("grid {MY_GRID}: 3 households").as_str())));
        // The worker's home counts overdue households without reading (or logging) a list.
        let before = count(&app, "SELECT COUNT(*) FROM audit_log").await;
        assert_eq!(app.get("/w", Some(&worker)).await.status, StatusCode::OK);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_log").await, before);
        // Administrators only; and the log is append-only.
        assert_eq!(app.get("/api/v1/admin/audit", Some(&leader)).await.status, StatusCode::FORBIDDEN);
        assert!(sqlx::query("UPDATE audit_log SET detail = 'x'").execute(&app.state.db.pool).await.is_err());
        assert!(sqlx::query("DELETE FROM audit_log").execute(&app.state.db.pool).await.is_err());
        assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_log").await, before);
    }

    async fn visit_rules_decide_what_is_overdue(app: TestApp) {
        let worker = imported(&app).await;
        let list = households(&app, &worker).await;
        assert_eq!(by_address(&list, "1栋1单元101")["visit_every_days"], 7);   // 独居老人 weekly
        assert_eq!(by_address(&list, "1栋1单元102")["visit_every_days"], 30);  // 失业人员 monthly
        assert_eq!(by_address(&list, "2栋1单元201")["visit_every_days"], Value::Null);
        assert!(overdue(&app, worker.clone()).await.is_empty());

        // Eight days on: the elderly resident living alone is overdue, the other not yet.
        app.advance(chrono::Duration::days(8));
        assert_eq!(overdue(&app, worker.clone()).await, ["1栋1单元101"]);
        let per_grid = app.get("/api/v1/visits/per-grid", Some(&app.login(GRID_LEADER).await)).await.json();
        let mine = per_grid.as_array().unwrap().iter().find(|g| g["grid_code"] == MY_GRID).unwrap().clone();
        assert_eq!((mine["households"].as_i64(), mine["with_rule"].as_i64(), mine["overdue"].as_i64()), (Some(3), Some(2), Some(1)));

        // A visit clears it, and a need found becomes a case in the same step.
        let id = by_address(&list, "1栋1单元101")["id"].as_i64().unwrap();
        let r = app.json(Method::POST, &format!("/api/v1/households/{id}/visits"),
            json!({"minutes": 40, "notes": "老人身体尚可", "needs": "楼道灯坏了，晚上看不见", "need_case_category": "infrastructure"}), Some(&worker)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let case_id = r.json()["case_id"].as_i64().expect("a case for the need");
        let case = app.get(&format!("/api/v1/cases/{case_id}"), Some(&worker)).await.json();
        assert!(case["summary"]["description"].as_str().unwrap().contains("楼道灯坏了"));
        assert_eq!(case["summary"]["grid_code"], MY_GRID);
        assert!(overdue(&app, worker.clone()).await.is_empty());
        let week = app.get("/api/v1/visits/week", Some(&worker)).await.json();
        assert_eq!(week[0]["minutes"], 40);

        // Bad input is refused and stores nothing; a leader does not log visits.
        for bad in [json!({"minutes": 0, "notes": "x"}), json!({"minutes": 30, "notes": " "}), json!({"minutes": 30, "notes": "x", "lat": 95.0, "lng": 10.0})] {
            let r = app.json(Method::POST, &format!("/api/v1/households/{id}/visits"), bad, Some(&worker)).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        }
        let r = app.json(Method::POST, &format!("/api/v1/households/{id}/visits"), json!({"minutes": 30, "notes": "x"}), Some(&app.login("leader").await)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM visits").await, 1);

        // 23 days later: the monthly household is due too, and the weekly one again.
        app.advance(chrono::Duration::days(23));
        let mut now_overdue = overdue(&app, worker.clone()).await;
        now_overdue.sort();
        assert_eq!(now_overdue, ["1栋1单元101", "1栋1单元102"]);
    }

    async fn one_tap_report_resolved_on_the_spot_and_the_ledger(app: TestApp) {
        let worker = app.login("worker").await;
        // A point inside the worker's grid.
        let p = app.state.grid_index().interior_point(MY_GRID).unwrap();
        let (lat, lng) = (p.lat().to_string(), p.lng().to_string());
        let key = "0123456789abcdef0123";
        let fields = [("idempotency_key", key), ("category", "infrastructure"), ("description", "井盖松动"), ("lat", &lat), ("lng", &lng), ("mode", "self")];
        let photo = [("photo", "p.jpg", common::png(640, 480))];
        let r = post_form(&app, "/w/report", &worker, &fields, &photo, true).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let id = r.json()["id"].as_i64().unwrap();
        // The retry after a dropped connection gets the same case.
        let again = post_form(&app, "/w/report", &worker, &fields, &photo, true).await;
        assert_eq!(again.json()["id"].as_i64(), Some(id));
        assert_eq!(count(&app, "SELECT COUNT(*) FROM cases").await, 1);
        let case = app.get(&format!("/api/v1/cases/{id}"), Some(&worker)).await.json();
        assert_eq!((case["summary"]["status"].as_str(), case["summary"]["tier"].as_str()), (Some("in_grid"), Some("simple")));
        assert_eq!(case["summary"]["colour"]["colour"], "yellow");

        // "My grid" lists it with its two-hour clock and a resolve button.
        let home = app.get("/w", Some(&worker)).await;
        assert_eq!(home.status, StatusCode::OK);
        assert!(home.body.contains("井盖松动") && home.body.contains(&format!("/w/cases/{id}/resolve")));

        // Resolved within the clock, with a result photo.
        app.advance(chrono::Duration::minutes(50));
        let r = post_form(&app, &format!("/w/cases/{id}/resolve"), &worker, &[("result", "已重新固定井盖")], &[("photo", "r.jpg", common::png(640, 480))], false).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let case = app.get(&format!("/api/v1/cases/{id}"), Some(&worker)).await.json();
        assert_eq!(case["summary"]["status"], "resolved");
        assert_eq!(count(&app, &format!("SELECT COUNT(*) FROM case_attachments WHERE case_id = {id}")).await, 2);

        // A visit, then the ledger: the JSON and the spreadsheet agree with the database.
        let _ = imported(&app).await;
        let hid = households(&app, &worker).await[0]["id"].as_i64().unwrap();
        let r = app.json(Method::POST, &format!("/api/v1/households/{hid}/visits"), json!({"minutes": 45, "notes": "一切正常"}), Some(&worker)).await;
        assert_eq!(r.status, StatusCode::CREATED);
        let ledger = app.get("/api/v1/ledger?month=2026-11", Some(&worker)).await;
        assert_eq!(ledger.status, StatusCode::OK, "{}", ledger.body);
        let s = ledger.json()["summary"].clone();
        assert_eq!((s["found"].as_i64(), s["resolved"].as_i64(), s["dispatched"].as_i64(), s["visits"].as_i64()), (Some(1), Some(1), Some(0), Some(1)));
        let db_visits = count(&app, "SELECT COUNT(*) FROM visits WHERE account_id = (SELECT id FROM accounts WHERE username = 'worker')").await;
        let x = app.get("/api/v1/ledger.xlsx?month=2026-11", Some(&worker)).await;
        assert_eq!(x.status, StatusCode::OK);
        assert!(x.headers.get(header::CONTENT_DISPOSITION).unwrap().to_str().unwrap().contains(".xlsx"));
        // Read back through a real XLSX reader (the body is binary: fetch it raw).
        let req = Request::get("/api/v1/ledger.xlsx?month=2026-11").header(header::HOST, "localhost").header(header::COOKIE, &worker).body(Body::empty()).unwrap();
        let res = tower::ServiceExt::oneshot(app.router.clone(), req).await.unwrap();
        let bytes = http_body_util::BodyExt::collect(res.into_body()).await.unwrap().to_bytes();
        let summary = app::ssr::xlsx::read_table(&bytes).unwrap();
        let cell = |label: &str| summary.iter().find(|r| r[0] == label).map(|r| r[1].clone()).unwrap();
        assert_eq!(cell("上报事件"), "1");
        assert_eq!(cell("办结事件"), "1");
        assert_eq!(cell("入户走访"), db_visits.to_string());
        assert_eq!(cell("走访时长（小时）"), "0.8");
        // Another worker's ledger is not this worker's to read; the community's leader may.
        let other_id = count(&app, &format!("SELECT id FROM accounts WHERE username = '{OTHER_WORKER}'")).await;
        assert_eq!(app.get(&format!("/api/v1/ledger?worker={other_id}&month=2026-11"), Some(&worker)).await.status, StatusCode::NOT_FOUND);
        let my_id = count(&app, "SELECT id FROM accounts WHERE username = 'worker'").await;
        assert_eq!(app.get(&format!("/api/v1/ledger?worker={my_id}&month=2026-11"), Some(&app.login(GRID_LEADER).await)).await.status, StatusCode::OK);
        assert_eq!(app.get("/api/v1/ledger?month=2026-13", Some(&worker)).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    }

    async fn a_refused_report_files_nothing_and_keeps_the_text(app: TestApp) {
        let worker = app.login("worker").await;
        let fields = [("idempotency_key", "abcdefabcdefabcdef01"), ("category", "infrastructure"), ("description", "路面塌陷"), ("lat", "1.0"), ("lng", "1.0"), ("mode", "dispatch")];
        let r = post_form(&app, "/w/report", &worker, &fields, &[], false).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("路面塌陷") && r.body.contains("abcdefabcdefabcdef01"));
        let r = post_form(&app, "/w/report", &worker, &fields, &[("photo", "x.jpg", b"not a photo".to_vec())], true).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.json()["field"], "photo");
        assert_eq!(count(&app, "SELECT COUNT(*) FROM cases").await, 0);
    }

    async fn administrators_define_tags_and_rules_follow(app: TestApp) {
        let worker = imported(&app).await;
        let admin = app.login("admin").await;
        // A new tag, then households importing it get its rule.
        let r = app.json(Method::PUT, "/api/v1/population-tags/veteran", json!({"name": "退役军人", "name_en": "Veteran", "visit_every_days": 14}), Some(&admin)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let csv = "门牌地址,姓名,特殊人群\n2栋1单元201,张伟,退役军人\n";
        assert_eq!(import(&app, &worker, MY_GRID, csv.as_bytes().to_vec()).await.status, StatusCode::OK);
        assert_eq!(by_address(&households(&app, &worker).await, "2栋1单元201")["visit_every_days"], 14);
        // Changing a rule re-computes the households that carry it.
        let r = app.json(Method::PUT, "/api/v1/population-tags/elderly_alone", json!({"name": "独居老人", "visit_every_days": 3}), Some(&admin)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(by_address(&households(&app, &worker).await, "1栋1单元101")["visit_every_days"], 3);
        // Only administrators; names and rules are checked.
        let r = app.json(Method::PUT, "/api/v1/population-tags/x1", json!({"name": "某某", "visit_every_days": 7}), Some(&worker)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        for (code, body) in [("Bad Code", json!({"name": "某某"})), ("ok_code", json!({"name": ""})), ("ok_code", json!({"name": "某某", "visit_every_days": 0}))] {
            let r = app.json(Method::PUT, &format!("/api/v1/population-tags/{}", code.replace(' ', "%20")), body, Some(&admin)).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{code}: {}", r.body);
        }
        let tags = app.get("/api/v1/population-tags", Some(&worker)).await.json();
        assert_eq!(tags.as_array().unwrap().len(), 6);
    }

    async fn a_report_that_cannot_be_self_handled_still_reaches_the_centre(app: TestApp) {
        // A district leader does not take cases: no 自办自结 choice, and a forged "self"
        // still files the report for the centre instead of losing it.
        let leader = app.login("leader").await;
        let page = app.get("/w/report", Some(&leader)).await;
        assert!(!page.body.contains("value=\"self\""));
        let p = app.state.grid_index().interior_point(MY_GRID).unwrap();
        let (lat, lng) = (p.lat().to_string(), p.lng().to_string());
        let fields = [("idempotency_key", "fedcba9876543210fedc"), ("category", "infrastructure"), ("description", "路灯不亮"), ("lat", &lat), ("lng", &lng), ("mode", "self")];
        let r = post_form(&app, "/w/report", &leader, &fields, &[], true).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let id = r.json()["id"].as_i64().unwrap();
        let case = app.get(&format!("/api/v1/cases/{id}"), Some(&leader)).await.json();
        assert_eq!(case["summary"]["status"], "reported");
        let worker = app.login("worker").await;
        assert!(app.get("/w/report", Some(&worker)).await.body.contains("value=\"self\""));
    }

    async fn the_workspace_pages_answer(app: TestApp) {
        let worker = app.login("worker").await;
        let home = app.get("/", Some(&worker)).await;
        assert_eq!(home.location(), "/w");
        for path in ["/w", "/w/report", "/w/households", "/w/visits", "/w/ledger", "/w/ledger?month=2026-10"] {
            let r = app.get(path, Some(&worker)).await;
            assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
            assert!(r.body.contains("class=\"tabs\""), "{path}");
        }
        assert_eq!(app.get("/w/households/999999", Some(&worker)).await.status, StatusCode::NOT_FOUND);
        // A leader's visits page compares the grids of the district.
        let r = app.get("/w/visits", Some(&app.login("leader").await)).await;
        assert!(r.body.contains("id=\"per-grid\""));
    }
}
