//! Household import: a table (from CSV or XLSX) of one member per row, checked row by row.
//! Nothing is skipped silently: a file with any refused row imports nothing and the
//! report names every refused row, its column and the reason.

use super::PopulationTag;
use super::id_number::parse_id_number;
use crate::domain::privacy::parse_phone;
use crate::i18n::Msg;
use serde::{Deserialize, Serialize};

/// The columns we read, with the headers we recognise for each (Chinese first).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", schema(as = HouseholdColumn))]
#[serde(rename_all = "snake_case")]
pub enum Column {
    Building,
    Address,
    Name,
    Relation,
    Phone,
    IdNumber,
    Tags,
}

impl Column {
    pub const ALL: [Column; 7] = [
        Column::Building,
        Column::Address,
        Column::Name,
        Column::Relation,
        Column::Phone,
        Column::IdNumber,
        Column::Tags,
    ];

    /// The header of the template file.
    pub fn header(self) -> &'static str {
        self.headers()[0]
    }

    fn headers(self) -> &'static [&'static str] {
        match self {
            Column::Building => &["楼栋", "building"],
            Column::Address => &["门牌地址", "地址", "门牌", "address"],
            Column::Name => &["姓名", "name"],
            Column::Relation => &["与户主关系", "关系", "relation"],
            Column::Phone => &["手机号码", "联系电话", "电话", "手机", "phone"],
            Column::IdNumber => &["身份证号", "身份证号码", "身份证", "id_number"],
            Column::Tags => &["特殊人群", "标签", "tags"],
        }
    }

    fn from_header(h: &str) -> Option<Column> {
        let h = h.trim().trim_start_matches('\u{feff}').to_lowercase();
        Column::ALL
            .into_iter()
            .find(|c| c.headers().iter().any(|x| *x == h))
    }
}

/// One member as the import will store it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportMember {
    /// The row in the file, counting the header as row 1 (as a spreadsheet shows it).
    pub row: usize,
    pub building: String,
    pub address: String,
    pub name: String,
    pub relation: String,
    pub phone: Option<String>,
    pub id_number: Option<String>,
    pub tags: Vec<String>,
}

/// A refused row: where, which column, why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", schema(as = HouseholdRowError))]
pub struct RowError {
    pub row: usize,
    pub column: Option<Column>,
    pub msg: Msg,
    /// What the cell held (masked for phones and ID numbers).
    pub value: String,
}

pub const MAX_ROWS: usize = 5000;
const TEXT_MAX: usize = 100;

/// Checks a whole table. `rows[0]` is the header.
pub fn check_rows(
    rows: &[Vec<String>],
    tags: &[PopulationTag],
) -> Result<Vec<ImportMember>, Vec<RowError>> {
    let Some((header, body)) = rows.split_first() else {
        return Err(vec![error(1, None, Msg::ErrImportEmpty, "")]);
    };
    let columns: Vec<Option<Column>> = header.iter().map(|h| Column::from_header(h)).collect();
    let mut errors = Vec::new();
    for required in [Column::Address, Column::Name] {
        if !columns.contains(&Some(required)) {
            errors.push(error(
                1,
                Some(required),
                Msg::ErrImportMissingColumn,
                required.header(),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if body.len() > MAX_ROWS {
        return Err(vec![error(
            1,
            None,
            Msg::ErrImportTooManyRows,
            &body.len().to_string(),
        )]);
    }
    let mut members = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (i, cells) in body.iter().enumerate() {
        let row = i + 2;
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue; // a blank line is not a member (and not worth an error)
        }
        let cell = |col: Column| -> String {
            columns
                .iter()
                .position(|c| *c == Some(col))
                .and_then(|p| cells.get(p))
                .map(|s| s.trim().to_owned())
                .unwrap_or_default()
        };
        let mut row_errors = Vec::new();
        let mut text = |col: Column, required: bool| -> String {
            let v = cell(col);
            if required && v.is_empty() {
                row_errors.push(error(row, Some(col), Msg::ErrRequired, ""));
            } else if v.chars().count() > TEXT_MAX {
                row_errors.push(error(row, Some(col), Msg::ErrTooLong, &v));
            }
            v
        };
        let building = text(Column::Building, false);
        let address = text(Column::Address, true);
        let name = text(Column::Name, true);
        let relation = text(Column::Relation, false);
        let phone = match cell(Column::Phone) {
            v if v.is_empty() => None,
            v => match parse_phone(&v) {
                Ok(p) => Some(p),
                Err(_) => {
                    row_errors.push(error(
                        row,
                        Some(Column::Phone),
                        Msg::ErrPhone,
                        &crate::domain::privacy::mask_phone(&v),
                    ));
                    None
                }
            },
        };
        let id_number = match cell(Column::IdNumber) {
            v if v.is_empty() => None,
            v => match parse_id_number(&v) {
                Ok(n) => Some(n),
                Err(_) => {
                    row_errors.push(error(
                        row,
                        Some(Column::IdNumber),
                        Msg::ErrIdNumber,
                        &super::id_number::mask_id_number(&v),
                    ));
                    None
                }
            },
        };
        let mut codes = Vec::new();
        for word in cell(Column::Tags)
            .split(['、', ',', '，', ';', '；', ' ', '/'])
            .filter(|w| !w.trim().is_empty())
        {
            let word = word.trim();
            // "低保/五保" contains the separator: match it before splitting would matter.
            match tags
                .iter()
                .find(|t| t.code == word || t.name == word || t.name.split('/').any(|n| n == word))
            {
                Some(t) => codes.push(t.code.clone()),
                None => row_errors.push(error(row, Some(Column::Tags), Msg::ErrUnknownTag, word)),
            }
        }
        codes.sort_unstable();
        codes.dedup();
        if row_errors.is_empty() && !seen.insert((address.clone(), name.clone())) {
            row_errors.push(error(
                row,
                Some(Column::Name),
                Msg::ErrImportDuplicate,
                &name,
            ));
        }
        if row_errors.is_empty() {
            members.push(ImportMember {
                row,
                building,
                address,
                name,
                relation,
                phone,
                id_number,
                tags: codes,
            });
        } else {
            errors.extend(row_errors);
        }
    }
    if members.is_empty() && errors.is_empty() {
        errors.push(error(1, None, Msg::ErrImportEmpty, ""));
    }
    if errors.is_empty() {
        Ok(members)
    } else {
        Err(errors)
    }
}

fn error(row: usize, column: Option<Column>, msg: Msg, value: &str) -> RowError {
    RowError {
        row,
        column,
        msg,
        value: value.chars().take(40).collect(),
    }
}

/// What an import did (or, with errors, why it did nothing).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ImportReport {
    pub rows: usize,
    pub households_created: usize,
    pub members_created: usize,
    pub members_updated: usize,
    pub errors: Vec<RowError>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags() -> Vec<PopulationTag> {
        super::super::builtin_tags()
    }

    fn table(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| r.iter().map(|c| (*c).to_owned()).collect())
            .collect()
    }

    #[test]
    fn good_rows_become_members() {
        let t = table(&[
            &[
                "楼栋",
                "门牌地址",
                "姓名",
                "关系",
                "手机号码",
                "身份证号",
                "特殊人群",
            ],
            &[
                "1栋",
                "1栋101",
                "王秀英",
                "户主",
                "138 0000 1234",
                "11010519491231002X",
                "独居老人、低保",
            ],
            &["", "", "", "", "", "", ""],
            &["1栋", "1栋102", "李明", "户主", "", "", ""],
        ]);
        let m = check_rows(&t, &tags()).unwrap();
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].row, 2);
        assert_eq!(m[0].phone.as_deref(), Some("13800001234"));
        assert_eq!(m[0].tags, ["elderly_alone", "subsistence"]);
        assert_eq!(m[1].row, 4);
        assert_eq!(m[1].phone, None);
    }

    #[test]
    fn every_bad_row_is_reported_and_nothing_imported() {
        let t = table(&[
            &["address", "name", "phone", "id_number", "tags"],
            &["A-1", "", "", "", ""],
            &["A-2", "张三", "12345", "110105194912310021", "外星人"],
            &["A-3", "李四", "", "", ""],
            &["A-3", "李四", "", "", ""],
        ]);
        let e = check_rows(&t, &tags()).unwrap_err();
        let got: Vec<(usize, Option<Column>, Msg)> =
            e.iter().map(|e| (e.row, e.column, e.msg)).collect();
        assert_eq!(
            got,
            [
                (2, Some(Column::Name), Msg::ErrRequired),
                (3, Some(Column::Phone), Msg::ErrPhone),
                (3, Some(Column::IdNumber), Msg::ErrIdNumber),
                (3, Some(Column::Tags), Msg::ErrUnknownTag),
                (5, Some(Column::Name), Msg::ErrImportDuplicate),
            ]
        );
        // Personal numbers are masked even in the error report.
        assert_eq!(e[2].value, "**************0021");
    }

    #[test]
    fn missing_columns_and_empty_files_are_refused() {
        let e = check_rows(&table(&[&["姓名"]]), &tags()).unwrap_err();
        assert_eq!(e[0].msg, Msg::ErrImportMissingColumn);
        assert_eq!(e[0].column, Some(Column::Address));
        assert_eq!(
            check_rows(&[], &tags()).unwrap_err()[0].msg,
            Msg::ErrImportEmpty
        );
        let e = check_rows(&table(&[&["地址", "姓名"]]), &tags()).unwrap_err();
        assert_eq!(e[0].msg, Msg::ErrImportEmpty);
    }
}
