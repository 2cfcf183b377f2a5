//! `GET /api/v1/openapi.json`: the OpenAPI 3.1 description of the JSON API, written by hand
//! next to the routers it describes (a test checks every route is in it).

use app::ssr::AppState;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

pub fn router() -> Router<AppState> {
    Router::new().route("/openapi.json", get(|| async { Json(document()) }))
}

pub(super) fn ok(description: &str, schema: Value) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": schema } } })
}

pub(super) fn r(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

pub(super) fn errors() -> Value {
    let e = ok("error", r("Error"));
    json!({ "401": e, "403": e, "404": e, "409": e, "422": e, "429": e })
}

pub(super) fn op(summary: &str, success: (&str, Value)) -> Value {
    let mut responses = errors();
    responses[success.0] = success.1;
    json!({ "summary": summary, "responses": responses })
}

pub(super) fn query(names: &[(&str, &str)]) -> Value {
    Value::Array(
        names
            .iter()
            .map(|(n, d)| json!({ "name": n, "in": "query", "required": false, "description": d, "schema": { "type": "string" } }))
            .collect(),
    )
}

pub(super) fn path_param(name: &str) -> Value {
    json!([{ "name": name, "in": "path", "required": true, "schema": { "type": "string" } }])
}

pub(super) fn with(mut o: Value, key: &str, v: Value) -> Value {
    o[key] = v;
    o
}

pub(super) fn body(schema: Value) -> Value {
    json!({ "required": true, "content": { "application/json": { "schema": schema } } })
}

pub fn document() -> Value {
    let enum_of = |v: &[&str]| json!({ "type": "string", "enum": v });
    let mut doc = json!({
        "openapi": "3.1.0",
        "info": {
            "title": "gridgov API — 网格化社会治理平台",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Everything is scoped to the logged-in account (session cookie from /login). Errors carry a kind and a message in Chinese and English. State-changing browser requests must come from the same origin; scripts send JSON."
        },
        "servers": [{ "url": "/api/v1" }],
        "paths": {
            "/login": { "post": with(op("Log in; sets the session cookie", ("200", ok("the account", r("Me")))), "requestBody",
                body(json!({ "type": "object", "required": ["username", "password"], "properties": { "username": { "type": "string" }, "password": { "type": "string" } } }))) },
            "/logout": { "post": op("Log out", ("204", json!({ "description": "logged out" }))) },
            "/me": { "get": op("The logged-in account", ("200", ok("the account", r("Me")))) },
            "/stream": { "get": with(op("Case changes as Server-Sent Events (`text/event-stream`), only those of cases in the account's scope; each event's id is the case event's id. Reconnect with `Last-Event-ID` to get what was missed, or one `resync` event when too far behind. The stream closes when the session ends", ("200", json!({ "description": "the event stream", "content": { "text/event-stream": { "schema": { "type": "string" } } } }))), "parameters", json!([{ "name": "Last-Event-ID", "in": "header", "required": false, "schema": { "type": "integer" } }])) },
            "/openapi.json": { "get": op("This document", ("200", ok("the OpenAPI 3.1 document", json!({ "type": "object" })))) },
            "/territory": { "get": op("Territory nodes in scope, parents first", ("200", ok("nodes", json!({ "type": "array", "items": r("TerritoryNode") })))) },
            "/territory/{code}": { "get": with(op("One node with ancestors and workers", ("200", ok("node", json!({ "type": "object" })))), "parameters", path_param("code")) },
            "/territory/{code}/boundary": { "get": with(op("Boundary as a GeoJSON Feature", ("200", ok("feature", json!({ "type": "object" })))), "parameters", path_param("code")) },
            "/locate": { "get": with(op("The grid containing a point (404 outside)", ("200", ok("grid", r("TerritoryNode")))), "parameters",
                query(&[("lat", "latitude, WGS-84"), ("lng", "longitude, WGS-84")])) },
            "/categories": { "get": op("The category standards table: categories and subcategories (`parent`), 部件/事件 codes, 立案/结案 standards, default tier, urgency, competent department and stage limits in working hours", ("200", ok("categories", json!({ "type": "array", "items": r("Category") })))) },
            "/categories/{code}": { "put": with(with(op("Administrators: add or replace one row of the standards table (checked as an imported row; audited)", ("200", ok("the row as stored", r("Category")))), "parameters", path_param("code")), "requestBody", json!({ "required": true, "content": { "application/json": { "schema": r("Category") } } })) },
            "/categories.xlsx": { "get": op("Administrators: the standards table as an XLSX workbook (Chinese headers), to edit and import back", ("200", json!({ "description": "the workbook", "content": { "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": { "schema": { "type": "string", "format": "binary" } } } }))) },
            "/reply-templates": {
                "get": op("Reply templates (常用回复): `[{id, category (null: every category), step, text}]`", ("200", ok("templates", json!({ "type": "array", "items": { "type": "object" } })))),
                "post": with(op("Administrators: add a template `{category?, step, text}` (step: triage, invalidate, dispatch, acknowledge, progress, resolve, verify, return, defer; audited)", ("201", ok("the template", json!({ "type": "object" })))), "requestBody", json!({ "required": true, "content": { "application/json": { "schema": { "type": "object", "required": ["step", "text"], "properties": { "category": { "type": ["string", "null"] }, "step": { "type": "string" }, "text": { "type": "string" } } } } } })) },
            "/reply-templates/{id}": { "delete": with(op("Administrators: remove a template (audited)", ("204", json!({ "description": "removed" }))), "parameters", path_param("id")) },
            "/categories/import": { "post": with(op("Administrators: write the standards table from a table (CSV in UTF-8 or XLSX, the export's columns 编码, 所属大类, 部件事件编码, 部件/事件, 名称, 英文名称, 立案标准, 结案标准, 默认分类, 紧急, 主管部门, 报到/处置/核查时限（工作小时）). All rows or none: 422 `{error: categories_refused, problems: [{row, column, header, message, value}]}`", ("200", ok("`{written: [codes]}`", json!({ "type": "object" })))), "requestBody", json!({ "required": true, "content": { "text/csv": { "schema": { "type": "string" } }, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": { "schema": { "type": "string", "format": "binary" } } } })) },
            "/cases": {
                "get": with(op("Cases in scope, newest first", ("200", ok("a page", r("CasePage")))), "parameters", query(&[
                    ("colour", "red | yellow | green"), ("tier", "simple | coordination | key"),
                    ("status", "reported | returned | in_grid | triaged | dispatched | handling | resolved | closed | merged"),
                    ("area", "territory node code"), ("category", "category code"), ("from", "YYYY-MM-DD (Asia/Shanghai)"),
                    ("to", "YYYY-MM-DD, inclusive"), ("supervised", "true | false"), ("q", "words in the description, or a whole tracking code (≤ 100 characters)"), ("page", "from 1"), ("per_page", "1–200, default 50"),
                ])),
                "post": with(op("Report a case (staff); the grid is found from the point", ("201", ok("the case", r("CaseDetail")))), "requestBody",
                    body(json!({ "type": "object", "required": ["category", "description", "lat", "lng"], "properties": {
                        "category": { "type": "string" }, "description": { "type": "string", "maxLength": 2000 },
                        "lat": { "type": "number" }, "lng": { "type": "number" } } })))
            },
            "/cases/{id}/consultations": { "post": with(with(op("Record a consultation (会商) on a key case", ("201", ok("the case", r("CaseDetail")))), "parameters", path_param("id")),
                "requestBody", body(json!({ "type": "object", "required": ["held_on", "participants", "decision"], "properties": {
                    "held_on": { "type": "string", "format": "date" }, "participants": { "type": "string" }, "decision": { "type": "string" },
                    "departments": { "type": "array", "items": { "type": "string" } } } }))) },
            "/cases/{id}/photos": { "post": with(with(op("Add 1–3 photos to your own latest step (multipart, field `photo`; JPEG/PNG/WebP ≤ 10 MB; stored re-encoded, EXIF removed)", ("201", ok("the case", r("CaseDetail")))), "parameters", path_param("id")),
                "requestBody", json!({ "required": true, "content": { "multipart/form-data": { "schema": { "type": "object", "properties": { "photo": { "type": "array", "items": { "type": "string", "format": "binary" } } } } } } })) },
            "/photos/{name}": { "get": with(op("A stored photo (image/jpeg), if its case is visible to you", ("200", json!({ "description": "the photo", "content": { "image/jpeg": {} } }))), "parameters", path_param("name")) },
            "/calendar": { "get": op("Listed days of the working calendar (holidays, adjusted working days)", ("200", ok("days", json!({ "type": "array", "items": r("CalendarDay") })))) },
            "/calendar/{day}": {
                "put": with(with(op("Set a day (administrators)", ("200", ok("the day", r("CalendarDay")))), "parameters", path_param("day")),
                    "requestBody", body(json!({ "type": "object", "required": ["kind"], "properties": { "kind": enum_of(&["holiday", "workday"]), "note": { "type": "string" } } }))),
                "delete": with(op("Remove a listed day (administrators)", ("204", json!({ "description": "removed" }))), "parameters", path_param("day"))
            },
            "/cases/{id}": { "get": with(op("A case with its timeline and the actions the user may take", ("200", ok("the case", r("CaseDetail")))), "parameters", path_param("id")) },
            "/cases/{id}/actions": { "post": with(with(op("Act on a case; refused actions answer 403 or 409 with a reason", ("200", ok("the case after the action", r("CaseDetail")))),
                "parameters", path_param("id")), "requestBody", body(r("Action"))) },
        },
        "components": { "schemas": {
            "CalendarDay": { "type": "object", "properties": { "day": { "type": "string", "format": "date" }, "kind": enum_of(&["holiday", "workday"]), "note": { "type": "string" } } },
            "Error": { "type": "object", "properties": { "error": { "type": "string" }, "message": { "type": "string" }, "message_en": { "type": "string" }, "field": { "type": "string" } } },
            "Me": { "type": "object", "properties": { "id": { "type": "integer" }, "username": { "type": "string" }, "display_name": { "type": "string" },
                "role": enum_of(&["admin", "leader", "center", "grid_leader", "worker", "dept"]), "attached_to": { "type": "object" } } },
            "TerritoryNode": { "type": "object", "properties": { "code": { "type": "string" }, "name": { "type": "string" }, "name_en": { "type": "string" },
                "level": enum_of(&["district", "street", "community", "grid", "building"]), "parent": { "type": ["string", "null"] } } },
            "Category": { "type": "object", "required": ["code", "name", "name_en"], "properties": { "code": { "type": "string" }, "parent": { "type": ["string", "null"] }, "cj_code": { "type": "string" }, "kind": enum_of(&["component", "event"]), "name": { "type": "string" }, "name_en": { "type": "string" }, "filing_standard": { "type": "string" }, "closing_standard": { "type": "string" }, "default_tier": { "type": ["string", "null"], "enum": ["simple", "coordination", "key", null] }, "urgent": { "type": "boolean" }, "copy_department": { "type": ["string", "null"] }, "limits": { "type": "object", "properties": { "ack_hours": { "type": ["integer", "null"] }, "handle_hours": { "type": ["integer", "null"] }, "verify_hours": { "type": ["integer", "null"] } } } } },
            "Colour": { "type": "object", "properties": { "colour": enum_of(&["red", "yellow", "green"]),
                "reasons": { "type": "array", "items": enum_of(&["overdue", "ack_overdue", "repeated", "dissatisfied"]) }, "near_deadline": { "type": "boolean" } } },
            "CaseSummary": { "type": "object", "properties": { "id": { "type": "integer" }, "tracking_code": { "type": "string" }, "category": { "type": "string" },
                "description": { "type": "string" }, "grid_code": { "type": "string" }, "status": { "type": "string" }, "tier": { "type": ["string", "null"] },
                "colour": r("Colour"), "supervised": { "type": "boolean" }, "repeat_count": { "type": "integer" },
                "reported_at": { "type": "string", "format": "date-time" }, "deadline": { "type": ["string", "null"], "format": "date-time" } } },
            "CasePage": { "type": "object", "properties": { "cases": { "type": "array", "items": r("CaseSummary") }, "total": { "type": "integer" }, "page": { "type": "integer" }, "per_page": { "type": "integer" } } },
            "CaseDetail": { "type": "object", "properties": { "summary": r("CaseSummary"), "source": { "type": "string" }, "lat": { "type": "number" }, "lng": { "type": "number" },
                "dispatches": { "type": "array", "items": { "type": "object" } }, "timeline": { "type": "array", "items": { "type": "object" } },
                "allowed_actions": { "type": "array", "items": { "type": "string" } }, "repeat_candidates": { "type": "array", "items": r("CaseSummary") } } },
            "Action": { "type": "object", "required": ["action"], "description": "triage {tier, category?, subcategory?, key_days? (key: 10–15), urgent?}; invalidate {reason: duplicate|not_our_remit|not_a_problem|cannot_locate|malicious, note (needed for duplicate and not_our_remit)}; dispatch {departments: [{department, role: lead|co_handler}]}; acknowledge; return {reason}; progress {note}; resolve {result}; feedback {satisfaction: satisfied|basically_satisfied|dissatisfied, comment?}; escalate {reason}; request_extension {days, reason}; approve_extension {approve}; supervise {note}; merge {into}; close; verify {passed, note (needed when failed)}; defer {reason, review_on: YYYY-MM-DD}; approve_deferral {approve?, note?}; resume {note?}",
                "properties": { "action": enum_of(&["triage", "dispatch", "acknowledge", "return", "progress", "resolve", "feedback", "escalate", "request_extension", "approve_extension", "supervise", "merge", "close", "invalidate", "verify", "defer", "approve_deferral", "resume"]) } },
        } }
    });
    public_api(&mut doc);
    desk_api(&mut doc);
    super::openapi_worker::households_api(&mut doc);
    super::openapi_accounts::accounts_api(&mut doc);
    super::openapi_oversight::oversight_api(&mut doc);
    super::openapi_integrations::integrations_api(&mut doc);
    doc
}

/// The residents' endpoints (no login), added separately: one `json!` for the whole
/// document would pass the macro's recursion limit.
fn public_api(doc: &mut Value) {
    let enum_of = |v: &[&str]| json!({ "type": "string", "enum": v });
    let paths = json!({
            "/public/reports": { "post": with(with(op("A resident's report (no login; multipart: grid, category, description, lat?, lng?, name?, phone?, photo ×0–3). Honours the Idempotency-Key header: the same key and body answer the first answer again (header Idempotent-Replayed: true); the same key with another body is refused (422). Rate-limited per IP and per grid (429 with Retry-After). Refusals list every field in `errors`.", ("201", ok("the tracking code and page", r("ReportReceipt")))),
                "parameters", json!([{ "name": "Idempotency-Key", "in": "header", "required": false, "schema": { "type": "string", "minLength": 8, "maxLength": 128 } }])),
                "requestBody", json!({ "required": true, "content": { "multipart/form-data": { "schema": { "type": "object", "required": ["grid", "category", "description"] } } } })) },
            "/public/reports/{code}": { "get": with(op("The public view of a report by its tracking code (no staff names, no personal data)", ("200", ok("the report", r("PublicCase")))), "parameters", path_param("code")) },
            "/public/reports/{code}/feedback": { "post": with(with(op("The reporter's rating of a resolved report; dissatisfied reopens it. Needs the case's `token` (`feedback_token` of the report's receipt, given only to the reporter): the tracking code alone answers 403", ("200", ok("the report", r("PublicCase")))), "parameters", path_param("code")),
                "requestBody", body(json!({ "type": "object", "required": ["satisfaction", "token"], "properties": { "satisfaction": enum_of(&["satisfied", "basically_satisfied", "dissatisfied"]), "comment": { "type": "string", "maxLength": 500 }, "token": { "type": "string", "pattern": "^[0-9a-f]{24}$" } } }))) },
            "/public/grids/{code}": { "get": with(op("A grid's public card (网格员公示) and the categories to report under", ("200", ok("card and categories", json!({ "type": "object" })))), "parameters", path_param("code")) },
    });
    let schemas = json!({
            "ReportReceipt": { "type": "object", "properties": { "tracking_code": { "type": "string", "pattern": "^[0-9A-HJKMNP-TV-Z]{10}$" }, "url": { "type": "string", "description": "the reporter's own tracking link /t/{code}?k={feedback_token}" }, "feedback_token": { "type": "string", "description": "rates the case; give it to the reporter only" } } },
            "PublicCase": { "type": "object", "properties": { "tracking_code": { "type": "string" }, "category_name": { "type": "string" }, "description": { "type": "string" },
                "grid_name": { "type": "string" }, "status": { "type": "string" }, "colour": enum_of(&["red", "yellow", "green"]),
                "reported_at": { "type": "string", "format": "date-time" }, "deadline": { "type": ["string", "null"], "format": "date-time" },
                "feedback": { "type": ["string", "null"] }, "can_rate": { "type": "boolean" },
                "steps": { "type": "array", "items": { "type": "object", "properties": { "at": { "type": "string", "format": "date-time" }, "action": { "type": "string" },
                    "unit": { "type": "string" }, "text": { "type": "string" }, "photos": { "type": "array", "items": { "type": "string" } } } } } } },
    });
    for (k, v) in paths.as_object().expect("an object").clone() {
        doc["paths"][k] = v;
    }
    for (k, v) in schemas.as_object().expect("an object").clone() {
        doc["components"]["schemas"][k] = v;
    }
}

/// The 吹哨报到 desk: work lists, the bell and the webhooks.
fn desk_api(doc: &mut Value) {
    let obj = json!({ "type": "object" });
    let paths = json!({
        "/inbox": { "get": op("The command centre's inbox (受理台) of the user's area", ("200", ok("lists", obj.clone()))) },
        "/desk": { "get": op("A department's desk (部门工作台)", ("200", ok("lists", obj.clone()))) },
        "/notifications": { "get": op("The bell: unread count and the newest 50 notifications", ("200", ok("inbox", obj.clone()))) },
        "/notifications/read": { "post": with(op("Mark one notification (`id`) or all as read", ("200", ok("how many", obj.clone()))), "requestBody", body(obj.clone())) },
        "/webhooks": {
            "get": op("Outbound webhooks (administrators)", ("200", ok("webhooks", json!({ "type": "array", "items": obj.clone() })))),
            "post": with(op("Register a webhook `{url, kinds?}`; the signing secret is in this answer only", ("201", ok("the webhook", obj.clone()))), "requestBody", body(obj.clone())),
        },
        "/webhooks/{id}": { "delete": with(op("Switch a webhook off", ("204", json!({ "description": "switched off" }))), "parameters", path_param("id")) },
        "/webhooks/{id}/deliveries": { "get": with(op("The newest 100 deliveries of a webhook with their attempts", ("200", ok("deliveries", json!({ "type": "array", "items": obj.clone() })))), "parameters", path_param("id")) },
    });
    for (k, v) in paths.as_object().expect("an object").clone() {
        doc["paths"][k] = v;
    }
}
