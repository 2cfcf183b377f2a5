//! Server-rendered pages: the login wall, language, and what a page shows before any
//! JavaScript runs.

mod common;

use axum::http::StatusCode;

backend_tests! {
    async fn pages_need_a_login_and_come_back_after_it(app: TestApp) {
        let r = app.get("/territory?grid=1", None).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(r.location(), "/login?next=/territory%3Fgrid%3D1");
        let page = app.get("/login?next=/territory", None).await;
        assert_eq!(page.status, StatusCode::OK, "the login page itself is not a 401");
        assert!(page.body.contains("工作人员登录"), "Chinese by default");
        assert!(page.body.contains("lang=\"zh-CN\""));
        assert!(page.body.contains("name=\"next\" value=\"/territory\""));
        let cookie = app.login("leader").await;
        assert_eq!(app.get("/login", Some(&cookie)).await.location(), "/", "logged in: login page goes home");
    }

    async fn desk_pages_render_for_their_users_and_refuse_the_others(app: TestApp) {
        let center = app.login("center").await;
        let inbox = app.get("/inbox", Some(&center)).await;
        assert_eq!(inbox.status, StatusCode::OK);
        assert!(inbox.body.contains("指挥中心受理台") && inbox.body.contains("待受理"));
        assert!(inbox.body.contains("class=\"bell\""), "the bell is in the top bar");
        let dept = app.login("dept").await;
        let desk = app.get("/desk", Some(&dept)).await;
        assert_eq!(desk.status, StatusCode::OK);
        assert!(desk.body.contains("待报到") && desk.body.contains("办理中"));
        assert_eq!(app.get("/inbox", Some(&dept)).await.status, StatusCode::FORBIDDEN, "departments have a desk, not an inbox");
        assert_eq!(app.get("/desk", Some(&center)).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.get("/notifications", Some(&dept)).await.status, StatusCode::OK);
        let admin = app.login("admin").await;
        assert_eq!(app.get("/admin/webhooks", Some(&admin)).await.status, StatusCode::OK);
        assert_eq!(app.get("/admin/webhooks", Some(&center)).await.status, StatusCode::FORBIDDEN);
    }

    async fn the_language_switch_persists(app: TestApp) {
        let r = app.get("/lang/en?next=/login", None).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(r.location(), "/login");
        let lang = r.cookie("gridgov_lang").unwrap();
        assert_eq!(lang, "gridgov_lang=en");
        let page = app.get("/login", Some(&lang)).await;
        assert!(page.body.contains("Staff login"));
        assert!(page.body.contains("lang=\"en\""));
        assert_eq!(app.get("/lang/zh?next=https://evil.example", None).await.location(), "/");
    }

    async fn pages_render_real_data_on_the_server(app: TestApp) {
        let leader = app.login("leader").await;
        let home = app.get("/", Some(&leader)).await;
        assert_eq!(home.status, StatusCode::OK);
        assert!(home.body.contains("区委政法委 周书记"), "{}", &home.body[..home.body.len().min(2000)]);
        assert!(home.body.contains("青湾区"));
        let page = app.get("/territory?grid=360199001001001", Some(&leader)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("桂花社区第一网格"), "the selected grid's card");
        assert!(page.body.contains("专职网格员"));
        assert!(page.body.contains("白沙村"), "the tree reaches the last village");
        let missing = app.get("/no-such-page", Some(&leader)).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert!(missing.body.contains("页面不存在"));
    }
}
