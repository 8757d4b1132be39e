//! How offsheet asks glibc for memory: the settings behind the peak memory of
//! a large audit, and an allocator that leaves zeroed pages untouched.
//!
//! Elsewhere (other C libraries, other systems) these are no-ops and the
//! system allocator is used as it is.

/// For reading, mapping and auditing: set before any thread starts.
///
/// glibc gives each thread of the pool its own malloc arena, and memory freed
/// in one is not reused by another: a large audit then peaks about 10% higher.
/// One arena for all measured no slower on the 1M-line audit bench.
///
/// Blocks of 128 KiB and more are always mapped on their own, so each returns
/// to the system when freed. By default glibc raises that threshold to the
/// size of the largest block freed so far (up to 32 MiB): once a column's
/// buffer was freed, later buffers of that size stayed in the heap, and the
/// heap kept the freed space. On the 1M-line audit bench that was 7 MiB of the
/// peak, with the same time.
pub fn for_reading() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets allocator parameters.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}

/// For writing tables once they are built: the Parquet writer allocates and
/// frees many blocks of a few hundred KiB, each of which [`for_reading`] maps
/// and unmaps afresh. With glibc's largest threshold they are reused from the
/// heap: `ingest` of 1M order lines took 129k page faults instead of 76k,
/// and about 50 ms longer, at the same peak.
pub fn for_writing() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 32 << 20);
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

#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub use zeroed_pages::Allocator;

#[cfg(all(test, target_os = "linux", target_env = "gnu"))]
mod tests {
    use super::Allocator;
    use std::alloc::{GlobalAlloc, Layout};

    #[test]
    fn large_aligned_blocks_are_zero_keep_their_bytes_and_free() {
        // polars' block of zeroes (8 MiB, page-aligned), grown and shrunk
        // across the mapped size, and a small block left to malloc.
        let big = Layout::from_size_align(8 << 20, 4096).unwrap();
        // SAFETY: every block is used within its layout and freed once, with
        // the layout it was allocated (or reallocated) with.
        unsafe {
            let p = Allocator.alloc_zeroed(big);
            assert!(!p.is_null());
            assert_eq!(p as usize % 4096, 0);
            // The point of it: none of the 2,048 pages is resident yet.
            let mut resident = vec![0u8; big.size() / 4096];
            assert_eq!(
                libc::mincore(p.cast(), big.size(), resident.as_mut_ptr()),
                0
            );
            assert!(resident.iter().all(|&r| r & 1 == 0));
            let bytes = std::slice::from_raw_parts_mut(p, big.size());
            assert!(bytes.iter().all(|&b| b == 0));
            bytes[0] = 7;
            bytes[big.size() - 1] = 9;
            let q = Allocator.realloc(p, big, 16 << 20);
            assert_eq!((*q, *q.add(big.size() - 1)), (7, 9));
            let grown = Layout::from_size_align(16 << 20, 4096).unwrap();
            let r = Allocator.realloc(q, grown, 4096);
            assert_eq!(*r, 7);
            Allocator.dealloc(r, Layout::from_size_align(4096, 4096).unwrap());
            let small = Layout::from_size_align(64, 8).unwrap();
            let s = Allocator.alloc_zeroed(small);
            assert_eq!(std::slice::from_raw_parts(s, 64), &[0u8; 64][..]);
            Allocator.dealloc(s, small);
        }
    }
}
