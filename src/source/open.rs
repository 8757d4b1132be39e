//! Opening one file: pick the reader from the content and the name, read it, and
//! turn any failure (including a panic inside a reader library) into a
//! [`ReadError`] that names the file, so the other files go on.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;

use encoding_rs::Encoding;

use super::csv::{Backing, read_csv};
use super::workbook::read_workbook;
use super::{FileKind, ReadError, SourceFile};

/// How files are read.
#[derive(Debug, Clone, Copy)]
pub struct ReadOptions {
    /// Forces the encoding of delimited text files.
    pub encoding: Option<&'static Encoding>,
    /// Threads one large CSV file may be parsed on.
    pub threads: usize,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            encoding: None,
            threads: 1,
        }
    }
}

/// Largest file offsheet reads into memory.
const MAX_FILE_BYTES: u64 = 8 << 30;

/// Reads one file. `display` is the path findings will show.
pub fn read_file(path: &Path, display: &str, opts: &ReadOptions) -> Result<SourceFile, ReadError> {
    let meta = std::fs::metadata(path).map_err(|e| ReadError::Io {
        file: display.into(),
        reason: e.to_string(),
    })?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge {
            file: display.into(),
            reason: format!("{} GiB is over the 8 GiB a file may have", meta.len() >> 30),
        });
    }
    let bytes = FileBytes::open(path, meta.len()).map_err(|e| ReadError::Io {
        file: display.into(),
        reason: e.to_string(),
    })?;
    let backing = match bytes {
        FileBytes::Mapped(_) => Backing::FileMap,
        FileBytes::Read(_) => Backing::Memory,
    };
    let bytes: &[u8] = &bytes;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_string();
    if let Some(format) = old_excel(bytes) {
        return Err(ReadError::OldFormat {
            file: display.into(),
            format,
        });
    }
    if let Some(reason) = not_a_spreadsheet(bytes) {
        return Err(ReadError::NotASpreadsheet {
            file: display.into(),
            reason: reason.into(),
        });
    }
    let kind = detect_kind(bytes, &ext);
    guarded(display, || {
        read_bytes((bytes, backing), kind, &ext, display, opts)
    })
    .map(|(sheets, text)| SourceFile {
        path: path.to_path_buf(),
        display: display.to_string(),
        kind,
        sheets,
        text,
    })
}

type Read = (Vec<super::Sheet>, Option<super::TextFormat>);

/// Files above this size are mapped into memory rather than copied.
const MAP_MIN_BYTES: u64 = 1 << 20;

/// A file's bytes: mapped read-only for large files (no copy), read otherwise.
enum FileBytes {
    Mapped(memmap2::Mmap),
    Read(Vec<u8>),
}

impl FileBytes {
    fn open(path: &Path, len: u64) -> std::io::Result<FileBytes> {
        if len >= MAP_MIN_BYTES {
            let file = std::fs::File::open(path)?;
            // SAFETY: the map is read-only and offsheet never writes input files.
            // Another program truncating the file while it is read could still
            // fault; that is the same contract polars' own CSV reader works under.
            if let Ok(map) = unsafe { memmap2::Mmap::map(&file) } {
                return Ok(FileBytes::Mapped(map));
            }
        }
        std::fs::read(path).map(FileBytes::Read)
    }
}

impl std::ops::Deref for FileBytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            FileBytes::Mapped(m) => m,
            FileBytes::Read(v) => v,
        }
    }
}

fn read_bytes(
    (bytes, backing): (&[u8], Backing),
    kind: FileKind,
    ext: &str,
    display: &str,
    opts: &ReadOptions,
) -> Result<Read, ReadError> {
    match kind {
        FileKind::Csv => {
            let (sheet, format) =
                read_csv((bytes, backing), display, ext, opts.encoding, opts.threads)?;
            Ok((vec![sheet], Some(format)))
        }
        _ => Ok((read_workbook(bytes, kind, display)?, None)),
    }
}

/// The reader a file needs: the content's signature wins over the name.
pub fn detect_kind(bytes: &[u8], ext: &str) -> FileKind {
    let named = FileKind::from_extension(ext);
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return match named {
            Some(FileKind::Csv) | None => FileKind::Xls,
            Some(k) => k,
        };
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return match named {
            Some(k @ (FileKind::Xlsx | FileKind::Xlsm | FileKind::Xlsb | FileKind::Ods)) => k,
            _ if memchr::memmem::find(&bytes[..bytes.len().min(4096)], b"opendocument")
                .is_some() =>
            {
                FileKind::Ods
            }
            _ => FileKind::Xlsx,
        };
    }
    named.unwrap_or(FileKind::Csv)
}

/// Excel before version 5 (1993) wrote a worksheet as a bare stream of BIFF
/// records, not inside an OLE container: the file starts with the BOF record
/// of its version. No reader offsheet uses reads them.
fn old_excel(bytes: &[u8]) -> Option<&'static str> {
    match bytes.get(..4)? {
        [0x09, 0x00, 0x04, 0x00] => Some("an Excel 2.x file (BIFF2)"),
        [0x09, 0x02, 0x06, 0x00] => Some("an Excel 3.0 file (BIFF3)"),
        [0x09, 0x04, 0x06, 0x00] => Some("an Excel 4.0 file (BIFF4)"),
        _ => None,
    }
}

/// Compressed files and archives that hold no workbook: say what they are.
fn not_a_spreadsheet(bytes: &[u8]) -> Option<&'static str> {
    const COMPRESSED: [(&[u8], &str); 3] = [
        (b"\x1F\x8B", "a gzip-compressed file; decompress it first"),
        (b"BZh", "a bzip2-compressed file; decompress it first"),
        (
            b"\xFD7zXZ\x00",
            "an xz-compressed file; decompress it first",
        ),
    ];
    if let Some((_, why)) = COMPRESSED
        .iter()
        .find(|(magic, _)| bytes.starts_with(magic))
    {
        return Some(why);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        let head = &bytes[..bytes.len().min(64 * 1024)];
        let is_office = ["[Content_Types].xml", "mimetype", "xl/", "content.xml"]
            .iter()
            .any(|n| memchr::memmem::find(head, n.as_bytes()).is_some());
        if !is_office {
            return Some("a zip archive that holds no workbook; unzip it first");
        }
    }
    None
}

thread_local! {
    /// Set while a reader runs: its panic becomes a diagnostic, not a crash report.
    static GUARDED: Cell<bool> = const { Cell::new(false) };
}

/// Whether the current thread is inside [`guarded`]; the panic hook stays quiet then.
pub fn in_guarded_read() -> bool {
    GUARDED.with(Cell::get)
}

fn guarded<T>(display: &str, f: impl FnOnce() -> Result<T, ReadError>) -> Result<T, ReadError> {
    GUARDED.with(|g| g.set(true));
    let out = panic::catch_unwind(AssertUnwindSafe(f));
    GUARDED.with(|g| g.set(false));
    match out {
        Ok(result) => result,
        Err(payload) => {
            let reason = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown failure".into());
            Err(ReadError::Internal {
                file: display.into(),
                reason,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_files_from_before_excel_5_are_named_by_version() {
        // The first bytes of Apache POI's testEXCEL_3.xls and testEXCEL_4.xls.
        let biff3 = [0x09, 0x02, 0x06, 0x00, 0x00, 0x00, 0x10, 0x00];
        let biff4 = [0x09, 0x04, 0x06, 0x00, 0x00, 0x00, 0x10, 0x00];
        assert_eq!(old_excel(&biff3), Some("an Excel 3.0 file (BIFF3)"));
        assert_eq!(old_excel(&biff4), Some("an Excel 4.0 file (BIFF4)"));
        assert_eq!(
            old_excel(&[0x09, 0x00, 0x04, 0x00, 0x02, 0x00]),
            Some("an Excel 2.x file (BIFF2)")
        );
        // An OLE workbook (Excel 5 and later), text and a short file are not.
        assert_eq!(old_excel(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1]), None);
        assert_eq!(old_excel(b"\t\x02,sku\n"), None);
        assert_eq!(old_excel(&[0x09, 0x02]), None);
    }

    #[test]
    fn content_beats_the_name() {
        assert_eq!(detect_kind(b"PK\x03\x04rest", "csv"), FileKind::Xlsx);
        assert_eq!(detect_kind(b"\xD0\xCF\x11\xE0rest", "csv"), FileKind::Xls);
        assert_eq!(detect_kind(b"PK\x03\x04rest", "ods"), FileKind::Ods);
        assert_eq!(detect_kind(b"a,b\n1,2\n", "txt"), FileKind::Csv);
        assert_eq!(detect_kind(b"a,b\n1,2\n", "xlsx"), FileKind::Xlsx);
    }

    #[test]
    fn a_panic_in_a_reader_is_a_diagnostic() {
        let err = guarded::<()>("x.xlsx", || panic!("boom")).unwrap_err();
        assert_eq!(err.kind(), "internal");
        assert!(err.to_string().contains("x.xlsx") && err.to_string().contains("boom"));
        assert!(!in_guarded_read());
    }
}
