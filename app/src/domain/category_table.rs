//! The category standards table as a spreadsheet (XLSX or CSV): exported with Chinese
//! headers, edited, imported back. Each row is checked here — codes, a parent named in
//! the table or already known, the 部件/事件 code, tier, yes/no, hours — and the service
//! adds what only the database knows (departments) and writes all rows or none.

use super::case::Tier;
use super::category_standard::{
    CategoryStandard, Kind, MAX_HOURS, StageLimits, cj_code_ok, code_ok,
};
use super::sheet::{Cell, Sheet};
use super::table_rows::{RowError, Table, TableColumn};
use crate::i18n::Msg;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    Code,
    Parent,
    CjCode,
    Kind,
    Name,
    NameEn,
    FilingStandard,
    ClosingStandard,
    DefaultTier,
    Urgent,
    Department,
    AckHours,
    HandleHours,
    VerifyHours,
    ResultPhoto,
}

impl TableColumn for Column {
    const ALL: &'static [Column] = &[
        Column::Code,
        Column::Parent,
        Column::CjCode,
        Column::Kind,
        Column::Name,
        Column::NameEn,
        Column::FilingStandard,
        Column::ClosingStandard,
        Column::DefaultTier,
        Column::Urgent,
        Column::Department,
        Column::AckHours,
        Column::HandleHours,
        Column::VerifyHours,
        Column::ResultPhoto,
    ];

    fn headers(self) -> &'static [&'static str] {
        match self {
            Column::Code => &["编码", "类别编码", "code"],
            Column::Parent => &["所属大类", "上级类别", "parent"],
            Column::CjCode => &["部件事件编码", "标准编码", "cj_code"],
            Column::Kind => &["部件/事件", "类型", "kind"],
            Column::Name => &["名称", "name"],
            Column::NameEn => &["英文名称", "name_en"],
            Column::FilingStandard => &["立案标准", "filing_standard"],
            Column::ClosingStandard => &["结案标准", "closing_standard"],
            Column::DefaultTier => &["默认分类", "default_tier"],
            Column::Urgent => &["紧急", "urgent"],
            Column::Department => &["主管部门", "department"],
            Column::AckHours => &["报到时限（工作小时）", "报到时限", "ack_hours"],
            Column::HandleHours => &["处置时限（工作小时）", "处置时限", "handle_hours"],
            Column::VerifyHours => &["核查时限（工作小时）", "核查时限", "verify_hours"],
            Column::ResultPhoto => &["办结须附照片", "结果照片", "result_photo"],
        }
    }
}

/// More rows than any published standard has is a wrong file.
pub const MAX_ROWS: usize = 1_000;
/// The longest standard's text.
pub const TEXT_MAX: usize = 500;

/// One checked row, with its row number for the database's own refusals.
#[derive(Clone, Debug, PartialEq)]
pub struct StandardRow {
    pub row: usize,
    pub standard: CategoryStandard,
}

fn tier_of(text: &str) -> Result<Option<Tier>, ()> {
    Ok(match text.trim() {
        "" => None,
        "简易" | "简易问题" | "simple" => Some(Tier::Simple),
        "需协调" | "需协调问题" | "coordination" => Some(Tier::Coordination),
        "重点" | "重点难点" | "重点难点问题" | "key" => Some(Tier::Key),
        _ => return Err(()),
    })
}

fn tier_text(t: Option<Tier>) -> &'static str {
    match t {
        None => "",
        Some(Tier::Simple) => "简易",
        Some(Tier::Coordination) => "需协调",
        Some(Tier::Key) => "重点难点",
    }
}

fn yes_no(text: &str) -> Result<bool, ()> {
    match text.trim().to_lowercase().as_str() {
        "" | "否" | "no" | "n" | "0" | "false" => Ok(false),
        "是" | "yes" | "y" | "1" | "true" => Ok(true),
        _ => Err(()),
    }
}

/// 是/否, or empty for "as the category above" (a subcategory) or "no" (a category).
fn maybe_yes_no(text: &str) -> Result<Option<bool>, ()> {
    if text.trim().is_empty() {
        Ok(None)
    } else {
        yes_no(text).map(Some)
    }
}

fn hours_of(text: &str) -> Result<Option<u32>, ()> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    // A spreadsheet may hand a whole number over as "4.0".
    let t = t.strip_suffix(".0").unwrap_or(t);
    match t.parse::<u32>() {
        Ok(h) if (1..=MAX_HOURS).contains(&h) => Ok(Some(h)),
        _ => Err(()),
    }
}

/// Every row checked; the refusals of all rows at once. `known` are the codes the
/// database already has (a parent may be one of them).
pub fn check_rows(
    rows: &[Vec<String>],
    known: &[String],
) -> Result<Vec<StandardRow>, Vec<RowError<Column>>> {
    let table = Table::read(rows, &[Column::Code, Column::Name], MAX_ROWS)?;
    let in_table: Vec<String> = table
        .rows
        .iter()
        .filter(|(_, cells)| table.cell(cells, Column::Parent).is_empty())
        .map(|(_, cells)| table.cell(cells, Column::Code))
        .collect();
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for &(row, cells) in &table.rows {
        let cell = |col: Column| table.cell(cells, col);
        let mut bad = |col: Column, msg: Msg, value: &str| {
            errors.push(RowError::new(row, Some(col), msg, value));
        };
        let code = cell(Column::Code);
        if !code_ok(&code) {
            bad(Column::Code, Msg::ErrCategoryCode, &code);
        } else if !seen.insert(code.clone()) {
            bad(Column::Code, Msg::ErrCategoryDuplicate, &code);
        }
        let parent = Some(cell(Column::Parent)).filter(|p| !p.is_empty());
        if let Some(p) = &parent {
            if *p == code || !(in_table.contains(p) || known.contains(p)) {
                bad(Column::Parent, Msg::ErrCategoryParent, p);
            }
        }
        let name = cell(Column::Name);
        let name_en = cell(Column::NameEn);
        if name.is_empty() {
            bad(Column::Name, Msg::ErrRequired, "");
        } else if name.chars().count() > 40 || name_en.chars().count() > 80 {
            bad(Column::Name, Msg::ErrTooLong, &name);
        }
        let cj_code = cell(Column::CjCode);
        if !cj_code_ok(&cj_code) {
            bad(Column::CjCode, Msg::ErrCjCode, &cj_code);
        }
        let kind = Kind::parse(&cell(Column::Kind));
        if kind.is_none() {
            bad(Column::Kind, Msg::ErrCategoryKind, &cell(Column::Kind));
        }
        let (filing, closing) = (cell(Column::FilingStandard), cell(Column::ClosingStandard));
        for (col, text) in [
            (Column::FilingStandard, &filing),
            (Column::ClosingStandard, &closing),
        ] {
            if text.chars().count() > TEXT_MAX {
                bad(col, Msg::ErrTooLong, text);
            }
        }
        let tier = tier_of(&cell(Column::DefaultTier));
        if tier.is_err() {
            bad(
                Column::DefaultTier,
                Msg::ErrCategoryTier,
                &cell(Column::DefaultTier),
            );
        }
        let urgent = yes_no(&cell(Column::Urgent));
        if urgent.is_err() {
            bad(Column::Urgent, Msg::ErrYesNo, &cell(Column::Urgent));
        }
        let photo = maybe_yes_no(&cell(Column::ResultPhoto));
        if photo.is_err() {
            bad(
                Column::ResultPhoto,
                Msg::ErrYesNo,
                &cell(Column::ResultPhoto),
            );
        }
        let mut hours = |col: Column| {
            hours_of(&cell(col)).unwrap_or_else(|()| {
                errors.push(RowError::new(row, Some(col), Msg::ErrHours, &cell(col)));
                None
            })
        };
        let limits = StageLimits {
            ack_hours: hours(Column::AckHours),
            handle_hours: hours(Column::HandleHours),
            verify_hours: hours(Column::VerifyHours),
        };
        let department = Some(cell(Column::Department)).filter(|d| !d.is_empty());
        out.push(StandardRow {
            row,
            standard: CategoryStandard {
                name_en: if name_en.is_empty() {
                    name.clone()
                } else {
                    name_en
                },
                code,
                parent,
                cj_code,
                kind: kind.unwrap_or_default(),
                name,
                filing_standard: filing,
                closing_standard: closing,
                default_tier: tier.unwrap_or(None),
                urgent: urgent.unwrap_or(false),
                copy_department: department,
                limits,
                result_photo: photo.unwrap_or(None),
            },
        });
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// The table as a sheet with Chinese headers: what `check_rows` reads back unchanged.
pub fn to_sheet(standards: &[CategoryStandard]) -> Sheet {
    let text = |s: &str| Cell::Text(s.to_owned());
    let hours =
        |h: Option<u32>| h.map_or(Cell::Text(String::new()), |h| Cell::Number(f64::from(h)));
    Sheet {
        name: "类别标准".into(),
        headers: Column::ALL.iter().map(|c| c.header().to_owned()).collect(),
        rows: standards
            .iter()
            .map(|c| {
                vec![
                    text(&c.code),
                    text(c.parent.as_deref().unwrap_or("")),
                    text(&c.cj_code),
                    text(if c.kind == Kind::Component {
                        "部件"
                    } else {
                        "事件"
                    }),
                    text(&c.name),
                    text(&c.name_en),
                    text(&c.filing_standard),
                    text(&c.closing_standard),
                    text(tier_text(c.default_tier)),
                    text(if c.urgent { "是" } else { "否" }),
                    text(c.copy_department.as_deref().unwrap_or("")),
                    hours(c.limits.ack_hours),
                    hours(c.limits.handle_hours),
                    hours(c.limits.verify_hours),
                    text(match c.result_photo {
                        None => "",
                        Some(true) => "是",
                        Some(false) => "否",
                    }),
                ]
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::table_rows::text_table as table;

    #[test]
    fn a_table_reads_back_what_it_exported() {
        let manhole = CategoryStandard {
            code: "infrastructure.manhole".into(),
            parent: Some("infrastructure".into()),
            cj_code: "0101".into(),
            kind: Kind::Component,
            name: "井盖缺损".into(),
            name_en: "Manhole covers".into(),
            filing_standard: "井盖缺失、破损".into(),
            closing_standard: "井盖复位、牢固".into(),
            default_tier: Some(Tier::Coordination),
            urgent: true,
            copy_department: Some("urban".into()),
            limits: StageLimits {
                ack_hours: Some(1),
                handle_hours: Some(4),
                verify_hours: None,
            },
            result_photo: Some(true),
        };
        let sheet = to_sheet(std::slice::from_ref(&manhole));
        let mut rows = vec![sheet.headers.clone()];
        rows.extend(sheet.rows.iter().map(|r| {
            r.iter()
                .map(|c| match c {
                    Cell::Text(t) => t.clone(),
                    Cell::Number(n) => n.to_string(),
                })
                .collect()
        }));
        let back = check_rows(&rows, &["infrastructure".to_owned()]).unwrap();
        assert_eq!(back[0].standard, manhole);
        assert_eq!(back[0].row, 2);
    }

    #[test]
    fn every_bad_cell_is_named() {
        let e = check_rows(
            &table(&[
                &[
                    "code",
                    "parent",
                    "cj_code",
                    "kind",
                    "name",
                    "default_tier",
                    "urgent",
                    "ack_hours",
                    "result_photo",
                ],
                &["Bad Code", "", "", "", "坏", "", "", "", ""],
                &[
                    "water.pipe",
                    "nowhere",
                    "12-3",
                    "设施",
                    "管道",
                    "急",
                    "也许",
                    "0",
                    "必须",
                ],
                &["water.pipe", "", "", "", "", "", "", "2001", "否"],
            ]),
            &["water".to_owned()],
        )
        .unwrap_err();
        let got: Vec<(usize, Option<Column>)> = e.iter().map(|e| (e.row, e.column)).collect();
        assert_eq!(
            got,
            [
                (2, Some(Column::Code)),
                (3, Some(Column::Parent)),
                (3, Some(Column::CjCode)),
                (3, Some(Column::Kind)),
                (3, Some(Column::DefaultTier)),
                (3, Some(Column::Urgent)),
                (3, Some(Column::ResultPhoto)),
                (3, Some(Column::AckHours)),
                (4, Some(Column::Code)),
                (4, Some(Column::Name)),
                (4, Some(Column::AckHours)),
            ]
        );
    }

    #[test]
    fn a_parent_may_come_with_the_table() {
        let ok = check_rows(
            &table(&[
                &[
                    "编码",
                    "所属大类",
                    "名称",
                    "默认分类",
                    "紧急",
                    "处置时限（工作小时）",
                ],
                &["garden", "", "园林绿化", "需协调", "否", ""],
                &["garden.tree", "garden", "树木倒伏", "简易", "是", "4.0"],
            ]),
            &[],
        )
        .unwrap();
        assert_eq!(ok[1].standard.limits.handle_hours, Some(4));
        assert!(ok[1].standard.urgent);
        assert_eq!(ok[0].standard.name_en, "园林绿化");
    }
}
