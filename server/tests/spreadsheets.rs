//! Hostile spreadsheets (issue #15, item 1): a tiny XLSX claiming a huge sheet, a ZIP bomb,
//! a shared-strings part that claims a trillion strings, malformed XML, files that are no
//! table. Each is refused with 422 and a reason in the user's language, through the API and
//! through the worker's page, and the server keeps serving (the first of these aborted it).

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use std::io::{Cursor, Read, Write};

const MY_GRID: &str = "360199001001001";

async fn import(app: &common::TestApp, cookie: &str, bytes: Vec<u8>) -> common::Reply {
    let req = Request::post(format!("/api/v1/households/import?grid={MY_GRID}"))
        .header(header::HOST, "localhost")
        .header(header::ORIGIN, "http://localhost")
        .header(header::COOKIE, cookie)
        .header(header::ACCEPT_LANGUAGE, "zh-CN")
        .body(Body::from(bytes))
        .unwrap();
    app.send(req).await
}

/// The worker's import page, as a browser posts it.
async fn import_page(app: &common::TestApp, cookie: &str, bytes: Vec<u8>) -> common::Reply {
    let boundary = "gridgov-sheet-boundary";
    let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"h.xlsx\"\r\nContent-Type: application/octet-stream\r\n\r\n").into_bytes();
    body.extend_from_slice(&bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let req = Request::post(format!("/w/households/import?grid={MY_GRID}"))
        .header(header::HOST, "localhost")
        .header(header::ORIGIN, "http://localhost")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header(header::COOKIE, cookie)
        .body(Body::from(body))
        .unwrap();
    app.send(req).await
}

/// A small real workbook: a header row and one member.
fn workbook() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    for (c, h) in ["门牌地址", "姓名"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "1栋101").unwrap();
    ws.write_string(1, 1, "王芳").unwrap();
    book.save_to_buffer().unwrap()
}

/// A workbook with one cell at the top left and one at (row, column).
fn with_far_cell(row: u32, column: u16) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    ws.write_string(0, 0, "门牌地址").unwrap();
    ws.write_string(row, column, "x").unwrap();
    book.save_to_buffer().unwrap()
}

/// `xlsx` with some parts replaced (or added) and every part stored as `method`.
fn rewritten(xlsx: &[u8], parts: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut src = zip::ZipArchive::new(Cursor::new(xlsx)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut names = Vec::new();
    for i in 0..src.len() {
        let mut f = src.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        let data = parts
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, d)| d.clone())
            .unwrap_or(data);
        out.start_file(name.clone(), opts).unwrap();
        out.write_all(&data).unwrap();
        names.push(name);
    }
    for (name, data) in parts.iter().filter(|(n, _)| !names.iter().any(|m| m == n)) {
        out.start_file(name.to_string(), opts).unwrap();
        out.write_all(data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

fn assert_refused(r: &common::Reply, zh: &str) {
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let v = r.json();
    assert_eq!(v["field"], "file", "{v}");
    let message = v["message"].as_str().unwrap_or_default();
    assert!(message.contains(zh), "expected «{zh}» in {v}");
}

backend_tests! {
    async fn a_file_past_the_routes_limit_is_refused_unread_as_described(app: TestApp) {
        // 9 MB to an import that takes 8: 413 in the one JSON error body, and the
        // description lists that answer for the operation.
        let worker = app.login("worker").await;
        let r = import(&app, &worker, vec![b'a'; 9 * 1024 * 1024]).await;
        assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.body);
        let body = r.json();
        assert_eq!(body["error"], "too_large");
        assert!(body["message"].as_str().unwrap().contains("文件超过"), "{body}");
        let doc = app.get("/api/v1/openapi.json", None).await.json();
        assert!(doc["paths"]["/households/import"]["post"]["responses"]["413"].is_object());
        assert!(app.get("/healthz", None).await.status.is_success());
    }
    async fn hostile_spreadsheets_are_refused_and_the_server_lives(app: TestApp) {
        let worker = app.login("worker").await;

        // The crash: A1 and XFD1048576 in a file of a few KB.
        let far = with_far_cell(1_048_575, 16_383);
        assert!(far.len() < 10_000, "{} bytes", far.len());
        assert_refused(&import(&app, &worker, far.clone()).await, "最多 50,000 行");
        assert_refused(&import(&app, &worker, with_far_cell(0, 16_383)).await, "最多 64 列");
        let page = import_page(&app, &worker, far).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.body.contains("最多 50,000 行"), "{}", page.body);

        // A ZIP bomb: 200 MB of zeros deflate to about 200 KB.
        let bomb = rewritten(&workbook(), &[("xl/media/image1.png", vec![0u8; 200 * 1024 * 1024])]);
        assert!(bomb.len() < 1024 * 1024, "{} bytes", bomb.len());
        assert_refused(&import(&app, &worker, bomb).await, "解压后过大");

        // A shared-strings part claiming a trillion strings (calamine reserves what it claims).
        let lying = rewritten(&workbook(), &[(
            "xl/sharedStrings.xml",
            br#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1000000000000" uniqueCount="1000000000000"><si><t>x</t></si></sst>"#.to_vec(),
        )]);
        assert_refused(&import(&app, &worker, lying).await, "最多 1,000,000");

        // Malformed XML in the sheet, and a ZIP that is not a workbook.
        let broken = rewritten(&workbook(), &[("xl/worksheets/sheet1.xml", b"<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0".to_vec())]);
        assert_refused(&import(&app, &worker, broken).await, "已损坏");
        let not_a_book = rewritten(&workbook(), &[("[Content_Types].xml", b"<Types/>".to_vec()), ("xl/workbook.xml", b"not xml at all <<<".to_vec())]);
        assert_refused(&import(&app, &worker, not_a_book).await, "已损坏");
        assert_refused(&import(&app, &worker, b"PK\x03\x04 truncated".to_vec()).await, "已损坏");

        // Not a table: a PNG, a GBK-encoded CSV.
        assert_refused(&import(&app, &worker, common::png(4, 4)).await, "只能导入");
        assert_refused(&import(&app, &worker, vec![0xb5, 0xd8, 0xd6, 0xb7]).await, "只能导入");

        // CSV: too many rows, too many columns.
        let long = format!("门牌地址,姓名\n{}", "1栋,王\n".repeat(50_001));
        assert_refused(&import(&app, &worker, long.into_bytes()).await, "最多 50,000 行");
        let wide = format!("门牌地址,姓名{}\n", ",x".repeat(200));
        assert_refused(&import(&app, &worker, wide.into_bytes()).await, "最多 64 列");

        // Wrong types in a real workbook: a number and a boolean where text is expected are
        // row errors, not a refusal of the file, and nothing is imported.
        let mut book = rust_xlsxwriter::Workbook::new();
        let ws = book.add_worksheet();
        for (c, h) in ["门牌地址", "姓名", "手机号码"].iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        ws.write_number(1, 0, 101.5).unwrap();
        ws.write_boolean(1, 1, true).unwrap();
        ws.write_number(1, 2, 3.14).unwrap();
        let r = import(&app, &worker, book.save_to_buffer().unwrap()).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.json()["errors"][0]["column"], "phone", "{}", r.body);

        // Still serving, and a good workbook still imports.
        assert_eq!(app.get("/healthz", None).await.status, StatusCode::OK);
        let r = import(&app, &worker, workbook()).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["members_created"], 1);
    }
}
