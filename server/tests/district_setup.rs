//! A real district set up from an empty database (issue #14), as one story on SQLite and
//! PostgreSQL: the first administrator, the standard categories, the example territory,
//! its departments and accounts imported from tables (refused files first: nothing
//! created), a grid worker who must replace the temporary password and then reports a case
//! that lands in the imported grid, and the grid's QR page and poster naming its members
//! as the administrator changes them.

mod common;

use app::ssr::services::accounts::create_first_admin;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::TestApp;
use serde_json::{Value, json};

const TERRITORY: &str = include_str!("../../examples/district/territory.geojson");
const DEPARTMENTS: &str = include_str!("../../examples/district/departments.csv");
const ACCOUNTS: &str = include_str!("../../examples/district/accounts.csv");
const BUILDINGS: &str = include_str!("../../examples/district/buildings.csv");
const ADMIN_PASSWORD: &str = "云溪河边的第一棵枫树";
const GRID: &str = "360299001001001";

async fn login(app: &TestApp, username: &str, password: &str) -> Option<String> {
    let body = json!({"username": username, "password": password});
    app.json(Method::POST, "/api/v1/login", body, None)
        .await
        .cookie(server::SESSION_COOKIE)
}

async fn upload(
    app: &TestApp,
    cookie: &str,
    path: &str,
    bytes: &[u8],
    kind: &str,
) -> common::Reply {
    let req = Request::post(path)
        .header(header::HOST, "localhost")
        .header(header::ORIGIN, "http://localhost")
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, kind)
        .body(Body::from(bytes.to_vec()))
        .unwrap();
    app.send(req).await
}

async fn count(app: &TestApp, table: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    n
}

/// A point inside the example's grid (the mean of its ring's corners).
fn inside(code: &str) -> (f64, f64) {
    let doc: Value = serde_json::from_str(TERRITORY).unwrap();
    let f = doc["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["properties"]["code"] == code)
        .unwrap();
    let ring = f["geometry"]["coordinates"][0].as_array().unwrap();
    let n = (ring.len() - 1) as f64;
    let sum = |i: usize| {
        ring.iter()
            .skip(1)
            .map(|p| p[i].as_f64().unwrap())
            .sum::<f64>()
            / n
    };
    (sum(1), sum(0))
}

fn problems(r: &common::Reply) -> Vec<(i64, String)> {
    r.json()["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["row"].as_i64().unwrap(),
                p["column"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

async fn page_post(
    app: &TestApp,
    cookie: &str,
    path: &str,
    fields: &[(&str, &str)],
    file: Option<&str>,
) -> common::Reply {
    let files: Vec<(&str, &str, Vec<u8>)> = file
        .map(|f| vec![("file", "table.csv", f.as_bytes().to_vec())])
        .unwrap_or_default();
    let (ct, body) = common::multipart(fields, &files);
    let req = Request::post(path)
        .header(header::HOST, "localhost")
        .header(header::ORIGIN, "http://localhost")
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, ct)
        .body(Body::from(body))
        .unwrap();
    app.send(req).await
}

empty_backend_tests! {
    async fn the_administration_pages_do_it_without_javascript(app: TestApp) {
        let now = app.state.clock.now();
        create_first_admin(&app.state.db, "yunxi", ADMIN_PASSWORD, "360299", "云溪区", now).await.unwrap();
        let admin = login(&app, "yunxi", ADMIN_PASSWORD).await.unwrap();
        let r = upload(&app, &admin, "/api/v1/admin/territory/import?dry_run=false", TERRITORY.as_bytes(), "application/geo+json").await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);

        // The building list on the territory page.
        let r = page_post(&app, &admin, "/admin/territory", &[("step", "buildings")], Some("网格编码,楼栋,位置\n360299001001001,1号楼,\"28.0,115.0\"\n")).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("这个位置不在所填网格内"), "{}", &r.body[r.body.find("<main").unwrap_or(0)..][..600]);
        let r = page_post(&app, &admin, "/admin/territory", &[("step", "buildings")], Some(BUILDINGS)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("新增 40") && r.body.contains("楼栋 40"), "{}", &r.body[r.body.find("<main").unwrap_or(0)..][..600]);

        // Departments: the table, then one by hand with two categories, then one deactivated.
        let page = app.get("/admin/departments", Some(&admin)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("职能部门管理") && page.body.contains("环境卫生"));
        let r = page_post(&app, &admin, "/admin/departments", &[("action", "import")], Some("编码,名称\nx,\n")).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("此项必填") && r.body.contains("refused-row"), "{}", r.body);
        let r = page_post(&app, &admin, "/admin/departments", &[("action", "import")], Some(DEPARTMENTS)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("云溪区城市管理局"));
        let r = page_post(&app, &admin, "/admin/departments", &[("action", "create"), ("code", "yx-fire"), ("name", "云溪区消防救援大队"), ("categories", "fire"), ("categories", "work_safety")], None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let depts = app.get("/api/v1/admin/departments", Some(&admin)).await.json();
        assert!(depts.as_array().unwrap().iter().any(|d| d["code"] == "yx-fire" && d["categories"] == json!(["fire", "work_safety"])), "{depts}");
        let r = page_post(&app, &admin, "/admin/departments", &[("action", "update"), ("code", "yx-fire"), ("name", "云溪区消防救援站"), ("name_en", "Yunxi Fire Station"), ("categories", "fire")], None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", &r.body[r.body.find("<main").unwrap_or(0)..][..400]);
        let depts = app.get("/api/v1/admin/departments", Some(&admin)).await.json();
        assert!(depts.as_array().unwrap().iter().any(|d| d["code"] == "yx-fire" && d["name"] == "云溪区消防救援站" && d["categories"] == json!(["fire"])), "{depts}");
        let r = page_post(&app, &admin, "/admin/departments", &[("action", "deactivate"), ("code", "yx-fire")], None).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("已停用"));

        // Accounts: the table shows every temporary password once; one created by hand; a
        // reset and a deactivation.
        let r = page_post(&app, &admin, "/admin/accounts", &[("action", "import")], Some(ACCOUNTS)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.body.matches("class=\"mono temporary\"").count(), 10, "{}", r.body);
        let r = page_post(&app, &admin, "/admin/accounts", &[("action", "create"), ("username", "qian.li"), ("display_name", "钱力"), ("role", "worker"), ("attachment", "360299002002001"), ("work_phone", "13907910077")], None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.body.matches("class=\"mono temporary\"").count(), 1);
        let r = page_post(&app, &admin, "/admin/accounts", &[("action", "create"), ("username", "qian.li"), ("display_name", "钱力"), ("role", "worker"), ("attachment", "360299002002001")], None).await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert!(r.body.contains("这个用户名已被使用"));
        let r = page_post(&app, &admin, "/admin/accounts", &[("action", "deactivate"), ("username", "sun.li")], None).await;
        assert_eq!(r.status, StatusCode::OK);
        let listed = app.get("/api/v1/admin/accounts", Some(&admin)).await.json();
        assert!(listed.as_array().unwrap().iter().any(|a| a["username"] == "sun.li" && a["active"] == false));
        assert!(listed.as_array().unwrap().iter().any(|a| a["username"] == "qian.li" && a["node_code"] == "360299002002001"));

        // A renumbered grid on the territory page: its people need a new grid, chosen on
        // the page; the plan shows the move, and applying it moves them.
        let mut renumbered = app.get("/api/v1/admin/territory/export", Some(&admin)).await.json();
        for f in renumbered["features"].as_array_mut().unwrap() {
            if f["properties"]["code"] == GRID {
                f["properties"]["code"] = json!("360299001001009");
            }
        }
        let text = renumbered.to_string();
        let r = page_post(&app, &admin, "/admin/territory", &[("step", "check"), ("geojson", &text)], None).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains(&format!("name=\"reassign:{GRID}\"")), "{}", &r.body[r.body.find("<main").unwrap_or(0)..][..800]);
        let field = format!("reassign:{GRID}");
        let r = page_post(&app, &admin, "/admin/territory", &[("step", "check"), ("geojson", &text), (&field, "360299001001009")], None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", &r.body[r.body.find("<main").unwrap_or(0)..][..800]);
        assert!(r.body.contains("→ 360299001001009"));
        let planned = r.body[r.body.find("name=\"geojson\"").unwrap()..].split_once('>').unwrap().1.split_once("</textarea>").unwrap().0.replace("&quot;", "\"").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">");
        let r = page_post(&app, &admin, "/admin/territory", &[("step", "apply"), ("geojson", &planned)], None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", &r.body[r.body.find("<main").unwrap_or(0)..][..800]);
        let listed = app.get("/api/v1/admin/accounts", Some(&admin)).await.json();
        assert!(listed.as_array().unwrap().iter().any(|a| a["username"] == "wang.fang" && a["node_code"] == "360299001001009"), "{listed}");

        // Grid members: the grid of the hand-made worker lists him; a support member added
        // and removed on the page.
        let page = app.get("/admin/members?grid=360299002002001", Some(&admin)).await;
        assert!(page.body.contains("钱力") && page.body.contains("13907910077"), "{}", page.body);
        let r = page_post(&app, &admin, "/admin/members?grid=360299002002001", &[("action", "add"), ("name", "石大爷"), ("kind", "support:local_worthy"), ("duties", "调解邻里纠纷")], None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("石大爷") && r.body.contains("乡贤"), "{}", r.body);
        let members = app.get("/api/v1/admin/grids/360299002002001/members", Some(&admin)).await.json();
        let id = members.as_array().unwrap().iter().find(|m| m["name"] == "石大爷").unwrap()["id"].as_i64().unwrap().to_string();
        let r = page_post(&app, &admin, "/admin/members?grid=360299002002001", &[("action", "remove"), ("id", &id)], None).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(!r.body.contains("石大爷"));

        // Only administrators; others are refused, strangers sent to log in.
        let worker_password = {
            let r = upload(&app, &admin, "/api/v1/admin/accounts/qian.li/reset-password", b"", "application/json").await;
            r.json()["temporary_password"].as_str().unwrap().to_owned()
        };
        let worker = login(&app, "qian.li", &worker_password).await.unwrap();
        for path in ["/admin/accounts", "/admin/departments", "/admin/members"] {
            let r = app.get(path, Some(&worker)).await;
            assert_ne!(r.status, StatusCode::OK, "{path}");
            assert!(app.get(path, None).await.location().starts_with("/login"), "{path}");
        }
    }


    async fn a_district_is_set_up_from_an_empty_database(app: TestApp) {
        let now = app.state.clock.now();
        create_first_admin(&app.state.db, "yunxi", ADMIN_PASSWORD, "360299", "云溪区", now).await.unwrap();
        let admin = login(&app, "yunxi", ADMIN_PASSWORD).await.expect("the first administrator logs in");
        let categories = app.get("/api/v1/categories", Some(&admin)).await.json();
        let tops = categories.as_array().unwrap().iter().filter(|c| c["parent"].is_null()).count();
        assert_eq!(tops, 12, "a new district can take reports: {categories}");
        assert_eq!(categories.as_array().unwrap().len(), 36, "with the standard subcategories");

        let r = upload(&app, &admin, "/api/v1/admin/territory/import?dry_run=false", TERRITORY.as_bytes(), "application/geo+json").await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);

        // The building list: a point in the wrong grid and an unknown grid refused, then
        // the example; listing it again moves nothing but counts every building as moved.
        let (lat, lng) = inside(GRID);
        let bad = format!("网格编码,楼栋,纬度,经度\n360299001001002,错位楼,{lat},{lng}\n360299009009009,无名楼,{lat},{lng}\n{GRID},好楼,{lat},{lng}\n");
        let r = upload(&app, &admin, "/api/v1/admin/buildings/import", bad.as_bytes(), "text/csv").await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(problems(&r), [(2, "point".into()), (3, "grid".into())]);
        assert_eq!(count(&app, "buildings").await, 0);
        let r = upload(&app, &admin, "/api/v1/admin/buildings/import", BUILDINGS.as_bytes(), "text/csv").await;
        assert_eq!((r.status, r.json()["created"].as_i64()), (StatusCode::OK, Some(40)), "{}", r.body);
        let r = upload(&app, &admin, "/api/v1/admin/buildings/import", BUILDINGS.as_bytes(), "text/csv").await;
        assert_eq!((r.json()["created"].as_i64(), r.json()["moved"].as_i64()), (Some(0), Some(40)));
        let listed = app.get(&format!("/api/v1/buildings?grid={GRID}"), Some(&admin)).await.json();
        assert_eq!(listed.as_array().unwrap().len(), 2, "{listed}");

        // Departments from their table: a bad file first, then the example.
        let bad = "编码,名称,主管类别\nyx-water,水务局,water\nyx-water,水务局二,\n水务,水务,nowhere\n";
        let r = upload(&app, &admin, "/api/v1/admin/departments/import", bad.as_bytes(), "text/csv").await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(problems(&r), [(3, "code".into()), (4, "code".into())]);
        assert_eq!(count(&app, "departments").await, 0, "nothing created");
        let r = upload(&app, &admin, "/api/v1/admin/departments/import", DEPARTMENTS.as_bytes(), "text/csv").await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert_eq!(r.json()["created"].as_array().unwrap().len(), 6);
        let depts = app.get("/api/v1/admin/departments", Some(&admin)).await.json();
        assert!(depts.as_array().unwrap().iter().any(|d| d["code"] == "yx-urban" && d["categories"] == json!(["city_order", "infrastructure"])), "{depts}");
        let r = upload(&app, &admin, "/api/v1/admin/departments/import", DEPARTMENTS.as_bytes(), "text/csv").await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "codes are taken now");

        // Accounts: every refused row named (unknown role, unknown node, duplicate username,
        // bad phone, unknown department), nothing created; then the example file.
        let bad = "用户名,姓名,角色,所属,工作电话\n\
                   a.one,甲,队长,360299001,\n\
                   a.two,乙,网格员,360299009001001,\n\
                   a.one,丙,网格员,360299001001001,12345\n\
                   a.four,丁,职能部门,nowhere,\n\
                   yunxi,戊,领导,360299,\n";
        let before = count(&app, "accounts").await;
        let r = upload(&app, &admin, "/api/v1/admin/accounts/import", bad.as_bytes(), "text/csv").await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let found = problems(&r);
        for expected in [(2, "role"), (4, "username"), (4, "work_phone")] {
            assert!(found.contains(&(expected.0, expected.1.into())), "{expected:?} in {found:?}");
        }
        assert!(r.json()["problems"][0]["message"].as_str().unwrap().contains("没有这个角色"), "{}", r.body);
        assert_eq!(count(&app, "accounts").await, before, "nothing created");
        let bad = "用户名,姓名,角色,所属\na.two,乙,网格员,360299009001001\na.four,丁,职能部门,nowhere\nYunXi,戊,领导,360299\n";
        let r = upload(&app, &admin, "/api/v1/admin/accounts/import", bad.as_bytes(), "text/csv").await;
        assert_eq!(problems(&r), [(2, "attachment".into()), (3, "attachment".into()), (4, "username".into())], "{}", r.body);
        assert_eq!(count(&app, "accounts").await, before, "nothing created");

        let r = upload(&app, &admin, "/api/v1/admin/accounts/import", ACCOUNTS.as_bytes(), "text/csv").await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert_eq!(r.headers.get(header::CACHE_CONTROL).unwrap(), "no-store");
        let created = r.json()["created"].as_array().unwrap().clone();
        assert_eq!(created.len(), 10);
        let temporary = created.iter().find(|c| c["username"] == "wang.fang").unwrap()["temporary_password"].as_str().unwrap().to_owned();
        let listed = app.get("/api/v1/admin/accounts", Some(&admin)).await.json();
        let he = listed.as_array().unwrap().iter().find(|a| a["username"] == "he.ping").unwrap().clone();
        assert_eq!((he["role"].as_str(), he["department_code"].as_str(), he["work_phone"].as_str()), (Some("dept"), Some("yx-sanitation"), Some("079186120101")));
        assert_eq!(he["must_change_password"], true);
        let audit = app.get("/api/v1/admin/audit?action=account_create", Some(&admin)).await.json();
        assert!(audit.as_array().unwrap().iter().any(|e| e["detail"].as_str().unwrap().contains("wang.fang (王芳), worker at 360299001001001 (imported, row 6)")), "{audit}");

        // The grid worker: the temporary password opens only the password change.
        let worker = login(&app, "wang.fang", &temporary).await.expect("the temporary password logs in");
        let (lat, lng) = inside(GRID);
        let case = json!({"category": "sanitation", "description": "溪口社区垃圾桶满了", "lat": lat, "lng": lng});
        let r = app.json(Method::POST, "/api/v1/cases", case.clone(), Some(&worker)).await;
        assert_eq!((r.status, r.json()["error"].as_str()), (StatusCode::FORBIDDEN, Some("password_change_required")));
        let change = json!({"old_password": temporary, "new_password": "王芳在溪口社区的新密码"});
        assert_eq!(app.json(Method::POST, "/api/v1/me/password", change, Some(&worker)).await.status, StatusCode::NO_CONTENT);
        let r = app.json(Method::POST, "/api/v1/cases", case, Some(&worker)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let id = r.json()["summary"]["id"].as_i64().unwrap();
        let (grid,): (String,) = sqlx::query_as("SELECT grid_code FROM cases WHERE id = $1").bind(id).fetch_one(&app.state.db.pool).await.unwrap();
        assert_eq!(grid, GRID, "the case lands in the imported grid");

        // The QR page and the poster name the imported worker with her work phone …
        let page = app.get(&format!("/r/{GRID}"), None).await;
        assert!(page.body.contains("王芳") && page.body.contains("13907910031"), "{}", page.body);
        // … and follow the administrator's changes at once.
        let police = json!({"name": "钱警官", "kind": "part_time_police", "duties": "社区民警", "work_phone": "0791-86120110"});
        let r = app.json(Method::POST, &format!("/api/v1/admin/grids/{GRID}/members"), police, Some(&admin)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let police_id = r.json()["id"].as_i64().unwrap();
        let volunteer = json!({"name": "孙阿姨", "kind": "support", "support_role": "volunteer", "work_phone": "13907910099"});
        assert_eq!(app.json(Method::POST, &format!("/api/v1/admin/grids/{GRID}/members"), volunteer, Some(&admin)).await.status, StatusCode::CREATED);
        let no_role = json!({"name": "某", "kind": "support"});
        let r = app.json(Method::POST, &format!("/api/v1/admin/grids/{GRID}/members"), no_role, Some(&admin)).await;
        assert_eq!((r.status, r.json()["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("support_role")));
        let page = app.get(&format!("/r/{GRID}"), None).await.body;
        assert!(page.contains("钱警官") && page.contains("079186120110"));
        assert!(!page.contains("13907910099"), "a volunteer's phone is private");
        let poster = app.get(&format!("/posters/{GRID}"), Some(&admin)).await;
        assert!(poster.body.contains("钱警官") && poster.body.contains("王芳"), "{}", poster.status);
        let members = app.get(&format!("/api/v1/admin/grids/{GRID}/members"), Some(&admin)).await.json();
        assert_eq!(members.as_array().unwrap().len(), 3);
        let r = app.json(Method::DELETE, &format!("/api/v1/admin/grids/{GRID}/members/{police_id}"), json!({}), Some(&admin)).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
        assert!(!app.get(&format!("/r/{GRID}"), None).await.body.contains("钱警官"));
        let audit = app.get("/api/v1/admin/audit?action=member_remove", Some(&admin)).await.json();
        assert!(audit[0]["detail"].as_str().unwrap().contains("钱警官"), "{audit}");

        // Administrators only.
        assert_eq!(app.get(&format!("/api/v1/admin/grids/{GRID}/members"), Some(&worker)).await.status, StatusCode::FORBIDDEN);
        assert_eq!(upload(&app, &worker, "/api/v1/admin/accounts/import", ACCOUNTS.as_bytes(), "text/csv").await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.get("/api/v1/admin/grids/360299/members", Some(&admin)).await.status, StatusCode::NOT_FOUND, "members belong to grids");
    }
}
