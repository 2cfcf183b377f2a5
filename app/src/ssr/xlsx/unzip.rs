//! What an XLSX really unzips to, measured before calamine opens it: calamine trusts the
//! parts it reads (a ZIP bomb expands without bound; a shared-strings part's `uniqueCount`
//! is reserved as given, so one attribute can abort the process). Each part is inflated
//! into nothing, counting bytes and stopping at the limit, so a lying header changes nothing.

use crate::domain::sheet::{TableLimits, TableRefusal};
use std::io::{Cursor, Read};

pub(super) fn check(bytes: &[u8], limits: TableLimits) -> Result<(), TableRefusal> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| TableRefusal::Damaged)?;
    if zip.len() > limits.parts {
        return Err(TableRefusal::TooLarge);
    }
    let mut left = limits.unzipped_bytes;
    for i in 0..zip.len() {
        let part = zip.by_index(i).map_err(|_| TableRefusal::Damaged)?;
        let shared_strings = part
            .name()
            .map_err(|_| TableRefusal::Damaged)?
            .to_ascii_lowercase()
            .ends_with("sharedstrings.xml");
        let mut head = Vec::new();
        let mut reader = part.take(left + 1);
        if shared_strings {
            // The opening tag with its counts comes first; 4 KB is ample.
            (&mut reader)
                .take(4096)
                .read_to_end(&mut head)
                .map_err(|_| TableRefusal::Damaged)?;
            check_string_count(&head, limits)?;
        }
        let rest =
            std::io::copy(&mut reader, &mut std::io::sink()).map_err(|_| TableRefusal::Damaged)?;
        let read = head.len() as u64 + rest;
        if read > left {
            return Err(TableRefusal::TooLarge);
        }
        left -= read;
    }
    Ok(())
}

/// Refuses a shared-strings part that claims more strings than a table may have cells.
fn check_string_count(head: &[u8], limits: TableLimits) -> Result<(), TableRefusal> {
    let text = String::from_utf8_lossy(head);
    for attr in ["uniqueCount", "count"] {
        for value in attribute_values(&text, attr) {
            match value.trim().parse::<u64>() {
                Ok(n) if n <= limits.cells as u64 => {}
                Ok(_) => return Err(TableRefusal::TooManyCells),
                Err(_) => return Err(TableRefusal::Damaged),
            }
        }
    }
    Ok(())
}

/// Every value of `name="…"` (XML allows spaces around `=` and either quote).
fn attribute_values<'t>(text: &'t str, name: &str) -> Vec<&'t str> {
    let mut values = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find(name).map(|i| i + from) {
        from = at + name.len();
        let before = text[..at].chars().next_back();
        if !before.is_some_and(char::is_whitespace) {
            continue;
        }
        let rest = text[from..].trim_start();
        let Some(rest) = rest.strip_prefix('=').map(str::trim_start) else {
            continue;
        };
        let Some(quote) = rest.chars().next().filter(|q| *q == '"' || *q == '\'') else {
            continue;
        };
        let inner = &rest[1..];
        values.push(&inner[..inner.find(quote).unwrap_or(inner.len())]);
    }
    values
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::sheet::TABLE_LIMITS;

    #[test]
    fn string_counts_beyond_the_cells_are_refused() {
        let head = |n: &str| {
            format!(r#"<?xml version="1.0"?><sst xmlns="x" count="3" uniqueCount="{n}">"#)
        };
        assert_eq!(
            check_string_count(head("3").as_bytes(), TABLE_LIMITS),
            Ok(())
        );
        assert_eq!(
            check_string_count(head("1000000000000").as_bytes(), TABLE_LIMITS),
            Err(TableRefusal::TooManyCells)
        );
        assert_eq!(
            check_string_count(head("-1").as_bytes(), TABLE_LIMITS),
            Err(TableRefusal::Damaged)
        );
        assert_eq!(
            check_string_count(b"<sst uniqueCount='99999999999999999999999'>", TABLE_LIMITS),
            Err(TableRefusal::Damaged)
        );
        assert_eq!(
            check_string_count(b"<x:sst\n uniqueCount = '2000000'>", TABLE_LIMITS),
            Err(TableRefusal::TooManyCells)
        );
    }
}
