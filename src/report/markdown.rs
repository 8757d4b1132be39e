//! `--format markdown`: a summary for CI job summaries and pull-request
//! comments: counts by category and severity, then the findings as a table.

use std::io::Write;

use crate::audit::Audit;
use crate::findings::{Category, Severity};

/// At most this many findings are listed; the counts cover all of them.
const MAX_ROWS: usize = 100;

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

pub fn write(out: &mut impl Write, audit: &Audit) -> std::io::Result<()> {
    let findings = &audit.outcome.findings;
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    writeln!(out, "## offsheet audit")?;
    writeln!(out)?;
    writeln!(
        out,
        "**{}** {} ({}, {}, {} info) in {}, as of {}.",
        findings.len(),
        if findings.len() == 1 {
            "finding"
        } else {
            "findings"
        },
        super::plural(count(Severity::Error), "error", "errors"),
        super::plural(count(Severity::Warning), "warning", "warnings"),
        count(Severity::Info),
        super::plural(audit.canonical.sources.len(), "source", "sources"),
        audit.as_of
    )?;
    if findings.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(out, "| category | error | warning | info |")?;
    writeln!(out, "|---|---:|---:|---:|")?;
    for c in Category::ALL {
        let of = |s: Severity| {
            findings
                .iter()
                .filter(|f| f.category == c && f.severity == s)
                .count()
        };
        if findings.iter().any(|f| f.category == c) {
            writeln!(
                out,
                "| {} | {} | {} | {} |",
                c.name(),
                of(Severity::Error),
                of(Severity::Warning),
                of(Severity::Info)
            )?;
        }
    }
    writeln!(out)?;
    writeln!(out, "| severity | where | rule | finding |")?;
    writeln!(out, "|---|---|---|---|")?;
    for f in findings.iter().take(MAX_ROWS) {
        writeln!(
            out,
            "| {} | `{}` | `{}` | {} |",
            f.severity,
            cell(&f.location.to_string()),
            f.rule,
            cell(&f.message)
        )?;
    }
    if findings.len() > MAX_ROWS {
        writeln!(out)?;
        writeln!(
            out,
            "…and {} more; run `offsheet audit` for all of them.",
            findings.len() - MAX_ROWS
        )?;
    }
    Ok(())
}
