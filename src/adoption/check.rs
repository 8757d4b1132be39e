//! `adoption check --min-rate R [--max-drop D]`: the CI gate. Each live shadow
//! sheet passes or fails on its latest rate (and its fall since the previous
//! snapshot); a retired sheet fails if it changed after its decommission.

use std::fmt::Write as _;

use serde::Serialize;

use super::criteria::reaches;
use super::text::rate;
use super::{JSON_VERSION, Status};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CheckOptions {
    pub min_rate: f64,
    /// Fail when the rate fell by more than this since the previous snapshot.
    pub max_drop: Option<f64>,
}

/// One shadow sheet's verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShadowCheck {
    pub name: String,
    pub entity: String,
    pub decommissioned: bool,
    /// The as-of date of the latest snapshot judged.
    pub snapshot: String,
    pub rate: f64,
    pub previous_rate: Option<f64>,
    pub passed: bool,
    /// Why it failed; empty when it passed.
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckReport {
    pub version: u32,
    pub as_of: String,
    pub min_rate: f64,
    pub max_drop: Option<f64>,
    pub passed: bool,
    pub shadows: Vec<ShadowCheck>,
}

impl CheckReport {
    /// The process exit code: 0 when every shadow passed, 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        if self.passed { 0 } else { 1 }
    }
}

/// Judges every shadow of `status` against the bar.
pub fn check(status: &Status, opts: &CheckOptions) -> CheckReport {
    let shadows: Vec<ShadowCheck> = status
        .shadows
        .iter()
        .filter_map(|s| {
            let latest = s.snapshots.last()?;
            let now = latest.shadow.metrics.rate;
            let previous = s
                .snapshots
                .len()
                .checked_sub(2)
                .and_then(|i| s.snapshots.get(i));
            let mut reasons = Vec::new();
            if let Some(r) = &s.resurrected {
                reasons.push(format!(
                    "resurrected: {} (seen {})",
                    r.describe(),
                    r.seen_at
                ));
            }
            if s.decision.is_none() {
                if !reaches(now, opts.min_rate) {
                    reasons.push(format!(
                        "rate {} on {} is below {}",
                        rate(now),
                        latest.as_of,
                        rate(opts.min_rate)
                    ));
                }
                if let (Some(max), Some(p)) = (opts.max_drop, previous) {
                    let before = p.shadow.metrics.rate;
                    if before - now > max + 1e-9 {
                        reasons.push(format!(
                            "rate fell from {} on {} to {} on {}, more than {}",
                            rate(before),
                            p.as_of,
                            rate(now),
                            latest.as_of,
                            rate(max)
                        ));
                    }
                }
            }
            Some(ShadowCheck {
                name: s.name.clone(),
                entity: s.entity.clone(),
                decommissioned: s.decision.is_some(),
                snapshot: latest.as_of.to_string(),
                rate: now,
                previous_rate: previous.map(|p| p.shadow.metrics.rate),
                passed: reasons.is_empty(),
                reasons,
            })
        })
        .collect();
    CheckReport {
        version: JSON_VERSION,
        as_of: status.as_of.to_string(),
        min_rate: opts.min_rate,
        max_drop: opts.max_drop,
        passed: shadows.iter().all(|s| s.passed),
        shadows,
    }
}

/// One line per shadow sheet, then a summary line.
pub fn render_check_text(report: &CheckReport) -> String {
    let mut out = String::new();
    let drop = report
        .max_drop
        .map(|d| format!(", max drop {}", rate(d)))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "adoption check as of {}: min rate {}{drop}",
        report.as_of,
        rate(report.min_rate)
    );
    let width = report
        .shadows
        .iter()
        .map(|s| s.name.chars().count())
        .max()
        .unwrap_or(0);
    for s in &report.shadows {
        let mark = if s.passed { '✓' } else { '✗' };
        let what = if !s.passed {
            s.reasons.join("; ")
        } else if s.decommissioned {
            "decommissioned, unchanged".to_string()
        } else {
            format!("rate {} on {}", rate(s.rate), s.snapshot)
        };
        let _ = writeln!(out, "{mark} {:<width$}  {what}", s.name);
    }
    let failed = report.shadows.iter().filter(|s| !s.passed).count();
    let total = report.shadows.len();
    let _ = match (total, failed) {
        (0, _) => writeln!(out, "no shadow sheet recorded in the ledger"),
        (_, 0) => writeln!(out, "all {total} shadow sheets passed"),
        _ => writeln!(out, "{failed} of {total} shadow sheets failed"),
    };
    out
}

/// The report as pretty-printed JSON, ending in a newline.
pub fn render_check_json(report: &CheckReport) -> Result<String, serde_json::Error> {
    serde_json::to_string_pretty(report).map(|s| s + "\n")
}

/// The report as JUnit XML: one testcase per shadow sheet, a failure for each
/// that failed.
pub fn render_check_junit(report: &CheckReport) -> String {
    let total = report.shadows.len();
    let failed = report.shadows.iter().filter(|s| !s.passed).count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"offsheet adoption check\" tests=\"{total}\" failures=\"{failed}\">"
    );
    let _ = writeln!(
        out,
        "  <testsuite name=\"adoption as of {}\" tests=\"{total}\" failures=\"{failed}\" errors=\"0\" skipped=\"0\">",
        xml(&report.as_of)
    );
    for s in &report.shadows {
        let name = xml(&s.name);
        let class = xml(&format!("adoption.{}", s.entity));
        if s.passed {
            let _ = writeln!(out, "    <testcase name=\"{name}\" classname=\"{class}\"/>");
            continue;
        }
        let message = xml(&s.reasons.join("; "));
        let _ = writeln!(out, "    <testcase name=\"{name}\" classname=\"{class}\">");
        let _ = writeln!(
            out,
            "      <failure message=\"{message}\" type=\"adoption\">{}</failure>",
            xml(&s.reasons.join("\n"))
        );
        let _ = writeln!(out, "    </testcase>");
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

/// Text safe inside an XML attribute or element; characters XML 1.0 cannot
/// hold at all become U+FFFD.
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\t' | '\r' => out.push_str(&format!("&#{};", c as u32)),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adoption::testkit::{date, input, ledger, rec};
    use crate::adoption::{AdoptionConfig, KeyedRecord, ShadowInput, record, status};

    /// `n` system orders dated 2026-09-30, "S1".."Sn".
    fn system(n: usize) -> Vec<KeyedRecord> {
        (1..=n)
            .map(|i| rec(&format!("S{i}"), "2026-09-30", &[]))
            .collect()
    }

    /// Two snapshots: "north & <east>" falls from 10/10 = 1.0 to 10/11 ≈ 0.909
    /// (a shadow-only order added); "south" stays at 10/10 = 1.0.
    fn two_weeks() -> (tempfile::TempDir, crate::ledger::Ledger) {
        let (dir, mut ledger) = ledger();
        let cfg = AdoptionConfig::default();
        let south = || input("south", vec![rec("S1", "2026-09-30", &[])], system(10));
        let north = |extra: bool| -> ShadowInput {
            let mut shadow = vec![rec("S2", "2026-09-30", &[])];
            if extra {
                shadow.push(rec("N1", "2026-10-05", &[]));
            }
            input("north & <east>", shadow, system(10))
        };
        record(
            &mut ledger,
            &[north(false), south()],
            date("2026-10-01"),
            &cfg,
        )
        .unwrap();
        record(
            &mut ledger,
            &[north(true), south()],
            date("2026-10-08"),
            &cfg,
        )
        .unwrap();
        (dir, ledger)
    }

    fn run(min_rate: f64, max_drop: Option<f64>) -> CheckReport {
        let (_dir, ledger) = two_weeks();
        let st = status(&ledger, date("2026-10-08"), &AdoptionConfig::default()).unwrap();
        check(&st, &CheckOptions { min_rate, max_drop })
    }

    #[test]
    fn below_the_bar_fails() {
        let r = run(0.95, None);
        assert!(!r.passed);
        assert_eq!(r.exit_code(), 1);
        assert_eq!(r.shadows[0].name, "north & <east>");
        assert_eq!(
            r.shadows[0].reasons,
            ["rate 0.909 on 2026-10-08 is below 0.95"]
        );
        assert_eq!(r.shadows[0].previous_rate, Some(1.0));
        assert!(r.shadows[1].passed);
        assert_eq!(r.shadows[1].reasons, Vec::<String>::new());
    }

    #[test]
    fn a_fall_larger_than_max_drop_fails_even_above_the_bar() {
        // 1.0 − 10/11 = 0.0909 > 0.05
        let r = run(0.9, Some(0.05));
        assert!(!r.passed);
        assert_eq!(
            r.shadows[0].reasons,
            ["rate fell from 1.00 on 2026-10-01 to 0.909 on 2026-10-08, more than 0.05"]
        );
        // 0.0909 ≤ 0.1
        assert!(run(0.9, Some(0.1)).passed);
        assert_eq!(run(0.9, Some(0.1)).exit_code(), 0);
    }

    #[test]
    fn renders_text_json_and_junit() {
        let r = run(0.95, Some(0.05));
        assert_eq!(
            render_check_text(&r),
            "adoption check as of 2026-10-08: min rate 0.95, max drop 0.05\n\
             ✗ north & <east>  rate 0.909 on 2026-10-08 is below 0.95; rate fell from 1.00 on 2026-10-01 to 0.909 on 2026-10-08, more than 0.05\n\
             ✓ south           rate 1.00 on 2026-10-08\n\
             1 of 2 shadow sheets failed\n"
        );
        let json: serde_json::Value =
            serde_json::from_str(&render_check_json(&r).unwrap()).unwrap();
        assert_eq!(json["version"], 1);
        assert_eq!(json["passed"], false);
        assert_eq!(json["shadows"][0]["reasons"].as_array().unwrap().len(), 2);
        assert_eq!(json["shadows"][1]["passed"], true);

        let xml = render_check_junit(&r);
        insta::with_settings!({ prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!("check_junit", xml);
        });
        // Well-formed: a parser reads it to the end and gets the name back.
        let mut reader = quick_xml::Reader::from_str(&xml);
        let mut names = Vec::new();
        loop {
            match reader.read_event().unwrap() {
                quick_xml::events::Event::Eof => break,
                quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e)
                    if e.name().0 == "testcase" =>
                {
                    let name = e.try_get_attribute("name").unwrap().unwrap();
                    let value = name.normalized_value(quick_xml::XmlVersion::Explicit1_0);
                    names.push(value.unwrap().into_owned());
                }
                _ => {}
            }
        }
        assert_eq!(names, ["north & <east>", "south"]);
    }

    #[test]
    fn xml_escapes_markup_and_drops_control_characters() {
        assert_eq!(
            xml("a<b>&\"c'\n\u{1}"),
            "a&lt;b&gt;&amp;&quot;c&apos;&#10;\u{FFFD}"
        );
    }

    #[test]
    fn an_empty_ledger_passes_and_says_so() {
        let (_dir, ledger) = ledger();
        let st = status(&ledger, date("2026-10-08"), &AdoptionConfig::default()).unwrap();
        let r = check(
            &st,
            &CheckOptions {
                min_rate: 0.98,
                max_drop: None,
            },
        );
        assert!(r.passed);
        assert_eq!(
            render_check_text(&r),
            "adoption check as of 2026-10-08: min rate 0.98\nno shadow sheet recorded in the ledger\n"
        );
    }
}
