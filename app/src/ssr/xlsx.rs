//! Spreadsheets out and in: sheets of the domain written as XLSX (bold Chinese headers,
//! frozen first row, sensible column widths), and the first sheet of an uploaded XLSX or a
//! CSV file read back as rows of text.

use crate::domain::sheet::{Cell, Sheet};
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

#[derive(Debug, PartialEq, Eq)]
pub struct UnreadableTable;

/// The rows of an uploaded table: XLSX (recognised by its ZIP signature) or UTF-8 CSV
/// (with or without a byte-order mark). Cells come back as trimmed text; whole numbers
/// that a spreadsheet stored as numbers lose their `.0`.
pub fn read_table(bytes: &[u8]) -> Result<Vec<Vec<String>>, UnreadableTable> {
    if bytes.starts_with(b"PK\x03\x04") {
        read_xlsx(bytes)
    } else {
        read_csv(bytes)
    }
}

fn read_xlsx(bytes: &[u8]) -> Result<Vec<Vec<String>>, UnreadableTable> {
    use calamine::{Data, Reader, Xlsx};
    let mut book: Xlsx<_> =
        Xlsx::new(std::io::Cursor::new(bytes.to_vec())).map_err(|_| UnreadableTable)?;
    let range = book
        .worksheet_range_at(0)
        .ok_or(UnreadableTable)?
        .map_err(|_| UnreadableTable)?;
    Ok(range
        .rows()
        .map(|row| {
            row.iter()
                .map(|d| match d {
                    Data::Empty => String::new(),
                    Data::String(s) => s.trim().to_owned(),
                    Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
                    Data::Float(f) => f.to_string(),
                    Data::Int(i) => i.to_string(),
                    Data::Bool(b) => b.to_string(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect())
}

fn read_csv(bytes: &[u8]) -> Result<Vec<Vec<String>>, UnreadableTable> {
    let text = std::str::from_utf8(bytes).map_err(|_| UnreadableTable)?;
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| {
            r.map(|rec| rec.iter().map(|c| c.trim().to_owned()).collect())
                .map_err(|_| UnreadableTable)
        })
        .collect()
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
        assert_eq!(read_table(&[0xb5, 0xd8, 0xd6, 0xb7]), Err(UnreadableTable)); // GBK
    }
}
