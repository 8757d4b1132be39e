//! How the sheets were read, in words: which columns feed which fields, how
//! ambiguous values were decided, and which rows were rejected and why.

use std::fmt::Write as _;

use crate::model::canonical::Canonical;
use crate::source::a1;

/// One block per source: its table, fields and the column each comes from.
pub fn describe(c: &Canonical) -> String {
    let mut out = String::new();
    for s in &c.sources {
        let fields: Vec<String> = s
            .headers
            .iter()
            .map(|(field, header)| {
                let col = s
                    .column_of(field)
                    .map(a1::column_letter)
                    .unwrap_or_default();
                format!("{field} ← {col} {header:?}")
            })
            .collect();
        let _ = writeln!(
            out,
            "  {} → {} ({}, {} rejected)",
            s.label(),
            s.entity,
            super::plural(s.rows, "row", "rows"),
            s.rejected
        );
        let _ = writeln!(out, "      {}", fields.join(", "));
        for d in &s.decisions {
            let _ = writeln!(out, "      {d}");
        }
    }
    for n in &c.notes {
        let _ = writeln!(out, "  note: {n}");
    }
    out.trim_end().to_string()
}

/// One line per rejected row (the first 20), then a count.
pub fn rejects_summary(c: &Canonical) -> String {
    let mut out = String::new();
    for r in c.rejects.iter().take(20) {
        let Some(s) = c.source(r.source) else {
            continue;
        };
        let reasons: Vec<String> = r
            .reasons
            .iter()
            .map(|x| match &x.column {
                Some(col) if x.value.is_empty() => format!("{col}{}: {}", r.row, x.reason),
                Some(col) => format!("{col}{}: {} ({:?})", r.row, x.reason, x.value),
                None => x.reason.clone(),
            })
            .collect();
        let _ = writeln!(
            out,
            "rejected {} row {} ({}): {}",
            s.label(),
            r.row,
            s.entity,
            reasons.join("; ")
        );
    }
    if c.rejects.len() > 20 {
        let _ = writeln!(out, "... and {} more rejected rows", c.rejects.len() - 20);
    }
    out.trim_end().to_string()
}
