//! Demo case categories, each with the district department copied on coordination cases.

use crate::ssr::store::catalogue::CategoryRow;

pub fn categories() -> Vec<CategoryRow> {
    [
        ("dispute", "矛盾纠纷", "Disputes", "justice"),
        (
            "public_security",
            "治安隐患",
            "Public security hazards",
            "police",
        ),
        ("work_safety", "安全生产", "Work safety", "emergency"),
        ("sanitation", "环境卫生", "Sanitation", "sanitation"),
        ("city_order", "市容城管", "City appearance", "urban"),
        ("market", "市场监管", "Market regulation", "market"),
        ("fire", "消防安全", "Fire safety", "fire"),
        ("livelihood", "民生服务", "Livelihood services", "civil"),
        ("infrastructure", "基础设施", "Infrastructure", "housing"),
        ("traffic", "交通出行", "Traffic", "transport"),
        ("water", "供排水", "Water supply and drainage", "water"),
        ("health", "卫生健康", "Health", "health"),
    ]
    .into_iter()
    .map(|(code, name, name_en, copy)| CategoryRow {
        code: code.into(),
        name: name.into(),
        name_en: name_en.into(),
        copy_department: Some(copy.into()),
    })
    .collect()
}
