//! Departments imported from a table (CSV or XLSX): code, name, English name and the
//! categories each is competent for (主管类别, separated by ";", "；", "、" or spaces).
//! Checked row by row like the accounts table; the service adds what only the database
//! knows (codes taken, categories that do not exist) and creates all or none.

use crate::domain::table_rows::{RowError, Table, TableColumn};
use crate::domain::territory::NodeCode;
use crate::i18n::Msg;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    Code,
    Name,
    NameEn,
    Categories,
}

impl TableColumn for Column {
    const ALL: &'static [Column] = &[
        Column::Code,
        Column::Name,
        Column::NameEn,
        Column::Categories,
    ];

    fn headers(self) -> &'static [&'static str] {
        match self {
            Column::Code => &["编码", "部门编码", "code"],
            Column::Name => &["名称", "部门名称", "name"],
            Column::NameEn => &["英文名称", "name_en"],
            Column::Categories => &["主管类别", "类别", "categories"],
        }
    }
}

impl Column {
    pub fn header(self) -> &'static str {
        TableColumn::header(self)
    }
}

/// One department as the import will create it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DepartmentRow {
    pub row: usize,
    pub code: String,
    pub name: String,
    /// The Chinese name when the table gives none.
    pub name_en: String,
    pub categories: Vec<String>,
}

/// More departments than a district has is a wrong file.
pub const MAX_DEPARTMENTS: usize = 500;

pub fn check_rows(rows: &[Vec<String>]) -> Result<Vec<DepartmentRow>, Vec<RowError<Column>>> {
    let table = Table::read(rows, &[Column::Code, Column::Name], MAX_DEPARTMENTS)?;
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for &(row, cells) in &table.rows {
        let cell = |col: Column| table.cell(cells, col);
        let (code, name, name_en) = (cell(Column::Code), cell(Column::Name), cell(Column::NameEn));
        let before = errors.len();
        if NodeCode::parse(&code).is_err() {
            errors.push(RowError::new(
                row,
                Some(Column::Code),
                Msg::ErrDepartmentCode,
                &code,
            ));
        } else if !seen.insert(code.clone()) {
            errors.push(RowError::new(
                row,
                Some(Column::Code),
                Msg::ErrDepartmentTaken,
                &code,
            ));
        }
        if name.is_empty() {
            errors.push(RowError::new(row, Some(Column::Name), Msg::ErrRequired, ""));
        } else if name.chars().count() > 40 || name_en.chars().count() > 80 {
            errors.push(RowError::new(
                row,
                Some(Column::Name),
                Msg::ErrTooLong,
                &name,
            ));
        }
        if errors.len() == before {
            let categories = cell(Column::Categories)
                .split([';', '；', '、', ',', '，', ' '])
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_owned)
                .collect();
            out.push(DepartmentRow {
                row,
                name_en: if name_en.is_empty() {
                    name.clone()
                } else {
                    name_en
                },
                code,
                name,
                categories,
            });
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::domain::table_rows::text_table as table;

    #[test]
    fn rows_give_departments_with_their_categories() {
        let got = check_rows(&table(&[
            &["编码", "名称", "英文名称", "主管类别"],
            &[
                "yx-urban",
                "城管局",
                "",
                "city_order；infrastructure、water",
            ],
        ]))
        .unwrap();
        assert_eq!(got[0].name_en, "城管局");
        assert_eq!(got[0].categories, ["city_order", "infrastructure", "water"]);
    }

    #[test]
    fn bad_codes_duplicates_and_missing_names_are_named() {
        let e = check_rows(&table(&[
            &["code", "name"],
            &["水务", "水务局"],
            &["gas", ""],
            &["police", "公安"],
            &["police", "公安二"],
        ]))
        .unwrap_err();
        let at = |row, col| e.iter().any(|e| e.row == row && e.column == Some(col));
        assert!(at(2, Column::Code) && at(3, Column::Name) && at(5, Column::Code));
        assert!(!at(4, Column::Code));
        assert_eq!(
            check_rows(&table(&[&["名称"]])).unwrap_err()[0].column,
            Some(Column::Code)
        );
    }
}
