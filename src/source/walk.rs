//! Finding the files to read under the paths a person names: folders are walked
//! recursively in name order; lock files, hidden files and files that are not
//! spreadsheets are skipped and counted, never silently.

use std::path::{Path, PathBuf};

use super::FileKind;

/// A file to read and the path findings show for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub path: PathBuf,
    pub display: String,
}

/// A file that was passed over, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Skipped {
    pub file: String,
    pub reason: SkipReason,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// `~$Orders.xlsx`: Office's lock file beside an open workbook.
    LockFile,
    /// A dot file or a file in a dot folder.
    Hidden,
    /// Not a workbook or delimited text by its name.
    NotASpreadsheet,
    /// A folder `offsheet ingest` wrote (it holds a `.offsheet-output` marker).
    OffsheetOutput,
}

impl SkipReason {
    pub fn describe(self) -> &'static str {
        match self {
            SkipReason::LockFile => "Office lock file",
            SkipReason::Hidden => "hidden",
            SkipReason::NotASpreadsheet => "not a spreadsheet",
            SkipReason::OffsheetOutput => "offsheet output folder",
        }
    }
}

/// Problems with the paths themselves (they do not exist, cannot be listed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkError {
    pub path: String,
    pub reason: String,
}

#[derive(Debug, Default)]
pub struct Walk {
    pub files: Vec<Candidate>,
    pub skipped: Vec<Skipped>,
    pub errors: Vec<WalkError>,
}

/// Walks `paths`. A file named directly is always read, whatever its name; the
/// display path is relative to the folder it was found under, prefixed by that
/// folder when several paths are given.
pub fn walk(paths: &[PathBuf]) -> Walk {
    let mut out = Walk::default();
    let several = paths.len() > 1;
    for root in paths {
        let meta = match std::fs::metadata(root) {
            Ok(m) => m,
            Err(e) => {
                out.errors.push(WalkError {
                    path: root.display().to_string(),
                    reason: e.to_string(),
                });
                continue;
            }
        };
        if meta.is_file() {
            out.files.push(Candidate {
                path: root.clone(),
                display: slashes(root),
            });
            continue;
        }
        let mut outputs = Vec::new();
        let entries = walkdir::WalkDir::new(root)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                if e.depth() > 0 && is_output_dir(e) {
                    outputs.push(e.path().to_path_buf());
                    return false;
                }
                e.depth() == 0 || !is_hidden_dir(e)
            });
        for entry in entries {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    out.errors.push(WalkError {
                        path: e
                            .path()
                            .map(|p| p.display().to_string())
                            .unwrap_or_else(|| root.display().to_string()),
                        reason: e.to_string(),
                    });
                    continue;
                }
            };
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
            let display = if several {
                slashes(&root.join(rel))
            } else {
                slashes(rel)
            };
            match classify(entry.path()) {
                Ok(()) => out.files.push(Candidate {
                    path: entry.path().to_path_buf(),
                    display,
                }),
                Err(reason) => out.skipped.push(Skipped {
                    file: display,
                    reason,
                }),
            }
        }
        for dir in outputs {
            let rel = dir.strip_prefix(root).unwrap_or(&dir);
            let display = if several {
                slashes(&root.join(rel))
            } else {
                slashes(rel)
            };
            out.skipped.push(Skipped {
                file: format!("{display}/"),
                reason: SkipReason::OffsheetOutput,
            });
        }
    }
    out
}

fn is_output_dir(e: &walkdir::DirEntry) -> bool {
    e.file_type().is_dir() && e.path().join(crate::ingest::OUTPUT_MARKER).is_file()
}

fn is_hidden_dir(e: &walkdir::DirEntry) -> bool {
    e.file_type().is_dir() && e.file_name().to_string_lossy().starts_with('.')
}

fn classify(path: &Path) -> Result<(), SkipReason> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if name.starts_with("~$") {
        return Err(SkipReason::LockFile);
    }
    if name.starts_with('.') {
        return Err(SkipReason::Hidden);
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default();
    match FileKind::from_extension(ext) {
        Some(_) => Ok(()),
        None => Err(SkipReason::NotASpreadsheet),
    }
}

fn slashes(p: &Path) -> String {
    let text = p.to_string_lossy().replace('\\', "/");
    let mut t = text.as_str();
    while let Some(rest) = t.strip_prefix("./") {
        t = rest;
    }
    t.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn walks_in_name_order_and_says_what_it_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("oms")).unwrap();
        fs::create_dir_all(root.join(".offsheet")).unwrap();
        for f in [
            "b.csv",
            "a.xlsx",
            "~$a.xlsx",
            ".DS_Store",
            "notes.md",
            "oms/inv.csv",
            ".offsheet/ledger.sqlite",
        ] {
            fs::write(root.join(f), "x").unwrap();
        }
        let w = walk(&[root.to_path_buf()]);
        let names: Vec<_> = w.files.iter().map(|c| c.display.as_str()).collect();
        assert_eq!(names, ["a.xlsx", "b.csv", "oms/inv.csv"]);
        let skipped: Vec<_> = w
            .skipped
            .iter()
            .map(|s| (s.file.as_str(), s.reason))
            .collect();
        assert_eq!(
            skipped,
            [
                (".DS_Store", SkipReason::Hidden),
                ("notes.md", SkipReason::NotASpreadsheet),
                ("~$a.xlsx", SkipReason::LockFile),
            ]
        );
        assert!(w.errors.is_empty());
    }

    #[test]
    fn a_missing_path_is_an_error_not_a_skip() {
        let w = walk(&[PathBuf::from("/no/such/folder")]);
        assert_eq!(w.errors.len(), 1);
        assert!(w.files.is_empty());
    }
}
