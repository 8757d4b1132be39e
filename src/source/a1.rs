//! A1 cell addresses: column letters and 1-based rows, as Excel shows them.

/// Column letters for a 0-based column index: 0 → "A", 25 → "Z", 26 → "AA".
pub fn column_letter(col: u32) -> String {
    let mut n = u64::from(col) + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        out.push(b'A' + rem);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// 0-based column index for column letters ("A" → 0, "aa" → 26); `None` for
/// anything that is not 1 to 3 letters within Excel's 16,384 columns.
pub fn column_index(letters: &str) -> Option<u32> {
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    let mut n: u32 = 0;
    for b in letters.bytes() {
        if !b.is_ascii_alphabetic() {
            return None;
        }
        n = n * 26 + u32::from(b.to_ascii_uppercase() - b'A') + 1;
    }
    (n <= 16_384).then(|| n - 1)
}

/// "F17" for a 0-based column and a 1-based row.
pub fn cell_name(col: u32, row: u32) -> String {
    format!("{}{}", column_letter(col), row)
}

/// Splits "F17" into its 0-based column and 1-based row.
pub fn parse_cell(name: &str) -> Option<(u32, u32)> {
    let split = name.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = name.split_at(split);
    let col = column_index(letters)?;
    let row: u32 = digits.parse().ok()?;
    (row >= 1).then_some((col, row))
}

/// "A1:H1" for an inclusive range of 0-based columns and 1-based rows.
pub fn range_name(first_col: u32, first_row: u32, last_col: u32, last_row: u32) -> String {
    if first_col == last_col && first_row == last_row {
        cell_name(first_col, first_row)
    } else {
        format!(
            "{}:{}",
            cell_name(first_col, first_row),
            cell_name(last_col, last_row)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn letters_at_the_edges() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
        assert_eq!(column_letter(16_383), "XFD");
        assert_eq!(column_index("XFD"), Some(16_383));
        assert_eq!(column_index("XFE"), None);
        assert_eq!(column_index("a1"), None);
    }

    #[test]
    fn cells_and_ranges() {
        assert_eq!(cell_name(5, 17), "F17");
        assert_eq!(parse_cell("F17"), Some((5, 17)));
        assert_eq!(parse_cell("F0"), None);
        assert_eq!(parse_cell("17"), None);
        assert_eq!(range_name(0, 1, 7, 1), "A1:H1");
        assert_eq!(range_name(2, 4, 2, 4), "C4");
    }

    proptest! {
        #[test]
        fn a1_round_trips(col in 0u32..16_384, row in 1u32..1_048_577) {
            let name = cell_name(col, row);
            prop_assert_eq!(parse_cell(&name), Some((col, row)));
        }

        #[test]
        fn parse_cell_never_panics(s in ".{0,12}") {
            let _ = parse_cell(&s);
        }
    }
}
