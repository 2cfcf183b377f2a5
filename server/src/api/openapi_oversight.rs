//! The OpenAPI paths of the leaders' figures: boards, KPIs and rankings.

use super::openapi::{ok, op, query, with};
use serde_json::{Value, json};

pub(super) fn oversight_api(doc: &mut Value) {
    let obj = json!({ "type": "object" });
    let area = (
        "area",
        "territory node code inside the user's area; default: the user's own node",
    );
    let period = (
        "period",
        "YYYY-MM, YYYY-Qn, YYYY-Hn or YYYY (district time); default: this month",
    );
    let paths = json!({
        "/boards": { "get": with(op("Three-colour board (红黄绿): cases reported in the period plus those reported before and still open; totals, per child area, per department (lead or co-handler), and the red list (at most 200) with reasons, hours overdue and the supervised flag", ("200", ok("the board", obj.clone()))), "parameters", query(&[area, period])) },
        "/kpis": { "get": with(op("KPIs of the cases reported between two days (both included): received, completion rate 办结率, on-time rate 按期办结率, satisfaction rate 满意率 (closed unrated counts as satisfied), average handling hours per tier, weekly and monthly trends, the problem portrait (category × child area) and the needs list (category × tier, most urgent first). Rates are percentages; null when nothing to divide", ("200", ok("the figures", obj.clone()))), "parameters", query(&[area, ("from", "YYYY-MM-DD; default: the first of this month"), ("to", "YYYY-MM-DD, included; default: today")])) },
        "/rankings": { "get": with(op("Rankings for a period: `worker` (十佳格格; five parts, configurable weights, red penalty), `department` or `area` (the child areas; rates only). Every score with its parts `{part, value, weight, points}`; ties break by the on-time part, then volume, then id", ("200", ok("the ranking", obj.clone()))), "parameters", query(&[("kind", "worker (default), department or area"), area, period])) },
        "/map/cases": { "get": with(op("The live map's viewport: from zoom 15 on, single cases `{id, lat, lng, colour, category_name, tracking_code, status}` (at most 2,000); below, or when more, counts per grid `{grid_code, lat, lng, counts}` for every grid in view (all its cases, as the board counts them; lat/lng a point inside the grid). The same cases as the board, with optional filters", ("200", ok("`{mode: cases|grids, cases, grids}`", obj.clone()))), "parameters", query(&[("bbox", "south,west,north,east (degrees), required"), ("zoom", "the map's zoom level"), area, period, ("category", "category code"), ("tier", "simple, coordination or key"), ("colour", "red, yellow or green"), ("department", "department code: cases dispatched to it")])) },
        "/reports": { "get": with(op("Rhythm report (月度调度表 / 季度督查报告 / 半年工作通报 by the period's kind): KPIs, board, red list and the three rankings in one document", ("200", ok("the report", obj.clone()))), "parameters", query(&[area, period])) },
        "/rankings.xlsx": { "get": with(op("The same ranking as `GET /rankings` as an XLSX sheet: every row with each part's value and points (an empty period: a sheet that says so)", ("200", json!({ "description": "the workbook", "content": { "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": { "schema": { "type": "string", "format": "binary" } } } }))), "parameters", query(&[("kind", "worker (default), department or area"), area, period])) },
        "/reports.xlsx": { "get": with(op("The same report as an XLSX workbook: 总览, 三色看板·区域, 三色看板·部门, 红色预警清单, 十佳格格, 部门排名, 区域排名, 民生需求清单", ("200", json!({ "description": "the workbook", "content": { "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": { "schema": { "type": "string", "format": "binary" } } } }))), "parameters", query(&[area, period])) },
    });
    for (k, v) in paths.as_object().expect("an object").clone() {
        doc["paths"][k] = v;
    }
}
