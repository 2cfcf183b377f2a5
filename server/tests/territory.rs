//! The territory API and server functions, scoped to the user's subtree.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::json;

const MY_GRID: &str = "360199001001001";
const NEIGHBOUR_GRID: &str = "360199001001002";
const OTHER_STREET_GRID: &str = "360199002001001";

/// Calls a Leptos server function as the browser does (same-origin form post).
async fn server_fn(
    app: &common::TestApp,
    name: &str,
    fields: &[(&str, &str)],
    cookie: &str,
) -> common::Reply {
    let body: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish();
    let req = Request::post(format!("/api/fn/{name}"))
        .header(header::HOST, "localhost")
        .header(header::ORIGIN, "http://localhost")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .header(header::COOKIE, cookie)
        .body(Body::from(body))
        .unwrap();
    app.send(req).await
}

backend_tests! {
    async fn the_demo_district_has_the_promised_shape(app: TestApp) {
        let leader = app.login("leader").await;
        let nodes = app.get("/api/v1/territory", Some(&leader)).await.json();
        let nodes = nodes.as_array().unwrap();
        let count = |level: &str| nodes.iter().filter(|n| n["level"] == level).count();
        assert_eq!((count("district"), count("street"), count("community"), count("grid")), (1, 5, 21, 100));
        assert_eq!(nodes[0], json!({"code": "360199", "name": "青湾区", "name_en": "Qingwan District", "level": "district", "parent": null}));
        // Parents come before their children.
        let mut seen = std::collections::HashSet::new();
        for n in nodes {
            if let Some(p) = n["parent"].as_str() {
                assert!(seen.contains(p), "{n}");
            }
            seen.insert(n["code"].as_str().unwrap().to_owned());
        }
        assert_eq!(app.get("/api/v1/territory", None).await.status, StatusCode::UNAUTHORIZED);
    }

    async fn a_worker_reads_only_their_grid(app: TestApp) {
        let worker = app.login("worker").await;
        let nodes = app.get("/api/v1/territory", Some(&worker)).await.json();
        assert_eq!(nodes.as_array().unwrap().len(), 1);
        assert_eq!(nodes[0]["code"], MY_GRID);

        let mine = app.get(&format!("/api/v1/territory/{MY_GRID}/boundary"), Some(&worker)).await;
        assert_eq!(mine.status, StatusCode::OK);
        let feature = mine.json();
        assert_eq!(feature["type"], "Feature");
        assert_eq!(feature["geometry"]["type"], "Polygon");
        assert_eq!(feature["properties"]["name"], "桂花社区第一网格");

        for other in [NEIGHBOUR_GRID, OTHER_STREET_GRID, "360199001001", "360199"] {
            let r = app.get(&format!("/api/v1/territory/{other}/boundary"), Some(&worker)).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{other}");
            assert_eq!(r.json()["message"], "您没有权限访问该内容。");
            let r = app.get(&format!("/api/v1/territory/{other}"), Some(&worker)).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{other}");
        }
        let detail = app.get(&format!("/api/v1/territory/{MY_GRID}"), Some(&worker)).await.json();
        let kinds: Vec<&str> = detail["members"].as_array().unwrap().iter().map(|m| m["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds.iter().filter(|k| **k == "full_time").count(), 1);
        assert_eq!(kinds.iter().filter(|k| k.starts_with("part_time")).count(), 3);
        assert!(kinds.contains(&"support"));
        assert_eq!(detail["ancestors"].as_array().unwrap().len(), 3);

        assert_eq!(app.get("/api/v1/territory/nope/boundary", Some(&worker)).await.status, StatusCode::NOT_FOUND);
        assert_eq!(app.get("/api/v1/territory/no%20pe/boundary", Some(&worker)).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    }

    async fn server_functions_apply_the_same_scope(app: TestApp) {
        let worker = app.login("worker").await;
        let r = server_fn(&app, "grid_detail", &[("code", NEIGHBOUR_GRID)], &worker).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        assert_eq!(r.json()["kind"], "forbidden");
        let r = server_fn(&app, "grid_detail", &[("code", MY_GRID)], &worker).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["node"]["code"], MY_GRID);

        let map = server_fn(&app, "territory_map", &[], &worker).await.json();
        assert_eq!(map["grids"].as_array().unwrap().len(), 1);
        assert!(map["tile_url"].is_null(), "no tiles unless configured");

        let center = app.login("center").await;
        let map = server_fn(&app, "territory_map", &[], &center).await.json();
        let grids = map["grids"].as_array().unwrap();
        assert_eq!(grids.len(), 20, "the first street's grids");
        assert!(grids.iter().all(|g| g["code"].as_str().unwrap().starts_with("360199001")));
        let r = server_fn(&app, "grid_detail", &[("code", OTHER_STREET_GRID)], &center).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);

        let dept = app.login("dept").await;
        let map = server_fn(&app, "territory_map", &[], &dept).await.json();
        assert_eq!(map["grids"].as_array().unwrap().len(), 100, "departments serve the whole district");

        let summary = server_fn(&app, "area_summary", &[], &center).await.json();
        assert_eq!(summary["grids"], 20);
        assert_eq!(summary["communities"], 5);
        assert_eq!(summary["full_time"], 20);
        assert_eq!(summary["part_time"], 15, "three per community, counted once each");

        let anonymous = server_fn(&app, "territory_map", &[], "x=y").await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    }

    async fn without_tiles_the_map_names_its_streets_communities_and_buildings(app: TestApp) {
        let admin = app.login("admin").await;
        let (lat, lng) = app.inside(&admin, MY_GRID).await;
        let table = format!("网格编码,楼栋,纬度,经度\n{MY_GRID},幸福里3栋,{lat},{lng}\n");
        let req = Request::post("/api/v1/admin/buildings/import")
            .header(header::HOST, "localhost")
            .header(header::ORIGIN, "http://localhost")
            .header(header::COOKIE, &admin)
            .header(header::CONTENT_TYPE, "text/csv")
            .body(Body::from(table))
            .unwrap();
        assert_eq!(app.send(req).await.status, StatusCode::OK);

        let center = app.login("center").await;
        let map = server_fn(&app, "territory_map", &[], &center).await.json();
        assert!(map["tile_url"].is_null());
        let areas = map["areas"].as_array().unwrap();
        let level = |l: &str| areas.iter().filter(|a| a["level"] == l).count();
        assert_eq!((level("street"), level("community")), (1, 5), "the centre's street and its communities");
        for a in areas {
            assert!(!a["name"].as_str().unwrap().is_empty());
            // The name is written inside the area it names.
            let rings: Vec<Vec<[f64; 2]>> = serde_json::from_value(a["rings"].clone()).unwrap();
            let shape = app::domain::geometry::Boundary::from_parts(&rings).unwrap();
            let [x, y] = serde_json::from_value::<[f64; 2]>(a["label"].clone()).unwrap();
            let p = app::domain::geo_point::GeoPoint::parse(y, x).unwrap();
            assert_eq!(format!("{:?}", shape.position_of(p)), "Inside", "{}", a["name"]);
        }
        let places = map["places"].as_array().unwrap();
        assert_eq!(places.len(), 1);
        assert_eq!(places[0]["name"], "幸福里3栋");
        // A worker's map holds only what lies in their own area.
        let worker = app.login("worker").await;
        let map = server_fn(&app, "territory_map", &[], &worker).await.json();
        assert!(map["areas"].as_array().unwrap().iter().all(|a| MY_GRID.starts_with(a["code"].as_str().unwrap())));
    }

    async fn a_point_belongs_to_exactly_one_grid(app: TestApp) {
        let leader = app.login("leader").await;
        let nodes = app.get("/api/v1/territory", Some(&leader)).await.json();
        for grid in nodes.as_array().unwrap().iter().filter(|n| n["level"] == "grid").step_by(7) {
            let code = grid["code"].as_str().unwrap();
            let f = app.get(&format!("/api/v1/territory/{code}/boundary"), Some(&leader)).await.json();
            let ring = f["geometry"]["coordinates"][0].as_array().unwrap();
            // The mean of the corners of a convex-ish quadrilateral lies inside it.
            let n = (ring.len() - 1) as f64;
            let lng: f64 = ring[..ring.len() - 1].iter().map(|p| p[0].as_f64().unwrap()).sum::<f64>() / n;
            let lat: f64 = ring[..ring.len() - 1].iter().map(|p| p[1].as_f64().unwrap()).sum::<f64>() / n;
            let r = app.get(&format!("/api/v1/locate?lat={lat}&lng={lng}"), Some(&leader)).await;
            assert_eq!(r.status, StatusCode::OK);
            assert_eq!(r.json()["code"], code);
        }
        let outside = app.get("/api/v1/locate?lat=39.9&lng=116.4", Some(&leader)).await;
        assert_eq!(outside.status, StatusCode::NOT_FOUND);
        let bad = app.get("/api/v1/locate?lat=abc&lng=116.4", Some(&leader)).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad.json()["field"], "lat");
        let bad = app.get("/api/v1/locate?lat=95&lng=116.4", Some(&leader)).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(app.get("/api/v1/locate?lat=28.66&lng=115.87", None).await.status, StatusCode::UNAUTHORIZED);
    }

    async fn health_tells_the_truth_within_a_second(app: TestApp) {
        for path in ["/healthz", "/readyz", "/livez"] {
            assert_eq!(app.get(path, None).await.status, StatusCode::OK, "{path}");
        }
        assert_eq!(app.get("/healthz", None).await.json()["checks"], serde_json::json!({"database": "ok", "disk": "ok"}));
        // A data directory that takes no write (here a file stands where it should be).
        let (second, broken) = common::second_instance(&app).await;
        let dir = second.config.data_dir.clone();
        std::fs::remove_dir_all(&dir).unwrap();
        std::fs::write(&dir, b"not a directory").unwrap();
        let req = axum::http::Request::get("/readyz").header(axum::http::header::HOST, "localhost").body(axum::body::Body::empty()).unwrap();
        let r = common::send(&broken, req).await;
        assert_eq!((r.status, r.json()["failing"].clone()), (StatusCode::SERVICE_UNAVAILABLE, serde_json::json!(["disk"])), "{}", r.body);
        // The database gone: 503 naming it, quickly; the process itself is alive.
        app.state.db.pool.close().await;
        let started = std::time::Instant::now();
        let r = app.get("/healthz", None).await;
        assert!(started.elapsed() < std::time::Duration::from_millis(1500), "{:?}", started.elapsed());
        assert_eq!((r.status, r.json()["failing"].clone()), (StatusCode::SERVICE_UNAVAILABLE, serde_json::json!(["database"])), "{}", r.body);
        assert_eq!(app.get("/livez", None).await.status, StatusCode::OK);
    }

    async fn demo_data_loads_only_once(app: TestApp) {
        let again = app::ssr::demo::load(&app.state.db).await;
        assert!(matches!(again, Err(app::ssr::demo::DemoError::NotEmpty)));
        let r = app.json(Method::GET, "/api/v1/me", json!({}), None).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
}
