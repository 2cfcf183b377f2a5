//! One work order as the hotline exports it (XLSX/CSV, one per row) or a connector posts
//! it (JSON): checked field by field, every refusal named by row and column.

use crate::domain::calendar::district_tz;
use crate::domain::case::Satisfaction;
use crate::domain::geo_point::GeoPoint;
use crate::domain::privacy::parse_phone;
use crate::domain::table_rows::{RowError, Table, TableColumn};
use crate::i18n::Msg;
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    OrderNo,
    ReceivedAt,
    Description,
    Address,
    Lat,
    Lng,
    Point,
    Category,
    Urgency,
    DueAt,
    Referral,
    Contact,
    Phone,
    Revisit,
}

impl TableColumn for Column {
    const ALL: &'static [Column] = &[
        Column::OrderNo,
        Column::ReceivedAt,
        Column::Description,
        Column::Address,
        Column::Lat,
        Column::Lng,
        Column::Point,
        Column::Category,
        Column::Urgency,
        Column::DueAt,
        Column::Referral,
        Column::Contact,
        Column::Phone,
        Column::Revisit,
    ];

    fn headers(self) -> &'static [&'static str] {
        match self {
            Column::OrderNo => &["工单编号", "工单号", "order_no"],
            Column::ReceivedAt => &["接收时间", "受理时间", "received_at"],
            Column::Description => &["问题描述", "诉求内容", "description"],
            Column::Address => &["地址", "事发地址", "address"],
            Column::Lat => &["纬度", "lat"],
            Column::Lng => &["经度", "lng", "lon"],
            Column::Point => &["坐标", "位置", "point"],
            Column::Category => &["工单类别", "问题类别", "category"],
            Column::Urgency => &["紧急程度", "urgency"],
            Column::DueAt => &["办结时限", "due_at"],
            Column::Referral => &["转办意见", "referral"],
            Column::Contact => &["联系人", "contact"],
            Column::Phone => &["联系电话", "phone"],
            Column::Revisit => &["回访结果", "revisit"],
        }
    }
}

impl Column {
    pub fn header(self) -> &'static str {
        TableColumn::header(self)
    }
}

/// A connector's order (`POST /api/v1/hotline/orders`): the same fields as the template.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct OrderInput {
    pub order_no: String,
    pub received_at: String,
    pub description: String,
    pub address: String,
    pub lat: Option<f64>,
    pub lng: Option<f64>,
    pub category: String,
    pub urgency: String,
    pub due_at: String,
    pub referral: String,
    pub contact: String,
    pub phone: String,
    pub revisit: String,
}

/// A checked order: where it is is still to find (a point, else the address).
#[derive(Clone, Debug, PartialEq)]
pub struct Order {
    pub row: usize,
    pub order_no: String,
    pub received_at: DateTime<Utc>,
    pub description: String,
    pub address: String,
    pub point: Option<GeoPoint>,
    /// The category's code and, when the hotline named a subcategory, that one.
    pub category: String,
    pub subcategory: Option<String>,
    pub category_text: String,
    pub urgent: bool,
    pub due_at: Option<DateTime<Utc>>,
    pub referral: String,
    pub contact: Option<String>,
    pub phone: Option<String>,
    pub revisit: Option<Satisfaction>,
}

/// Orders in one file: a busy district's week.
pub const MAX_ORDERS: usize = 5_000;
pub const DESCRIPTION_MAX: usize = 2000;

/// `2026-11-25 09:30`, with seconds, with `/`, or RFC 3339; district time unless it says.
pub fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    let t = text.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(t) {
        return Some(d.with_timezone(&Utc));
    }
    let t = t.replace('/', "-").replace('T', " ");
    ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(&t, f).ok())
        .and_then(|n| district_tz().from_local_datetime(&n).single())
        .map(|d| d.with_timezone(&Utc))
}

fn urgency(text: &str) -> Option<bool> {
    match text.trim() {
        "" | "一般" | "普通" | "正常" | "normal" => Some(false),
        "紧急" | "加急" | "特急" | "urgent" => Some(true),
        _ => None,
    }
}

fn revisit(text: &str) -> Option<Option<Satisfaction>> {
    match text.trim() {
        "" => Some(None),
        "满意" | "satisfied" => Some(Some(Satisfaction::Satisfied)),
        "基本满意" | "basically_satisfied" => Some(Some(Satisfaction::BasicallySatisfied)),
        "不满意" | "dissatisfied" => Some(Some(Satisfaction::Dissatisfied)),
        _ => None,
    }
}

fn point(lat: &str, lng: &str, both: &str) -> Result<Option<GeoPoint>, String> {
    let text = if both.is_empty() {
        format!("{lat},{lng}")
    } else {
        both.to_owned()
    };
    if text == "," {
        return Ok(None);
    }
    let parts: Option<Vec<f64>> = text
        .split([',', '，', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<f64>().ok())
        .collect();
    match parts.as_deref() {
        Some([lat, lng]) => GeoPoint::parse(*lat, *lng).map(Some).map_err(|_| text),
        _ => Err(text),
    }
}

/// One record's cells, by column, as the table or the JSON gave them.
pub struct Cells<'a>(pub &'a dyn Fn(Column) -> String);

/// Checks one record. `category(text)` resolves a category or subcategory by code or
/// name into (category, subcategory).
pub fn check(
    row: usize,
    cells: Cells<'_>,
    category: &dyn Fn(&str) -> Option<(String, Option<String>)>,
    errors: &mut Vec<RowError<Column>>,
) -> Option<Order> {
    let cell = cells.0;
    let mut refused: Vec<RowError<Column>> = Vec::new();
    let mut fail = |c: Column, msg: Msg, v: &str| refused.push(RowError::new(row, Some(c), msg, v));
    let order_no = cell(Column::OrderNo);
    if order_no.is_empty() {
        fail(Column::OrderNo, Msg::ErrRequired, "");
    } else if order_no.chars().count() > 40 || order_no.chars().any(char::is_whitespace) {
        fail(Column::OrderNo, Msg::ErrHotlineOrderNo, &order_no);
    }
    let received = cell(Column::ReceivedAt);
    let received_at = parse_time(&received);
    if received_at.is_none() {
        fail(Column::ReceivedAt, Msg::ErrHotlineTime, &received);
    }
    let description = cell(Column::Description);
    if description.is_empty() {
        fail(Column::Description, Msg::ErrRequired, "");
    } else if description.chars().count() > DESCRIPTION_MAX {
        fail(Column::Description, Msg::ErrTooLong, &description);
    }
    let address = cell(Column::Address);
    if address.chars().count() > 200 {
        fail(Column::Address, Msg::ErrTooLong, &address);
    }
    let place = point(&cell(Column::Lat), &cell(Column::Lng), &cell(Column::Point));
    if let Err(text) = &place {
        fail(Column::Point, Msg::ErrImportPoint, text);
    }
    let place_refused = place.is_err();
    let point = place.ok().flatten();
    if point.is_none() && address.is_empty() && !place_refused {
        fail(Column::Address, Msg::ErrHotlinePlace, "");
    }
    let category_text = cell(Column::Category);
    let resolved = category(&category_text);
    if resolved.is_none() {
        fail(Column::Category, Msg::ErrHotlineCategory, &category_text);
    }
    let urgent = urgency(&cell(Column::Urgency));
    if urgent.is_none() {
        fail(
            Column::Urgency,
            Msg::ErrHotlineUrgency,
            &cell(Column::Urgency),
        );
    }
    let due_text = cell(Column::DueAt);
    let due_at = if due_text.is_empty() {
        None
    } else {
        parse_time(&due_text)
    };
    if !due_text.is_empty() && due_at.is_none() {
        fail(Column::DueAt, Msg::ErrHotlineTime, &due_text);
    } else if let (Some(d), Some(r)) = (due_at, received_at) {
        if d <= r {
            fail(Column::DueAt, Msg::ErrHotlineDueBefore, &due_text);
        }
    }
    let referral = cell(Column::Referral);
    if referral.chars().count() > 500 {
        fail(Column::Referral, Msg::ErrTooLong, &referral);
    }
    let contact = Some(cell(Column::Contact)).filter(|c| !c.is_empty());
    if contact.as_ref().is_some_and(|c| c.chars().count() > 50) {
        fail(Column::Contact, Msg::ErrTooLong, "");
    }
    let phone_text = cell(Column::Phone);
    let phone = if phone_text.is_empty() {
        None
    } else {
        parse_phone(&phone_text).ok()
    };
    if !phone_text.is_empty() && phone.is_none() {
        // The number is personal data: the report names the column, not the value.
        fail(Column::Phone, Msg::ErrPhone, "");
    }
    let revisit = revisit(&cell(Column::Revisit));
    if revisit.is_none() {
        fail(
            Column::Revisit,
            Msg::ErrHotlineRevisit,
            &cell(Column::Revisit),
        );
    }
    if !refused.is_empty() {
        errors.extend(refused);
        return None;
    }
    let (category, subcategory) = resolved?;
    Some(Order {
        row,
        order_no,
        received_at: received_at?,
        description,
        address,
        point,
        category,
        subcategory,
        category_text,
        urgent: urgent?,
        due_at,
        referral,
        contact,
        phone,
        revisit: revisit?,
    })
}

/// Every order of a table, or every refused row (a repeated 工单编号 included).
pub fn check_rows(
    rows: &[Vec<String>],
    category: &dyn Fn(&str) -> Option<(String, Option<String>)>,
) -> Result<Vec<Order>, Vec<RowError<Column>>> {
    let required = [
        Column::OrderNo,
        Column::ReceivedAt,
        Column::Description,
        Column::Category,
    ];
    let table = Table::read(rows, &required, MAX_ORDERS)?;
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for &(row, cells) in &table.rows {
        let get = |c: Column| table.cell(cells, c);
        let no = get(Column::OrderNo);
        if !no.is_empty() && !seen.insert(no.clone()) {
            errors.push(RowError::new(
                row,
                Some(Column::OrderNo),
                Msg::ErrHotlineDuplicateOrder,
                &no,
            ));
            continue;
        }
        if let Some(o) = check(row, Cells(&get), category, &mut errors) {
            out.push(o);
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// A connector's one order, checked as a row (row 1).
pub fn check_input(
    input: &OrderInput,
    category: &dyn Fn(&str) -> Option<(String, Option<String>)>,
) -> Result<Order, Vec<RowError<Column>>> {
    let get = |c: Column| -> String {
        match c {
            Column::OrderNo => input.order_no.clone(),
            Column::ReceivedAt => input.received_at.clone(),
            Column::Description => input.description.clone(),
            Column::Address => input.address.clone(),
            Column::Lat => input.lat.map(|v| v.to_string()).unwrap_or_default(),
            Column::Lng => input.lng.map(|v| v.to_string()).unwrap_or_default(),
            Column::Point => String::new(),
            Column::Category => input.category.clone(),
            Column::Urgency => input.urgency.clone(),
            Column::DueAt => input.due_at.clone(),
            Column::Referral => input.referral.clone(),
            Column::Contact => input.contact.clone(),
            Column::Phone => input.phone.clone(),
            Column::Revisit => input.revisit.clone(),
        }
        .trim()
        .to_owned()
    };
    let mut errors = Vec::new();
    check(1, Cells(&get), category, &mut errors).ok_or(errors)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::table_rows::text_table as table;

    fn cat(text: &str) -> Option<(String, Option<String>)> {
        match text {
            "环境卫生" | "sanitation" => Some(("sanitation".into(), None)),
            "垃圾满溢" => Some(("sanitation".into(), Some("sanitation.overflow".into()))),
            _ => None,
        }
    }

    const HEAD: &[&str] = &[
        "工单编号",
        "接收时间",
        "问题描述",
        "地址",
        "纬度",
        "经度",
        "工单类别",
        "紧急程度",
        "办结时限",
        "联系电话",
        "回访结果",
    ];

    #[test]
    fn a_good_row_reads_in_district_time() {
        let orders = check_rows(
            &table(&[
                HEAD,
                &[
                    "GD2026112500001",
                    "2026-11-25 09:30",
                    "垃圾桶满溢",
                    "",
                    "28.68",
                    "115.89",
                    "垃圾满溢",
                    "紧急",
                    "2026/11/26 18:00",
                    "13812341234",
                    "",
                ],
            ]),
            &cat,
        )
        .unwrap();
        let o = &orders[0];
        assert_eq!(o.received_at.to_rfc3339(), "2026-11-25T01:30:00+00:00");
        assert_eq!(
            (o.category.as_str(), o.subcategory.as_deref(), o.urgent),
            ("sanitation", Some("sanitation.overflow"), true)
        );
        assert_eq!(o.due_at.unwrap().to_rfc3339(), "2026-11-26T10:00:00+00:00");
        assert_eq!(o.phone.as_deref(), Some("13812341234"));
    }

    #[test]
    fn every_refused_cell_is_named_and_phones_are_not_repeated() {
        let e = check_rows(
            &table(&[
                HEAD,
                &[
                    "A1",
                    "昨天",
                    "x",
                    "",
                    "",
                    "",
                    "没有的类别",
                    "很急",
                    "2026-11-20 09:00",
                    "12345",
                    "还行",
                ],
                &[
                    "A2",
                    "2026-11-25 09:30",
                    "",
                    "",
                    "",
                    "",
                    "环境卫生",
                    "",
                    "",
                    "",
                    "",
                ],
                &[
                    "A2",
                    "2026-11-25 09:30",
                    "y",
                    "八一大道1号",
                    "",
                    "",
                    "环境卫生",
                    "",
                    "",
                    "",
                    "",
                ],
            ]),
            &cat,
        )
        .unwrap_err();
        let at = |row, col| e.iter().any(|x| x.row == row && x.column == Some(col));
        for col in [
            Column::ReceivedAt,
            Column::Category,
            Column::Urgency,
            Column::Phone,
            Column::Revisit,
        ] {
            assert!(at(2, col), "{col:?}: {e:?}");
        }
        assert!(
            at(3, Column::Description) && at(3, Column::Address),
            "no place and no description: {e:?}"
        );
        assert!(at(4, Column::OrderNo), "a repeated order number");
        assert!(
            e.iter().all(|x| x.value != "12345"),
            "the phone is not echoed"
        );
    }

    #[test]
    fn a_connectors_order_is_checked_the_same_way() {
        let input = OrderInput {
            order_no: "GD1".into(),
            received_at: "2026-11-25T09:30:00+08:00".into(),
            description: "路灯不亮".into(),
            address: "八一大道1号".into(),
            category: "sanitation".into(),
            ..OrderInput::default()
        };
        let o = check_input(&input, &cat).unwrap();
        assert_eq!(
            (o.point, o.address.as_str(), o.urgent),
            (None, "八一大道1号", false)
        );
        let bad = OrderInput {
            due_at: "2026-11-25 09:00".into(),
            ..input
        };
        assert_eq!(
            check_input(&bad, &cat).unwrap_err()[0].column,
            Some(Column::DueAt)
        );
    }
}
