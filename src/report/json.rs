//! `--format json`: one object `{version, tool, summary, findings}`, schema
//! version 1, documented in docs/audit.md and docs/audit.schema.json.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::audit::Audit;
use crate::findings::{Category, Finding, Severity};

#[derive(Debug, Serialize)]
pub struct Report<'a> {
    pub version: u32,
    pub tool: Tool,
    pub summary: Summary,
    pub findings: &'a [Finding],
}

#[derive(Debug, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Debug, Serialize)]
pub struct Summary {
    pub as_of: String,
    pub findings: usize,
    pub by_severity: BTreeMap<&'static str, usize>,
    /// Every category, zero included, so dashboards can rely on the keys.
    pub by_category: BTreeMap<&'static str, usize>,
    pub files: usize,
    pub sources: Vec<SourceSummary>,
    pub rows: usize,
    pub rejected: usize,
    pub unreadable: Vec<Unreadable>,
    pub notes: Vec<String>,
    /// Rules that could not run (a bug; the others did).
    pub rules_failed: Vec<RuleFailed>,
    pub rules_disabled: Vec<&'static str>,
}

#[derive(Debug, Serialize)]
pub struct SourceSummary {
    pub file: String,
    pub sheet: Option<String>,
    pub entity: &'static str,
    pub header_row: u32,
    pub rows: usize,
    pub rejected: usize,
    /// Field → column letter and header.
    pub columns: Vec<MappedColumn>,
    pub decisions: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct MappedColumn {
    pub field: &'static str,
    pub column: String,
    pub header: String,
}

#[derive(Debug, Serialize)]
pub struct Unreadable {
    pub file: String,
    pub kind: &'static str,
    pub message: String,
}

#[derive(Debug, Serialize)]
pub struct RuleFailed {
    pub rule: &'static str,
    pub message: String,
}

pub fn report(audit: &Audit) -> Report<'_> {
    let findings = &audit.outcome.findings;
    let mut by_severity = BTreeMap::new();
    for s in [Severity::Error, Severity::Warning, Severity::Info] {
        by_severity.insert(
            s.name(),
            findings.iter().filter(|f| f.severity == s).count(),
        );
    }
    let mut by_category = BTreeMap::new();
    for c in Category::ALL {
        by_category.insert(
            c.name(),
            findings.iter().filter(|f| f.category == c).count(),
        );
    }
    let sources = audit
        .canonical
        .sources
        .iter()
        .map(|s| SourceSummary {
            file: s.file.clone(),
            sheet: s.sheet.clone(),
            entity: s.entity.name(),
            header_row: s.header_row,
            rows: s.rows,
            rejected: s.rejected,
            columns: s
                .headers
                .iter()
                .map(|(field, header)| MappedColumn {
                    field,
                    column: s
                        .column_of(field)
                        .map(crate::source::a1::column_letter)
                        .unwrap_or_default(),
                    header: header.clone(),
                })
                .collect(),
            decisions: s.decisions.clone(),
        })
        .collect();
    Report {
        version: 1,
        tool: Tool {
            name: "offsheet",
            version: env!("CARGO_PKG_VERSION"),
        },
        summary: Summary {
            as_of: audit.as_of.to_string(),
            findings: findings.len(),
            by_severity,
            by_category,
            files: audit.inventory.files.len(),
            sources,
            rows: audit.canonical.sources.iter().map(|s| s.rows).sum(),
            rejected: audit.canonical.rejects.len(),
            unreadable: audit
                .inventory
                .errors
                .iter()
                .map(|e| Unreadable {
                    file: e.file().to_string(),
                    kind: e.kind(),
                    message: e.to_string(),
                })
                .collect(),
            notes: audit.canonical.notes.clone(),
            rules_failed: audit
                .outcome
                .failures
                .iter()
                .map(|f| RuleFailed {
                    rule: f.rule,
                    message: f.message.clone(),
                })
                .collect(),
            rules_disabled: audit.outcome.disabled.clone(),
        },
        findings,
    }
}

pub fn write(out: &mut impl std::io::Write, audit: &Audit) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &report(audit))?;
    writeln!(out)
}
