//! Static files precompressed once (issue #18, item 2): `gridgov precompress` writes brotli-11
//! and gzip-9 copies of what is worth it, again only when a file changed, and `/pkg` and
//! `/vendor` serve the copy a client accepts — the same bytes once decompressed.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use std::io::Read;
use tower::ServiceExt;

/// A few kilobytes of something like the app's JS (repetitive, so it compresses).
fn script() -> Vec<u8> {
    (0..400)
        .map(|i| format!("export function step{i}(x) {{ return x + {i}; }}\n"))
        .collect::<String>()
        .into_bytes()
}

async fn fetch(
    router: &axum::Router,
    path: &str,
    accept: &str,
) -> (StatusCode, header::HeaderMap, Vec<u8>) {
    let mut req = Request::get(path).header(header::HOST, "localhost");
    if !accept.is_empty() {
        req = req.header(header::ACCEPT_ENCODING, accept);
    }
    let res = router
        .clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    (
        status,
        headers,
        res.into_body().collect().await.unwrap().to_bytes().to_vec(),
    )
}

#[tokio::test]
async fn precompressed_copies_are_written_when_needed_and_served_to_who_accepts_them() {
    let site = tempfile::tempdir().unwrap();
    let pkg = site.path().join("pkg");
    std::fs::create_dir_all(site.path().join("vendor/lib")).unwrap();
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(pkg.join("app.js"), script()).unwrap();
    std::fs::write(pkg.join("tiny.js"), b"export const a = 1;\n").unwrap();
    std::fs::write(pkg.join("logo.png"), vec![7u8; 4096]).unwrap();
    std::fs::write(site.path().join("vendor/lib/lib.css"), script()).unwrap();

    let first = server::assets::precompress(site.path()).unwrap();
    assert_eq!(
        first.files, 2,
        "app.js and lib.css; not the tiny file nor the image"
    );
    assert!(
        first.brotli < first.gzip && first.gzip < first.bytes,
        "{first:?}"
    );
    assert!(pkg.join("app.js.br").exists() && pkg.join("app.js.gz").exists());
    assert!(!pkg.join("tiny.js.br").exists() && !pkg.join("logo.png.br").exists());
    // Nothing changed: nothing written again; a changed file is compressed again.
    assert_eq!(server::assets::precompress(site.path()).unwrap().files, 0);
    std::thread::sleep(std::time::Duration::from_millis(20));
    let mut changed = script();
    changed.extend_from_slice(b"// a new release\n");
    std::fs::write(pkg.join("app.js"), &changed).unwrap();
    assert_eq!(server::assets::precompress(site.path()).unwrap().files, 1);

    let app = common::sqlite_app().await;
    let mut state = app.state.clone();
    state.leptos_options.site_root = site.path().to_string_lossy().into_owned().into();
    let router = server::router(state);

    let (status, h, body) = fetch(&router, "/pkg/app.js", "gzip, deflate, br").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(h[header::CONTENT_ENCODING], "br");
    assert_eq!(h[header::CACHE_CONTROL], "no-cache");
    assert!(
        h[header::VARY]
            .to_str()
            .unwrap()
            .to_ascii_lowercase()
            .contains("accept-encoding")
    );
    assert_eq!(
        body.len() as u64,
        std::fs::metadata(pkg.join("app.js.br")).unwrap().len(),
        "the stored copy, not compressed again"
    );
    let mut plain = Vec::new();
    brotli::Decompressor::new(&body[..], 4096)
        .read_to_end(&mut plain)
        .unwrap();
    assert_eq!(plain, changed);

    let (_, h, body) = fetch(&router, "/vendor/lib/lib.css", "gzip").await;
    assert_eq!(h[header::CONTENT_ENCODING], "gzip");
    let mut plain = Vec::new();
    flate2::read::GzDecoder::new(&body[..])
        .read_to_end(&mut plain)
        .unwrap();
    assert_eq!(plain, script());

    let (status, h, body) = fetch(&router, "/pkg/app.js", "").await;
    assert_eq!(status, StatusCode::OK);
    assert!(h.get(header::CONTENT_ENCODING).is_none());
    assert_eq!(body, changed);
    // A build after the last run leaves copies older than their file: the server drops
    // them at start and compresses on the fly meanwhile, never serving last release.
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(pkg.join("app.js"), script()).unwrap();
    assert_eq!(server::assets::drop_stale(site.path()).unwrap(), 2);
    assert!(!pkg.join("app.js.br").exists() && site.path().join("vendor/lib/lib.css.br").exists());
    let (_, h, body) = fetch(&router, "/pkg/app.js", "br").await;
    assert_eq!(h[header::CONTENT_ENCODING], "br");
    let mut plain = Vec::new();
    brotli::Decompressor::new(&body[..], 4096)
        .read_to_end(&mut plain)
        .unwrap();
    assert_eq!(plain, script(), "the file as it is now");
    // Nothing outside the folder is reachable.
    let (status, _, _) = fetch(&router, "/pkg/../vendor/lib/lib.css", "br").await;
    assert_ne!(status, StatusCode::OK);
}

#[test]
fn the_site_build_is_read_from_what_the_build_left() {
    use server::assets::{SiteBuild, SiteError, site_build};
    let site = tempfile::tempdir().unwrap();
    let pkg = site.path().join("pkg");
    assert_eq!(site_build(site.path(), "gridgov"), Ok(None), "no app built");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(pkg.join("gridgov.wasm"), b"\0asm").unwrap();
    let plain = |split| {
        Ok(Some(SiteBuild {
            hash_file: None,
            split,
        }))
    };
    assert_eq!(
        site_build(site.path(), "gridgov"),
        plain(false),
        "built without --split"
    );
    std::fs::write(pkg.join("__wasm_split_manifest.json"), b"{}").unwrap();
    assert_eq!(site_build(site.path(), "gridgov"), plain(true));

    // A hashed build: cargo-leptos renames every file and lists the three the pages name.
    let hashed = tempfile::tempdir().unwrap();
    let pkg = hashed.path().join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    let list = hashed.path().join("hash.txt");
    std::fs::write(
        &list,
        "js: AAAAAAAAAAAAAAAAAAAAAA\nwasm: BBBBBBBBBBBBBBBBBBBBBB\ncss: CCCCCCCCCCCCCCCCCCCCCC\nmanifest: DDDDDDDDDDDDDDDDDDDDDD\n",
    )
    .unwrap();
    for name in [
        "gridgov.AAAAAAAAAAAAAAAAAAAAAA.js",
        "gridgov.BBBBBBBBBBBBBBBBBBBBBB.wasm",
        "__wasm_split_manifest.DDDDDDDDDDDDDDDDDDDDDD.json",
    ] {
        std::fs::write(pkg.join(name), b"x").unwrap();
    }
    assert_eq!(
        site_build(hashed.path(), "gridgov"),
        Err(SiteError::Missing {
            list: list.clone(),
            file: "pkg/gridgov.CCCCCCCCCCCCCCCCCCCCCC.css".into()
        }),
        "a list from another build names a file that is not there"
    );
    std::fs::write(pkg.join("gridgov.CCCCCCCCCCCCCCCCCCCCCC.css"), b"x").unwrap();
    let build = site_build(hashed.path(), "gridgov").unwrap().unwrap();
    assert!(build.split);
    let named = build.hash_file.unwrap();
    assert!(
        named.is_absolute() && named.ends_with("hash.txt"),
        "{named:?}"
    );
}

#[tokio::test]
async fn hashed_names_are_kept_a_year_and_plain_ones_revalidated() {
    let site = tempfile::tempdir().unwrap();
    let pkg = site.path().join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    let hashed = "gridgov.k3Jd9_aQ-0pLmN2bV4cX7w.wasm";
    std::fs::write(pkg.join(hashed), b"\0asm").unwrap();
    std::fs::write(pkg.join("gridgov.wasm"), b"\0asm").unwrap();
    let app = common::sqlite_app().await;
    let mut state = app.state.clone();
    state.leptos_options.site_root = site.path().to_string_lossy().into_owned().into();
    let router = server::router(state);

    let (status, h, _) = fetch(&router, &format!("/pkg/{hashed}"), "br").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        h[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    let (status, h, _) = fetch(&router, "/pkg/gridgov.wasm", "br").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        h[header::CACHE_CONTROL],
        "no-cache",
        "a plain name may change"
    );
    let (status, h, _) = fetch(&router, "/pkg/gridgov.AAAAAAAAAAAAAAAAAAAAAA.wasm", "br").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        h[header::CACHE_CONTROL],
        "no-cache",
        "a missing file is not remembered"
    );
}
