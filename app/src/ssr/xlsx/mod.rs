//! Spreadsheets out and in: sheets of the domain written as XLSX (bold Chinese headers,
//! frozen first row, sensible column widths), and the first sheet of an uploaded XLSX or a
//! CSV file read back as rows of text — within limits checked before and while reading,
//! because an upload is written by whoever sends it.

mod cells;
mod csv_in;
pub mod csv_out;
mod unzip;

use crate::domain::sheet::{Cell, Sheet, TABLE_LIMITS, TableLimits, TableRefusal};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// The workbook's bytes.
pub fn write(sheets: &[Sheet]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    for s in sheets {
        let ws = book.add_worksheet();
        ws.set_name(&s.name)?;
        for (c, h) in s.headers.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, h, &bold)?;
            ws.set_column_width(c as u16, (h.chars().count() as f64 * 2.2).max(12.0))?;
        }
        for (r, row) in s.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, cell) in row.iter().enumerate() {
                match cell {
                    Cell::Text(t) => ws.write_string(r, c as u16, t)?,
                    Cell::Number(n) => ws.write_number(r, c as u16, *n)?,
                };
            }
        }
        ws.set_freeze_panes(1, 0)?;
    }
    book.save_to_buffer()
}

/// The rows of an uploaded table: XLSX (recognised by its ZIP signature) or UTF-8 CSV
/// (with or without a byte-order mark), within [`TABLE_LIMITS`]. Cells come back as
/// trimmed text; whole numbers that a spreadsheet stored as numbers lose their `.0`.
/// Nothing is sized by what the file claims: see `unzip` and `cells`.
pub fn read_table(bytes: &[u8]) -> Result<Vec<Vec<String>>, TableRefusal> {
    read_table_within(bytes, TABLE_LIMITS)
}

pub fn read_table_within(
    bytes: &[u8],
    limits: TableLimits,
) -> Result<Vec<Vec<String>>, TableRefusal> {
    if bytes.starts_with(b"PK\x03\x04") {
        unzip::check(bytes, limits)?;
        cells::read_first_sheet(bytes, limits)
    } else {
        csv_in::read(bytes, limits)
    }
}

/// Tables being read at once: each may hold up to [`TABLE_LIMITS`] in memory, so a burst of
/// uploads waits its turn instead of multiplying the peak (and leaves a core for requests).
static READERS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);

/// [`read_table`] for a request: off the async threads, one table at a time. A panic in a
/// parser is a damaged file, not a dead server.
pub async fn read_upload(bytes: axum::body::Bytes) -> Result<Vec<Vec<String>>, TableRefusal> {
    let _turn = READERS.acquire().await.map_err(|_| TableRefusal::Damaged)?;
    tokio::task::spawn_blocking(move || read_table(&bytes))
        .await
        .unwrap_or_else(|e| {
            tracing::warn!(error = %e, "a table reader panicked");
            Err(TableRefusal::Damaged)
        })
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_workbook_reads_back() {
        let sheets = vec![Sheet {
            name: "住户".into(),
            headers: vec!["门牌地址".into(), "人数".into()],
            rows: vec![vec![Cell::Text("1栋101".into()), Cell::Number(3.0)]],
        }];
        let bytes = write(&sheets).unwrap();
        let rows = read_table(&bytes).unwrap();
        assert_eq!(rows, [["门牌地址", "人数"], ["1栋101", "3"]]);
    }

    #[test]
    fn csv_with_a_byte_order_mark_and_quotes() {
        let rows = read_table("\u{feff}地址,姓名\n\"1栋,101\", 王芳 \n".as_bytes()).unwrap();
        assert_eq!(rows, [["地址", "姓名"], ["1栋,101", "王芳"]]);
        assert_eq!(
            read_table(&[0xb5, 0xd8, 0xd6, 0xb7]),
            Err(TableRefusal::NotATable)
        ); // GBK
    }
}
