//! A CSV upload (UTF-8, with or without a byte-order mark), within the same limits as a
//! workbook. Its size is already bounded by the request; the limits keep a file of a million
//! tiny rows, or one of thousands of commas, from becoming a huge table.

use crate::domain::sheet::{TableBuilder, TableLimits, TableRefusal};

pub(super) fn read(bytes: &[u8], limits: TableLimits) -> Result<Vec<Vec<String>>, TableRefusal> {
    let text = std::str::from_utf8(bytes).map_err(|_| TableRefusal::NotATable)?;
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut table = TableBuilder::new(limits);
    let mut record = csv::StringRecord::new();
    let mut row = 0u32;
    while reader
        .read_record(&mut record)
        .map_err(|_| TableRefusal::NotATable)?
    {
        if row >= limits.rows {
            return Err(TableRefusal::TooManyRows);
        }
        if record.len() > 2 * limits.columns as usize {
            return Err(TableRefusal::TooManyColumns);
        }
        for (column, cell) in record.iter().enumerate() {
            table.push(row, column as u32, cell.trim().to_owned())?;
        }
        row += 1;
    }
    table.finish()
}
