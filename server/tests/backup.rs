//! `gridgov backup` and `gridgov restore` (issue #14): a live SQLite district — with a
//! resident's report, its sealed phone and its photo — copied into a folder while the
//! server runs, and restored into an empty data folder whole: the same cases, the phone
//! still opens with the restored key, the photo is there. Neither ever overwrites.

mod common;

use axum::http::StatusCode;

async fn count(pool: &sqlx::AnyPool, sql: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql).fetch_one(pool).await.unwrap();
    n
}

#[tokio::test]
async fn a_live_district_is_backed_up_and_restored_whole() {
    let app = common::sqlite_app().await;
    let r = app
        .public_report(
            &[
                ("grid", "360199001001001"),
                ("category", "sanitation"),
                ("description", "备份之前的最后一件事：垃圾满溢"),
                ("phone", "13812345678"),
            ],
            common::png(32, 32),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let cases = count(&app.state.db.pool, "SELECT COUNT(*) FROM cases").await;

    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("backup-2026-12-05");
    let s = server::backup::backup(&app.state.config, &dir)
        .await
        .unwrap();
    assert!(s.key_copied && s.photos == 1, "{s:?}");
    assert!(dir.join("gridgov.db").exists() && dir.join("secret.key").exists());
    let again = server::backup::backup(&app.state.config, &dir).await;
    assert!(again.is_err(), "a backup never writes into a used folder");

    // Restore into an empty data folder: a second installation with the same data.
    let target = out.path().join("restored");
    let mut config = common::test_config(
        &format!("sqlite://{}", target.join("gridgov.db").display()),
        &target,
    );
    config.demo = false;
    let s = server::backup::restore(&config, &dir).await.unwrap();
    assert!(s.key_copied && s.photos == 1);
    let db = app::ssr::db::Db::connect(&config.database_url)
        .await
        .unwrap();
    assert_eq!(count(&db.pool, "SELECT COUNT(*) FROM cases").await, cases);
    let sealer = app::ssr::crypto::Sealer::load_or_create(None, &target).unwrap();
    let (sealed,): (String,) = sqlx::query_as("SELECT phone_sealed FROM case_contacts")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(
        sealer.open(&sealed).unwrap(),
        "13812345678",
        "the restored key opens the sealed phone"
    );
    let (photo,): (String,) = sqlx::query_as("SELECT file_name FROM case_attachments")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert!(target.join("photos").join(&photo).exists());
    // Nothing is overwritten.
    assert!(server::backup::restore(&config, &dir).await.is_err());
}

#[tokio::test]
async fn a_postgresql_district_goes_through_pg_dump_and_pg_restore() {
    let Some(app) = common::postgres_app().await else {
        return;
    };
    let cases = count(&app.state.db.pool, "SELECT COUNT(*) FROM cases").await;
    let accounts = count(&app.state.db.pool, "SELECT COUNT(*) FROM accounts").await;
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("backup");
    let s = server::backup::backup(&app.state.config, &dir)
        .await
        .unwrap();
    assert!(
        s.database.ends_with("gridgov.pgdump") && s.key_copied,
        "{s:?}"
    );

    // An empty database beside it, and an empty data folder.
    let admin_url = std::env::var("GRIDGOV_TEST_POSTGRES_URL").unwrap();
    let name = format!("gridgov_restore_{}", std::process::id());
    {
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect(&admin_url).await.unwrap();
        sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
            .execute(&mut conn)
            .await
            .unwrap();
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await
            .unwrap();
    }
    let base = admin_url.rsplit_once('/').map(|(b, _)| b).unwrap();
    let target = out.path().join("restored");
    let config = common::test_config(&format!("{base}/{name}"), &target);
    server::backup::restore(&config, &dir).await.unwrap();
    let db = app::ssr::db::Db::connect(&config.database_url)
        .await
        .unwrap();
    assert_eq!(count(&db.pool, "SELECT COUNT(*) FROM cases").await, cases);
    assert_eq!(
        count(&db.pool, "SELECT COUNT(*) FROM accounts").await,
        accounts
    );
    assert!(target.join("secret.key").exists());
}
