//! Tables people upload (accounts, departments, buildings): a header row naming columns in
//! Chinese or English, then one record per row. This module finds the columns, refuses
//! a table without its required columns, without any record or with too many, and hands
//! each filled row to the caller's check with its row number as a spreadsheet shows it.
//! A refused row says where (row, column), why (a message) and what the cell held.

use crate::i18n::Msg;
use serde::{Deserialize, Serialize};

/// The columns of one kind of table, with the headers recognised for each (the first is
/// the template's).
pub trait TableColumn: Copy + PartialEq + Sized + 'static {
    const ALL: &'static [Self];

    fn headers(self) -> &'static [&'static str];

    fn header(self) -> &'static str {
        self.headers()[0]
    }

    fn from_header(h: &str) -> Option<Self> {
        let h = h.trim().trim_start_matches('\u{feff}').to_lowercase();
        Self::ALL
            .iter()
            .copied()
            .find(|c| c.headers().iter().any(|x| *x == h))
    }
}

/// A refused row: where, which column, why, and what the cell held.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError<C> {
    pub row: usize,
    pub column: Option<C>,
    pub msg: Msg,
    pub value: String,
}

impl<C> RowError<C> {
    pub fn new(row: usize, column: Option<C>, msg: Msg, value: &str) -> RowError<C> {
        RowError {
            row,
            column,
            msg,
            value: value.chars().take(60).collect(),
        }
    }
}

/// A table whose header was read: which column holds what, and the filled rows.
pub struct Table<'a, C> {
    columns: Vec<Option<C>>,
    /// (row number counting the header as 1, cells) of every row with any content.
    pub rows: Vec<(usize, &'a [String])>,
}

impl<'a, C: TableColumn> Table<'a, C> {
    /// The table, or why it cannot be read at all: required columns missing (each named),
    /// no record, more than `max` records.
    pub fn read(
        rows: &'a [Vec<String>],
        required: &[C],
        max: usize,
    ) -> Result<Self, Vec<RowError<C>>> {
        let Some((header, body)) = rows.split_first() else {
            return Err(vec![RowError::new(1, None, Msg::ErrRosterEmpty, "")]);
        };
        let columns: Vec<Option<C>> = header.iter().map(|h| C::from_header(h)).collect();
        let missing: Vec<RowError<C>> = required
            .iter()
            .filter(|c| !columns.contains(&Some(**c)))
            .map(|c| RowError::new(1, Some(*c), Msg::ErrImportMissingColumn, c.header()))
            .collect();
        if !missing.is_empty() {
            return Err(missing);
        }
        let rows: Vec<(usize, &[String])> = body
            .iter()
            .enumerate()
            .filter(|(_, r)| r.iter().any(|c| !c.trim().is_empty()))
            .map(|(i, r)| (i + 2, r.as_slice()))
            .collect();
        match rows.len() {
            0 => Err(vec![RowError::new(1, None, Msg::ErrRosterEmpty, "")]),
            n if n > max => Err(vec![RowError::new(
                1,
                None,
                Msg::ErrRosterTooMany,
                &n.to_string(),
            )]),
            _ => Ok(Table { columns, rows }),
        }
    }

    pub fn has(&self, column: C) -> bool {
        self.columns.contains(&Some(column))
    }

    /// A cell of a row, trimmed; empty when the table has no such column.
    pub fn cell(&self, cells: &[String], column: C) -> String {
        self.columns
            .iter()
            .position(|c| *c == Some(column))
            .and_then(|p| cells.get(p))
            .map(|s| s.trim().to_owned())
            .unwrap_or_default()
    }
}

/// A table of text as tests write it.
#[cfg(test)]
pub(crate) fn text_table(rows: &[&[&str]]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Copy, Debug, PartialEq)]
    enum Col {
        A,
        B,
    }

    impl TableColumn for Col {
        const ALL: &'static [Col] = &[Col::A, Col::B];
        fn headers(self) -> &'static [&'static str] {
            match self {
                Col::A => &["甲", "a"],
                Col::B => &["乙", "b"],
            }
        }
    }

    fn rows(r: &[&[&str]]) -> Vec<Vec<String>> {
        r.iter()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect()
    }

    #[test]
    fn headers_in_either_language_blank_rows_skipped_numbers_as_shown() {
        let r = rows(&[&["\u{feff}A", "乙"], &["1", "x"], &["", " "], &["2", ""]]);
        let t = Table::read(&r, &[Col::A], 10).unwrap();
        assert_eq!(t.rows.iter().map(|(n, _)| *n).collect::<Vec<_>>(), [2, 4]);
        assert_eq!(t.cell(t.rows[0].1, Col::B), "x");
        assert!(t.has(Col::B));
    }

    #[test]
    fn unreadable_tables_say_why() {
        let missing = Table::<Col>::read(&rows(&[&["甲"]]), &[Col::A, Col::B], 10)
            .err()
            .unwrap();
        assert_eq!((missing.len(), missing[0].column), (1, Some(Col::B)));
        let empty = Table::<Col>::read(&rows(&[&["甲"]]), &[Col::A], 10)
            .err()
            .unwrap();
        assert_eq!(empty[0].msg, Msg::ErrRosterEmpty);
        let many = Table::<Col>::read(&rows(&[&["甲"], &["1"], &["2"]]), &[Col::A], 1)
            .err()
            .unwrap();
        assert_eq!(many[0].msg, Msg::ErrRosterTooMany);
    }
}
