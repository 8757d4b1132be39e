//! The readiness report as one self-contained HTML page for a consultant:
//! inline CSS and SVG charts, no script, font or network request, readable on
//! paper, every value from the sheets escaped, the same bytes for the same input.

use std::fmt::Write as _;

use super::chart::{self, Bar, SEVERITY_COLORS};
use super::readiness::{Level, Readiness};
use crate::findings::Finding;

/// How many findings the page lists; the workbook holds all of them.
pub const TOP_FINDINGS: usize = 50;

/// Text made safe inside HTML elements and quoted attributes.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;\
color:#222;max-width:1100px;margin:2em auto;padding:0 1em}\
h1{font-size:1.6em;margin-bottom:.2em}\
h2{font-size:1.25em;border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}\
h3{font-size:1.05em;margin-bottom:.3em}\
.meta{color:#555;font-weight:normal}\
.verdict{padding:.8em 1em;border-left:6px solid #777;background:#f4f4f4;font-size:1.15em;font-weight:600}\
.verdict.ready{border-color:#1e8449;background:#e9f7ef}\
.verdict.nearly{border-color:#d68910;background:#fef5e7}\
.verdict.not{border-color:#b03a2e;background:#fdedec}\
table{border-collapse:collapse;width:100%;margin:.5em 0}\
th,td{border:1px solid #ddd;padding:.3em .5em;text-align:left;vertical-align:top}\
th{background:#f4f6f7}\
table.figures{width:auto}\
.n{text-align:right;font-variant-numeric:tabular-nums}\
.error{color:#b03a2e;font-weight:600}.warning{color:#b9770e;font-weight:600}.info{color:#2e86c1}\
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.92em;overflow-wrap:anywhere}\
.legend i{display:inline-block;width:.8em;height:.8em;margin:0 .3em 0 1em;vertical-align:middle}\
.met{color:#1e8449}.unmet{color:#b03a2e}\
ul.criteria{list-style:none;padding-left:0}\
@media print{body{margin:0;max-width:none;font-size:11px}h2,h3{break-after:avoid}\
tr,svg,.shadow{break-inside:avoid}\
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}";

/// The whole page.
pub fn render(r: &Readiness<'_>) -> String {
    let mut out = String::new();
    let title = format!("OMS readiness: {}", r.folder);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{} (as of {})</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <h1>{}</h1>\n<p class=\"meta\">As of {} · offsheet {} · {}</p>\n",
        escape(&title),
        r.as_of,
        escape(&title),
        r.as_of,
        env!("CARGO_PKG_VERSION"),
        if r.audit.configured {
            "mapped as offsheet.toml says"
        } else {
            "mapped automatically (no offsheet.toml)"
        }
    );
    summary(&mut out, r);
    by_category(&mut out, r);
    by_file(&mut out, r);
    inventory(&mut out, r);
    top_findings(&mut out, r);
    super::adoption_html::section(&mut out, &r.adoption);
    out.push_str("</body>\n</html>\n");
    out
}

fn figure(out: &mut String, label: &str, value: impl std::fmt::Display) {
    let _ = writeln!(out, "<tr><th>{label}</th><td class=\"n\">{value}</td></tr>");
}

fn summary(out: &mut String, r: &Readiness<'_>) {
    let class = match r.level {
        Level::Ready => "ready",
        Level::NearlyReady => "nearly",
        Level::NotReady => "not",
        Level::Empty => "empty",
    };
    let _ = writeln!(
        out,
        "<h2>Summary</h2>\n<p class=\"verdict {class}\">{}</p>\n<table class=\"figures\">",
        escape(&r.verdict)
    );
    figure(out, "Files read", r.files);
    figure(out, "Files unreadable", r.unreadable.len());
    figure(out, "Sheets", r.sheets);
    figure(out, "Sources mapped", r.sources);
    figure(out, "Rows read", r.rows);
    figure(out, "Rows rejected", r.rejected);
    figure(out, "Errors", r.counts.error);
    figure(out, "Warnings", r.counts.warning);
    figure(out, "Info", r.counts.info);
    out.push_str("</table>\n");
    if !r.unreadable.is_empty() {
        out.push_str("<h3>Files that could not be read</h3>\n<ul>\n");
        for (file, message) in &r.unreadable {
            let _ = writeln!(
                out,
                "<li><code>{}</code>: {}</li>",
                escape(file),
                escape(message)
            );
        }
        out.push_str("</ul>\n");
    }
    let notes: Vec<String> = r
        .audit
        .canonical
        .notes
        .iter()
        .cloned()
        .chain(
            r.audit
                .outcome
                .failures
                .iter()
                .map(|f| format!("rule {} could not run: {}", f.rule, f.message)),
        )
        .collect();
    if !notes.is_empty() {
        out.push_str("<h3>Notes</h3>\n<ul>\n");
        for n in notes {
            let _ = writeln!(out, "<li>{}</li>", escape(&n));
        }
        out.push_str("</ul>\n");
    }
}

fn by_category(out: &mut String, r: &Readiness<'_>) {
    out.push_str("<h2>Findings by category</h2>\n<p class=\"legend\">");
    for (name, color) in ["error", "warning", "info"].iter().zip(SEVERITY_COLORS) {
        let _ = write!(out, "<i style=\"background:{color}\"></i>{name}");
    }
    out.push_str("</p>\n");
    let bars: Vec<Bar<'_>> = r
        .by_category
        .iter()
        .map(|(c, counts)| Bar {
            label: c.name(),
            values: counts.as_array(),
        })
        .collect();
    out.push_str(&chart::stacked_bars("Findings by category", &bars));
    out.push('\n');
}

fn by_file(out: &mut String, r: &Readiness<'_>) {
    out.push_str(
        "<h2>Findings by file</h2>\n<table>\n<tr><th>File</th><th class=\"n\">Errors</th>\
         <th class=\"n\">Warnings</th><th class=\"n\">Info</th><th>By category</th></tr>\n",
    );
    for f in &r.by_file {
        let cats = if f.by_category.is_empty() {
            "none".to_string()
        } else {
            f.by_category
                .iter()
                .map(|(c, n)| format!("{} {n}", c.name()))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = writeln!(
            out,
            "<tr><td><code>{}</code></td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
             <td class=\"n\">{}</td><td>{cats}</td></tr>",
            escape(&f.file),
            f.counts.error,
            f.counts.warning,
            f.counts.info
        );
    }
    out.push_str("</table>\n");
}

fn inventory(out: &mut String, r: &Readiness<'_>) {
    out.push_str(
        "<h2>Inventory of sheets</h2>\n<table>\n<tr><th>File</th><th>Sheet</th>\
         <th class=\"n\">Header row</th><th class=\"n\">Data rows</th><th>Feeds</th>\
         <th>Hazards</th></tr>\n",
    );
    for s in &r.inventory {
        let sheet = match &s.sheet {
            Some(name) if s.hidden => format!("{} (hidden)", escape(name)),
            Some(name) => escape(name),
            None => "—".into(),
        };
        let feeds = match &s.no_table {
            Some(reason) => format!("no table: {}", escape(reason)),
            None if s.feeds.is_empty() => "nothing mapped".into(),
            None => s
                .feeds
                .iter()
                .map(|(entity, rows, rejected)| {
                    format!(
                        "{entity} ({}, {rejected} rejected)",
                        super::plural(*rows, "row", "rows")
                    )
                })
                .collect::<Vec<_>>()
                .join("; "),
        };
        let number = |n: Option<String>| n.unwrap_or_else(|| "—".into());
        let _ = writeln!(
            out,
            "<tr><td><code>{}</code></td><td>{sheet}</td><td class=\"n\">{}</td>\
             <td class=\"n\">{}</td><td>{feeds}</td><td>{}</td></tr>",
            escape(&s.file),
            number(s.header_row.map(|n| n.to_string())),
            number(s.data_rows.map(|n| n.to_string())),
            if s.hazards.is_empty() {
                "none".to_string()
            } else {
                escape(&s.hazards)
            }
        );
    }
    out.push_str("</table>\n");
}

fn top_findings(out: &mut String, r: &Readiness<'_>) {
    let top = r.top_findings(TOP_FINDINGS);
    let _ = writeln!(out, "<h2>Top findings</h2>");
    if top.is_empty() {
        out.push_str("<p>No findings.</p>\n");
        return;
    }
    let total = r.findings.len();
    let _ = writeln!(
        out,
        "<p>{} of {total}, errors first; <code>readiness.xlsx</code> lists every finding.</p>",
        top.len()
    );
    out.push_str(
        "<table>\n<tr><th>Severity</th><th>Category</th><th>Where</th><th>Key</th>\
         <th>Finding</th><th>Value</th><th>Expected</th></tr>\n",
    );
    for f in top {
        finding_row(out, f);
    }
    out.push_str("</table>\n");
}

fn finding_row(out: &mut String, f: &Finding) {
    let opt = |s: &Option<String>| s.as_deref().map(escape).unwrap_or_default();
    let value = match f.value.as_deref() {
        Some(v) if !v.is_empty() => format!("<code>{}</code>", escape(v)),
        _ => String::new(),
    };
    let mut message = escape(&f.message);
    for related in &f.related {
        let _ = write!(
            message,
            "<br><span class=\"meta\">see also <code>{}</code></span>",
            escape(&related.to_string())
        );
    }
    let _ = writeln!(
        out,
        "<tr><td class=\"{sev}\">{sev}</td><td>{}</td><td><code>{}</code></td>\
         <td>{}</td><td>{message}</td><td>{value}</td><td>{}</td></tr>",
        f.category.name(),
        escape(&f.location.to_string()),
        opt(&f.key),
        opt(&f.expected),
        sev = f.severity.name(),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::{Category, Location, Severity};

    #[test]
    fn escaping_covers_markup_and_both_quotes() {
        assert_eq!(
            escape("<script>alert('x & \"y\"')</script>"),
            "&lt;script&gt;alert(&#39;x &amp; &quot;y&quot;&#39;)&lt;/script&gt;"
        );
        assert_eq!(escape("Zähldatum › A1"), "Zähldatum › A1");
        assert_eq!(escape(""), "");
    }

    #[test]
    fn a_finding_row_escapes_every_value_from_the_sheet() {
        let mut location = Location::file("a<b>.csv");
        location.row = Some(3);
        location.cell = Some("C3".into());
        let f = Finding {
            rule: "orders.status",
            category: Category::InvalidValue,
            severity: Severity::Error,
            entity: None,
            key: Some("SO-1\"".into()),
            location,
            related: vec![Location::file("b&c.csv")],
            message: "unknown status <b>".into(),
            value: Some("<script>x</script>".into()),
            expected: Some("one of placed, paid".into()),
        };
        let mut out = String::new();
        finding_row(&mut out, &f);
        assert_eq!(
            out,
            "<tr><td class=\"error\">error</td><td>invalid_value</td>\
             <td><code>a&lt;b&gt;.csv › C3</code></td><td>SO-1&quot;</td>\
             <td>unknown status &lt;b&gt;<br><span class=\"meta\">see also <code>b&amp;c.csv</code></span></td>\
             <td><code>&lt;script&gt;x&lt;/script&gt;</code></td><td>one of placed, paid</td></tr>\n"
        );
    }
}
