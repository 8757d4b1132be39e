//! Charts as inline SVG for the HTML report: no script and no external file,
//! the same bytes for the same numbers, and readable on paper.

use std::fmt::Write as _;

use super::html::escape;

/// Error, warning, info: the stacking order and colours of the bars.
pub const SEVERITY_COLORS: [&str; 3] = ["#b03a2e", "#d68910", "#2e86c1"];

/// One bar: its label and its error, warning and info counts.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar<'a> {
    pub label: &'a str,
    pub values: [usize; 3],
}

const WIDTH: f64 = 640.0;
const LABEL_END: f64 = 164.0;
const BAR_START: f64 = 170.0;
const BAR_SPAN: f64 = 420.0;
const ROW: f64 = 20.0;
const BAR_HEIGHT: f64 = 14.0;

fn open(out: &mut String, title: &str, width: f64, height: f64) {
    let t = escape(title);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"{width}\" \
         height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{t}\" \
         font-family=\"sans-serif\" font-size=\"12\"><title>{t}</title>"
    );
}

/// Horizontal bars, one per label, each stacked error | warning | info and
/// scaled to the longest; the total is written after the bar.
pub fn stacked_bars(title: &str, bars: &[Bar<'_>]) -> String {
    let longest = bars
        .iter()
        .map(|b| b.values.iter().sum::<usize>())
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let height = ROW * bars.len() as f64 + 4.0;
    let mut out = String::new();
    open(&mut out, title, WIDTH, height);
    for (i, bar) in bars.iter().enumerate() {
        let y = ROW * i as f64 + 4.0;
        let text_y = y + 11.0;
        let _ = write!(
            out,
            "<text x=\"{LABEL_END}\" y=\"{text_y}\" text-anchor=\"end\">{}</text>",
            escape(bar.label)
        );
        let mut x = BAR_START;
        for (value, color) in bar.values.iter().zip(SEVERITY_COLORS) {
            if *value == 0 {
                continue;
            }
            let w = *value as f64 / longest * BAR_SPAN;
            let _ = write!(
                out,
                "<rect x=\"{x:.1}\" y=\"{y}\" width=\"{w:.1}\" height=\"{BAR_HEIGHT}\" fill=\"{color}\"/>"
            );
            x += w;
        }
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{text_y}\">{}</text>",
            x + 4.0,
            bar.values.iter().sum::<usize>()
        );
    }
    out.push_str("</svg>");
    out
}

const LINE_WIDTH: f64 = 360.0;
const LINE_HEIGHT: f64 = 140.0;
const PLOT_LEFT: f64 = 40.0;
const PLOT_RIGHT: f64 = 350.0;
const PLOT_TOP: f64 = 10.0;
const PLOT_BOTTOM: f64 = 110.0;

fn rate_y(rate: f64) -> f64 {
    PLOT_BOTTOM - rate.clamp(0.0, 1.0) * (PLOT_BOTTOM - PLOT_TOP)
}

/// Adoption rates over snapshots (oldest first, each labelled by its date) as
/// a line from 0 to 1, with the decommission bar dashed across.
pub fn rate_line(title: &str, points: &[(String, f64)], bar: f64) -> String {
    let mut out = String::new();
    open(&mut out, title, LINE_WIDTH, LINE_HEIGHT);
    for (rate, label) in [(1.0, "1.0"), (0.5, "0.5"), (0.0, "0")] {
        let y = rate_y(rate);
        let _ = write!(
            out,
            "<line x1=\"{PLOT_LEFT}\" y1=\"{y}\" x2=\"{PLOT_RIGHT}\" y2=\"{y}\" stroke=\"#ddd\"/>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"end\">{label}</text>",
            PLOT_LEFT - 6.0,
            y + 4.0
        );
    }
    let bar_y = rate_y(bar);
    let _ = write!(
        out,
        "<line x1=\"{PLOT_LEFT}\" y1=\"{bar_y:.1}\" x2=\"{PLOT_RIGHT}\" y2=\"{bar_y:.1}\" \
         stroke=\"#555\" stroke-dasharray=\"4 3\"><title>bar {}</title></line>",
        crate::adoption::rate_text(bar)
    );
    let step = match points.len() {
        0 | 1 => 0.0,
        n => (PLOT_RIGHT - PLOT_LEFT) / (n - 1) as f64,
    };
    let x_of = |i: usize| match points.len() {
        1 => (PLOT_LEFT + PLOT_RIGHT) / 2.0,
        _ => PLOT_LEFT + step * i as f64,
    };
    if points.len() > 1 {
        let coords: Vec<String> = points
            .iter()
            .enumerate()
            .map(|(i, (_, r))| format!("{:.1},{:.1}", x_of(i), rate_y(*r)))
            .collect();
        let _ = write!(
            out,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"#1f618d\" stroke-width=\"2\"/>",
            coords.join(" ")
        );
    }
    for (i, (label, r)) in points.iter().enumerate() {
        let _ = write!(
            out,
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\" fill=\"#1f618d\"><title>{}: {}</title></circle>",
            x_of(i),
            rate_y(*r),
            escape(label),
            crate::adoption::rate_text(*r)
        );
    }
    let ends = match (points.first(), points.last()) {
        (Some(first), Some(last)) if points.len() > 1 => {
            vec![(PLOT_LEFT, "start", &first.0), (PLOT_RIGHT, "end", &last.0)]
        }
        (Some(only), _) => vec![(x_of(0), "middle", &only.0)],
        _ => Vec::new(),
    };
    for (x, anchor, label) in ends {
        let _ = write!(
            out,
            "<text x=\"{x}\" y=\"{}\" text-anchor=\"{anchor}\">{}</text>",
            PLOT_BOTTOM + 20.0,
            escape(label)
        );
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_stack_by_severity_and_scale_to_the_longest() {
        let svg = stacked_bars(
            "Findings <by> category",
            &[
                Bar {
                    label: "invalid_type",
                    values: [3, 1, 0],
                },
                Bar {
                    label: "stuck",
                    values: [0, 2, 0],
                },
                Bar {
                    label: "oversold",
                    values: [0, 0, 0],
                },
            ],
        );
        assert_eq!(
            svg,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"640\" height=\"64\" \
             viewBox=\"0 0 640 64\" role=\"img\" aria-label=\"Findings &lt;by&gt; category\" \
             font-family=\"sans-serif\" font-size=\"12\"><title>Findings &lt;by&gt; category</title>\
             <text x=\"164\" y=\"15\" text-anchor=\"end\">invalid_type</text>\
             <rect x=\"170.0\" y=\"4\" width=\"315.0\" height=\"14\" fill=\"#b03a2e\"/>\
             <rect x=\"485.0\" y=\"4\" width=\"105.0\" height=\"14\" fill=\"#d68910\"/>\
             <text x=\"594.0\" y=\"15\">4</text>\
             <text x=\"164\" y=\"35\" text-anchor=\"end\">stuck</text>\
             <rect x=\"170.0\" y=\"24\" width=\"210.0\" height=\"14\" fill=\"#d68910\"/>\
             <text x=\"384.0\" y=\"35\">2</text>\
             <text x=\"164\" y=\"55\" text-anchor=\"end\">oversold</text>\
             <text x=\"174.0\" y=\"55\">0</text></svg>"
        );
    }

    #[test]
    fn no_bars_is_an_empty_chart_not_a_division_by_zero() {
        assert_eq!(
            stacked_bars("t", &[]),
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"640\" height=\"4\" \
             viewBox=\"0 0 640 4\" role=\"img\" aria-label=\"t\" font-family=\"sans-serif\" \
             font-size=\"12\"><title>t</title></svg>"
        );
    }

    const GRID: &str = "<line x1=\"40\" y1=\"10\" x2=\"350\" y2=\"10\" stroke=\"#ddd\"/>\
        <text x=\"34\" y=\"14\" text-anchor=\"end\">1.0</text>\
        <line x1=\"40\" y1=\"60\" x2=\"350\" y2=\"60\" stroke=\"#ddd\"/>\
        <text x=\"34\" y=\"64\" text-anchor=\"end\">0.5</text>\
        <line x1=\"40\" y1=\"110\" x2=\"350\" y2=\"110\" stroke=\"#ddd\"/>\
        <text x=\"34\" y=\"114\" text-anchor=\"end\">0</text>";

    #[test]
    fn the_rate_line_runs_oldest_to_newest_under_the_bar() {
        let svg = rate_line(
            "tracker",
            &[
                ("2026-10-05".into(), 0.4),
                ("2026-10-12".into(), 0.75),
                ("2026-10-19".into(), 1.0),
            ],
            0.98,
        );
        let expected = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"360\" height=\"140\" \
             viewBox=\"0 0 360 140\" role=\"img\" aria-label=\"tracker\" font-family=\"sans-serif\" \
             font-size=\"12\"><title>tracker</title>{GRID}\
             <line x1=\"40\" y1=\"12.0\" x2=\"350\" y2=\"12.0\" stroke=\"#555\" \
             stroke-dasharray=\"4 3\"><title>bar 0.98</title></line>\
             <polyline points=\"40.0,70.0 195.0,35.0 350.0,10.0\" fill=\"none\" stroke=\"#1f618d\" stroke-width=\"2\"/>\
             <circle cx=\"40.0\" cy=\"70.0\" r=\"3\" fill=\"#1f618d\"><title>2026-10-05: 0.40</title></circle>\
             <circle cx=\"195.0\" cy=\"35.0\" r=\"3\" fill=\"#1f618d\"><title>2026-10-12: 0.75</title></circle>\
             <circle cx=\"350.0\" cy=\"10.0\" r=\"3\" fill=\"#1f618d\"><title>2026-10-19: 1.00</title></circle>\
             <text x=\"40\" y=\"130\" text-anchor=\"start\">2026-10-05</text>\
             <text x=\"350\" y=\"130\" text-anchor=\"end\">2026-10-19</text></svg>"
        );
        assert_eq!(svg, expected);
    }

    #[test]
    fn one_snapshot_is_a_single_point_in_the_middle() {
        let svg = rate_line("a & b", &[("2026-10-05".into(), 0.5)], 0.98);
        assert!(svg.contains("aria-label=\"a &amp; b\""), "{svg}");
        assert!(!svg.contains("<polyline"), "{svg}");
        assert!(
            svg.contains("<circle cx=\"195.0\" cy=\"60.0\" r=\"3\" fill=\"#1f618d\"><title>2026-10-05: 0.50</title></circle>"),
            "{svg}"
        );
        assert!(
            svg.ends_with(
                "<text x=\"195\" y=\"130\" text-anchor=\"middle\">2026-10-05</text></svg>"
            ),
            "{svg}"
        );
    }
}
