//! `--format junit`: one testcase per rule per source, failing with the rule's
//! findings in that source, for CI dashboards that read JUnit XML.

use std::io::Write;

use crate::audit::Audit;
use crate::findings::Finding;
use crate::rules::registry;

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

pub fn write(out: &mut impl Write, audit: &Audit) -> std::io::Result<()> {
    let findings = &audit.outcome.findings;
    let mut suites = Vec::new();
    let mut total = (0usize, 0usize);
    // Sources by file and sheet; a region feeding two tables is one suite.
    let mut places: Vec<(String, Option<String>)> = audit
        .canonical
        .sources
        .iter()
        .map(|s| (s.file.clone(), s.sheet.clone()))
        .collect();
    places.dedup();
    for (file, sheet) in &places {
        let label = match sheet {
            Some(s) => format!("{file} › {s}"),
            None => file.clone(),
        };
        let mut cases = Vec::new();
        let mut failures = 0;
        for rule in registry::RULES {
            let hits: Vec<&Finding> = findings
                .iter()
                .filter(|f| {
                    f.rule == rule.id && &f.location.file == file && &f.location.sheet == sheet
                })
                .collect();
            let mut case = format!(
                "    <testcase classname=\"{}\" name=\"{}\">\n",
                escape(&label),
                escape(rule.id)
            );
            if !hits.is_empty() {
                failures += 1;
                let body: Vec<String> = hits
                    .iter()
                    .map(|f| format!("{}: {} ({})", f.location, f.message, f.severity))
                    .collect();
                case.push_str(&format!(
                    "      <failure message=\"{} {}\" type=\"{}\">{}</failure>\n",
                    hits.len(),
                    if hits.len() == 1 {
                        "finding"
                    } else {
                        "findings"
                    },
                    rule.category.name(),
                    escape(&body.join("\n"))
                ));
            }
            case.push_str("    </testcase>\n");
            cases.push(case);
        }
        total.0 += cases.len();
        total.1 += failures;
        suites.push(format!(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\">\n{}  </testsuite>\n",
            escape(&label),
            cases.len(),
            cases.concat()
        ));
    }
    writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    writeln!(
        out,
        "<testsuites name=\"offsheet audit\" tests=\"{}\" failures=\"{}\">",
        total.0, total.1
    )?;
    for s in suites {
        write!(out, "{s}")?;
    }
    writeln!(out, "</testsuites>")
}
