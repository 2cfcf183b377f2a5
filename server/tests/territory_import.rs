//! A real district's territory (issue #14): from an empty database, the administrator
//! imports `examples/district/territory.geojson` — a dry run first, then for real — and
//! every refused set says all its reasons and writes nothing; a re-import previews what it
//! changes, and a grid that still holds people cannot disappear. Export reads back in
//! unchanged.

mod common;

use app::ssr::services::accounts::create_first_admin;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::TestApp;
use serde_json::{Value, json};

const EXAMPLE: &str = include_str!("../../examples/district/territory.geojson");
const ADMIN_PASSWORD: &str = "云溪河边的第一棵枫树";
const GRID: &str = "360299001001001";

async fn admin(app: &TestApp) -> String {
    create_first_admin(
        &app.state.db,
        "yunxi",
        ADMIN_PASSWORD,
        "360299",
        "云溪区",
        app.state.clock.now(),
    )
    .await
    .unwrap();
    let r = app
        .json(
            Method::POST,
            "/api/v1/login",
            json!({"username": "yunxi", "password": ADMIN_PASSWORD}),
            None,
        )
        .await;
    r.cookie(server::SESSION_COOKIE).expect("session")
}

async fn import(app: &TestApp, cookie: &str, doc: &Value, dry_run: bool) -> common::Reply {
    let req = Request::post(format!("/api/v1/admin/territory/import?dry_run={dry_run}"))
        .header(header::HOST, "localhost")
        .header(header::ORIGIN, "http://localhost")
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/geo+json")
        .body(Body::from(doc.to_string()))
        .unwrap();
    app.send(req).await
}

async fn nodes(app: &TestApp) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM territory_nodes")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    n
}

fn example() -> Value {
    serde_json::from_str(EXAMPLE).unwrap()
}

fn feature_mut<'a>(doc: &'a mut Value, code: &str) -> &'a mut Value {
    doc["features"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|f| f["properties"]["code"] == code)
        .unwrap()
}

fn ring_mut<'a>(doc: &'a mut Value, code: &str) -> &'a mut Vec<Value> {
    feature_mut(doc, code)["geometry"]["coordinates"][0]
        .as_array_mut()
        .unwrap()
}

fn kinds(r: &common::Reply) -> Vec<(String, String)> {
    r.json()["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["code"].as_str().unwrap().to_owned(),
                p["kind"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

async fn page_post(
    app: &TestApp,
    cookie: &str,
    field: &str,
    text: &str,
    step: &str,
) -> common::Reply {
    let (ct, body) = common::multipart(
        &[("step", step)],
        &[(field, "territory.geojson", text.as_bytes().to_vec())],
    );
    let req = Request::post("/admin/territory")
        .header(header::HOST, "localhost")
        .header(header::ORIGIN, "http://localhost")
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, ct)
        .body(Body::from(body))
        .unwrap();
    app.send(req).await
}

empty_backend_tests! {
    async fn a_grid_in_two_parts_imports_locates_and_exports(app: TestApp) {
        let admin = admin(&app).await;
        // Grid 1 of 溪口 also takes the place of grid 3 (not its neighbour): an enclave.
        let mut doc = example();
        let one = ring_mut(&mut doc, GRID).clone();
        let three = ring_mut(&mut doc, "360299001001003").clone();
        feature_mut(&mut doc, GRID)["geometry"] = json!({"type": "MultiPolygon", "coordinates": [[one.clone()], [three.clone()]]});
        doc["features"].as_array_mut().unwrap().retain(|f| f["properties"]["code"] != "360299001001003");

        // Parts that overlap each other are refused like a self-intersecting ring.
        let mut bad = doc.clone();
        feature_mut(&mut bad, GRID)["geometry"]["coordinates"] = json!([[one.clone()], [one.clone()], [three.clone()]]);
        let r = import(&app, &admin, &bad, true).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(kinds(&r).contains(&(GRID.to_owned(), "invalid_geometry".to_owned())), "{}", r.body);

        let r = import(&app, &admin, &doc, false).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let (lng, lat) = centre(&json!(three));
        let found = app.get(&format!("/api/v1/locate?lat={lat}&lng={lng}"), Some(&admin)).await;
        assert_eq!(found.json()["code"], GRID, "the far part belongs to grid 1: {}", found.body);
        let boundary = app.get(&format!("/api/v1/territory/{GRID}/boundary"), Some(&admin)).await.json();
        let geometry = boundary.get("geometry").unwrap_or(&boundary);
        assert_eq!(geometry["type"], "MultiPolygon", "{boundary}");
        let exported = app.get("/api/v1/admin/territory/export", Some(&admin)).await.json();
        let r = import(&app, &admin, &exported, true).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!((r.json()["added"].clone(), r.json()["changed"].clone(), r.json()["removed"].clone()), (json!([]), json!([]), json!([])), "a round trip");
    }

    async fn on_gcj02_tiles_the_page_draws_the_territory_shifted_and_stores_it_unchanged(app: TestApp) {
        use app::domain::tile_crs::{TileCrs, wgs84_to_gcj02};
        let admin = admin(&app).await;
        assert_eq!(import(&app, &admin, &example(), false).await.status, StatusCode::OK);
        let (_, router) = common::instance_with(&app, |c| c.tile_crs = TileCrs::Gcj02).await;
        let req = Request::get("/admin/territory")
            .header(header::HOST, "localhost")
            .header(header::COOKIE, &admin)
            .body(Body::empty())
            .unwrap();
        let page = common::send(&router, req).await.body;
        let start = page.find("id=\"territory-data\">").expect("the map's data") + "id=\"territory-data\">".len();
        let data: Value = serde_json::from_str(&page[start..start + page[start..].find("</script>").unwrap()].replace("<\\/", "</")).unwrap();
        let drawn = &data["features"]["features"].as_array().unwrap().iter().find(|f| f["properties"]["code"] == GRID).unwrap()["geometry"]["coordinates"][0][0];
        let stored = &feature_mut(&mut example(), GRID)["geometry"]["coordinates"][0][0].clone();
        let (lng, lat) = (stored[0].as_f64().unwrap(), stored[1].as_f64().unwrap());
        let (g_lat, g_lng) = wgs84_to_gcj02(lat, lng);
        assert!((drawn[0].as_f64().unwrap() - g_lng).abs() < 1e-9 && (drawn[1].as_f64().unwrap() - g_lat).abs() < 1e-9, "{drawn} vs {stored}");
        let exported = app.get("/api/v1/admin/territory/export", Some(&admin)).await.json();
        let kept = &exported["features"].as_array().unwrap().iter().find(|f| f["properties"]["code"] == GRID).unwrap()["geometry"]["coordinates"][0][0];
        assert_eq!(kept, stored, "stored and exported in WGS-84");
    }

    async fn the_territory_page_checks_shows_problems_previews_and_applies(app: TestApp) {
        let admin = admin(&app).await;
        let page = app.get("/admin/territory", Some(&admin)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("辖区边界") && page.body.contains("检查并预览") && page.body.contains("id=\"territory-data\""));

        // A gap: refused, listed with its area, drawn on the map; nothing written.
        let mut gap = example();
        gap["features"].as_array_mut().unwrap().retain(|f| f["properties"]["code"] != "360299002001004");
        let r = page_post(&app, &admin, "file", &gap.to_string(), "check").await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("缝隙") && r.body.contains("360299002001") && r.body.contains("\"kind\":\"gap\""), "{}", r.body);
        assert_eq!(nodes(&app).await, 1);

        // The example: the plan and a confirmation carrying the file; then applied.
        let r = page_post(&app, &admin, "file", EXAMPLE, "check").await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("确认导入") && r.body.contains("新增 26"), "{}", r.body);
        assert_eq!(nodes(&app).await, 1, "checked, not written");
        let r = page_post(&app, &admin, "geojson", EXAMPLE, "apply").await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("已导入") && r.body.contains("网格 20"), "{}", r.body);
        assert_eq!(nodes(&app).await, 27);

        // Not JSON: a clear refusal. Not an administrator: 403.
        let r = page_post(&app, &admin, "file", "PK\u{3}\u{4} not json", "check").await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("文件不是有效的 JSON"));
        let worker = json!({"username": "li.wei", "display_name": "李伟", "role": "worker", "node": GRID});
        let temporary = app.json(Method::POST, "/api/v1/admin/accounts", worker, Some(&admin)).await.json()["temporary_password"].as_str().unwrap().to_owned();
        let r = app.json(Method::POST, "/api/v1/login", json!({"username": "li.wei", "password": temporary}), None).await;
        let worker = r.cookie(server::SESSION_COOKIE).unwrap();
        app.json(Method::POST, "/api/v1/me/password", json!({"old_password": temporary, "new_password": "李伟的网格新密码"}), Some(&worker)).await;
        let r = app.json(Method::POST, "/api/v1/login", json!({"username": "li.wei", "password": "李伟的网格新密码"}), None).await;
        let worker = r.cookie(server::SESSION_COOKIE).unwrap();
        assert_eq!(app.get("/admin/territory", Some(&worker)).await.status, StatusCode::FORBIDDEN);
        assert_eq!(page_post(&app, &worker, "file", EXAMPLE, "apply").await.status, StatusCode::FORBIDDEN);
    }

    async fn a_district_imports_its_territory_and_changes_it_later(app: TestApp) {
        let admin = admin(&app).await;
        let before = nodes(&app).await;
        assert_eq!(before, 1, "the district alone");

        // Dry run: the plan, nothing written.
        let r = import(&app, &admin, &example(), true).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["added"].as_array().unwrap().len(), 26);
        assert_eq!((r.json()["dry_run"].as_bool(), r.json()["problems"].as_array().map(Vec::len)), (Some(true), Some(0)));
        assert_eq!(nodes(&app).await, 1);

        // For real: the grids exist, the point lookup finds them, the QR page opens.
        let r = import(&app, &admin, &example(), false).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(nodes(&app).await, 27);
        let first = feature_mut(&mut example(), GRID)["geometry"]["coordinates"][0].clone();
        let (lng, lat) = centre(&first);
        let found = app.get(&format!("/api/v1/locate?lat={lat}&lng={lng}"), Some(&admin)).await;
        assert_eq!(found.json()["code"], GRID, "{}", found.body);
        let page = app.get(&format!("/r/{GRID}"), None).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("溪口社区第1网格"));

        // Export reads back in unchanged.
        let exported = app.get("/api/v1/admin/territory/export", Some(&admin)).await;
        assert_eq!(exported.status, StatusCode::OK);
        let r = import(&app, &admin, &exported.json(), true).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        for k in ["added", "removed", "changed"] {
            assert_eq!(r.json()[k], json!([]), "{k} after a round trip");
        }

        // A grid worker attached to the first grid: that grid cannot vanish.
        let worker = json!({"username": "wang.fang", "display_name": "王芳", "role": "worker", "node": GRID});
        assert_eq!(app.json(Method::POST, "/api/v1/admin/accounts", worker, Some(&admin)).await.status, StatusCode::CREATED);
        // Re-import: grid 2 renamed, grids 5 and 6 of 溪口 merged into a redrawn grid 5
        // (grid 6 removed), the first grid left out.
        let mut next = example();
        feature_mut(&mut next, "360299001001002")["properties"]["name"] = json!("溪口社区滨河网格");
        let six = ring_mut(&mut next, "360299001001006").clone();
        let five = ring_mut(&mut next, "360299001001005");
        // Grid 5 spans columns 1–2 of row 1; grid 6 is column 2: grid 5 takes grid 6's ring
        // points east of their shared edge.
        *five = merged(five, &six);
        let features = next["features"].as_array_mut().unwrap();
        features.retain(|f| f["properties"]["code"] != "360299001001006" && f["properties"]["code"] != GRID);
        let r = import(&app, &admin, &next, true).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(kinds(&r).contains(&(GRID.into(), "in_use".into())), "{:?}", kinds(&r));
        assert!(kinds(&r).contains(&("360299001001".into(), "gap".into())), "the first grid's place is uncovered: {:?}", kinds(&r));
        // With the first grid kept: the preview, then the change.
        next["features"].as_array_mut().unwrap().push(feature_mut(&mut example(), GRID).clone());
        let r = import(&app, &admin, &next, true).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["removed"], json!(["360299001001006"]));
        let mut changed: Vec<String> = serde_json::from_value(r.json()["changed"].clone()).unwrap();
        changed.sort();
        assert_eq!(changed, ["360299001001002", "360299001001005"]);
        assert_eq!(nodes(&app).await, 27, "a preview writes nothing");
        let r = import(&app, &admin, &next, false).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(nodes(&app).await, 26);
        let (six_lng, six_lat) = centre(&json!(six));
        let found = app.get(&format!("/api/v1/locate?lat={six_lat}&lng={six_lng}"), Some(&admin)).await;
        assert_eq!(found.json()["code"], "360299001001005", "the index follows the redraw");
        let audit = app.get("/api/v1/admin/audit?action=territory_import", Some(&admin)).await;
        assert_eq!(audit.json().as_array().unwrap().len(), 2, "{}", audit.body);

        // The worker reports a case in the first grid; then the district renumbers that
        // grid (same ground, new code 009) and names it as the place for its people.
        let temporary = app.json(Method::POST, "/api/v1/admin/accounts/wang.fang/reset-password", json!({}), Some(&admin)).await.json()["temporary_password"].as_str().unwrap().to_owned();
        let r = app.json(Method::POST, "/api/v1/login", json!({"username": "wang.fang", "password": temporary}), None).await;
        let worker = r.cookie(server::SESSION_COOKIE).unwrap();
        let change = json!({"old_password": temporary, "new_password": "溪口社区的网格员王芳"});
        assert_eq!(app.json(Method::POST, "/api/v1/me/password", change, Some(&worker)).await.status, StatusCode::NO_CONTENT);
        let (lng, lat) = centre(&json!(ring_mut(&mut example(), GRID).clone()));
        let case = app.report(&worker, "sanitation", lat, lng).await;
        let mut renumbered = app.get("/api/v1/admin/territory/export", Some(&admin)).await.json();
        feature_mut(&mut renumbered, GRID)["properties"]["code"] = json!("360299001001009");
        let r = import(&app, &admin, &renumbered, true).await;
        assert!(kinds(&r).contains(&(GRID.into(), "in_use".into())), "people need a grid: {}", r.body);
        renumbered["reassign"] = json!({ GRID: "360299001001099" });
        let r = import(&app, &admin, &renumbered, true).await;
        assert!(kinds(&r).contains(&(GRID.into(), "bad_reassign".into())), "{}", r.body);
        renumbered["reassign"] = json!({ GRID: "360299001001009" });
        let r = import(&app, &admin, &renumbered, true).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["touched"].as_array().unwrap().iter().find(|t| t["code"] == GRID).unwrap()["moved_to"], "360299001001009");
        let r = import(&app, &admin, &renumbered, false).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        // The worker moved with the grid; the case keeps the grid it was reported in, which
        // is retired: out of the lookup, the export and the tree, and its code cannot return.
        let me = app.get("/api/v1/me", Some(&worker)).await.json();
        assert_eq!(me["attached_to"]["code"], "360299001001009", "{me}");
        let (kept,): (String,) = sqlx::query_as("SELECT grid_code FROM cases WHERE id = $1").bind(case).fetch_one(&app.state.db.pool).await.unwrap();
        assert_eq!(kept, GRID);
        let shown = app.get(&format!("/api/v1/cases/{case}"), Some(&admin)).await;
        assert_eq!(shown.status, StatusCode::OK, "{}", shown.body);
        let found = app.get(&format!("/api/v1/locate?lat={lat}&lng={lng}"), Some(&admin)).await;
        assert_eq!(found.json()["code"], "360299001001009");
        let exported = app.get("/api/v1/admin/territory/export", Some(&admin)).await.json();
        assert!(!exported.to_string().contains(&format!("\"{GRID}\"")), "retired grids are not exported");
        let tree = app.get("/api/v1/territory", Some(&admin)).await.body;
        assert!(!tree.contains(&format!("\"{GRID}\"")), "nor shown in the tree");
        let back = import(&app, &admin, &example(), true).await;
        assert!(kinds(&back).contains(&(GRID.into(), "retired_code".into())), "{}", back.body);
        let audit = app.get("/api/v1/admin/audit?action=territory_import", Some(&admin)).await.json();
        assert!(audit[0]["detail"].as_str().unwrap().contains("1 retired") && audit[0]["detail"].as_str().unwrap().contains("→360299001001009"), "{audit}");
    }

    async fn refused_sets_say_every_reason_and_write_nothing(app: TestApp) {
        let admin = admin(&app).await;
        let mut bad = example();
        // Grid 2 pushed 60 m into grid 1 (overlap); grid 4 left out (a gap in 溪口).
        let ring = ring_mut(&mut bad, "360299001001002");
        for p in ring.iter_mut() {
            if p[0].as_f64().unwrap() < 116.0545 {
                p[0] = json!(p[0].as_f64().unwrap() - 0.0006);
            }
        }
        // A grid pushed out of its community, a duplicate, an unknown parent, a bow tie.
        let twelve = ring_mut(&mut bad, "360299002002004");
        twelve[2] = json!([116.075, 28.968]);
        let features = bad["features"].as_array_mut().unwrap();
        features.retain(|f| f["properties"]["code"] != "360299001001004");
        let dup = features[3].clone();
        features.push(dup);
        features.push(json!({"type": "Feature", "properties": {"code": "360299009001001", "name": "无主", "level": "grid", "parent": "360299009001"},
            "geometry": {"type": "Polygon", "coordinates": [[[116.1, 29.0], [116.101, 29.0], [116.101, 29.001], [116.1, 29.0]]]}}));
        features.push(json!({"type": "Feature", "properties": {"code": "360299002002099", "name": "蝴蝶结", "level": "grid", "parent": "360299002002"},
            "geometry": {"type": "Polygon", "coordinates": [[[116.0625, 28.9585], [116.0635, 28.9595], [116.0635, 28.9585], [116.0625, 28.959], [116.0625, 28.9585]]]}}));
        let r = import(&app, &admin, &bad, false).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let k = kinds(&r);
        for want in [
            ("360299001001001", "overlap"),
            ("360299001001", "gap"),
            ("360299002002004", "outside_parent"),
            ("360299009001001", "unknown_parent"),
            ("360299002002099", "invalid_geometry"),
        ] {
            assert!(k.contains(&(want.0.into(), want.1.into())), "{want:?} in {k:?}");
        }
        assert!(k.iter().any(|(_, kind)| kind == "duplicate_code"), "{k:?}");
        let overlap = r.json()["problems"].as_array().unwrap().iter().find(|p| p["kind"] == "overlap").unwrap().clone();
        assert!(overlap["area_m2"].as_f64().unwrap() > 10_000.0 && overlap["lng"].is_number() && overlap["lat"].is_number(), "{overlap}");
        assert!(r.json()["message"].as_str().unwrap().contains("未导入任何内容"));
        assert_eq!(nodes(&app).await, 1, "nothing written");

        // Not JSON, not a collection, not an administrator.
        let not_json = Request::post("/api/v1/admin/territory/import?dry_run=false")
            .header(header::HOST, "localhost")
            .header(header::ORIGIN, "http://localhost")
            .header(header::COOKIE, &admin)
            .body(Body::from("{\"type\": \"FeatureCollection\", \"features\": ["))
            .unwrap();
        let r = app.send(not_json).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(kinds(&r)[0].1, "not_a_feature_collection");
        let leader = json!({"username": "zhou", "display_name": "周", "role": "leader", "node": "360299"});
        let temporary = app.json(Method::POST, "/api/v1/admin/accounts", leader, Some(&admin)).await.json()["temporary_password"].as_str().unwrap().to_owned();
        let r = app.json(Method::POST, "/api/v1/login", json!({"username": "zhou", "password": temporary}), None).await;
        let leader = r.cookie(server::SESSION_COOKIE).unwrap();
        app.json(Method::POST, "/api/v1/me/password", json!({"old_password": temporary, "new_password": "周书记的新密码很长"}), Some(&leader)).await;
        let r = app.json(Method::POST, "/api/v1/login", json!({"username": "zhou", "password": "周书记的新密码很长"}), None).await;
        let leader = r.cookie(server::SESSION_COOKIE).unwrap();
        assert_eq!(import(&app, &leader, &example(), false).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.get("/api/v1/admin/territory/export", Some(&leader)).await.status, StatusCode::FORBIDDEN);
        assert_eq!(nodes(&app).await, 1);
    }
}

/// The average of a ring's points (inside for the example's convex-ish grids).
fn centre(ring: &Value) -> (f64, f64) {
    let pts: Vec<(f64, f64)> = ring
        .as_array()
        .unwrap()
        .iter()
        .skip(1)
        .map(|p| (p[0].as_f64().unwrap(), p[1].as_f64().unwrap()))
        .collect();
    let n = pts.len() as f64;
    (
        pts.iter().map(|p| p.0).sum::<f64>() / n,
        pts.iter().map(|p| p.1).sum::<f64>() / n,
    )
}

/// Grid 5's ring with grid 6 (its eastern neighbour) joined on: the lattice ring of the
/// two cells, from the points both rings hold.
fn merged(five: &[Value], six: &[Value]) -> Vec<Value> {
    // Cells are rings of four lattice points (closed: five). Five: SW SE NE NW SW; six: SW
    // SE NE NW SW with six.SW = five.SE and six.NW = five.NE.
    vec![
        five[0].clone(),
        five[1].clone(),
        six[1].clone(),
        six[2].clone(),
        five[2].clone(),
        five[3].clone(),
        five[0].clone(),
    ]
}
