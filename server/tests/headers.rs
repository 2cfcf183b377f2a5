//! Security headers (issue #15 item 9): every response carries a strict
//! Content-Security-Policy — the app's pages with the nonce of exactly their own inline
//! scripts, light pages and the API with none — frames refused, Referer kept on our site,
//! browser features only where a page uses them, HSTS behind https.

mod common;

use axum::http::{HeaderMap, header};
use common::send;

const MY_GRID: &str = "360199001001001";

fn csp(h: &HeaderMap) -> String {
    h[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_owned()
}

/// Every inline `<script>` (one without `src`) of a page, with its attributes.
fn inline_scripts(html: &str) -> Vec<String> {
    html.match_indices("<script")
        .map(|(i, _)| html[i..i + html[i..].find('>').unwrap()].to_owned())
        .filter(|tag| !tag.contains(" src="))
        .collect()
}

fn common_headers(h: &HeaderMap, what: &str) {
    assert_eq!(h[header::REFERRER_POLICY], "same-origin", "{what}");
    assert_eq!(h[header::X_FRAME_OPTIONS], "DENY", "{what}");
    assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{what}");
    let p = csp(h);
    assert!(
        p.contains("frame-ancestors 'none'") && p.contains("object-src 'none'"),
        "{what}: {p}"
    );
    assert!(
        !h.contains_key(app::ssr::headers::NONCE_HEADER),
        "{what}: the hand-over header stays inside"
    );
    assert!(
        !h.contains_key(header::STRICT_TRANSPORT_SECURITY),
        "{what}: no HSTS over plain http"
    );
}

backend_tests! {
    async fn app_pages_allow_only_their_own_inline_scripts(app: TestApp) {
        let leader = app.login("leader").await;
        for path in ["/login", "/", "/dashboard", "/cases"] {
            let cookie = (path != "/login").then_some(leader.as_str());
            let r = app.get(path, cookie).await;
            assert_eq!(r.status, 200, "{path}");
            common_headers(&r.headers, path);
            let p = csp(&r.headers);
            let nonce = p
                .split("'nonce-")
                .nth(1)
                .and_then(|rest| rest.split('\'').next())
                .unwrap_or_else(|| panic!("{path}: no nonce in {p}"))
                .to_owned();
            assert!(nonce.len() >= 16, "{path}: {nonce}");
            let inline = inline_scripts(&r.body);
            assert!(!inline.is_empty(), "{path}: hydration scripts are inline");
            for tag in inline {
                assert!(tag.contains(&format!("nonce=\"{nonce}\"")), "{path}: {tag}");
            }
            assert!(r.headers["permissions-policy"].to_str().unwrap().contains("geolocation=()"), "{path}");
            // A fresh nonce for every response.
            let again = app.get(path, cookie).await;
            assert_ne!(csp(&again.headers), p, "{path}");
        }
    }

    async fn light_pages_and_the_api_run_no_inline_script_at_all(app: TestApp) {
        let worker = app.login("worker").await;
        let pages = [
            (format!("/r/{MY_GRID}"), None, "geolocation=(self)"),
            ("/w".to_owned(), Some(worker.as_str()), "geolocation=(self)"),
            ("/w/report".to_owned(), Some(worker.as_str()), "camera=(self)"),
            (format!("/posters/{MY_GRID}"), Some(worker.as_str()), "geolocation=()"),
            ("/account/password".to_owned(), Some(worker.as_str()), "geolocation=()"),
            ("/api/v1/me".to_owned(), Some(worker.as_str()), "geolocation=()"),
            ("/api/v1/openapi.json".to_owned(), None, "geolocation=()"),
        ];
        for (path, cookie, permission) in pages {
            let r = app.get(&path, cookie).await;
            assert_eq!(r.status, 200, "{path}: {}", r.body);
            common_headers(&r.headers, &path);
            let p = csp(&r.headers);
            assert!(p.contains("script-src 'self';") && !p.contains("nonce-"), "{path}: {p}");
            assert!(inline_scripts(&r.body).is_empty(), "{path}: {:?}", inline_scripts(&r.body));
            for handler in [" onclick=", " onload=", " onchange=", " onsubmit=", "javascript:"] {
                assert!(!r.body.contains(handler), "{path}: inline handler {handler}");
            }
            assert!(r.headers["permissions-policy"].to_str().unwrap().contains(permission), "{path}");
        }
        // Errors too.
        let missing = app.get("/api/v1/cases/999999999", Some(&worker)).await;
        common_headers(&missing.headers, "404");
    }

    async fn https_deployments_send_hsts_and_allow_their_tile_server(app: TestApp) {
        let (_, router) = common::instance_with(&app, |c| {
            c.public_url = Some("https://grid.example.gov.cn".into());
            c.tile_url = Some("https://{s}.tiles.example.gov.cn/{z}/{x}/{y}.png".into());
        })
        .await;
        let req = axum::http::Request::get("/login")
            .header(header::HOST, "localhost")
            .body(axum::body::Body::empty())
            .unwrap();
        let r = send(&router, req).await;
        assert_eq!(r.headers[header::STRICT_TRANSPORT_SECURITY], "max-age=31536000");
        assert!(csp(&r.headers).contains("img-src 'self' data: blob: https://*.tiles.example.gov.cn;"));
    }
}
