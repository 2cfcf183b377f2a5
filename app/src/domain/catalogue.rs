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

/// One standard subcategory: (code, parent, 部件/事件 code, component?, 名称, English name,
/// 立案标准, 结案标准, default tier, urgent, hours to acknowledge, to handle, to verify).
pub type StandardSub = (
    &'static str,
    &'static str,
    &'static str,
    bool,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<Tier>,
    bool,
    Option<u32>,
    Option<u32>,
    Option<u32>,
);

use super::case::Tier::{self, Coordination, Simple};

/// The subcategories a district starts with, after CJ/T 214's 部件 (`0101`…) and 事件
/// codes, with filing and closing standards and limits as 数字城管 centres publish them
/// (in working hours; 9 make a working day). Administrators edit them at
/// `/admin/categories`.
pub const STANDARD_SUBCATEGORIES: [StandardSub; 24] = [
    ("dispute.neighbours", "dispute", "0601", false, "邻里纠纷", "Neighbour disputes",
     "当事人或知情人反映，存在持续争执或可能激化的矛盾。", "双方达成调解或已引导至司法途径，当事人知晓结果。", Some(Simple), false, None, Some(18), None),
    ("dispute.wages", "dispute", "0602", false, "劳资纠纷", "Unpaid wages",
     "劳动者反映被拖欠工资或社保，有具体用人单位。", "已移交劳动监察并立案，或款项已支付。", Some(Coordination), false, None, None, None),
    ("public_security.hazard", "public_security", "0405", false, "治安隐患", "Security hazards",
     "存在可能引发治安案件的场所、人员或物品。", "隐患已消除或已由公安机关接管。", Some(Coordination), false, Some(4), None, None),
    ("public_security.fraud", "public_security", "0406", false, "涉诈线索", "Fraud leads",
     "群众反映疑似电信网络诈骗或非法集资线索。", "线索已移交公安机关并反馈受理情况。", Some(Coordination), true, None, None, None),
    ("work_safety.chemicals", "work_safety", "0303", false, "危化品违规存放", "Hazardous chemicals",
     "居民区、商铺违规存放或使用危险化学品、瓶装燃气。", "危化品已清除或整改到位，现场复查无隐患。", Some(Coordination), true, Some(2), Some(18), Some(4)),
    ("work_safety.site", "work_safety", "0301", false, "施工安全隐患", "Construction site hazards",
     "施工现场无围挡、无防护或存在坠落、坍塌风险。", "围挡、防护设施到位，隐患消除。", Some(Coordination), false, None, None, None),
    ("sanitation.overflow", "sanitation", "0104", false, "垃圾满溢", "Overflowing bins",
     "垃圾桶（箱）满溢或周边散落垃圾面积超过1平方米。", "垃圾清运完毕，桶（箱）周边无散落垃圾。", Some(Simple), false, None, Some(4), Some(4)),
    ("sanitation.exposed", "sanitation", "0101", false, "暴露垃圾", "Exposed rubbish",
     "道路、绿地等公共区域有暴露垃圾、渣土或堆物。", "现场清理干净，无残留。", Some(Simple), false, None, Some(9), None),
    ("city_order.vending", "city_order", "0502", false, "流动摊贩", "Street vending",
     "道路、广场等公共区域有流动摊贩占道经营。", "摊贩已劝离，现场恢复通行秩序。", Some(Simple), false, None, Some(2), None),
    ("city_order.outside_shop", "city_order", "0501", false, "店外经营", "Trading outside the shop",
     "商铺超出门窗外墙摆卖或作业，占用人行道。", "物品已收回店内，人行道通畅。", Some(Simple), false, None, Some(4), None),
    ("market.food", "market", "0607", false, "食品安全", "Food safety",
     "反映过期、变质食品或无证餐饮，有具体经营者。", "已现场检查并依法处理，结果告知反映人。", Some(Coordination), false, None, None, None),
    ("market.price", "market", "0608", false, "价格违法", "Pricing violations",
     "明码标价缺失、价格欺诈，有具体经营者。", "已调查处理并告知反映人。", Some(Coordination), false, None, None, None),
    ("fire.passage", "fire", "0407", false, "消防通道堵塞", "Blocked fire lanes",
     "消防通道、安全出口被车辆或杂物占用、堵塞。", "通道已清理，保持畅通。", Some(Coordination), true, Some(2), Some(9), Some(4)),
    ("fire.ebike", "fire", "0408", false, "电动车违规充电", "E-bikes charged indoors",
     "楼道、室内或飞线为电动自行车充电。", "违规充电已制止，线路已拆除。", Some(Simple), false, None, Some(4), None),
    ("livelihood.elderly", "livelihood", "0609", false, "困难群体帮扶", "Help for people in need",
     "独居、失能老人或困难家庭需要帮扶。", "已上门服务并落实帮扶措施。", Some(Simple), false, None, Some(18), None),
    ("livelihood.services", "livelihood", "0610", false, "公共服务诉求", "Public service requests",
     "对社区公共服务提出具体诉求。", "已答复并落实或说明原因。", Some(Coordination), false, None, None, None),
    ("infrastructure.manhole", "infrastructure", "0101", true, "井盖缺损", "Missing or broken manhole covers",
     "道路、人行道上井盖缺失、破损、移位或松动。", "井盖复位或更换，平稳牢固，无安全隐患。", Some(Coordination), true, Some(1), Some(4), Some(2)),
    ("infrastructure.streetlight", "infrastructure", "0110", true, "路灯不亮", "Street lights out",
     "路灯不亮、缺损或灯杆倾斜。", "路灯恢复照明，灯杆牢固。", Some(Coordination), false, None, Some(27), None),
    ("traffic.parking", "traffic", "0507", false, "乱停乱放", "Illegal parking",
     "机动车、非机动车占用人行道、盲道或消防通道停放。", "车辆已驶离或规范停放。", Some(Simple), false, None, Some(2), None),
    ("traffic.signal", "traffic", "0205", true, "信号灯故障", "Traffic signal faults",
     "交通信号灯不亮、故障或损坏。", "信号灯恢复正常运行。", Some(Coordination), true, Some(1), Some(9), Some(4)),
    ("water.pipe", "water", "0102", true, "供水管道漏水", "Water main leaks",
     "供水管道、阀门破裂漏水或停水。", "管道修复，恢复正常供水，路面恢复。", Some(Coordination), true, Some(1), Some(9), Some(4)),
    ("water.flooding", "water", "0403", false, "道路积水", "Waterlogged roads",
     "降雨后道路、下穿通道积水影响通行。", "积水排除，道路恢复通行。", Some(Coordination), true, Some(1), Some(4), Some(2)),
    ("health.epidemic", "health", "0611", false, "疫情线索", "Disease outbreak leads",
     "反映传染病疑似病例或聚集性症状。", "已由卫生健康部门核查处置并反馈。", Some(Coordination), true, Some(1), None, None),
    ("health.vectors", "health", "0612", false, "病媒孳生", "Pest breeding",
     "积水、垃圾等导致蚊蝇鼠蟑孳生。", "孳生地已清除，现场复查无病媒。", Some(Simple), false, None, Some(18), None),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_subcategory_sits_under_a_standard_category() {
        use super::super::category_standard::{cj_code_ok, code_ok};
        for sub in STANDARD_SUBCATEGORIES {
            assert!(code_ok(sub.0) && sub.0.starts_with(&format!("{}.", sub.1)), "{}", sub.0);
            assert!(STANDARD_CATEGORIES.iter().any(|c| c.0 == sub.1), "{}", sub.1);
            assert!(cj_code_ok(sub.2), "{}", sub.2);
        }
        for (code, ..) in STANDARD_CATEGORIES {
            assert!(STANDARD_SUBCATEGORIES.iter().filter(|s| s.1 == code).count() >= 2, "{code}");
        }
    }

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
