//! The figures of the readiness report, computed once from an audit (and the
//! adoption ledger) so the HTML page and the XLSX workbook say the same thing.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::adoption::Status;
use crate::audit::Audit;
use crate::findings::{Category, Finding, Severity};
use crate::source::hazards::{Hazard, HazardKind};
use crate::source::layout::Layout;

use super::plural;

/// Findings counted by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub error: usize,
    pub warning: usize,
    pub info: usize,
}

impl Counts {
    pub fn of<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Counts {
        let mut c = Counts::default();
        for f in findings {
            c.add(f.severity);
        }
        c
    }

    fn add(&mut self, s: Severity) {
        match s {
            Severity::Error => self.error += 1,
            Severity::Warning => self.warning += 1,
            Severity::Info => self.info += 1,
        }
    }

    pub fn total(&self) -> usize {
        self.error + self.warning + self.info
    }

    /// In the order error, warning, info (the charts' stacking order).
    pub fn as_array(&self) -> [usize; 3] {
        [self.error, self.warning, self.info]
    }
}

/// How far the folder is from an OMS import, in one word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Ready,
    NearlyReady,
    NotReady,
    /// No table was read: nothing to judge.
    Empty,
}

impl Level {
    pub fn name(self) -> &'static str {
        match self {
            Level::Ready => "ready",
            Level::NearlyReady => "nearly ready",
            Level::NotReady => "not ready",
            Level::Empty => "nothing to assess",
        }
    }
}

/// One file's findings by category (categories in vocabulary order).
#[derive(Debug, Clone, PartialEq)]
pub struct FileFindings {
    pub file: String,
    pub counts: Counts,
    pub by_category: Vec<(Category, usize)>,
}

/// One sheet of the inventory: its table, what it feeds and its hazards.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetRow {
    pub file: String,
    /// `None` for CSV files.
    pub sheet: Option<String>,
    pub hidden: bool,
    pub header_row: Option<u32>,
    pub data_rows: Option<usize>,
    /// Entity, rows read, rows rejected.
    pub feeds: Vec<(&'static str, usize, usize)>,
    /// Why the sheet holds no table, when it holds none.
    pub no_table: Option<String>,
    pub hazards: String,
}

/// Where adoption tracking stands.
#[derive(Debug, Clone, PartialEq)]
pub enum Adoption {
    /// No offsheet.toml, or one without `[[shadow]]` entries.
    NotConfigured,
    /// Shadow sheets are configured but no ledger exists yet.
    NoLedger {
        shadows: usize,
        ledger: String,
    },
    /// The ledger exists but could not be read.
    Unreadable {
        ledger: String,
        message: String,
    },
    Tracked(Status),
}

/// Everything the report shows.
pub struct Readiness<'a> {
    pub folder: String,
    pub as_of: NaiveDate,
    pub findings: &'a [Finding],
    pub audit: &'a Audit,
    pub files: usize,
    pub sheets: usize,
    pub sources: usize,
    pub rows: usize,
    pub rejected: usize,
    /// Files that could not be read: (file, message).
    pub unreadable: Vec<(String, String)>,
    pub counts: Counts,
    /// Every category of the vocabulary, zero included.
    pub by_category: Vec<(Category, Counts)>,
    pub by_file: Vec<FileFindings>,
    pub inventory: Vec<SheetRow>,
    pub level: Level,
    pub verdict: String,
    pub adoption: Adoption,
}

impl<'a> Readiness<'a> {
    pub fn new(audit: &'a Audit, folder: String, adoption: Adoption) -> Readiness<'a> {
        let findings = audit.outcome.findings.as_slice();
        let counts = Counts::of(findings);
        let by_category = Category::ALL
            .into_iter()
            .map(|c| (c, Counts::of(findings.iter().filter(|f| f.category == c))))
            .collect();
        let unreadable: Vec<(String, String)> = audit
            .inventory
            .errors
            .iter()
            .map(|e| {
                // The message names the file first; the report shows it apart.
                let message = e.to_string();
                let reason = message
                    .strip_prefix(e.file())
                    .and_then(|m| m.strip_prefix(": "))
                    .unwrap_or(&message)
                    .to_string();
                (e.file().to_string(), reason)
            })
            .collect();
        let files = audit.inventory.files.len();
        let sources = audit.canonical.sources.len();
        let error_files = files_with(findings, Severity::Error);
        let (level, verdict) = verdict(counts, error_files, files, unreadable.len(), sources);
        Readiness {
            folder,
            as_of: audit.as_of,
            findings,
            audit,
            files,
            sheets: audit.inventory.files.iter().map(|f| f.tables.len()).sum(),
            sources,
            rows: audit.canonical.sources.iter().map(|s| s.rows).sum(),
            rejected: audit.canonical.rejects.len(),
            unreadable,
            counts,
            by_category,
            by_file: by_file(audit),
            inventory: inventory(audit),
            level,
            verdict,
            adoption,
        }
    }

    /// The findings a reader should see first: errors, then warnings, then
    /// info, each in the audit's order; at most `n`.
    pub fn top_findings(&self, n: usize) -> Vec<&'a Finding> {
        let mut list: Vec<&Finding> = self.findings.iter().collect();
        list.sort_by_key(|f| std::cmp::Reverse(f.severity));
        list.truncate(n);
        list
    }
}

fn files_with(findings: &[Finding], severity: Severity) -> usize {
    let mut files: Vec<&str> = findings
        .iter()
        .filter(|f| f.severity == severity)
        .map(|f| f.location.file.as_str())
        .collect();
    files.sort_unstable();
    files.dedup();
    files.len()
}

/// The verdict in plain words, from the counts alone.
pub fn verdict(
    counts: Counts,
    error_files: usize,
    files: usize,
    unreadable: usize,
    sources: usize,
) -> (Level, String) {
    let unread = match unreadable {
        0 => String::new(),
        n => format!("; {} could not be read", plural(n, "file", "files")),
    };
    if sources == 0 {
        return (
            Level::Empty,
            format!(
                "Nothing to assess: no order or inventory table was found in {}{unread}.",
                plural(files, "file", "files")
            ),
        );
    }
    let files = files.max(error_files);
    if counts.error > 0 {
        let warnings = match counts.warning {
            0 => String::new(),
            n => format!(", and {} to review", plural(n, "warning", "warnings")),
        };
        return (
            Level::NotReady,
            format!(
                "Not ready: {} in {error_files} of {}{warnings}{unread}.",
                plural(counts.error, "error", "errors"),
                plural(files, "file", "files")
            ),
        );
    }
    if unreadable > 0 {
        return (
            Level::NotReady,
            format!(
                "Not ready: no errors in the files read, but {} could not be read.",
                plural(unreadable, "file", "files")
            ),
        );
    }
    if counts.warning > 0 {
        return (
            Level::NearlyReady,
            format!(
                "Nearly ready: no errors; {} to review.",
                plural(counts.warning, "warning", "warnings")
            ),
        );
    }
    (
        Level::Ready,
        format!(
            "Ready: no errors or warnings in {}.",
            plural(files, "file", "files")
        ),
    )
}

/// Every file read, then any other file a finding names, in that order.
fn by_file(audit: &Audit) -> Vec<FileFindings> {
    let mut names: Vec<String> = audit
        .inventory
        .files
        .iter()
        .map(|f| f.source.display.clone())
        .collect();
    for f in &audit.outcome.findings {
        if !names.contains(&f.location.file) {
            names.push(f.location.file.clone());
        }
    }
    names
        .into_iter()
        .map(|file| {
            let mine: Vec<&Finding> = audit
                .outcome
                .findings
                .iter()
                .filter(|f| f.location.file == file)
                .collect();
            let mut cats: BTreeMap<Category, usize> = BTreeMap::new();
            for f in &mine {
                *cats.entry(f.category).or_default() += 1;
            }
            FileFindings {
                counts: Counts::of(mine.iter().copied()),
                by_category: cats.into_iter().collect(),
                file,
            }
        })
        .collect()
}

fn inventory(audit: &Audit) -> Vec<SheetRow> {
    let mut rows = Vec::new();
    for f in &audit.inventory.files {
        for (sheet, t) in f.source.sheets.iter().zip(&f.tables) {
            let sources: Vec<_> = audit
                .canonical
                .sources
                .iter()
                .filter(|s| s.file == f.source.display && s.sheet == sheet.name)
                .collect();
            let feeds = sources
                .iter()
                .map(|s| (s.entity.name(), s.rows, s.rejected))
                .collect();
            let (header_row, data_rows, no_table) = match &t.layout {
                Layout::Table(region) => (
                    // A sheet that feeds a table may have had its cells (and
                    // record lines) released: its source kept the header row.
                    Some(
                        sources
                            .first()
                            .map_or_else(|| sheet.display_row(region.header_row), |s| s.header_row),
                    ),
                    Some(region.data_rows.len()),
                    None,
                ),
                Layout::NoTable { reason } => (None, None, Some(reason.clone())),
            };
            rows.push(SheetRow {
                file: f.source.display.clone(),
                sheet: sheet.name.clone(),
                hidden: sheet.visibility != crate::source::Visibility::Visible,
                header_row,
                data_rows,
                feeds,
                no_table,
                hazards: hazard_text(&t.hazards),
            });
        }
    }
    rows
}

/// "428 formulas, 1 error cell, hidden sheet"; empty when there are none.
pub fn hazard_text(hazards: &[Hazard]) -> String {
    hazards
        .iter()
        .map(|h| match h.kind {
            HazardKind::HiddenSheet => h
                .detail
                .as_ref()
                .map(|d| format!("{d} sheet"))
                .unwrap_or_else(|| "hidden sheet".into()),
            k => format!("{} {}", h.count, k.noun(h.count)),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(error: usize, warning: usize, info: usize) -> Counts {
        Counts {
            error,
            warning,
            info,
        }
    }

    #[test]
    fn the_verdict_names_errors_and_the_files_they_are_in() {
        assert_eq!(
            verdict(c(31, 4, 0), 5, 7, 0, 9),
            (
                Level::NotReady,
                "Not ready: 31 errors in 5 of 7 files, and 4 warnings to review.".into()
            )
        );
        assert_eq!(
            verdict(c(1, 0, 2), 1, 1, 2, 1),
            (
                Level::NotReady,
                "Not ready: 1 error in 1 of 1 file; 2 files could not be read.".into()
            )
        );
        assert_eq!(
            verdict(c(0, 0, 0), 0, 3, 1, 3),
            (
                Level::NotReady,
                "Not ready: no errors in the files read, but 1 file could not be read.".into()
            )
        );
        assert_eq!(
            verdict(c(0, 1, 3), 0, 3, 0, 3),
            (
                Level::NearlyReady,
                "Nearly ready: no errors; 1 warning to review.".into()
            )
        );
        assert_eq!(
            verdict(c(0, 0, 3), 0, 2, 0, 4),
            (
                Level::Ready,
                "Ready: no errors or warnings in 2 files.".into()
            )
        );
        assert_eq!(
            verdict(c(0, 0, 0), 0, 2, 0, 0),
            (
                Level::Empty,
                "Nothing to assess: no order or inventory table was found in 2 files.".into()
            )
        );
    }

    #[test]
    fn counts_stack_errors_first() {
        let k = c(3, 2, 1);
        assert_eq!(k.as_array(), [3, 2, 1]);
        assert_eq!(k.total(), 6);
    }
}
