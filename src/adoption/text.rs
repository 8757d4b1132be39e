//! How adoption numbers read in messages and tables: rates, sparklines, counts.

/// A rate for people: at most four decimals, at least two, cut (not rounded)
/// so a rate just below a bar never prints as the bar itself.
/// 0.98 → "0.98", 60/61 → "0.9836", 1/3 → "0.3333", 1.0 → "1.00".
pub fn rate(r: f64) -> String {
    // The 1e-9 keeps a rate that is exactly 0.98 from cutting to 0.9799.
    let cut = ((r * 10_000.0) + 1e-9).floor() / 10_000.0;
    let mut s = format!("{cut:.4}");
    while s.ends_with('0') && s.len() > s.find('.').map_or(0, |p| p + 3) {
        s.pop();
    }
    s
}

/// A rate's trend, oldest first: one block per snapshot, ▁ for 0 up to █ for 1.
pub fn sparkline(rates: impl IntoIterator<Item = f64>) -> String {
    const BLOCKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    rates
        .into_iter()
        .map(|r| {
            let level = (r.clamp(0.0, 1.0) * 7.0).round() as usize;
            BLOCKS.get(level).copied().unwrap_or('█')
        })
        .collect()
}

/// "1 key", "3 keys".
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_cut_not_round() {
        assert_eq!(rate(0.98), "0.98");
        assert_eq!(rate(49.0 / 50.0), "0.98");
        assert_eq!(rate(60.0 / 61.0), "0.9836");
        assert_eq!(rate(0.97999), "0.9799");
        assert_eq!(rate(1.0 / 3.0), "0.3333");
        assert_eq!(rate(1.0), "1.00");
        assert_eq!(rate(0.0), "0.00");
        assert_eq!(rate(0.5), "0.50");
    }

    #[test]
    fn sparkline_maps_zero_to_one_onto_eight_blocks() {
        assert_eq!(sparkline([0.0, 0.2, 0.5, 0.75, 0.9, 0.98, 1.0]), "▁▂▅▆▇██");
        assert_eq!(sparkline(Vec::new()), "");
    }
}
