//! Yes/no cells as people type them: words in four languages, ticks, 1/0, paid/unpaid.

use super::{ParseFail, fold};

/// Folded spellings of true, space-separated.
const TRUE: &str = "true yes y x \u{2713} \u{2714} \u{2611} 1 1.0 paid t ja j oui si wahr vrai \
    verdadero on";

/// Folded spellings of false, space-separated.
const FALSE: &str = "false no n 0 0.0 unpaid f nein non falso faux falsch open off";

/// Parses a yes/no cell, case-insensitive, trimmed and accent-free ("Sí" is "si").
/// "open" is false: in a paid column an open invoice is an unpaid one.
/// "x" is true (a ticked box); crosses like "✗" are rejected, as some mean ticked and
/// some mean no. An empty cell is not false: the caller handles empties.
pub fn parse_bool(s: &str) -> Result<bool, ParseFail> {
    let key = fold(s.trim());
    let is = |words: &str| words.split(' ').any(|w| w == key);
    if is(TRUE) {
        Ok(true)
    } else if is(FALSE) {
        Ok(false)
    } else if key.is_empty() {
        Err(ParseFail::new("empty"))
    } else {
        Err(ParseFail::new("not a yes/no value"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn true_spellings() {
        let spellings =
            "true TRUE Yes y X x ✓ ✔ ☑ 1 Paid t Ja oui Sí si SI wahr Vrai verdadero 1.0 on";
        for s in spellings.split(' ').chain([" yes "]) {
            assert_eq!(parse_bool(s), Ok(true), "{s:?}");
        }
    }

    #[test]
    fn false_spellings() {
        let spellings =
            "false FALSE No n 0 unpaid UNPAID f nein Non falso faux falsch open Open 0.0 off";
        for s in spellings.split(' ').chain([" no "]) {
            assert_eq!(parse_bool(s), Ok(false), "{s:?}");
        }
    }

    #[test]
    fn empty_is_not_false() {
        assert_eq!(parse_bool(""), Err(ParseFail::new("empty")));
        assert_eq!(parse_bool("   "), Err(ParseFail::new("empty")));
    }

    #[test]
    fn other_text_fails() {
        for s in ["maybe", "2", "✗", "yes!", "paid?", "-1", "tru"] {
            assert_eq!(
                parse_bool(s),
                Err(ParseFail::new("not a yes/no value")),
                "{s:?}"
            );
        }
    }
}
