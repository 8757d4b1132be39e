//! Turning the bytes of a delimited text file into UTF-8: byte-order marks first,
//! then valid UTF-8, then UTF-16 without a mark, else Windows-1252 (the encoding
//! Excel on Windows writes "CSV" in). `--encoding` overrides the guess.

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};
use std::borrow::Cow;

/// The decoded text and how it was decoded.
#[derive(Debug)]
pub struct Decoded<'a> {
    pub text: Cow<'a, str>,
    pub encoding: &'static Encoding,
    pub bom: bool,
    /// Whether bytes that do not exist in the encoding were replaced by U+FFFD.
    pub had_errors: bool,
    /// Whether the text holds a double quote, when that was seen as it was
    /// checked (a large UTF-8 file).
    pub quotes: Option<bool>,
}

/// What looks wrong with bytes that should be text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotText {
    /// NUL bytes that are not UTF-16: a binary file.
    Binary,
}

/// Decodes `bytes`, guessing the encoding unless `forced` names one.
pub fn decode<'a>(
    bytes: &'a [u8],
    forced: Option<&'static Encoding>,
) -> Result<Decoded<'a>, NotText> {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let enc = forced.unwrap_or(enc);
        return Ok(transcode(&bytes[bom_len..], enc, true));
    }
    if let Some(enc) = forced {
        return Ok(transcode(bytes, enc, false));
    }
    if let Some(enc) = sniff_utf16(bytes) {
        return Ok(transcode(bytes, enc, false));
    }
    let head = &bytes[..bytes.len().min(64 * 1024)];
    if memchr::memchr(0, head).is_some() {
        return Err(NotText::Binary);
    }
    match utf8(bytes) {
        Some((text, quotes)) => Ok(Decoded {
            text: Cow::Borrowed(text),
            encoding: UTF_8,
            bom: false,
            had_errors: false,
            quotes,
        }),
        None => Ok(transcode(bytes, WINDOWS_1252, false)),
    }
}

/// Bytes checked per piece: a large file is checked in pieces side by side,
/// each small enough to be searched for a quote while it is still in the
/// core's cache.
const UTF8_PIECE: usize = 1 << 20;

/// `bytes` as text when they are valid UTF-8, and for a large text whether
/// it holds a double quote (found in the same pass).
fn utf8(bytes: &[u8]) -> Option<(&str, Option<bool>)> {
    use rayon::prelude::*;
    if bytes.len() < 8 * UTF8_PIECE {
        return std::str::from_utf8(bytes).ok().map(|text| (text, None));
    }
    // The first piece starts at 0; each later one on the first byte at or
    // after its even share that begins a character (not 10xxxxxx), so the
    // starts never go down.
    let n = bytes.len() / UTF8_PIECE;
    let mut starts: Vec<usize> = std::iter::once(0)
        .chain((1..n).map(|k| {
            let even = bytes.len() / n * k;
            (even..bytes.len())
                .find(|&i| bytes[i] & 0xC0 != 0x80)
                .unwrap_or(bytes.len())
        }))
        .collect();
    starts.push(bytes.len());
    // Per piece: `None` when it is not UTF-8, else whether it holds a quote.
    let pieces: Option<Vec<bool>> = starts
        .par_windows(2)
        .map(|w| {
            let piece = bytes.get(w[0]..w[1])?;
            std::str::from_utf8(piece).ok()?;
            Some(memchr::memchr(b'"', piece).is_some())
        })
        .collect();
    let quotes = pieces?.contains(&true);
    // SAFETY: the pieces cover `bytes` end to end (each starts where the one
    // before ends), and each is valid UTF-8: a sequence of whole characters.
    // Whole characters one after another are valid UTF-8.
    Some((
        unsafe { std::str::from_utf8_unchecked(bytes) },
        Some(quotes),
    ))
}

fn transcode<'a>(bytes: &'a [u8], enc: &'static Encoding, bom: bool) -> Decoded<'a> {
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    Decoded {
        text,
        encoding: enc,
        bom,
        had_errors,
        quotes: None,
    }
}

/// UTF-16 without a byte-order mark: mostly-ASCII text shows NULs in every other byte.
fn sniff_utf16(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096) & !1];
    if head.len() < 4 {
        return None;
    }
    let pairs = head.len() / 2;
    let even_nuls = head.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd_nuls = head.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    if odd_nuls * 10 >= pairs * 7 && even_nuls * 10 <= pairs {
        Some(UTF_16LE)
    } else if even_nuls * 10 >= pairs * 7 && odd_nuls * 10 <= pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// The encoding a label such as `latin1`, `utf-16le` or `cp1252` names.
pub fn for_label(label: &str) -> Option<&'static Encoding> {
    Encoding::for_label(label.trim().as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_text_is_checked_in_pieces_as_one() {
        // Two-, three- and four-byte characters across every piece boundary.
        let line = "SKU-1,Café,€12,𝄞 note\n";
        let text = line.repeat(9 * UTF8_PIECE / line.len());
        assert_eq!(utf8(text.as_bytes()), Some((text.as_str(), Some(false))));
        // A quote in the last piece only is seen; a small text leaves it to the reader.
        let quoted = format!("{text}\"x\"\n");
        assert_eq!(utf8(quoted.as_bytes()), Some((quoted.as_str(), Some(true))));
        assert_eq!(utf8(line.as_bytes()), Some((line, None)));
        // One bad byte anywhere (first, inside a piece, last) is found.
        for at in [0, UTF8_PIECE + 7, text.len() - 1] {
            let mut bad = text.clone().into_bytes();
            bad[at] = 0xFF;
            assert_eq!(utf8(&bad), None, "0xFF at {at}");
        }
        // A character cut by the end of the text, and a text that starts inside one.
        let mut cut = text.clone().into_bytes();
        cut.extend_from_slice(&"€".as_bytes()[..2]);
        assert_eq!(utf8(&cut), None);
        let inside = &text.as_bytes()[line.find('€').unwrap_or(0) + 1..];
        assert_eq!(utf8(inside), None);
    }

    #[test]
    fn utf8_with_and_without_bom() {
        let d = decode("a;b\n".as_bytes(), None).unwrap();
        assert_eq!(
            (d.encoding.name(), d.bom, &*d.text),
            ("UTF-8", false, "a;b\n")
        );
        let d = decode(b"\xEF\xBB\xBFSKU,Qty\n", None).unwrap();
        assert_eq!(
            (d.encoding.name(), d.bom, &*d.text),
            ("UTF-8", true, "SKU,Qty\n")
        );
    }

    #[test]
    fn utf16_with_bom_both_orders() {
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Zähler\n".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        let d = decode(&le, None).unwrap();
        assert_eq!((d.encoding.name(), &*d.text), ("UTF-16LE", "Zähler\n"));
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("Zähler\n".encode_utf16().flat_map(|u| u.to_be_bytes()))
            .collect();
        let d = decode(&be, None).unwrap();
        assert_eq!((d.encoding.name(), &*d.text), ("UTF-16BE", "Zähler\n"));
    }

    #[test]
    fn utf16_without_bom_is_sniffed() {
        let le: Vec<u8> = "sku,qty\nA-1,3\n"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        let d = decode(&le, None).unwrap();
        assert_eq!(
            (d.encoding.name(), &*d.text),
            ("UTF-16LE", "sku,qty\nA-1,3\n")
        );
    }

    #[test]
    fn invalid_utf8_is_windows_1252() {
        let d = decode(b"Z\xE4hler;St\xFCck\n", None).unwrap();
        assert_eq!(
            (d.encoding.name(), &*d.text),
            ("windows-1252", "Zähler;Stück\n")
        );
    }

    #[test]
    fn forced_encoding_wins() {
        let d = decode(b"\xC3\xA4", for_label("latin1")).unwrap();
        assert_eq!(&*d.text, "Ã¤");
    }

    #[test]
    fn binary_is_refused() {
        assert_eq!(
            decode(b"PK\x03\x04\x00\x00\x01", None).unwrap_err(),
            NotText::Binary
        );
    }
}
