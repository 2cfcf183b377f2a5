//! 12345 hotline work orders through the real router, on SQLite and PostgreSQL: the
//! sample export (examples/hotline-orders.csv) imported all or none — a broken copy is
//! refused row by row with nothing written — and again without duplicates; the hotline's
//! deadline replaces the tier's; its steps go out as webhook events and in the return
//! sheet (签收, 退单申请, 延期申请, 办结回复, 回访结果), and a 回访 comes back on re-import.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::{Value, json};

fn sample() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/hotline-orders.csv"
    ))
    .unwrap()
}

async fn import(app: &common::TestApp, cookie: &str, csv: &str) -> common::Reply {
    app.send(
        Request::post("/api/v1/hotline/import")
            .header(header::HOST, "localhost")
            .header(header::ORIGIN, "http://localhost")
            .header(header::COOKIE, cookie)
            .header(header::CONTENT_TYPE, "text/csv")
            .body(Body::from(csv.to_owned()))
            .unwrap(),
    )
    .await
}

async fn count(app: &common::TestApp, sql: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    n
}

fn code_of(done: &Value, order: &str) -> String {
    done["orders"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o[0] == order)
        .unwrap()[1]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn case_id(app: &common::TestApp, cookie: &str, code: &str) -> i64 {
    app.get(&format!("/api/v1/cases?q={code}"), Some(cookie))
        .await
        .json()["cases"][0]["id"]
        .as_i64()
        .unwrap()
}

backend_tests! {
    async fn an_export_is_imported_whole_or_not_at_all_and_again_without_duplicates(app: TestApp) {
        app.advance(chrono::Duration::days(2)); // Wednesday 25 November, after the orders came in
        let center = app.login("center").await;
        let worker = app.login("worker").await;
        let r = import(&app, &worker, &sample()).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "grid workers do not import orders");

        let broken = format!(
            "{}GD20261124004,昨天上午,x,,28.699406,115.862711,没有的类别,很急,,,,12345,\n\
             GD20261124005,2026-11-24 15:00,江滨的问题,,28.699464,115.887106,环境卫生,一般,,,,,\n\
             GD20261124001,2026-11-24 15:00,重复,,28.699406,115.862711,环境卫生,一般,,,,,\n",
            sample()
        );
        let r = import(&app, &center, &broken).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let errors = r.json()["errors"].as_array().unwrap().clone();
        let at = |row: i64, col: &str| errors.iter().any(|e| e["row"] == row && e["column"] == col);
        for col in ["received_at", "category", "urgency", "phone"] {
            assert!(at(5, col), "row 5 {col}: {errors:?}");
        }
        assert!(at(7, "order_no"), "a repeated order number: {errors:?}");
        assert!(!r.body.contains("12345,"), "no phone echoed");
        assert_eq!(count(&app, "SELECT COUNT(*) FROM hotline_orders").await, 0, "nothing written");
        // Outside the centre's street: refused before anything is written.
        let outside = format!("{}GD20261124005,2026-11-24 15:00,江滨的问题,,28.699464,115.887106,环境卫生,一般,,,,,\n", sample());
        let r = import(&app, &center, &outside).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("辖区之外"), "{}", r.body);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM hotline_orders").await, 0);

        let hotline_cases = count(&app, "SELECT COUNT(*) FROM cases WHERE source = 'hotline'").await;
        let r = import(&app, &center, &sample()).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let done = r.json();
        assert_eq!((done["created"].as_i64(), done["updated"].as_i64()), (Some(3), Some(0)));
        let again = import(&app, &center, &sample()).await.json();
        assert_eq!((again["created"].as_i64(), again["updated"].as_i64()), (Some(0), Some(3)));
        assert_eq!(count(&app, "SELECT COUNT(*) FROM cases WHERE source = 'hotline'").await, hotline_cases + 3);
        assert_eq!(code_of(&again, "GD20261124002"), code_of(&done, "GD20261124002"));

        let inbox = app.get("/api/v1/inbox", Some(&center)).await;
        for order in ["GD20261124001", "GD20261124002", "GD20261124003"] {
            assert!(inbox.body.contains(&code_of(&done, order)), "{order} waits in the inbox");
        }
        let id = case_id(&app, &center, &code_of(&done, "GD20261124002")).await;
        let d = app.get(&format!("/api/v1/cases/{id}"), Some(&center)).await.json();
        assert_eq!(d["summary"]["urgent"], true);
        assert_eq!(d["summary"]["grid_code"], "360199001001003");
        assert!(!d.to_string().contains("13800002222"), "the caller's phone is sealed");

        // One order from a connector, as JSON.
        let body = json!({"order_no": "GD20261125009", "received_at": "2026-11-25T08:30:00+08:00", "description": "路灯不亮", "lat": 28.699387, "lng": 115.868946, "category": "city_order"});
        let r = app.json(axum::http::Method::POST, "/api/v1/hotline/orders", body, Some(&center)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let r = app.json(axum::http::Method::POST, "/api/v1/hotline/orders", json!({"order_no": "X"}), Some(&center)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    }

    async fn what_the_hotline_hears_back_by_webhook_and_in_the_return_sheet(app: TestApp) {
        app.advance(chrono::Duration::days(2));
        let center = app.login("center").await;
        let worker = app.login("worker").await;
        let admin_id = count(&app, "SELECT id FROM accounts WHERE username = 'admin'").await;
        app::ssr::store::webhooks::insert(&app.state.db.pool, "https://hotline.example.cn/hook", &app.state.sealer.seal("s"),
            "[\"hotline_signed\",\"hotline_return_requested\",\"hotline_extension_requested\",\"hotline_replied\",\"hotline_revisited\"]", admin_id, app.state.clock.now()).await.unwrap();
        let done = import(&app, &center, &sample()).await.json();
        let a = case_id(&app, &center, &code_of(&done, "GD20261124001")).await;
        let c = case_id(&app, &center, &code_of(&done, "GD20261124003")).await;

        let r = app.act(a, &center, json!({"action": "triage", "tier": "simple"})).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["summary"]["deadline"], "2026-11-27T10:00:00Z", "the hotline's 18:00 on the 27th, not the tier's");
        let r = app.act(a, &worker, json!({"action": "request_extension", "days": 2, "reason": "等待环卫车辆"})).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        app.advance(chrono::Duration::hours(2));
        let r = app.act(a, &worker, json!({"action": "resolve", "result": "已清运，桶已清洗"})).await;
        assert_eq!(r.json()["summary"]["status"], "resolved", "{}", r.body);
        let r = app.act(c, &center, json!({"action": "invalidate", "reason": "not_our_remit", "note": "属物业管理范围，请联系小区物业"})).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);

        let kinds: Vec<(String,)> = sqlx::query_as("SELECT kind FROM webhook_deliveries ORDER BY id").fetch_all(&app.state.db.pool).await.unwrap();
        let kinds: Vec<&str> = kinds.iter().map(|(k,)| k.as_str()).collect();
        assert_eq!(kinds, ["hotline_signed", "hotline_extension_requested", "hotline_replied", "hotline_return_requested"]);
        let (payload,): (String,) = sqlx::query_as("SELECT payload FROM webhook_deliveries WHERE kind = 'hotline_return_requested'").fetch_one(&app.state.db.pool).await.unwrap();
        let p: Value = serde_json::from_str(&payload).unwrap();
        assert_eq!((p["order_no"].as_str(), p["reason"].as_str()), (Some("GD20261124003"), Some("not_our_remit")));

        // The caller's revisit comes back with the next export; an unresolved order's is refused.
        let revisit = sample().replace("请属地网格核实处理,王女士,13800001111,", "请属地网格核实处理,王女士,13800001111,满意");
        let r = import(&app, &center, &revisit).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["revisits"], 1);
        let d = app.get(&format!("/api/v1/cases/{a}"), Some(&center)).await.json();
        assert_eq!(d["summary"]["status"], "closed");
        let early = sample().replace("转城管局处置,李先生,13800002222,", "转城管局处置,李先生,13800002222,不满意");
        let r = import(&app, &center, &early).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("尚未办结"), "{}", r.body);

        let (status, _, xlsx) = common::get_bytes(&app.router, "/api/v1/hotline/returns.xlsx?from=2026-11-01&to=2026-11-30", &center).await;
        assert_eq!(status, StatusCode::OK);
        let table = app::ssr::xlsx::read_table(&xlsx).unwrap();
        assert_eq!(table[0][..5], ["工单编号", "查询码", "事件", "时间", "说明"]);
        let events: Vec<(&str, &str)> = table[1..].iter().map(|r| (r[0].as_str(), r[2].as_str())).collect();
        for (order, event) in [("GD20261124001", "签收"), ("GD20261124001", "延期申请"), ("GD20261124001", "办结回复"), ("GD20261124001", "回访结果"), ("GD20261124003", "退单申请")] {
            assert!(events.contains(&(order, event)), "{order} {event} in {events:?}");
        }
        let reply = table.iter().find(|r| r[2] == "办结回复").unwrap();
        assert_eq!(reply[4], "已清运，桶已清洗");
        let back = table.iter().find(|r| r[2] == "退单申请").unwrap();
        assert!(back[4].contains("不属于") && back[4].contains("物业"), "{back:?}");
        let ext = table.iter().find(|r| r[2] == "延期申请").unwrap();
        assert_eq!(ext[5], "2");
        let r = app.get("/api/v1/hotline/returns.xlsx", Some(&worker)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    }

    async fn the_import_page_shows_every_refused_row(app: TestApp) {
        app.advance(chrono::Duration::days(2));
        let center = app.login("center").await;
        let page = app.get("/hotline", Some(&center)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("12345 热线工单"));
        let template = app.get("/hotline/template.csv", Some(&center)).await;
        assert!(template.body.starts_with("\u{feff}工单编号,接收时间,问题描述"));
        let broken = format!("{}GD9,明天,x,,28.699406,115.862711,环境卫生,一般,,,,,\n", sample());
        let (ct, body) = common::multipart(&[], &[("file", "orders.csv", broken.into_bytes())]);
        let r = app.send(Request::post("/hotline").header(header::HOST, "localhost").header(header::ORIGIN, "http://localhost")
            .header(header::COOKIE, &center).header(header::CONTENT_TYPE, ct).body(Body::from(body)).unwrap()).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("refused-row") && r.body.contains("时间格式应为"), "{}", r.body);
        let (ct, body) = common::multipart(&[], &[("file", "orders.csv", sample().into_bytes())]);
        let r = app.send(Request::post("/hotline").header(header::HOST, "localhost").header(header::ORIGIN, "http://localhost")
            .header(header::COOKIE, &center).header(header::CONTENT_TYPE, ct).body(Body::from(body)).unwrap()).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("新建 3 条") && r.body.contains("GD20261124002"));
        let leader = app.login("gl001001").await;
        assert_eq!(app.get("/hotline", Some(&leader)).await.status, StatusCode::FORBIDDEN);
    }
}
