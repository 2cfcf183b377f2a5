//! A sheet as CSV for people who open it in a spreadsheet: UTF-8 with a byte-order mark
//! (without it Excel reads Chinese as another code page), and text that a spreadsheet
//! would run as a formula (`=`, `+`, `-`, `@`, tab, return at the start) written with a
//! leading apostrophe, as OWASP advises against CSV injection: a resident's description
//! is written by whoever files it.

use crate::domain::sheet::{Cell, Sheet};

const BOM: &[u8] = b"\xEF\xBB\xBF";

fn defused(text: &str) -> std::borrow::Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}").into(),
        _ => text.into(),
    }
}

pub fn write(sheet: &Sheet) -> Result<Vec<u8>, csv::Error> {
    let mut out = csv::Writer::from_writer(BOM.to_vec());
    out.write_record(&sheet.headers)?;
    for row in &sheet.rows {
        out.write_record(row.iter().map(|c| match c {
            Cell::Text(t) => defused(t).into_owned(),
            Cell::Number(n) => n.to_string(),
        }))?;
    }
    out.into_inner().map_err(|e| e.into_error().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_written_as_text_and_numbers_as_numbers() {
        let sheet = Sheet {
            name: "s".into(),
            headers: vec!["描述".into(), "n".into()],
            rows: vec![
                vec![Cell::Text("=HYPERLINK(\"x\")".into()), Cell::Number(3.0)],
                vec![Cell::Text("-1+2".into()), Cell::Number(31.25)],
                vec![Cell::Text("门口, \"垃圾\"".into()), Cell::Number(-1.0)],
            ],
        };
        let bytes = write(&sheet).unwrap();
        assert!(bytes.starts_with(BOM));
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        assert_eq!(
            text,
            "描述,n\n\"'=HYPERLINK(\"\"x\"\")\",3\n'-1+2,31.25\n\"门口, \"\"垃圾\"\"\",-1\n"
        );
    }
}
