//! The OpenAPI paths of accounts: administrators' account management and everyone's own
//! password change.

use super::openapi::{body, ok, op, path_param, with};
use serde_json::{Value, json};

pub(super) fn accounts_api(doc: &mut Value) {
    let issued = json!({ "type": "object", "required": ["username", "temporary_password"], "properties": {
        "username": { "type": "string" },
        "temporary_password": { "type": "string", "description": "shown once; the user must set a new password at the next login" } } });
    let new_account = json!({ "type": "object", "required": ["username", "display_name", "role"], "properties": {
        "username": { "type": "string", "pattern": "^[A-Za-z0-9._-]{2,32}$" },
        "display_name": { "type": "string", "minLength": 1, "maxLength": 40 },
        "role": { "type": "string", "enum": ["admin", "leader", "center", "grid_leader", "worker", "dept"] },
        "node": { "type": "string", "description": "territory node code (every role but dept), inside the administrator's area" },
        "department": { "type": "string", "description": "department code (role dept)" },
        "work_phone": { "type": "string", "description": "mobile or landline; a grid worker attached to a grid becomes its full-time member with this number" } } });
    let listed = json!({ "type": "object", "properties": {
        "username": { "type": "string" }, "display_name": { "type": "string" },
        "role": { "type": "string" }, "node_code": { "type": ["string", "null"] }, "node_name": { "type": ["string", "null"] },
        "department_code": { "type": ["string", "null"] }, "department_name": { "type": ["string", "null"] },
        "work_phone": { "type": "string" }, "active": { "type": "boolean" }, "must_change_password": { "type": "boolean" } } });
    let row_problem = json!({ "type": "object", "required": ["row", "message", "message_en"], "properties": {
        "row": { "type": "integer", "description": "the row in the file, the header being row 1" },
        "column": { "type": ["string", "null"], "enum": ["username", "display_name", "role", "attachment", "work_phone", null] },
        "header": { "type": ["string", "null"] },
        "message": { "type": "string" }, "message_en": { "type": "string" }, "value": { "type": "string" } } });
    let member = json!({ "type": "object", "properties": {
        "id": { "type": "integer" }, "name": { "type": "string" },
        "kind": { "type": "string", "enum": ["full_time", "part_time_police", "part_time_legal", "part_time_property", "support"] },
        "support_role": { "type": ["string", "null"] }, "duties": { "type": "string" }, "work_phone": { "type": "string" } } });
    let member_input = json!({ "type": "object", "required": ["name", "kind"], "properties": {
        "name": { "type": "string", "minLength": 1, "maxLength": 40 },
        "kind": { "type": "string", "enum": ["full_time", "part_time_police", "part_time_legal", "part_time_property", "support"] },
        "support_role": { "type": "string", "enum": ["party_member", "local_worthy", "volunteer", "resident_rep", "legal", "urban_management", "market_supervision", "fire_safety"], "description": "required for kind support" },
        "duties": { "type": "string", "maxLength": 200 },
        "work_phone": { "type": "string" },
        "username": { "type": "string", "description": "the member's own account, if any" } } });
    let table = json!({ "required": true, "content": { "text/csv": { "schema": { "type": "string" } }, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": { "schema": { "type": "string", "format": "binary" } } } });
    let change = json!({ "type": "object", "required": ["old_password", "new_password"], "properties": {
        "old_password": { "type": "string" },
        "new_password": { "type": "string", "minLength": 8, "maxLength": 128, "description": "not a common password, not the username; any characters" } } });
    let user = path_param("username");
    let department = json!({ "type": "object", "properties": {
        "code": { "type": "string" }, "name": { "type": "string" }, "name_en": { "type": "string" },
        "active": { "type": "boolean" }, "categories": { "type": "array", "items": { "type": "string" } } } });
    let department_input = json!({ "type": "object", "required": ["name"], "properties": {
        "code": { "type": "string", "pattern": "^[A-Za-z0-9-]{1,32}$", "description": "when creating" },
        "name": { "type": "string", "minLength": 1, "maxLength": 40 },
        "name_en": { "type": "string", "maxLength": 80 },
        "categories": { "type": "array", "items": { "type": "string" }, "description": "category codes it is competent for" } } });
    let problem = json!({ "type": "object", "required": ["code", "kind", "message", "message_en"], "properties": {
        "code": { "type": "string", "description": "the feature's code, or #n for the n-th feature without one" },
        "kind": { "type": "string", "enum": ["not_a_feature_collection", "too_large", "missing_property", "invalid_code", "invalid_level", "duplicate_code", "unknown_parent", "wrong_parent_level", "code_prefix", "missing_geometry", "invalid_geometry", "outside_parent", "overlap", "gap", "parent_changed", "level_changed", "in_use", "bad_reassign", "retired_code"] },
        "message": { "type": "string" }, "message_en": { "type": "string" },
        "lng": { "type": "number" }, "lat": { "type": "number" },
        "area_m2": { "type": "number", "description": "area of the overlap, gap or part outside" } } });
    let territory_plan = json!({ "type": "object", "properties": {
        "added": { "type": "array", "items": { "type": "string" } },
        "removed": { "type": "array", "items": { "type": "string" } },
        "changed": { "type": "array", "items": { "type": "string" } },
        "touched": { "type": "array", "items": { "type": "object" } },
        "problems": { "type": "array", "items": problem.clone() },
        "dry_run": { "type": "boolean" } } });
    let paths = json!({
        "/admin/accounts/import": { "post": with(with(op("Administrators: create many accounts from a table (CSV in UTF-8 or XLSX; columns 用户名/username, 姓名/display_name, 角色/role (code or Chinese name), 所属/attachment (node code, or department code for dept), 工作电话/work_phone). All rows or none; at most 1,000", ("201", ok("`{created: [{username, temporary_password}], count}` — each password shown once (`Cache-Control: no-store`)", json!({ "type": "object" })))), "responses", json!({
                "201": ok("the accounts with their temporary passwords", json!({ "type": "object", "properties": { "created": { "type": "array", "items": issued.clone() }, "count": { "type": "integer" } } })),
                "422": ok("`{error: accounts_refused, message, message_en, problems}`: nothing was created", json!({ "type": "object", "properties": { "problems": { "type": "array", "items": row_problem } } })) })), "requestBody", table.clone()) },
        "/admin/grids/{code}/members": {
            "get": with(op("Administrators: the people serving a grid (1+3+N)", ("200", ok("members", json!({ "type": "array", "items": member.clone() })))), "parameters", path_param("code")),
            "post": with(with(op("Administrators: add a member to a grid (audited); the QR page and poster show it at once", ("201", ok("the member", member.clone()))), "parameters", path_param("code")), "requestBody", body(member_input)) },
        "/admin/grids/{code}/members/{id}": { "delete": with(op("Administrators: remove a member from a grid (audited; their account stays)", ("204", json!({ "description": "removed" }))), "parameters", json!([path_param("code")[0], path_param("id")[0]])) },
        "/admin/accounts": { "get": op("Administrators: the accounts of their area and the departments' staff", ("200", ok("accounts", json!({ "type": "array", "items": listed })))), "post": with(op("Administrators: create an account with a temporary password (`Cache-Control: no-store`); 409 if the username is taken", ("201", ok("the temporary password, shown once", issued.clone()))), "requestBody", body(new_account)) },
        "/admin/accounts/{username}/deactivate": { "post": with(op("Administrators: deactivate an account; it cannot log in and its sessions end", ("204", json!({ "description": "deactivated" }))), "parameters", user.clone()) },
        "/admin/accounts/{username}/reset-password": { "post": with(op("Administrators: a new temporary password; the account's sessions end", ("200", ok("the temporary password, shown once", issued))), "parameters", user) },
        "/admin/audit": { "get": with(op("Administrators: search the audit log (reads of personal data, imports, account changes), newest first; rows are append-only and kept at least six months", ("200", ok("entries `{id, at, username, action, subject_kind, subject_id, detail}`", json!({ "type": "array", "items": { "type": "object" } })))), "parameters", super::openapi::query(&[("username", "who"), ("action", "e.g. read_list, reveal, import, account_create"), ("from", "RFC 3339; default 30 days before `to`"), ("to", "RFC 3339; default now"), ("limit", "1–500, default 100")])) },
        "/admin/login-locks": { "get": op("Administrators: the (username, address) pairs that must wait after failed logins, with their failures and until when", ("200", ok("locks `{username, address, failures, until}`", json!({ "type": "array", "items": { "type": "object" } })))) },
        "/admin/login-locks/{username}/unlock": { "post": with(op("Administrators: lift every wait of a username (audited)", ("200", ok("`{lifted}`: how many addresses", json!({ "type": "object" })))), "parameters", path_param("username")) },
        "/me/password": { "post": with(op("Change one's own password; the current one is required. Other sessions of the account end. Until a temporary password is replaced every other call answers 403 `password_change_required`", ("204", json!({ "description": "changed" }))), "requestBody", body(change)) },
        "/admin/territory/import": { "post": with(with(with(op("Administrators: import the district's territory from a GeoJSON FeatureCollection (features with properties `code`, `name`, `level` street|community|grid, `parent`, optional `name_en`; geometry Polygon or MultiPolygon (parts must not overlap; no holes), WGS-84). The file is the whole territory below the district: nodes it lacks are removed (retired when cases or visits name them); a removed node holding households or people needs `reassign: {removed code: code of the same level in the file}` beside `features`. Every check runs and is reported at once; nothing is written if any refuses. With `dry_run=true` (the default) only the plan is returned", ("200", ok("the plan `{added, removed, changed, touched: [{code, change, open_cases, households, people, moved_to?}], problems: [], dry_run}`", territory_plan.clone()))), "responses", json!({
                "200": ok("the plan", territory_plan.clone()),
                "422": ok("`{error: territory_refused, message, message_en, problems}`", json!({ "type": "object", "properties": { "problems": { "type": "array", "items": problem } } })) })),
                "parameters", super::openapi::query(&[("dry_run", "true (default): check and plan only; false: apply")])),
                "requestBody", body(json!({ "type": "object", "required": ["type", "features"], "properties": { "type": { "const": "FeatureCollection" }, "features": { "type": "array", "maxItems": 5000 } } }))) },
        "/admin/departments": {
            "get": op("Administrators: every department, active or not, with the categories it is competent for", ("200", ok("`[{code, name, name_en, active, categories}]`", json!({ "type": "array", "items": department.clone() })))),
            "post": with(op("Administrators: create a department; 409 if the code is taken", ("201", ok("the department", department.clone()))), "requestBody", body(department_input.clone())) },
        "/admin/departments/import": { "post": with(with(op("Administrators: create many departments from a table (CSV in UTF-8 or XLSX; columns 编码/code, 名称/name, 英文名称/name_en, 主管类别/categories separated by ; or 、). All rows or none", ("201", ok("`{created: [codes]}`", json!({ "type": "object" })))), "responses", json!({
                "201": ok("the codes created", json!({ "type": "object", "properties": { "created": { "type": "array", "items": { "type": "string" } } } })),
                "422": ok("`{error: departments_refused, message, message_en, problems: [{row, column, header, message, message_en, value}]}`: nothing was created", json!({ "type": "object" })) })), "requestBody", table.clone()) },
        "/admin/buildings/import": { "post": with(with(op("Administrators: the building list (楼栋清单) from a table (CSV in UTF-8 or XLSX; columns 网格编码/grid, 楼栋/building, 纬度/lat and 经度/lng in WGS-84, or one 位置/point cell \"lat,lng\"). Each grid must be in the administrator's area and each point inside its grid. All rows or none; a building already listed for its grid is moved", ("200", ok("`{created, moved}`", json!({ "type": "object" })))), "responses", json!({
                "200": ok("what was written", json!({ "type": "object", "properties": { "created": { "type": "integer" }, "moved": { "type": "integer" } } })),
                "422": ok("`{error: buildings_refused, message, message_en, problems: [{row, column, header, message, message_en, value}]}`: nothing was written", json!({ "type": "object" })) })), "requestBody", table.clone()) },
        "/buildings": { "get": with(op("The buildings of the user's area, or of one grid in it, with their points (WGS-84)", ("200", ok("`[{grid_code, name, lat, lng}]`", json!({ "type": "array", "items": { "type": "object", "properties": { "grid_code": { "type": "string" }, "name": { "type": "string" }, "lat": { "type": "number" }, "lng": { "type": "number" } } } })))), "parameters", super::openapi::query(&[("grid", "a grid code in the user's area; default: the whole area")])) },
        "/admin/departments/{code}": { "put": with(with(op("Administrators: rename a department and set its categories (audited: before → after)", ("200", ok("the department", department.clone()))), "parameters", path_param("code")), "requestBody", body(department_input.clone())) },
        "/admin/departments/{code}/deactivate": { "post": with(op("Administrators: deactivate a department; 409 while it holds open dispatches. It then receives nothing new and keeps its history", ("204", json!({ "description": "deactivated" }))), "parameters", path_param("code")) },
        "/admin/territory/export": { "get": op("Administrators: the territory below the district as GeoJSON (imports back unchanged)", ("200", ok("a FeatureCollection", json!({ "type": "object" })))) },
    });
    for (k, v) in paths.as_object().expect("an object").clone() {
        doc["paths"][k] = v;
    }
}
