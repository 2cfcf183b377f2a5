//! A real district's people (issue #14): the first administrator on an empty database, accounts
//! with temporary passwords that must be replaced, everyone's own password change ending their
//! other sessions, resets and deactivation — each audited.

mod common;

use app::ssr::services::accounts::{SetupError, create_first_admin};
use axum::http::{Method, StatusCode};
use serde_json::json;

const ADMIN_PASSWORD: &str = "桂花树下有一张长椅";

async fn login_with(app: &common::TestApp, username: &str, password: &str) -> Option<String> {
    let r = app
        .json(
            Method::POST,
            "/api/v1/login",
            json!({"username": username, "password": password}),
            None,
        )
        .await;
    (r.status == StatusCode::OK).then(|| r.cookie(server::SESSION_COOKIE).expect("session cookie"))
}

async fn count(app: &common::TestApp, sql: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    n
}

async fn me_status(app: &common::TestApp, cookie: &str) -> StatusCode {
    app.get("/api/v1/me", Some(cookie)).await.status
}

empty_backend_tests! {
    async fn a_fresh_district_creates_its_administrator_and_its_people(app: TestApp) {
        let now = app.state.clock.now();
        // Nobody yet: the login page says how to begin.
        assert!(app.get("/login", None).await.body.contains("gridgov admin create"));
        assert!(login_with(&app, "admin", "Demo@2026").await.is_none(), "no default password");

        // The command line's service: weak passwords and bad codes are refused.
        let weak = create_first_admin(&app.state.db, "chen", "password123", "360102", "东湖区", now).await;
        assert!(matches!(weak, Err(SetupError::WeakPassword(_))), "{weak:?}");
        let bad = create_first_admin(&app.state.db, "chen", ADMIN_PASSWORD, "36-01", "东湖区", now).await;
        assert!(matches!(bad, Err(SetupError::BadDistrictCode)), "{bad:?}");
        create_first_admin(&app.state.db, "chen", ADMIN_PASSWORD, "360102", "东湖区", now).await.unwrap();
        let again = create_first_admin(&app.state.db, "wu", ADMIN_PASSWORD, "360102", "东湖区", now).await;
        assert!(matches!(again, Err(SetupError::AlreadySetUp)), "{again:?}");
        assert!(!app.get("/login", None).await.body.contains("gridgov admin create"));

        // The administrator creates a leader: a temporary password, shown once.
        let admin = login_with(&app, "chen", ADMIN_PASSWORD).await.expect("admin logs in");
        let new = json!({"username": "li.ming", "display_name": "李明", "role": "leader", "node": "360102"});
        let r = app.json(Method::POST, "/api/v1/admin/accounts", new.clone(), Some(&admin)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert_eq!(r.headers["cache-control"], "no-store");
        let temporary = r.json()["temporary_password"].as_str().unwrap().to_owned();
        assert_eq!(temporary.len(), 16);
        let r = app.json(Method::POST, "/api/v1/admin/accounts", new, Some(&admin)).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "a username once");
        let r = app.json(Method::POST, "/api/v1/admin/accounts", json!({"username": "x1", "display_name": "某", "role": "leader", "node": "999999"}), Some(&admin)).await;
        assert_eq!((r.status, r.json()["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("node")));
        let r = app.json(Method::POST, "/api/v1/admin/accounts", json!({"username": "x2", "display_name": "某", "role": "dept", "department": "nowhere"}), Some(&admin)).await;
        assert_eq!((r.status, r.json()["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("department")));

        // The temporary password opens only the password change.
        let leader = login_with(&app, "li.ming", &temporary).await.expect("temporary password logs in");
        let r = app.get("/api/v1/cases", Some(&leader)).await;
        assert_eq!((r.status, r.json()["error"].as_str()), (StatusCode::FORBIDDEN, Some("password_change_required")));
        assert_eq!(app.get("/dashboard", Some(&leader)).await.location(), "/account/password");
        let page = app.get("/account/password", Some(&leader)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("请先设置您自己的新密码"));
        let r = app.json(Method::POST, "/api/v1/admin/accounts", json!({"username": "x3", "display_name": "某", "role": "leader", "node": "360102"}), Some(&leader)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);

        // Wrong current password, a common one, then a good one.
        let change = |old: &str, new: &str| json!({"old_password": old, "new_password": new});
        let r = app.json(Method::POST, "/api/v1/me/password", change("nope", "a long enough phrase"), Some(&leader)).await;
        assert_eq!((r.status, r.json()["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("old_password")));
        let r = app.json(Method::POST, "/api/v1/me/password", change(&temporary, "woaini1314"), Some(&leader)).await;
        assert_eq!((r.status, r.json()["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("new_password")));
        assert!(r.json()["message"].as_str().unwrap().contains("太常见"));
        let second = login_with(&app, "li.ming", &temporary).await.expect("a second device");
        let r = app.json(Method::POST, "/api/v1/me/password", change(&temporary, "东湖的晚风很凉快"), Some(&leader)).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
        assert_eq!(app.get("/api/v1/cases", Some(&leader)).await.status, StatusCode::OK, "this session goes on");
        assert_eq!(me_status(&app, &second).await, StatusCode::UNAUTHORIZED, "the other session ended");
        assert!(login_with(&app, "li.ming", &temporary).await.is_none());

        // The page form does the same without JavaScript.
        let r = app.form("/account/password", &[("old_password", "东湖的晚风很凉快"), ("new_password", "湖边的柳树发芽了")], Some(&leader), Some("http://localhost")).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("密码已修改"));

        // A reset ends the user's sessions and hands out a new temporary password.
        let r = app.json(Method::POST, "/api/v1/admin/accounts/li.ming/reset-password", json!({}), Some(&admin)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let reset = r.json()["temporary_password"].as_str().unwrap().to_owned();
        assert_eq!(me_status(&app, &leader).await, StatusCode::UNAUTHORIZED);
        let leader = login_with(&app, "li.ming", &reset).await.expect("the reset password logs in");
        assert_eq!(app.get("/api/v1/cases", Some(&leader)).await.status, StatusCode::FORBIDDEN);

        // Deactivated: no login, and the open session ends.
        let r = app.json(Method::POST, "/api/v1/admin/accounts/li.ming/deactivate", json!({}), Some(&admin)).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
        assert_eq!(me_status(&app, &leader).await, StatusCode::UNAUTHORIZED);
        assert!(login_with(&app, "li.ming", &reset).await.is_none());
        let r = app.json(Method::POST, "/api/v1/admin/accounts/chen/deactivate", json!({}), Some(&admin)).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "not oneself");

        // Every change is in the audit log.
        for action in ["account_create", "password_change", "password_reset", "account_deactivate"] {
            let n = count(&app, &format!("SELECT COUNT(*) FROM audit_log WHERE action = '{action}'")).await;
            assert!(n >= 1, "{action}");
        }
    }
}

backend_tests! {
    async fn accounts_left_with_the_demo_password_are_named_until_changed(app: TestApp) {
        use app::ssr::services::demo_passwords;
        // The test district's accounts were made with the demo password, on a server
        // configured without the demo: every one of them is found.
        let all = count(&app, "SELECT COUNT(*) FROM accounts WHERE active = 1").await as usize;
        assert_eq!(demo_passwords::scan(&app.state).await.unwrap(), all);
        let admin = app.login("admin").await;
        let banner = |n: usize| format!("仍有 {n} 个账号使用演示密码");
        assert!(app.get("/", Some(&admin)).await.body.contains(&banner(all)));
        let leader = app.login("leader").await;
        assert!(!app.get("/", Some(&leader)).await.body.contains("使用演示密码"), "administrators only");

        // The leader changes their own password, the administrator resets a worker's.
        let r = app.json(Method::POST, "/api/v1/me/password", json!({"old_password": "Demo@2026", "new_password": "周书记换了新密码"}), Some(&leader)).await;
        assert!(r.status.is_success(), "{}", r.body);
        let r = app.json(Method::POST, "/api/v1/admin/accounts/worker/reset-password", json!({}), Some(&admin)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(app.get("/", Some(&admin)).await.body.contains(&banner(all - 2)));
        // A later start finds the same.
        assert_eq!(demo_passwords::scan(&app.state).await.unwrap(), all - 2);
    }
}
