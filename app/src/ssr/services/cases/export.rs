//! A case list leaving gridgov: the list's own filters and scope, as a spreadsheet (XLSX
//! or CSV) for staff and as GeoJSON points for GIS. The GeoJSON carries no free text and
//! no personal data (a description may hold a name or a phone number); the spreadsheets
//! carry the description as lists show it, and every export is written to the audit log.

use super::*;
use crate::components::labels;
use crate::domain::case::{Colour, Source};
use crate::domain::sheet::{Cell, Sheet};
use crate::i18n::{Lang, t};
use crate::ssr::store::audit;

/// The most rows one export may hold; a wider list is refused with a request to narrow
/// the filters (a city's full history is a backup, not a spreadsheet).
pub const EXPORT_MAX: i64 = 50_000;

/// One exported case: its list summary, where it is and who reported it.
pub struct ExportRow {
    pub summary: CaseSummary,
    pub source: Option<Source>,
    pub lat: f64,
    pub lng: f64,
}

/// The cases of a list query, in scope, newest first; audited as one read.
pub async fn rows(
    state: &AppState,
    user: &CurrentUser,
    mut q: ListQuery,
    format: &str,
    now: DateTime<Utc>,
) -> Result<Vec<ExportRow>, AppError> {
    q.filter.export_limit = Some(EXPORT_MAX);
    let cat = catalogue(state).await?;
    let (vis, filter) = scoped(state, user, q).await?;
    let (rows, total) = case_list::list(&state.db.pool, &vis, &filter, to_millis(now)).await?;
    if total > EXPORT_MAX {
        return Err(AppError::validation("per_page", Msg::ErrExportTooLarge));
    }
    audit::record(
        &state.db.pool,
        now,
        user.id,
        "cases_export",
        "case",
        0,
        &format!("{format}: {} cases", rows.len()),
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let (source, lat, lng) = (Source::parse(&r.case.source), r.case.lat, r.case.lng);
            ExportRow {
                summary: summary(r, now, &cat),
                source,
                lat,
                lng,
            }
        })
        .collect())
}

const HEADERS: [&str; 16] = [
    "查询码",
    "来源",
    "类别",
    "问题描述",
    "网格编码",
    "网格",
    "状态",
    "处置类型",
    "紧急",
    "颜色",
    "督办",
    "重复次数",
    "上报时间",
    "办理时限",
    "纬度",
    "经度",
];

fn yes_no(b: bool) -> Cell {
    Cell::Text(if b { "是" } else { "否" }.into())
}

/// The rows as one sheet with Chinese headers and labels, times in district time.
pub fn sheet(rows: &[ExportRow]) -> Sheet {
    let zh = |m| t(Lang::Zh, m).to_owned();
    let text = |s: &str| Cell::Text(s.to_owned());
    Sheet {
        name: "事件".into(),
        headers: HEADERS.iter().map(|h| (*h).to_owned()).collect(),
        rows: rows
            .iter()
            .map(|r| {
                let s = &r.summary;
                vec![
                    text(&s.tracking_code),
                    Cell::Text(r.source.map(|x| zh(labels::source(x))).unwrap_or_default()),
                    text(&s.category_name),
                    text(&s.description),
                    text(&s.grid_code),
                    text(&s.grid_name),
                    Cell::Text(zh(labels::status(s.status))),
                    Cell::Text(s.tier.map(|x| zh(labels::tier(x))).unwrap_or_default()),
                    yes_no(s.urgent),
                    Cell::Text(colour_label(s)),
                    yes_no(s.supervised),
                    Cell::Number(f64::from(s.repeat_count)),
                    Cell::Text(labels::local_time(s.reported_at)),
                    Cell::Text(s.deadline.map(labels::local_time).unwrap_or_default()),
                    Cell::Number(r.lat),
                    Cell::Number(r.lng),
                ]
            })
            .collect(),
    }
}

/// Invalid and merged reports take no colour (see `domain::case::colour`).
fn colour_label(s: &CaseSummary) -> String {
    if s.status.is_counted() {
        t(Lang::Zh, labels::colour(s.colour.colour)).to_owned()
    } else {
        String::new()
    }
}

fn colour_name(s: &CaseSummary) -> Option<&'static str> {
    s.status.is_counted().then(|| match s.colour.colour {
        Colour::Red => "red",
        Colour::Yellow => "yellow",
        Colour::Green => "green",
    })
}

/// The rows as a GeoJSON FeatureCollection of points (RFC 7946: longitude first, WGS 84
/// as stored): status, colour, category and dates; no description, no reporter.
pub fn geojson(rows: &[ExportRow]) -> serde_json::Value {
    let features: Vec<_> = rows
        .iter()
        .map(|r| {
            let s = &r.summary;
            serde_json::json!({
                "type": "Feature",
                "id": s.tracking_code,
                "geometry": { "type": "Point", "coordinates": [r.lng, r.lat] },
                "properties": {
                    "tracking_code": s.tracking_code,
                    "category": s.category,
                    "category_name": s.category_name,
                    "category_name_en": s.category_name_en,
                    "status": s.status.as_str(),
                    "colour": colour_name(s),
                    "tier": s.tier.map(|x| x.as_str()),
                    "urgent": s.urgent,
                    "supervised": s.supervised,
                    "grid_code": s.grid_code,
                    "grid_name": s.grid_name,
                    "source": r.source.map(|x| x.as_str()),
                    "reported_at": s.reported_at.with_timezone(&crate::domain::calendar::district_tz()).to_rfc3339(),
                    "deadline": s.deadline.map(|d| d.with_timezone(&crate::domain::calendar::district_tz()).to_rfc3339()),
                }
            })
        })
        .collect();
    serde_json::json!({ "type": "FeatureCollection", "features": features })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::case::Status;
    use crate::domain::case::colour::ColourVerdict;

    fn row(status: Status, description: &str) -> ExportRow {
        ExportRow {
            summary: CaseSummary {
                id: 1,
                tracking_code: "ABCD2345".into(),
                category: "road".into(),
                category_name: "道路".into(),
                category_name_en: "Roads".into(),
                description: description.into(),
                grid_code: "g1".into(),
                grid_name: "一网格".into(),
                status,
                tier: None,
                colour: ColourVerdict {
                    colour: Colour::Red,
                    reasons: vec![],
                    near_deadline: false,
                },
                supervised: false,
                repeat_count: 0,
                reported_at: chrono::DateTime::from_timestamp(1_764_000_000, 0).unwrap(),
                deadline: None,
                possible_repeat: false,
                urgent: true,
            },
            source: Some(Source::ResidentQr),
            lat: 31.2,
            lng: 121.5,
        }
    }

    #[test]
    fn geojson_has_points_longitude_first_and_no_free_text() {
        let g = geojson(&[row(Status::Reported, "张三 13800000000 门口垃圾")]);
        let f = &g["features"][0];
        assert_eq!(
            f["geometry"]["coordinates"],
            serde_json::json!([121.5, 31.2])
        );
        assert_eq!(f["properties"]["colour"], "red");
        assert_eq!(f["properties"]["reported_at"], "2025-11-25T00:00:00+08:00");
        let text = g.to_string();
        assert!(!text.contains("13800000000") && !text.contains("张三"));
    }

    #[test]
    fn invalid_reports_have_no_colour() {
        let r = row(Status::Invalid, "x");
        assert_eq!(
            geojson(std::slice::from_ref(&r))["features"][0]["properties"]["colour"],
            serde_json::Value::Null
        );
        assert_eq!(sheet(&[r]).rows[0][9], Cell::Text(String::new()));
    }

    #[test]
    fn the_sheet_has_one_labelled_column_per_header() {
        let s = sheet(&[row(Status::Reported, "x")]);
        assert_eq!(s.rows[0].len(), s.headers.len());
        assert_eq!(s.rows[0][1], Cell::Text("居民扫码".into()));
        assert_eq!(s.rows[0][8], Cell::Text("是".into()));
        assert_eq!(s.rows[0][12], Cell::Text("2025-11-25 00:00".into()));
    }
}
