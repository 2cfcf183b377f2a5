//! Logging in and out, sessions, rate limits and CSRF, on SQLite and PostgreSQL.

mod common;

use axum::http::{Method, StatusCode};
use serde_json::json;

backend_tests! {
    async fn json_login_sets_a_safe_cookie_and_me_answers(app: TestApp) {
        let r = app.json(Method::POST, "/api/v1/login", json!({"username": "worker", "password": "Demo@2026"}), None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let line = r.set_cookie_line(server::SESSION_COOKIE).unwrap();
        assert!(line.contains("HttpOnly"), "{line}");
        assert!(line.contains("SameSite=Lax"), "{line}");
        assert!(!line.contains("Secure"), "plain http in tests: {line}");
        assert_eq!(r.json()["role"], "worker");
        let cookie = r.cookie(server::SESSION_COOKIE).unwrap();
        let me = app.get("/api/v1/me", Some(&cookie)).await;
        assert_eq!(me.status, StatusCode::OK);
        let me = me.json();
        assert_eq!(me["username"], "worker");
        assert_eq!(me["attached_to"]["kind"], "node");
        assert_eq!(me["attached_to"]["code"], "360199001001001");
        assert_eq!(me["attached_to"]["level"], "grid");

        let dept = app.login("dept").await;
        let me = app.get("/api/v1/me", Some(&dept)).await.json();
        assert_eq!(me["role"], "dept");
        assert_eq!(me["attached_to"], json!({"kind": "department", "code": "urban", "name": "区城市管理局"}));
    }

    async fn wrong_credentials_get_one_clear_answer(app: TestApp) {
        let wrong = app.json(Method::POST, "/api/v1/login", json!({"username": "worker", "password": "nope"}), None).await;
        let unknown = app.json(Method::POST, "/api/v1/login", json!({"username": "nobody", "password": "nope"}), None).await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        assert_eq!(wrong.body, unknown.body, "no hint which part was wrong");
        assert_eq!(wrong.json()["message"], "用户名或密码错误。");
        assert_eq!(wrong.json()["message_en"], "Wrong username or password.");
        assert!(wrong.cookie(server::SESSION_COOKIE).is_none());

        let empty = app.json(Method::POST, "/api/v1/login", json!({"username": " ", "password": "x"}), None).await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(empty.json()["field"], "username");
        let garbage = app.json(Method::POST, "/api/v1/login", json!({"user": 1}), None).await;
        assert_eq!(garbage.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(garbage.json()["message"], "请求格式不正确。");
        assert_eq!(app.get("/api/v1/me", None).await.status, StatusCode::UNAUTHORIZED);
    }

    async fn logout_ends_the_session(app: TestApp) {
        let cookie = app.login("leader").await;
        let r = app.json(Method::POST, "/api/v1/logout", json!({}), Some(&cookie)).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
        assert_eq!(app.get("/api/v1/me", Some(&cookie)).await.status, StatusCode::UNAUTHORIZED);
    }

    async fn sessions_survive_a_restart(app: TestApp) {
        let cookie = app.login("center").await;
        let router = app.restarted().await;
        let req = axum::http::Request::get("/api/v1/me")
            .header("cookie", &cookie)
            .body(axum::body::Body::empty())
            .unwrap();
        let r = common::send(&router, req).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["username"], "center");
    }

    async fn a_guesser_waits_and_cannot_lock_the_owner_out(app: TestApp) {
        // Issue #15, item 5: failures slow (username, address) with growing waits; the owner
        // at another address logs in; an administrator sees the wait and lifts it.
        let from = |ip: &str, password: &str| {
            let mut req = axum::http::Request::post("/api/v1/login")
                .header(axum::http::header::HOST, "localhost")
                .header(axum::http::header::CONTENT_TYPE, "application/json")
                .body(axum::body::Body::from(json!({"username": "leader", "password": password}).to_string()))
                .unwrap();
            let addr: std::net::SocketAddr = format!("{ip}:40000").parse().unwrap();
            req.extensions_mut().insert(axum::extract::ConnectInfo(addr));
            req
        };
        let mut waits = Vec::new();
        for _ in 0..10 {
            let r = app.send(from("203.0.113.9", "guess")).await;
            if r.status == StatusCode::TOO_MANY_REQUESTS {
                waits.push(r.headers["retry-after"].to_str().unwrap().parse::<u64>().unwrap());
                app.advance(chrono::Duration::seconds(waits.last().copied().unwrap() as i64));
            } else {
                assert_eq!(r.status, StatusCode::UNAUTHORIZED);
            }
        }
        assert!(waits.len() >= 3 && waits.windows(2).all(|w| w[1] > w[0]), "growing waits: {waits:?}");
        // Once the wait is over, one more wrong guess; then even the right password waits.
        if app.send(from("203.0.113.9", "guess")).await.status != StatusCode::TOO_MANY_REQUESTS {
            assert_eq!(app.send(from("203.0.113.9", "guess")).await.status, StatusCode::TOO_MANY_REQUESTS);
        }
        let r = app.send(from("203.0.113.9", "Demo@2026")).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "even the right password waits, from there");
        assert_eq!(r.json()["message"], "尝试次数过多，请稍后再试。");
        assert_eq!(app.send(from("198.51.100.7", "Demo@2026")).await.status, StatusCode::OK, "the owner elsewhere");

        let admin = app.login("admin").await;
        let locks = app.get("/api/v1/admin/login-locks", Some(&admin)).await.json();
        assert_eq!((locks[0]["username"].as_str(), locks[0]["address"].as_str()), (Some("leader"), Some("203.0.113.9")));
        assert_eq!(app.get("/api/v1/admin/login-locks", Some(&app.login("center").await)).await.status, StatusCode::FORBIDDEN);
        let r = app.json(Method::POST, "/api/v1/admin/login-locks/leader/unlock", json!({}), Some(&admin)).await;
        assert_eq!((r.status, r.json()["lifted"].as_i64()), (StatusCode::OK, Some(1)));
        assert_eq!(app.send(from("203.0.113.9", "Demo@2026")).await.status, StatusCode::OK);
    }

    async fn an_office_behind_one_address_can_all_log_in(app: TestApp) {
        // Sixteen colleagues at nine in the morning, all from the same NAT address.
        let mut names = vec!["admin".to_owned(), "leader".to_owned(), "center".to_owned(), "worker".to_owned(), "dept".to_owned()];
        names.extend((2..=5).map(|i| format!("center{i}")));
        names.extend(["police", "market", "sanitation", "housing", "civil", "fire", "justice"].map(|d| format!("dept-{d}")));
        for u in &names {
            app.login(u).await;
        }
    }

    async fn the_login_form_works_without_javascript(app: TestApp) {
        // The page hands out the token cookie and the hidden field.
        let page = app.get("/login", None).await;
        assert_eq!(page.status, StatusCode::OK);
        let csrf = page.cookie("gridgov_csrf").expect("token cookie");
        let token = csrf.split_once('=').unwrap().1.to_owned();
        assert!(page.body.contains(&format!("name=\"_csrf\" value=\"{token}\"")), "form carries the token");

        // An old browser (no Origin) posting with the token logs in and goes where it asked.
        let r = app
            .form("/login", &[("_csrf", &token), ("username", "leader"), ("password", "Demo@2026"), ("next", "/territory")], Some(&csrf), None)
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(r.location(), "/territory");
        assert!(r.cookie(server::SESSION_COOKIE).is_some());

        // Wrong password: back to the form with the error and the username kept.
        let r = app
            .form("/login", &[("_csrf", &token), ("username", "leader"), ("password", "x"), ("next", "//evil.example")], Some(&csrf), None)
            .await;
        assert_eq!(r.location(), "/login?error=invalid&username=leader&next=/");

        // Without the token (and without Origin) the post is refused.
        let r = app.form("/login", &[("username", "leader"), ("password", "Demo@2026")], Some(&csrf), None).await;
        assert_eq!(r.location(), "/login?error=csrf");
        assert!(r.cookie(server::SESSION_COOKIE).is_none());
    }

    async fn a_session_ends_its_days_after_login_however_busy(app: TestApp) {
        // Issue #15, item 13: an absolute lifetime besides the idle timeout.
        // (Tests run with the longest allowed lifetime; production's default is 7 days.)
        let days = i64::from(app.state.config.session_max_days);
        let leader = app.login("leader").await;
        app.advance(chrono::Duration::days(days - 1));
        assert_eq!(app.get("/api/v1/me", Some(&leader)).await.status, StatusCode::OK);
        app.advance(chrono::Duration::days(1) + chrono::Duration::minutes(1));
        assert_eq!(app.get("/api/v1/me", Some(&leader)).await.status, StatusCode::UNAUTHORIZED);
        // Logging in again starts a new lifetime.
        let again = app.login("leader").await;
        assert_eq!(app.get("/api/v1/me", Some(&again)).await.status, StatusCode::OK);
    }

    async fn redirects_never_leave_this_site(app: TestApp) {
        // Browsers drop the tab: `/\t/evil.example` is `//evil.example` to them (issue #15, 4).
        for next in ["/%09/evil.example", "/%0A/evil.example", "%2F%2Fevil.example", "/%5Cevil.example", "https://evil.example"] {
            let r = app.get(&format!("/lang/en?next={next}"), None).await;
            assert_eq!(r.location(), "/", "{next}");
        }
        assert_eq!(app.get("/lang/en?next=/cases%3Fstatus%3Dopen", None).await.location(), "/cases?status=open");
        let r = app
            .form("/login", &[("username", "leader"), ("password", "Demo@2026"), ("next", "/\t/evil.example")], None, Some("http://localhost"))
            .await;
        // Without a usable destination the leader lands on their work, the dashboard.
        assert_eq!((r.status, r.location()), (StatusCode::SEE_OTHER, "/dashboard"));
    }

    async fn cross_site_requests_are_refused(app: TestApp) {
        let cookie = app.login("leader").await;
        // A cross-site form post riding on the session cookie.
        let r = app.form("/logout", &[], Some(&cookie), Some("https://evil.example")).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert_eq!(r.json()["error"], "csrf");
        assert_eq!(app.get("/api/v1/me", Some(&cookie)).await.status, StatusCode::OK, "still logged in");
        // Same origin is fine.
        let r = app.form("/logout", &[], Some(&cookie), Some("http://localhost")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(app.get("/api/v1/me", Some(&cookie)).await.status, StatusCode::UNAUTHORIZED);
    }
}
