use super::*;
use crate::source::grid::CellRef;
use crate::source::layout::cell_flags;
use proptest::test_runner::TestCaseError;

fn read(text: &[u8]) -> (Sheet, TextFormat) {
    read_csv((text, Backing::Memory), "t.csv", "csv", None, 1).unwrap()
}

fn row(sheet: &Sheet, r: usize) -> Vec<String> {
    (0..sheet.grid.cols())
        .map(|c| match sheet.grid.get(r, c) {
            CellRef::Text(t) => t.to_string(),
            _ => String::new(),
        })
        .collect()
}

/// Row flags worked out cell by cell from a parsed grid: what the reader
/// must have found as it split the records.
fn flags_of(grid: &Grid) -> RowFlags {
    let mut flags = RowFlags {
        blank: vec![true; grid.rows()],
        label: vec![false; grid.rows()],
        last_unfilled: vec![None; grid.cols()],
    };
    for r in 0..grid.rows() {
        for c in 0..grid.cols() {
            let text = match grid.get(r, c) {
                CellRef::Text(t) => t,
                _ => "",
            };
            let (filled, label) = cell_flags(text.as_bytes());
            if filled {
                flags.blank[r] = false;
            } else {
                flags.last_unfilled[c] = Some(r as u32);
            }
            flags.label[r] |= label;
        }
    }
    flags
}

#[test]
fn row_flags_are_found_as_records_are_split() {
    // A blank record, a record of spaces, a totals row, a short record and a
    // wider one, in quoted and plain text, on one chunk and on several.
    let plain = "Order,Qty,Note\nSO-1,1,\n,,\n ,\u{a0}, \nTotal:,2,\nSO-2\nSO-3,1,n,extra\n";
    let quoted = plain.replace("SO-1", "\"SO-1\"");
    for text in [plain, quoted.as_str()] {
        for (threads, min_bytes) in [(1, 1 << 20), (4, 16)] {
            let parsed =
                parse_in_chunks_of(text, (b',', 3), threads, min_bytes, (None, None)).unwrap();
            let flags = &parsed.flags;
            assert_eq!(flags.blank, [false, false, true, true, false, false, false]);
            assert_eq!(
                flags.label,
                [false, false, false, false, true, false, false]
            );
            // Qty is empty in rows 2, 3 and 5; Note everywhere but rows 0 and 6;
            // the extra column in every row but the last.
            assert_eq!(flags.last_unfilled, [Some(3), Some(5), Some(5), Some(5)]);
            assert_eq!(flags, &flags_of(&parsed.grid), "{threads} threads");
        }
    }
}

#[test]
fn sniffs_each_delimiter() {
    for (text, d) in [
        ("a,b,c\n1,2,3\n", ','),
        ("Artikel;Menge;Preis\nA-1;3;12,50\nA-2;4;1.234,00\n", ';'),
        ("a\tb\n1\t2\n", '\t'),
        ("a|b|c\n1|2|3\n", '|'),
    ] {
        let (_, f) = read(text.as_bytes());
        assert_eq!(f.delimiter, d, "{text:?}");
    }
}

#[test]
fn identifiers_stay_text_and_quotes_keep_newlines() {
    let (s, f) = read(b"id,note\r\n0017,\"two\r\nlines\"\r\n0018,\"say \"\"hi\"\"\"\r\n");
    assert_eq!(f.line_ending, "crlf");
    assert_eq!(row(&s, 1), ["0017", "two\r\nlines"]);
    assert_eq!(row(&s, 2), ["0018", "say \"hi\""]);
    // The record after the two-line field starts on line 4.
    assert_eq!(s.lines, [1, 2, 4]);
    assert_eq!(s.cell_name(2, 1), "B4");
}

#[test]
fn ragged_rows_are_kept_and_reported() {
    let (s, _) = read(b"a,b,c\n1,2,3\n4,5\n6,7,8,9\n");
    assert_eq!(s.grid.cols(), 4);
    assert_eq!(row(&s, 3), ["6", "7", "8", "9"]);
    assert_eq!(row(&s, 2), ["4", "5", "", ""]);
    let ragged: Vec<_> = s.ragged.iter().map(|r| (r.row, r.fields)).collect();
    assert_eq!(ragged, [(2, 2), (3, 4)]);
    assert_eq!(s.usual_fields, 3);
}

#[test]
fn old_mac_line_ends_count_lines() {
    let (s, f) = read(b"a,b\r1,2\r3,4\r");
    assert_eq!(f.line_ending, "cr");
    assert_eq!(s.grid.rows(), 3);
    assert_eq!(s.lines, [1, 2, 3]);
}

#[test]
fn blank_lines_shift_line_numbers() {
    let (s, _) = read(b"a,b\n\n1,2\n\n\n3,4\n");
    assert_eq!(s.lines, [1, 3, 6]);
}

#[test]
fn windows_1252_is_decoded() {
    let (s, f) = read(b"Z\xE4hler;Menge\nM\xFCller;3\n");
    assert_eq!(f.encoding, "windows-1252");
    assert_eq!(row(&s, 0), ["Zähler", "Menge"]);
    assert_eq!(row(&s, 1), ["Müller", "3"]);
}

#[test]
fn empty_and_binary_files_are_errors() {
    assert_eq!(
        read_csv((b"", Backing::Memory), "e.csv", "csv", None, 1)
            .unwrap_err()
            .kind(),
        "empty"
    );
    assert_eq!(
        read_csv(
            (b"\x00\x01\x02\x00", Backing::Memory),
            "b.csv",
            "csv",
            None,
            1
        )
        .unwrap_err()
        .kind(),
        "not_a_spreadsheet"
    );
}

/// Chunks parsed on several threads give exactly the sequential result,
/// including when a seam falls inside a quoted field with newlines.
#[test]
fn parallel_chunks_match_sequential_parse() {
    let mut text = String::from("id,note,qty\n");
    for i in 0..200_000 {
        if i % 997 == 0 {
            text.push_str(&format!("{i:06},\"multi\nline\n{i}\",{}\n", i % 7));
        } else if i % 1_301 == 0 {
            text.push_str(&format!("{i:06},short\n"));
        } else {
            text.push_str(&format!("{i:06},plain note {i},{}\n", i % 7));
        }
    }
    assert!(text.len() > PARALLEL_MIN_BYTES);
    let one = parse(&text, b',', 3, 1).unwrap();
    for threads in [2, 3, 8] {
        let many = parse(&text, b',', 3, threads).unwrap();
        assert_eq!(many.lines, one.lines);
        assert_eq!(many.ragged, one.ragged);
        assert_eq!(many.grid.rows(), one.grid.rows());
        for r in (0..one.grid.rows()).step_by(101) {
            for c in 0..3 {
                assert_eq!(many.grid.get(r, c), one.grid.get(r, c), "row {r} col {c}");
            }
        }
    }
    // A seam forced into a quoted field is detected and repaired.
    let bytes = text.as_bytes();
    let inside = text.find("multi\nline").unwrap() + 6;
    let chunk = parse_chunk(bytes, 0, Some(inside), b',', 3, &Sizes::default()).unwrap();
    assert_ne!(chunk.stopped_at, Some(inside));
}

proptest::proptest! {
    /// Any bytes give a sheet or a clear error, never a panic; every record
    /// has a line number and the line numbers never go down.
    #[test]
    fn any_bytes_read_or_fail_cleanly(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..2_000)) {
        if let Ok((sheet, _)) = read_csv((&bytes, Backing::Memory), "p.csv", "csv", None, 2) {
            proptest::prop_assert_eq!(sheet.lines.len(), sheet.grid.rows());
            proptest::prop_assert!(sheet.lines.windows(2).all(|w| w[0] <= w[1]));
        }
    }

    /// Text made of delimiters, quotes and line ends parses the same on one
    /// thread and on several.
    #[test]
    fn chunked_parsing_equals_sequential(cells in proptest::collection::vec("[a-c,;\"\n\r ]{0,6}", 1..400)) {
        let text = cells.join(",");
        let one = parse(&text, b',', 3, 1).unwrap();
        // Chunks from 64 bytes, so small texts are split too, seams and all.
        let many = parse_in_chunks_of(&text, (b',', 3), 4, 64, (None, None)).unwrap();
        proptest::prop_assert_eq!(&one.flags, &flags_of(&one.grid));
        proptest::prop_assert_eq!(&many.flags, &flags_of(&many.grid));
        proptest::prop_assert_eq!(&one.lines, &many.lines);
        proptest::prop_assert_eq!(&one.ragged, &many.ragged);
        proptest::prop_assert_eq!(one.grid.rows(), many.grid.rows());
        for r in 0..one.grid.rows() {
            for c in 0..one.grid.cols().max(many.grid.cols()) {
                proptest::prop_assert_eq!(one.grid.get(r, c), many.grid.get(r, c), "row {} col {}", r, c);
            }
        }
    }
}

#[test]
fn text_without_quotes_is_split_the_same_way() {
    // Blank lines, CRLF, a lone CR, a short and a long record, no quotes.
    let text = "a,b,c\r\n\r\n1,2,3\n4,5\r6,7,8,9\n\n,,\n";
    let plain = parse_with(text, b',', 3, 1, 1 << 20, Splitter::Plain(None)).unwrap();
    let quoted = parse_with(text, b',', 3, 1, 1 << 20, Splitter::Quoted).unwrap();
    assert_eq!(plain.lines, [1, 3, 4, 4, 6]);
    assert_eq!(plain.lines, quoted.lines);
    assert_eq!(plain.ragged, [(2, 2), (3, 4)]);
    assert_eq!(plain.ragged, quoted.ragged);
    assert_eq!(plain.grid.cols(), 4);
    for r in 0..5 {
        for c in 0..4 {
            assert_eq!(
                plain.grid.get(r, c),
                quoted.grid.get(r, c),
                "row {r} col {c}"
            );
        }
    }
    assert_eq!(plain.grid.get(3, 3), CellRef::Text("9"));
}

proptest::proptest! {
    /// Without quotes, the direct split gives exactly what the quote-aware
    /// parser gives: cells, line numbers and ragged records, in chunks too.
    #[test]
    fn plain_split_equals_the_quote_aware_parser(cells in proptest::collection::vec("[a-c,; \n\r]{0,6}", 1..400)) {
        same_split(&cells.join(","), 4, 64)?;
    }
}

proptest::proptest! {
    /// Fields and blank runs longer than the 64-byte blocks the direct split
    /// reads: a field or a record may span several blocks.
    #[test]
    fn plain_split_of_long_fields_equals_the_quote_aware_parser(
        cells in proptest::collection::vec("([a-c]{0,90}|[\n\r]{1,70}|;)", 1..120)
    ) {
        same_split(&cells.join(","), 3, 256)?;
    }
}

/// The direct split of `text` (on `threads` chunks of at least `min_bytes`)
/// gives the quote-aware parser's cells, line numbers and ragged records.
fn same_split(text: &str, threads: usize, min_bytes: usize) -> Result<(), TestCaseError> {
    let quoted = parse_with(text, b',', 3, 1, 1 << 20, Splitter::Quoted).unwrap();
    let plain = parse_with(text, b',', 3, threads, min_bytes, Splitter::Plain(None)).unwrap();
    proptest::prop_assert_eq!(&quoted.lines, &plain.lines);
    proptest::prop_assert_eq!(&quoted.ragged, &plain.ragged);
    proptest::prop_assert_eq!(&plain.flags, &flags_of(&plain.grid));
    proptest::prop_assert_eq!(&quoted.flags, &plain.flags);
    proptest::prop_assert_eq!(quoted.grid.rows(), plain.grid.rows());
    proptest::prop_assert_eq!(quoted.grid.cols(), plain.grid.cols());
    for r in 0..quoted.grid.rows() {
        for c in 0..quoted.grid.cols() {
            proptest::prop_assert_eq!(
                quoted.grid.get(r, c),
                plain.grid.get(r, c),
                "row {} col {}",
                r,
                c
            );
        }
    }
    Ok(())
}

#[test]
fn a_mapped_file_reads_the_same_with_its_pages_handed_back() {
    // 5 MiB of records (two chunks), a line longer than a page among them: from a
    // file mapping on two threads, its pages handed back as it goes, the sheet
    // is the one parsed from memory, and the mapping still reads the file.
    let mut text = String::from("Order ID,SKU,Qty,Note\r\n");
    let mut i = 0;
    while text.len() < 5 << 20 {
        let note = if i % 5_000 == 7 {
            "x".repeat(9_000)
        } else {
            format!("n{i}")
        };
        text.push_str(&format!("SO-{i},SKU-{:05},{},{note}\r\n", i % 977, i % 7));
        i += 1;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lines.csv");
    std::fs::write(&path, &text).unwrap();
    let file = std::fs::File::open(&path).unwrap();
    // SAFETY: the file is this test's own and nothing else writes it.
    let map = unsafe { memmap2::Mmap::map(&file) }.unwrap();
    let (mapped, _) = read_csv((&map, Backing::FileMap), "lines.csv", "csv", None, 2).unwrap();
    // The point of it: once read, the mapping holds almost none of its pages.
    #[cfg(target_os = "linux")]
    {
        let resident = mapping_rss_kib(map.as_ptr() as usize);
        assert!(resident < 64, "{resident} KiB of 5 MiB still resident");
    }
    let (read, _) = read_csv(
        (text.as_bytes(), Backing::Memory),
        "lines.csv",
        "csv",
        None,
        2,
    )
    .unwrap();
    assert_eq!(mapped.grid.rows(), i + 1);
    assert_eq!(mapped.lines, read.lines);
    for r in [0, 1, 7, 5_007, i / 2, i] {
        for c in 0..4 {
            assert_eq!(
                mapped.grid.get(r, c),
                read.grid.get(r, c),
                "row {r} col {c}"
            );
        }
    }
    assert!(map[..] == *text.as_bytes());
}

#[test]
fn only_text_inside_the_mapping_has_pages_to_hand_back() {
    let bytes = b"a,b\n1,2\n".to_vec();
    let inside = std::str::from_utf8(&bytes[4..]).unwrap();
    assert!(Behind::of(&bytes, inside).is_some());
    // A decoded copy (another encoding, lone CR line ends) lives elsewhere.
    let copy = String::from("a,b\n1,2\n");
    assert!(Behind::of(&bytes, &copy).is_none());
}

/// Resident KiB of the mapping that starts at `start`, from /proc/self/smaps.
#[cfg(target_os = "linux")]
fn mapping_rss_kib(start: usize) -> u64 {
    let smaps = std::fs::read_to_string("/proc/self/smaps").unwrap();
    let head = format!("{start:x}-");
    let mut lines = smaps.lines().skip_while(|l| !l.starts_with(&head));
    lines
        .find_map(|l| l.strip_prefix("Rss:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

#[test]
fn a_quote_is_found_anywhere_in_a_large_text() {
    let mut bytes = vec![b'a'; 9 << 20];
    assert!(!has_quote(&bytes));
    for at in [0, 4 << 20, bytes.len() - 1] {
        bytes[at] = b'"';
        assert!(has_quote(&bytes), "quote at {at}");
        bytes[at] = b'a';
    }
}

#[test]
fn a_quote_seen_as_a_large_file_is_decoded_sends_it_to_the_quote_aware_parser() {
    // Over 8 MiB of plain records (checked as UTF-8 in pieces, the quote
    // search done in the same pass), then one quoted field holding the
    // delimiter, in the last piece only.
    let line = "SO-1,SKU-1,3\n";
    let mut text = format!("Order,SKU,Qty\n{}", line.repeat((9 << 20) / line.len()));
    text.push_str("SO-2,\"SKU,2\",4\n");
    let (sheet, _) = read(text.as_bytes());
    let last = sheet.grid.rows() - 1;
    assert_eq!(row(&sheet, last), ["SO-2", "SKU,2", "4"]);
    assert_eq!(sheet.grid.cols(), 3);
}
