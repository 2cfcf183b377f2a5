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
