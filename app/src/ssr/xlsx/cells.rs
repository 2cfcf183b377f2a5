//! The first sheet of an XLSX, cell by cell: calamine's cell reader streams the sheet's XML,
//! and `TableBuilder` keeps only the non-empty cells, refusing at the first one beyond the
//! limits. (calamine's `worksheet_range` would allocate the sheet's whole bounding box.)

use crate::domain::sheet::{TableBuilder, TableLimits, TableRefusal};
use calamine::{Data, DataRef, Reader, Xlsx};
use std::io::Cursor;

pub(super) fn read_first_sheet(
    bytes: &[u8],
    limits: TableLimits,
) -> Result<Vec<Vec<String>>, TableRefusal> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|_| TableRefusal::Damaged)?;
    let first = book
        .sheet_names()
        .into_iter()
        .next()
        .ok_or(TableRefusal::Damaged)?;
    let mut reader = book
        .worksheet_cells_reader(&first)
        .map_err(|_| TableRefusal::Damaged)?;
    let mut table = TableBuilder::new(limits);
    while let Some(cell) = reader.next_cell().map_err(|_| TableRefusal::Damaged)? {
        let (row, column) = cell.get_position();
        table.push(row, column, text_of(cell.get_value()))?;
    }
    table.finish()
}

/// A cell as the person typed it: whole numbers without `.0`, text trimmed.
fn text_of(value: &DataRef<'_>) -> String {
    match value {
        DataRef::Empty => String::new(),
        DataRef::String(s) => s.trim().to_owned(),
        DataRef::SharedString(s) => s.trim().to_owned(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        DataRef::Float(f) => f.to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Bool(b) => b.to_string(),
        other => Data::from(other.clone()).to_string(),
    }
}
