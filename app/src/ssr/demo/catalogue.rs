//! Demo case categories: the standard list, each with the demo department copied (知会) on
//! coordination cases.

use crate::domain::catalogue::STANDARD_CATEGORIES;
use crate::ssr::store::catalogue::CategoryRow;

/// The demo department competent for each standard category, in the same order.
const COPIED: [&str; 12] = [
    "justice",
    "police",
    "emergency",
    "sanitation",
    "urban",
    "market",
    "fire",
    "civil",
    "housing",
    "transport",
    "water",
    "health",
];

/// The demo's facility categories: their results carry a photo of the repair (办结须附照片;
/// the standard 部件 subcategories ask for one too).
pub const RESULT_PHOTO: &[&str] = &["infrastructure", "water"];

pub fn categories() -> Vec<CategoryRow> {
    STANDARD_CATEGORIES
        .iter()
        .zip(COPIED)
        .map(|(&(code, name, name_en), copy)| CategoryRow {
            code: code.into(),
            name: name.into(),
            name_en: name_en.into(),
            copy_department: Some(copy.into()),
        })
        .collect()
}
