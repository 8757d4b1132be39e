//! The shared corpus of files nobody here wrote (peer projects' test files, many
//! broken on purpose, and public business datasets): every file gives a result
//! or a clear error, never a panic, within bounded time and memory. The tests
//! skip, saying so, when ../shared/corpus is absent.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::support::{TestDir, repo, run};

fn corpus() -> Option<PathBuf> {
    let p = repo().join("../shared/corpus");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("skipped: {} is absent", p.display());
        None
    }
}

/// A hang, not a speed: no file may take this long.
const PER_FILE_LIMIT: Duration = Duration::from_secs(30);
/// Address space a scan of one file may use (KiB, for `ulimit -v`).
const MEMORY_LIMIT_KIB: u64 = 6 * 1024 * 1024;

#[test]
fn scanning_the_whole_corpus_accounts_for_every_file() {
    let Some(root) = corpus() else { return };
    let t = TestDir::new();
    let (code, out, err) = run(t.offsheet().args(["scan", "--format", "json"]).arg(&root));
    assert!(code == 0 || code == 2, "exit {code}: {err}");
    assert!(!err.contains("panicked"), "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).expect("scan JSON");
    let listed = json["files"].as_array().unwrap().len()
        + json["errors"].as_array().unwrap().len()
        + json["skipped"].as_array().unwrap().len();
    let on_disk = walkdir::WalkDir::new(&root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .count();
    assert_eq!(
        listed, on_disk,
        "every file is read, reported unreadable, or skipped"
    );
    // Every unreadable file is named on stderr with its reason.
    for e in json["errors"].as_array().unwrap() {
        assert!(err.contains(e["file"].as_str().unwrap()), "{e}");
    }
}

#[test]
fn every_corpus_file_alone_ends_in_bounded_time_and_memory_without_a_panic() {
    let Some(root) = corpus() else { return };
    let bin = assert_cmd::cargo::cargo_bin("offsheet");
    let files: Vec<PathBuf> = walkdir::WalkDir::new(&root)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    let chunks: Vec<Vec<PathBuf>> = files
        .chunks(files.len().div_ceil(2).max(1))
        .map(<[PathBuf]>::to_vec)
        .collect();
    let failures: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                let bin = bin.clone();
                s.spawn(move || {
                    let mut bad = Vec::new();
                    for file in chunk {
                        let started = Instant::now();
                        let out = Command::new("bash")
                            .arg("-c")
                            .arg(format!("ulimit -v {MEMORY_LIMIT_KIB}; exec \"$0\" scan --quiet --format json \"$1\""))
                            .arg(&bin)
                            .arg(&file)
                            .env("NO_COLOR", "1")
                            .output()
                            .expect("run offsheet");
                        let took = started.elapsed();
                        let code = out.status.code();
                        let err = String::from_utf8_lossy(&out.stderr);
                        if !matches!(code, Some(0 | 2)) || err.contains("panicked") || took > PER_FILE_LIMIT {
                            bad.push(format!("{}: exit {code:?} in {took:?}: {err}", file.display()));
                        }
                        if code == Some(2) && !err.contains(&*file.file_name().unwrap().to_string_lossy()) {
                            bad.push(format!("{}: the diagnostic does not name the file: {err}", file.display()));
                        }
                    }
                    bad
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
