//! The `offsheet` binary: install the hooks, parse the command line, run it, and
//! turn the outcome into an exit code (see `offsheet::exit`).

use std::process::ExitCode;

use clap::Parser;

#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[global_allocator]
static ALLOCATOR: zeroed_pages::Allocator = zeroed_pages::Allocator;

fn main() -> ExitCode {
    one_malloc_arena();
    offsheet::exit::install_hooks();
    let cli = offsheet::cli::Cli::parse();
    match offsheet::cli::run(cli) {
        Ok(outcome) => outcome.into(),
        Err(report) => {
            eprintln!("{report:?}");
            offsheet::exit::Outcome::Error.into()
        }
    }
}

/// glibc gives each thread of the pool its own malloc arena, and memory freed in
/// one is not reused by another: a large audit then peaks about 10% higher. One
/// arena for all (set before any thread starts) measured no slower on the
/// 1M-line audit bench.
///
/// Blocks of 128 KiB and more are always mapped on their own, so each returns
/// to the system when freed. By default glibc raises that threshold to the size
/// of the largest block freed so far (up to 32 MiB): once a column's buffer was
/// freed, later buffers of that size stayed in the heap, and the heap kept the
/// freed space. On the 1M-line audit bench that was 7 MiB of the peak, with
/// the same time.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn one_malloc_arena() {
    // SAFETY: mallopt only sets allocator parameters; no thread is running yet.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}

/// The system allocator, except for large zeroed blocks aligned beyond what
/// malloc aligns to: those are fresh pages from the kernel, already zero.
///
/// polars keeps one 8 MiB block of zeroes, page-aligned, that all-null and
/// all-false buffers share. Asked for zeroed memory with that alignment, the
/// standard library gets it from `posix_memalign` and writes a zero to every
/// byte, which makes all 8 MiB resident for nothing. Mapped pages that nobody
/// writes stay the kernel's shared zero page.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod zeroed_pages {
    use std::alloc::{GlobalAlloc, Layout, System};

    const PAGE: usize = 4096;
    /// Blocks this large and larger are mapped (when over-aligned).
    const MAPPED: usize = 1 << 20;

    pub struct Allocator;

    /// Whether a block of this layout is mapped rather than malloc'ed: it is
    /// decided by the layout alone, so `dealloc` knows how to free it.
    fn mapped(layout: Layout) -> bool {
        layout.align() > 16 && layout.align() <= PAGE && layout.size() >= MAPPED
    }

    /// Fresh anonymous pages (zero, page-aligned), or null.
    fn map(size: usize) -> *mut u8 {
        // SAFETY: an anonymous private mapping touches no existing memory.
        let p = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                size,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        if p == libc::MAP_FAILED {
            std::ptr::null_mut()
        } else {
            p.cast()
        }
    }

    // SAFETY: mapped blocks are page-aligned (at least the alignment asked
    // for), as long as asked, and unmapped with the same length; every other
    // block is the system allocator's, given back to it.
    unsafe impl GlobalAlloc for Allocator {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            if mapped(layout) {
                map(layout.size())
            } else {
                // SAFETY: the caller's contract is passed on unchanged.
                unsafe { System.alloc(layout) }
            }
        }

        unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
            if mapped(layout) {
                map(layout.size())
            } else {
                // SAFETY: the caller's contract is passed on unchanged.
                unsafe { System.alloc_zeroed(layout) }
            }
        }

        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            if mapped(layout) {
                // SAFETY: the block was mapped by `map` with this length.
                unsafe { libc::munmap(ptr.cast(), layout.size()) };
            } else {
                // SAFETY: the caller's contract is passed on unchanged.
                unsafe { System.dealloc(ptr, layout) }
            }
        }

        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            // SAFETY: the caller guarantees new_size, rounded up to the
            // alignment, does not overflow isize.
            let new = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
            if !mapped(layout) && !mapped(new) {
                // SAFETY: both blocks are the system allocator's.
                return unsafe { System.realloc(ptr, layout, new_size) };
            }
            // SAFETY: a new block, the old one's bytes that fit copied into
            // it, then the old block freed the way it was allocated.
            unsafe {
                let out = self.alloc(new);
                if !out.is_null() {
                    std::ptr::copy_nonoverlapping(ptr, out, layout.size().min(new_size));
                    self.dealloc(ptr, layout);
                }
                out
            }
        }
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn one_malloc_arena() {}
