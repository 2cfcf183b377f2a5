//! Several statements sent to SQLite as one query text: sqlx runs them in order in one turn
//! of the connection's thread, where each statement sent alone is a hand-off to that thread
//! and back. Inside the writer's turn those hand-offs, not SQLite's work, bound case steps
//! per second (docs/BENCHMARKS.md, "Case steps under load"). PostgreSQL's extended protocol
//! takes one statement per query: there the parts run one by one.

use sqlx::{Any, Transaction};

/// Whether `tx` takes several statements in one text (SQLite).
pub fn takes_one_text(tx: &Transaction<'_, Any>) -> bool {
    tx.backend_name() == "SQLite"
}

/// Statements as one text. Each part is `(sql, binds)`: its placeholders `$1…$binds` move
/// past the binds of the parts before it, so that the binds follow in the parts' order.
pub fn join(parts: &[(&str, usize)]) -> String {
    let mut offset = 0;
    let mut texts = Vec::with_capacity(parts.len());
    for (sql, binds) in parts {
        texts.push(renumber(sql, |n| n + offset));
        offset += binds;
    }
    texts.join("; ")
}

/// `sql` with each placeholder `$n` replaced by `$f(n)`.
pub fn renumber(sql: &str, mut f: impl FnMut(usize) -> usize) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut chars = sql.char_indices().peekable();
    while let Some((i, ch)) = chars.next() {
        out.push(ch);
        if ch != '$' {
            continue;
        }
        let start = i + 1;
        let mut end = start;
        while let Some(&(j, d)) = chars.peek() {
            if !d.is_ascii_digit() {
                break;
            }
            end = j + 1;
            chars.next();
        }
        if end > start {
            let n: usize = sql[start..end].parse().expect("digits");
            out.push_str(&f(n).to_string());
        }
    }
    out
}

/// The placeholders of `sql`, each once.
#[cfg(test)]
pub fn placeholders(sql: &str) -> std::collections::BTreeSet<usize> {
    let mut found = std::collections::BTreeSet::new();
    renumber(sql, |n| {
        found.insert(n);
        n
    });
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_renumbered_whole() {
        assert_eq!(
            renumber("a = $1 AND b = $12 AND c = $3 || '$'", |n| n + 10),
            "a = $11 AND b = $22 AND c = $13 || '$'"
        );
    }

    #[test]
    fn each_part_binds_after_the_parts_before_it() {
        let text = join(&[
            ("UPDATE t SET a = $2 WHERE id = $1", 2),
            ("INSERT INTO u VALUES ($1, $2, $3)", 3),
            ("INSERT INTO v VALUES ($1, (SELECT $1)) RETURNING id", 1),
        ]);
        assert_eq!(
            text,
            "UPDATE t SET a = $2 WHERE id = $1; INSERT INTO u VALUES ($3, $4, $5); \
             INSERT INTO v VALUES ($6, (SELECT $6)) RETURNING id"
        );
        assert_eq!(placeholders(&text), (1..=6).collect());
    }
}
