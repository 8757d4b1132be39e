//! The human report: findings grouped by file, then category, each with its
//! place (`file › Sheet!F17`), value, reason and the row as a snippet; then a
//! summary table by category and severity. Colour only on a terminal without
//! NO_COLOR.

use std::collections::BTreeMap;
use std::io::Write;

use owo_colors::OwoColorize;

use crate::audit::Audit;
use crate::findings::{Category, Finding, Severity};

use super::snippet::Snippets;

pub struct Style {
    pub color: bool,
}

impl Style {
    /// Colour when stdout is a terminal and NO_COLOR is unset.
    pub fn detect() -> Style {
        use std::io::IsTerminal;
        Style {
            color: std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        }
    }

    fn severity(&self, s: Severity) -> String {
        let name = s.name();
        match (self.color, s) {
            (false, _) => name.to_string(),
            (true, Severity::Error) => name.red().bold().to_string(),
            (true, Severity::Warning) => name.yellow().bold().to_string(),
            (true, Severity::Info) => name.blue().bold().to_string(),
        }
    }

    fn dim(&self, s: &str) -> String {
        if self.color {
            s.dimmed().to_string()
        } else {
            s.to_string()
        }
    }

    fn bold(&self, s: &str) -> String {
        if self.color {
            s.bold().to_string()
        } else {
            s.to_string()
        }
    }
}

pub fn write(out: &mut impl Write, audit: &Audit, style: &Style) -> std::io::Result<()> {
    let snippets = Snippets::new(&audit.inventory);
    let findings = &audit.outcome.findings;
    let mut by_file: BTreeMap<&str, BTreeMap<Category, Vec<&Finding>>> = BTreeMap::new();
    for f in findings {
        by_file
            .entry(f.location.file.as_str())
            .or_default()
            .entry(f.category)
            .or_default()
            .push(f);
    }
    for (file, cats) in &by_file {
        let n: usize = cats.values().map(Vec::len).sum();
        writeln!(
            out,
            "{} ({n} {})",
            style.bold(file),
            if n == 1 { "finding" } else { "findings" }
        )?;
        for (cat, list) in cats {
            writeln!(out, "  {} ({})", style.bold(cat.name()), list.len())?;
            for f in list {
                finding(out, f, &snippets, style)?;
            }
        }
        writeln!(out)?;
    }
    summary(out, audit, style)
}

fn finding(
    out: &mut impl Write,
    f: &Finding,
    snippets: &Snippets<'_>,
    style: &Style,
) -> std::io::Result<()> {
    writeln!(
        out,
        "    {}[{}] {}",
        style.severity(f.severity),
        f.rule,
        f.message
    )?;
    writeln!(out, "      {} {}", style.dim("-->"), f.location)?;
    let note = f.expected.as_ref().map(|e| format!("expected {e}"));
    match snippets.render(&f.location, note.as_deref()) {
        Some(lines) => {
            for l in lines {
                writeln!(out, "      {l}")?;
            }
        }
        None => {
            if let Some(v) = &f.value {
                writeln!(out, "      value: {v}")?;
            }
            if let Some(e) = &f.expected {
                writeln!(out, "      expected: {e}")?;
            }
        }
    }
    for r in &f.related {
        writeln!(out, "      {} {r}", style.dim("see also"))?;
    }
    Ok(())
}

fn summary(out: &mut impl Write, audit: &Audit, style: &Style) -> std::io::Result<()> {
    let findings = &audit.outcome.findings;
    if findings.is_empty() {
        writeln!(
            out,
            "No findings in {} (as of {}).",
            super::plural(audit.canonical.sources.len(), "source", "sources"),
            audit.as_of
        )?;
    } else {
        writeln!(
            out,
            "{:<20} {:>6} {:>8} {:>5}",
            style.bold("category"),
            "error",
            "warning",
            "info"
        )?;
        let count = |c: Option<Category>, s: Severity| {
            findings
                .iter()
                .filter(|f| f.severity == s && c.is_none_or(|c| f.category == c))
                .count()
        };
        for c in Category::ALL {
            if !findings.iter().any(|f| f.category == c) {
                continue;
            }
            writeln!(
                out,
                "{:<20} {:>6} {:>8} {:>5}",
                c.name(),
                count(Some(c), Severity::Error),
                count(Some(c), Severity::Warning),
                count(Some(c), Severity::Info)
            )?;
        }
        writeln!(
            out,
            "{:<20} {:>6} {:>8} {:>5}",
            "total",
            count(None, Severity::Error),
            count(None, Severity::Warning),
            count(None, Severity::Info)
        )?;
        writeln!(out)?;
        writeln!(
            out,
            "{} in {} ({} read, {} rejected), as of {}.",
            super::plural(findings.len(), "finding", "findings"),
            super::plural(audit.canonical.sources.len(), "source", "sources"),
            super::plural(
                audit
                    .canonical
                    .sources
                    .iter()
                    .map(|s| s.rows)
                    .sum::<usize>(),
                "row",
                "rows"
            ),
            audit.canonical.rejects.len(),
            audit.as_of
        )?;
    }
    for n in &audit.canonical.notes {
        writeln!(out, "note: {n}")?;
    }
    for f in &audit.outcome.failures {
        writeln!(out, "rule {} could not run: {}", f.rule, f.message)?;
    }
    Ok(())
}
