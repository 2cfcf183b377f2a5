//! The category standards table through the real router, on SQLite and PostgreSQL: the
//! standard subcategories installed, administrators alone change a row or the whole table
//! (exported, edited, imported; all rows or none), and the table sets a case's clocks at
//! once — triage, acknowledgement and the on-site check.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::{Value, json};

const MY_GRID: &str = "360199001001001";

fn row<'a>(all: &'a Value, code: &str) -> &'a Value {
    all.as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == code)
        .unwrap_or_else(|| panic!("{code} in {all}"))
}

backend_tests! {
    async fn the_standards_table_lists_subcategories_and_only_administrators_change_it(app: TestApp) {
        let worker = app.login("worker").await;
        let admin = app.login("admin").await;
        let all = app.get("/api/v1/categories", Some(&worker)).await.json();
        let manhole = row(&all, "infrastructure.manhole");
        assert_eq!(manhole["parent"], "infrastructure");
        assert_eq!((manhole["cj_code"].as_str(), manhole["kind"].as_str()), (Some("0101"), Some("component")));
        assert_eq!(manhole["urgent"], true);
        assert_eq!(manhole["limits"], json!({"ack_hours": 1, "handle_hours": 4, "verify_hours": 2}));
        assert!(manhole["closing_standard"].as_str().unwrap().contains("井盖复位"));
        assert_eq!(all.as_array().unwrap().iter().filter(|c| c["parent"].is_null()).count(), 12);

        let body = json!({"parent": "sanitation", "name": "绿化带垃圾", "name_en": "Litter in verges", "limits": {"handle_hours": 6}});
        let r = app.json(Method::PUT, "/api/v1/categories/sanitation.verge", body.clone(), Some(&worker)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let bad = json!({"parent": "sanitation.overflow", "name": "子的子", "name_en": "x"});
        let r = app.json(Method::PUT, "/api/v1/categories/sanitation.deep", bad, Some(&admin)).await;
        assert!(r.status.is_client_error(), "a subcategory's subcategory: {}", r.status);
        assert!(r.body.contains("所属大类"), "{}", r.body);
        let moved = json!({"parent": "water", "name": "环境卫生", "name_en": "Sanitation"});
        let r = app.json(Method::PUT, "/api/v1/categories/sanitation", moved, Some(&admin)).await;
        assert!(r.status.is_client_error(), "a category stays a category: {}", r.status);
        assert!(r.body.contains("不能改变所属大类"), "{}", r.body);
        let r = app.json(Method::PUT, "/api/v1/categories/sanitation.verge", body, Some(&admin)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["limits"]["handle_hours"], 6);
        let all = app.get("/api/v1/categories", Some(&worker)).await.json();
        assert_eq!(row(&all, "sanitation.verge")["name"], "绿化带垃圾");
        let (audited,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action = 'category_put'")
            .fetch_one(&app.state.db.pool).await.unwrap();
        assert_eq!(audited, 1);
    }

    async fn the_table_goes_out_as_xlsx_and_comes_back_whole_or_not_at_all(app: TestApp) {
        let admin = app.login("admin").await;
        let worker = app.login("worker").await;
        assert_eq!(app.get("/api/v1/categories.xlsx", Some(&worker)).await.status, StatusCode::FORBIDDEN);
        let (status, _, xlsx) = common::get_bytes(&app.router, "/api/v1/categories.xlsx", &admin).await;
        assert_eq!(status, StatusCode::OK);
        assert!(xlsx.starts_with(b"PK"), "a workbook");
        let xlsx_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        let r = app.post_body("/api/v1/categories/import", &admin, xlsx_type, xlsx, "application/json").await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["written"].as_array().unwrap().len(), 36, "12 categories and 24 subcategories");

        // One bad row (an unknown department) and nothing is written, the good row included.
        let csv = "编码,所属大类,名称,处置时限（工作小时）,主管部门\nwater.pipe,water,供水管道漏水,6,\nwater.hydrant,water,消火栓损坏,3,nowhere\n";
        let r = app.post_body("/api/v1/categories/import", &admin, "text/csv", csv.as_bytes().to_vec(), "application/json").await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("nowhere"));
        let all = app.get("/api/v1/categories", Some(&admin)).await.json();
        assert_eq!(row(&all, "water.pipe")["limits"]["handle_hours"], 9, "unchanged");
        assert!(all.as_array().unwrap().iter().all(|c| c["code"] != "water.hydrant"));
        let csv = "编码,所属大类,名称,处置时限（工作小时）,紧急\nwater.pipe,water,供水管道漏水,6,是\nwater.hydrant,water,消火栓损坏,3,否\n";
        let r = app.post_body("/api/v1/categories/import", &admin, "text/csv", csv.as_bytes().to_vec(), "application/json").await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let all = app.get("/api/v1/categories", Some(&admin)).await.json();
        assert_eq!(row(&all, "water.pipe")["limits"]["handle_hours"], 6);
        assert_eq!(row(&all, "water.hydrant")["parent"], "water");

        // The administrators' page shows the table and saves a row without JavaScript.
        let page = app.get("/admin/categories", Some(&admin)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("事件类别标准") && page.body.contains("消火栓损坏") && page.body.contains("井盖缺损"));
        let (ct, body) = common::multipart(
            &[("action", "save"), ("code", "water.hydrant"), ("parent", "water"), ("kind", "component"), ("cj_code", "0109"),
              ("name", "消火栓损坏"), ("name_en", "Broken hydrants"), ("handle_hours", "5"), ("urgent", "on")],
            &[],
        );
        let r = app.post_body("/admin/categories", &admin, &ct, body, "application/json").await;
        assert_eq!(r.status, StatusCode::OK, "{}", &r.body[r.body.find("<main").unwrap_or(0)..].chars().take(400).collect::<String>());
        let all = app.get("/api/v1/categories", Some(&admin)).await.json();
        let hydrant = row(&all, "water.hydrant");
        assert_eq!((hydrant["kind"].as_str(), hydrant["urgent"].as_bool()), (Some("component"), Some(true)));
        assert_eq!(hydrant["limits"]["handle_hours"], 5);
        assert_ne!(app.get("/admin/categories", Some(&worker)).await.status, StatusCode::OK);
    }

    async fn a_subcategory_sets_the_case_clocks_at_once(app: TestApp) {
        let worker = app.login("worker").await;
        let center = app.login("center").await;
        let urban = app.login("dept").await;
        let admin = app.login("admin").await;
        let p = app.state.grid_index().interior_point(MY_GRID).unwrap();
        let id = app.report(&worker, "infrastructure", p.lat(), p.lng()).await;
        let r = app.act(id, &center, json!({"action": "triage", "tier": "coordination", "subcategory": "water.pipe"})).await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert_eq!(r.json()["message"], "该小类不属于此事件类别。");
        let d = app.act(id, &center, json!({"action": "triage", "tier": "coordination", "subcategory": "infrastructure.manhole"})).await.json();
        assert_eq!(d["subcategory"][0], "infrastructure.manhole");
        assert_eq!(d["summary"]["urgent"], true, "urgent by standard");
        assert_eq!(d["summary"]["deadline"], "2026-11-23T05:00:00Z", "4 working hours: 13:00 local");
        assert!(d["closing_standard"].as_str().unwrap().contains("井盖复位"));
        let d = app.act(id, &center, json!({"action": "dispatch", "departments": [{"department": "urban", "role": "lead"}]})).await.json();
        assert_eq!(d["dispatches"][0]["ack_due"], "2026-11-23T02:00:00Z", "1 working hour to 报到");
        app.act(id, &urban, json!({"action": "acknowledge"})).await;
        // A manhole (部件) is closed on a photo of it.
        let d = app.resolve_with_photo(id, &urban, "井盖已复位").await.json();
        assert_eq!(d["verify_due"], "2026-11-23T03:00:00Z", "2 working hours to check");

        // The administrator lengthens the limit: the next case follows the table at once.
        let mut manhole = row(&app.get("/api/v1/categories", Some(&admin)).await.json(), "infrastructure.manhole").clone();
        manhole["limits"]["handle_hours"] = json!(18);
        let r = app.json(Method::PUT, "/api/v1/categories/infrastructure.manhole", manhole, Some(&admin)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let id2 = app.report(&worker, "infrastructure", p.lat(), p.lng()).await;
        let d = app.act(id2, &center, json!({"action": "triage", "tier": "coordination", "subcategory": "infrastructure.manhole"})).await.json();
        assert_eq!(d["summary"]["deadline"], "2026-11-25T01:00:00Z", "18 working hours: Wednesday 09:00");
    }

    async fn reply_templates_are_offered_per_step_and_category(app: TestApp) {
        let worker = app.login("worker").await;
        let center = app.login("center").await;
        let admin = app.login("admin").await;
        let all = app.get("/api/v1/reply-templates", Some(&worker)).await.json();
        assert_eq!(all.as_array().unwrap().len(), 14, "the standard templates");
        let mine = json!({"category": "sanitation", "step": "resolve", "text": "已清运，并对桶点进行消杀。"});
        let r = app.json(Method::POST, "/api/v1/reply-templates", mine.clone(), Some(&worker)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = app.json(Method::POST, "/api/v1/reply-templates", json!({"step": "fly", "text": "x"}), Some(&admin)).await;
        assert!(r.status.is_client_error(), "{}", r.status);
        assert_eq!(r.json()["message"], "请选择常用回复适用的环节。");
        let r = app.json(Method::POST, "/api/v1/reply-templates", mine, Some(&admin)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let id = r.json()["id"].as_i64().unwrap();

        // A sanitation case in the grid's hands: its own templates first, then the general one.
        let p = app.state.grid_index().interior_point(MY_GRID).unwrap();
        let case = app.report(&worker, "sanitation", p.lat(), p.lng()).await;
        app.act(case, &center, json!({"action": "triage", "tier": "simple"})).await;
        let d = app.get(&format!("/api/v1/cases/{case}"), Some(&worker)).await.json();
        let resolve: Vec<&str> = d["templates"].as_array().unwrap().iter()
            .filter(|t| t[0] == "resolve").map(|t| t[1].as_str().unwrap()).collect();
        assert_eq!(resolve, ["垃圾已清运完毕，桶（箱）周边已清扫干净。", "已清运，并对桶点进行消杀。", "已现场处置完毕，附处置后照片。"]);
        assert!(d["templates"].as_array().unwrap().iter().all(|t| d["allowed_actions"].as_array().unwrap().contains(&t[0])));

        let r = app.send(Request::delete(format!("/api/v1/reply-templates/{id}")).header(header::HOST, "localhost")
            .header(header::ORIGIN, "http://localhost").header(header::COOKIE, &admin).body(Body::empty()).unwrap()).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
        let r = app.send(Request::delete(format!("/api/v1/reply-templates/{id}")).header(header::HOST, "localhost")
            .header(header::ORIGIN, "http://localhost").header(header::COOKIE, &admin).body(Body::empty()).unwrap()).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let (audited,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action IN ('template_add', 'template_delete')")
            .fetch_one(&app.state.db.pool).await.unwrap();
        assert_eq!(audited, 2);
    }

    async fn the_kept_catalogue_follows_every_change_whoever_makes_it(app: TestApp) {
        let worker = app.login("worker").await;
        let pool = &app.state.db.pool;
        let p = app.state.grid_index().interior_point(MY_GRID).unwrap();
        app.report(&worker, "sanitation", p.lat(), p.lng()).await; // the catalogue is kept now
        let version = || async {
            let (v,): (i64,) = sqlx::query_as("SELECT version FROM catalogue_stamp").fetch_one(pool).await.unwrap();
            v
        };
        let before = version().await;

        // Written beside this server (another instance, a hand-made statement): seen at once.
        sqlx::query("INSERT INTO categories (code, name, name_en, sort_order) VALUES ('pests', '病媒生物', 'Pests', 99)")
            .execute(pool).await.unwrap();
        let case = app.report(&worker, "pests", p.lat(), p.lng()).await;
        let d = app.get(&format!("/api/v1/cases/{case}"), Some(&worker)).await.json();
        assert_eq!(d["summary"]["category_name"], "病媒生物", "{d}");
        sqlx::query("UPDATE categories SET name = '鼠患' WHERE code = 'pests'").execute(pool).await.unwrap();
        let d = app.get(&format!("/api/v1/cases/{case}"), Some(&worker)).await.json();
        assert_eq!(d["summary"]["category_name"], "鼠患");

        // The case's page reads its grid's name, its templates and the competent department
        // from the kept catalogue as well: changed beside the server, seen at once.
        sqlx::query("UPDATE territory_nodes SET name = '改名网格' WHERE code = $1").bind(MY_GRID)
            .execute(pool).await.unwrap();
        sqlx::query("INSERT INTO reply_templates (category, step, text, sort_order) VALUES ('pests', 'triage', '已核实，转派处置。', 1)")
            .execute(pool).await.unwrap();
        let d = app.get(&format!("/api/v1/cases/{case}"), Some(&worker)).await.json();
        assert_eq!(d["summary"]["grid_name"], "改名网格", "{d}");
        assert!(d["templates"].as_array().unwrap().iter().any(|t| t[1] == "已核实，转派处置。"), "{d}");
        let center = app.login("center").await;
        app.act(case, &center, json!({"action": "triage", "tier": "coordination"})).await;
        let lead = |d: serde_json::Value| d["dispatch_preview"]["proposed_lead"].clone();
        let d = app.get(&format!("/api/v1/cases/{case}"), Some(&center)).await.json();
        assert_eq!(lead(d), serde_json::Value::Null, "no department is competent for pests yet");
        sqlx::query("INSERT INTO department_categories (department, category) VALUES ('market', 'pests')")
            .execute(pool).await.unwrap();
        let d = app.get(&format!("/api/v1/cases/{case}"), Some(&center)).await.json();
        assert_eq!(lead(d), "market");

        // Every table the catalogue holds moves the stamp.
        let mut last = version().await;
        assert!(last > before);
        for change in [
            "UPDATE departments SET name_en = name_en || '.' WHERE code = 'market'",
            "INSERT INTO calendar_days (day, kind, note) VALUES ('2031-01-02', 'holiday', 'x')",
            "DELETE FROM calendar_days WHERE day = '2031-01-02'",
            "UPDATE reply_templates SET sort_order = sort_order + 1",
            "DELETE FROM reply_templates WHERE text = '已核实，转派处置。'",
            "UPDATE territory_nodes SET name_en = name_en || '.' WHERE level = 'grid'",
            "DELETE FROM department_categories WHERE category = 'pests'",
        ] {
            sqlx::query(change).execute(pool).await.unwrap();
            let now = version().await;
            assert!(now > last, "{change}");
            last = now;
        }
    }
}
