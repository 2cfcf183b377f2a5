//! The OpenAPI paths of the grid worker's data: households, visits and the work ledger.

use super::openapi::{body, ok, op, path_param, query, with};
use serde_json::{Value, json};

pub(super) fn households_api(doc: &mut Value) {
    let obj = json!({ "type": "object" });
    let list = json!({ "type": "array", "items": obj.clone() });
    let grid = query(&[("grid", "grid code; default: the worker's own grid")]);
    let ledger_q = query(&[
        ("worker", "account id; default: me"),
        ("month", "YYYY-MM (district time), required"),
    ]);
    let paths = json!({
        "/households": { "get": with(op("The households of a grid with their members; phone and ID numbers masked (138****1234; ID numbers: the last four only, **************002X)", ("200", ok("households", list.clone()))), "parameters", grid.clone()) },
        "/households/import": { "post": with(with(op("Import a grid's households: the body is a CSV (UTF-8) or XLSX file, one member per row (门牌地址, 姓名, 楼栋, 与户主关系, 手机号码, 身份证号, 特殊人群). All rows or none: 422 with `errors` [{row, column, msg, value}] when any row is refused", ("200", ok("what was created and updated", obj.clone()))), "parameters", grid), "requestBody", json!({ "required": true, "content": { "text/csv": { "schema": { "type": "string" } }, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": { "schema": { "type": "string", "format": "binary" } } } })) },
        "/households/{id}": { "get": with(op("One household: members (masked), visit rule and state, the last 50 visits", ("200", ok("the household", obj.clone()))), "parameters", path_param("id")) },
        "/households/{id}/members/{member}/reveal": { "post": with(op("One member's full phone and ID numbers, for grid workers, grid leaders and command centres; written to the audit log first; `Cache-Control: no-store`", ("200", ok("the numbers", obj.clone()))), "parameters", json!([path_param("id")[0], path_param("member")[0]])) },
        "/households/{id}/visits": { "post": with(with(op("Log a visit `{minutes 1–480, notes, needs?, lat?, lng?, need_case_category?}`; with a category the needs are reported as a case in the same step", ("201", ok("`{id, case_id}`", obj.clone()))), "parameters", path_param("id")), "requestBody", body(obj.clone())) },
        "/visits/overdue": { "get": with(op("Households overdue for a visit (rule: 独居老人 every 7 days, other special populations every 30), longest overdue first; in a grid or the user's whole area", ("200", ok("households", list.clone()))), "parameters", query(&[("grid", "grid code; default: the user's area")])) },
        "/visits/per-grid": { "get": op("Per grid of the user's area: households, households with a visit rule, overdue now", ("200", ok("grids", list.clone()))) },
        "/visits/week": { "get": op("Visits and minutes per worker this week (Monday 00:00, district time)", ("200", ok("workers", list.clone()))) },
        "/ledger": { "get": with(op("A worker's month (工作台账): cases reported, resolved, dispatched; visits; summary", ("200", ok("`{ledger, summary}`", obj.clone()))), "parameters", ledger_q.clone()) },
        "/ledger.xlsx": { "get": with(op("The same ledger as an XLSX workbook, one sheet per section, Chinese headers", ("200", json!({ "description": "the workbook", "content": { "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": { "schema": { "type": "string", "format": "binary" } } } }))), "parameters", ledger_q) },
        "/population-tags": { "get": op("Special-population tags with their visit rules", ("200", ok("tags", list.clone()))) },
        "/population-tags/{code}": { "put": with(with(op("Administrators: add a tag or change `{name, name_en?, visit_every_days?}`; households with the tag get their rule recomputed", ("200", ok("the tag", obj.clone()))), "parameters", path_param("code")), "requestBody", body(obj.clone())) },
    });
    for (k, v) in paths.as_object().expect("an object").clone() {
        doc["paths"][k] = v;
    }
}
