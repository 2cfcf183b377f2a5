//! A spreadsheet as data: what reports and ledgers export (the server writes it as XLSX).

/// One sheet of a spreadsheet: a header row and rows of cells.
#[derive(Clone, Debug, PartialEq)]
pub struct Sheet {
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
}

/// How large an uploaded table may be. A spreadsheet claims its own size (a 5 KB XLSX can
/// claim 16,384 columns × 1,048,576 rows), so readers check what they actually meet
/// against these figures while streaming, and never size anything by a claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TableLimits {
    /// Rows from the first to the last non-empty row.
    pub rows: u32,
    /// Columns from the first to the last non-empty column.
    pub columns: u32,
    /// Non-empty cells in the whole sheet.
    pub cells: usize,
    /// Bytes of every part of an XLSX once unzipped, all parts together.
    pub unzipped_bytes: u64,
    /// Parts (files) inside an XLSX.
    pub parts: usize,
}

/// The limits of every table gridgov reads (households, buildings, people): a district's
/// largest list (its buildings) fits with room to spare; the messages quote these numbers.
pub const TABLE_LIMITS: TableLimits = TableLimits {
    rows: 50_000,
    columns: 64,
    cells: 1_000_000,
    unzipped_bytes: 64 * 1024 * 1024,
    parts: 1_000,
};

/// Why an uploaded table was not read. Each refusal names what the user can change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableRefusal {
    /// Neither an XLSX workbook nor UTF-8 CSV (e.g. XLS, GBK-encoded CSV, an image).
    NotATable,
    /// An XLSX whose parts could not be read (damaged, encrypted, malformed XML).
    Damaged,
    TooManyRows,
    TooManyColumns,
    TooManyCells,
    /// Unzips to more than the limit (a "zip bomb", or a workbook full of pictures).
    TooLarge,
}

impl TableRefusal {
    pub fn msg(self) -> crate::i18n::Msg {
        use crate::i18n::Msg;
        match self {
            TableRefusal::NotATable => Msg::ErrImportFormat,
            TableRefusal::Damaged => Msg::ErrTableDamaged,
            TableRefusal::TooManyRows => Msg::ErrTableTooManyRows,
            TableRefusal::TooManyColumns => Msg::ErrTableTooManyColumns,
            TableRefusal::TooManyCells => Msg::ErrTableTooManyCells,
            TableRefusal::TooLarge => Msg::ErrTableTooLarge,
        }
    }
}

/// Collects the non-empty cells of one sheet, in any order, into rows of text, refusing as
/// soon as a cell lies beyond the limits. Positions are 0-based (row, column); the table
/// starts at the first non-empty row and column, as a person sees it.
#[derive(Debug)]
pub struct TableBuilder {
    limits: TableLimits,
    cells: Vec<(u32, u32, String)>,
}

impl TableBuilder {
    pub fn new(limits: TableLimits) -> Self {
        TableBuilder {
            limits,
            cells: Vec::new(),
        }
    }

    /// Adds one cell; empty text is skipped (formatted but empty cells mean nothing).
    pub fn push(&mut self, row: u32, column: u32, text: String) -> Result<(), TableRefusal> {
        if text.is_empty() {
            return Ok(());
        }
        // A cell beyond the limits from the sheet's origin is refused at once, so a single
        // far-away cell cannot make anyone build a huge table.
        if row >= self.limits.rows.saturating_mul(2) {
            return Err(TableRefusal::TooManyRows);
        }
        if column >= self.limits.columns.saturating_mul(2) {
            return Err(TableRefusal::TooManyColumns);
        }
        if self.cells.len() >= self.limits.cells {
            return Err(TableRefusal::TooManyCells);
        }
        self.cells.push((row, column, text));
        Ok(())
    }

    /// The rows, each as long as its last non-empty cell (short rows are ragged).
    pub fn finish(self) -> Result<Vec<Vec<String>>, TableRefusal> {
        let Some(top) = self.cells.iter().map(|c| c.0).min() else {
            return Ok(Vec::new());
        };
        let left = self.cells.iter().map(|c| c.1).min().unwrap_or(0);
        let bottom = self.cells.iter().map(|c| c.0).max().unwrap_or(top);
        let right = self.cells.iter().map(|c| c.1).max().unwrap_or(left);
        if bottom - top >= self.limits.rows {
            return Err(TableRefusal::TooManyRows);
        }
        if right - left >= self.limits.columns {
            return Err(TableRefusal::TooManyColumns);
        }
        let mut rows: Vec<Vec<String>> = vec![Vec::new(); (bottom - top + 1) as usize];
        for (r, c, text) in self.cells {
            let row = &mut rows[(r - top) as usize];
            let c = (c - left) as usize;
            if row.len() <= c {
                row.resize(c + 1, String::new());
            }
            row[c] = text;
        }
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: TableLimits = TableLimits {
        rows: 3,
        columns: 2,
        cells: 4,
        unzipped_bytes: 1024,
        parts: 10,
    };

    fn build(cells: &[(u32, u32, &str)]) -> Result<Vec<Vec<String>>, TableRefusal> {
        let mut b = TableBuilder::new(SMALL);
        for (r, c, t) in cells {
            b.push(*r, *c, (*t).to_owned())?;
        }
        b.finish()
    }

    #[test]
    fn rows_start_at_the_first_filled_cell_and_stay_ragged() {
        let rows = build(&[
            (2, 1, "b"),
            (1, 1, "a"),
            (1, 2, "x"),
            (3, 1, ""),
            (3, 2, "y"),
        ]);
        assert_eq!(rows.unwrap(), [vec!["a", "x"], vec!["b"], vec!["", "y"]]);
        assert_eq!(build(&[]).unwrap(), Vec::<Vec<String>>::new());
    }

    #[test]
    fn a_far_cell_is_refused_without_building_anything() {
        // The crash of issue #15: A1 and XFD1048576.
        assert_eq!(
            build(&[(0, 0, "a"), (1_048_575, 16_383, "z")]),
            Err(TableRefusal::TooManyRows)
        );
        assert_eq!(
            build(&[(0, 0, "a"), (0, 16_383, "z")]),
            Err(TableRefusal::TooManyColumns)
        );
    }

    #[test]
    fn the_span_and_the_count_are_limited() {
        assert_eq!(
            build(&[(0, 0, "a"), (3, 0, "b")]),
            Err(TableRefusal::TooManyRows)
        );
        assert_eq!(
            build(&[(0, 0, "a"), (0, 2, "b")]),
            Err(TableRefusal::TooManyColumns)
        );
        assert_eq!(
            build(&[
                (0, 0, "a"),
                (0, 1, "b"),
                (1, 0, "c"),
                (1, 1, "d"),
                (2, 0, "e")
            ]),
            Err(TableRefusal::TooManyCells)
        );
        // A table that starts far from A1 but is small is fine.
        assert_eq!(build(&[(4, 3, "a"), (5, 3, "b")]).unwrap(), [["a"], ["b"]]);
    }
}
