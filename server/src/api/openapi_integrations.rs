//! The OpenAPI paths of integrations: case exports and Open311 keys. (Open311 itself
//! answers by its own specification, XML and JSON, under `/open311/v2/`.)

use super::openapi::{body, ok, op, path_param, query, with};
use serde_json::{Value, json};

fn file(description: &str, content_type: &str, schema: Value) -> Value {
    json!({ "description": description, "content": { content_type: { "schema": schema } } })
}

pub(super) fn integrations_api(doc: &mut Value) {
    let filters: &[(&str, &str)] = &[
        ("status", "as GET /cases"),
        ("colour", "as GET /cases"),
        ("tier", "as GET /cases"),
        ("supervised", "as GET /cases"),
        ("area", "as GET /cases"),
        ("category", "as GET /cases"),
        ("from", "YYYY-MM-DD"),
        ("to", "YYYY-MM-DD, inclusive"),
        ("q", "as GET /cases"),
    ];
    let binary = json!({ "type": "string", "format": "binary" });
    let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    let key_list = json!({ "type": "array", "items": { "type": "object", "required": ["id", "name", "rate_limit", "created_at", "created_by"] } });
    let issued = json!({ "type": "object", "required": ["id", "api_key"], "properties": { "id": { "type": "integer" }, "api_key": { "type": "string" } } });
    let new_key = json!({ "type": "object", "required": ["name"], "properties": { "name": { "type": "string", "maxLength": 100 }, "rate_limit": { "type": "integer", "minimum": 1, "maximum": 6000 } } });
    let paths = json!({
        "/cases.xlsx": { "get": with(op("The list's cases (filters and scope of GET /cases; page ignored; at most 50,000, else 422) as an XLSX sheet with Chinese headers; audited", ("200", file("the workbook", xlsx, binary.clone()))), "parameters", query(filters)) },
        "/cases.csv": { "get": with(op("The same list as UTF-8 CSV with a byte-order mark; text a spreadsheet would run as a formula starts with an apostrophe", ("200", file("the table", "text/csv", json!({ "type": "string" })))), "parameters", query(filters)) },
        "/cases.geojson": { "get": with(op("The same list as a GeoJSON FeatureCollection of points (status, colour, category, dates; no description, no personal data) for GIS", ("200", file("RFC 7946 points", "application/geo+json", json!({ "type": "object", "required": ["type", "features"] })))), "parameters", query(filters)) },
        "/admin/open311-keys": {
            "get": op("Administrators: the Open311 API keys (name, rate per minute, issued, last used, revoked), never the keys", ("200", ok("keys", key_list))),
            "post": with(op("Administrators: issue an Open311 API key; the key is in this answer only", ("201", ok("the key", issued))), "requestBody", body(new_key))
        },
        "/hotline/import": { "post": with(op("Centres and administrators: import the 12345 hotline's export (XLSX or CSV body; columns 工单编号, 接收时间, 问题描述, 地址 or 纬度/经度, 工单类别, 紧急程度, 办结时限, 转办意见, 联系人, 联系电话, 回访结果). All rows or none: 422 `{errors: [{row, column, msg}]}`; a known 工单编号 updates its order (and applies a 回访) instead of filing it twice", ("200", ok("`{created, updated, revisits, orders: [[order_no, tracking_code]]}`", json!({ "type": "object", "required": ["created", "updated", "revisits", "orders"] })))), "requestBody", json!({ "required": true, "content": { "text/csv": { "schema": { "type": "string" } } } })) },
        "/hotline/orders": { "post": with(op("Centres and administrators: one 12345 order from a connector, checked as one row of the import", ("201", ok("`{created, updated, revisits, orders}`", json!({ "type": "object", "required": ["created", "updated", "revisits", "orders"] })))), "requestBody",
            body(json!({ "type": "object", "required": ["order_no", "received_at", "description", "category"], "properties": {
                "order_no": { "type": "string", "maxLength": 40 }, "received_at": { "type": "string", "description": "2026-11-25 09:30 (district time) or RFC 3339" },
                "description": { "type": "string", "maxLength": 2000 }, "address": { "type": "string", "maxLength": 200 }, "lat": { "type": "number" }, "lng": { "type": "number" },
                "category": { "type": "string" }, "urgency": { "type": "string", "enum": ["", "一般", "紧急", "normal", "urgent"] }, "due_at": { "type": "string" },
                "referral": { "type": "string", "maxLength": 500 }, "contact": { "type": "string", "maxLength": 50 }, "phone": { "type": "string" },
                "revisit": { "type": "string", "enum": ["", "满意", "基本满意", "不满意", "satisfied", "basically_satisfied", "dissatisfied"] } } }))) },
        "/hotline/returns.xlsx": { "get": with(op("Centres and administrators: the return sheet (回传表) of a period — 签收, 退单申请, 延期申请, 办结回复 (with the result and photo links), 回访结果 — one row per step", ("200", file("the workbook", xlsx, binary.clone()))), "parameters", query(&[("from", "YYYY-MM-DD; default the first of this month"), ("to", "YYYY-MM-DD, inclusive; default today")])) },
        "/admin/open311-keys/{id}": { "delete": with(op("Administrators: revoke an Open311 API key", ("204", json!({ "description": "revoked" }))), "parameters", path_param("id")) },
    });
    for (k, v) in paths.as_object().expect("an object").clone() {
        doc["paths"][k] = v;
    }
}
