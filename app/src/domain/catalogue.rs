//! The standard case categories a district starts with. `gridgov admin create` writes them
//! into an empty database so that residents and grid workers can report from the first
//! day; administrators then say which department is competent for each (主管部门) and may
//! add their own. The demo uses the same list.

/// (code, 名称, English name) in the order the report forms list them.
pub const STANDARD_CATEGORIES: [(&str, &str, &str); 12] = [
    ("dispute", "矛盾纠纷", "Disputes"),
    ("public_security", "治安隐患", "Public security hazards"),
    ("work_safety", "安全生产", "Work safety"),
    ("sanitation", "环境卫生", "Sanitation"),
    ("city_order", "市容城管", "City appearance"),
    ("market", "市场监管", "Market regulation"),
    ("fire", "消防安全", "Fire safety"),
    ("livelihood", "民生服务", "Livelihood services"),
    ("infrastructure", "基础设施", "Infrastructure"),
    ("traffic", "交通出行", "Traffic"),
    ("water", "供排水", "Water supply and drainage"),
    ("health", "卫生健康", "Health"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_names_are_given() {
        let mut codes: Vec<_> = STANDARD_CATEGORIES.iter().map(|c| c.0).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), STANDARD_CATEGORIES.len());
        assert!(
            STANDARD_CATEGORIES
                .iter()
                .all(|c| !c.1.is_empty() && !c.2.is_empty())
        );
    }
}
