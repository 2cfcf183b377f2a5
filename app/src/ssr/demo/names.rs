//! Fictional names for the demo district. 青湾区 and its code 360199 do not exist.

pub const DISTRICT: (&str, &str, &str) = ("360199", "青湾区", "Qingwan District");

pub const STREETS: [(&str, &str); 5] = [
    ("东湖街道", "Donghu Street"),
    ("西山街道", "Xishan Street"),
    ("南浦街道", "Nanpu Street"),
    ("北港街道", "Beigang Street"),
    ("青湾镇", "Qingwan Town"),
];

/// 21 communities and villages, in street order (5, 4, 4, 4, 4).
pub const COMMUNITIES: [(&str, &str); 21] = [
    ("桂花社区", "Guihua Community"),
    ("荷塘社区", "Hetang Community"),
    ("枫林社区", "Fenglin Community"),
    ("柳岸社区", "Liu'an Community"),
    ("梅园社区", "Meiyuan Community"),
    ("翠竹社区", "Cuizhu Community"),
    ("紫荆社区", "Zijing Community"),
    ("杏坛社区", "Xingtan Community"),
    ("兰亭社区", "Lanting Community"),
    ("江滨社区", "Jiangbin Community"),
    ("望湖社区", "Wanghu Community"),
    ("滨河社区", "Binhe Community"),
    ("观澜社区", "Guanlan Community"),
    ("港口社区", "Gangkou Community"),
    ("新桥社区", "Xinqiao Community"),
    ("朝阳社区", "Chaoyang Community"),
    ("光明社区", "Guangming Community"),
    ("青湾村", "Qingwan Village"),
    ("石门村", "Shimen Village"),
    ("龙潭村", "Longtan Village"),
    ("白沙村", "Baisha Village"),
];

pub const SURNAMES: [&str; 24] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "罗", "高", "郑", "梁", "谢", "宋",
];

pub const GIVEN_NAMES: [&str; 36] = [
    "丽", "娟", "敏", "静", "秀英", "华", "伟", "芳", "强", "磊", "军", "洋", "勇", "艳", "杰",
    "涛", "明", "超", "霞", "平", "刚", "桂英", "建国", "志强", "海燕", "晓梅", "春兰", "文", "斌",
    "红", "雪", "婷", "浩", "宇", "欣怡", "子涵",
];

/// 一, 二, … 十九 — grids are numbered in Chinese on signs and posters.
pub fn chinese_numeral(n: usize) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n].to_owned(),
        10 => "十".to_owned(),
        11..=19 => format!("十{}", DIGITS[n - 10]),
        _ => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn numerals() {
        assert_eq!(super::chinese_numeral(1), "一");
        assert_eq!(super::chinese_numeral(10), "十");
        assert_eq!(super::chinese_numeral(16), "十六");
    }
}
