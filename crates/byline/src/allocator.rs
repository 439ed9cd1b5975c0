//! The global allocator: mimalloc, except for blocks of a mebibyte and more, which are
//! mapped from the kernel directly and unmapped when freed (as glibc's malloc does above
//! a fixed `MALLOC_MMAP_THRESHOLD_`).
//!
//! Why: mimalloc counts memory it has used and given back (`MIMALLOC_PURGE_DELAY`, main.rs)
//! as not known to be zero, so it clears a zeroed block on such memory by writing every
//! byte of it, which makes every page of it resident. Tantivy's memory arenas are made of
//! zeroed 1 MiB pages, nine per index each time it starts a segment (after every commit,
//! so on every publish), and it writes a few kilobytes into each: with mimalloc alone,
//! each publish under the soak (bench/soak) made the process 5–38 MB larger for a
//! fraction of a second. Memory fresh from `mmap` is zero without being written and is
//! resident only where it is used; `munmap` gives it back at once. Each such block costs
//! a few system calls, which is why the threshold is high: nothing on the request path
//! allocates that much (docs/PERFORMANCE.md, "Memory").

use std::alloc::{GlobalAlloc, Layout};

/// Blocks of this size and more are mapped directly. Tantivy's arena pages are exactly
/// this size (tantivy-stacker's `PAGE_SIZE`): were the threshold above them, or their
/// size below it, they would go back to being cleared by hand.
const DIRECT: usize = 1 << 20;

/// Mapped memory starts on a page boundary (4 KiB at least on Linux), so any alignment up
/// to this is met; a block wanting more alignment stays with mimalloc.
const PAGE: usize = 4096;

pub struct Allocator;

/// Whether a block of this layout is (or is to be) mapped directly. Decided by the layout
/// alone, which Rust passes back unchanged when the block is freed or resized, so a block
/// always returns to where it came from.
fn direct(layout: Layout) -> bool {
    cfg!(target_os = "linux") && layout.size() >= DIRECT && layout.align() <= PAGE
}

#[cfg(target_os = "linux")]
#[allow(unsafe_code)] // a global allocator is unsafe by definition
mod mapped {
    use std::ptr::null_mut;

    /// Fresh, zeroed pages, resident only once touched.
    pub unsafe fn map(size: usize) -> *mut u8 {
        // SAFETY: a new private anonymous mapping; the kernel picks the address.
        let p = unsafe {
            libc::mmap(
                null_mut(),
                size,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        if p == libc::MAP_FAILED {
            return null_mut();
        }
        // Where transparent huge pages are on for every mapping (`always`, as on some
        // distributions), one byte written into a block of 2 MiB or more (tantivy's
        // term tables), or into neighbouring blocks the kernel has merged, could make a
        // whole huge page resident; the flag stays with the mapping through `mremap`.
        // Advice only: a kernel without THP refuses it, and nothing depends on it.
        // SAFETY: advice on the mapping just made.
        unsafe { libc::madvise(p, size, libc::MADV_NOHUGEPAGE) };
        p.cast()
    }

    pub unsafe fn unmap(p: *mut u8, size: usize) {
        // SAFETY: `p` and `size` are a mapping made by `map` (or `remap`). munmap fails
        // only if splitting mappings would exceed `vm.max_map_count` (ENOMEM); the block
        // then stays mapped, a leak rather than anything unsound.
        unsafe { libc::munmap(p.cast(), size) };
    }

    /// Whether `p` lies in memory mimalloc manages. A block freed with a layout other
    /// than its own could reach the wrong allocator; unmapping a part of mimalloc's
    /// arena would corrupt memory far from here, so that is stopped at once.
    pub fn assert_not_mimallocs(p: *mut u8) {
        // SAFETY: only compares the address with mimalloc's reserved regions.
        if unsafe { libmimalloc_sys::mi_is_in_heap_region(p.cast()) } {
            std::process::abort();
        }
    }

    /// Grows or shrinks a mapping, moving it if it must (the kernel moves the pages,
    /// nothing is copied).
    pub unsafe fn remap(p: *mut u8, old: usize, new: usize) -> *mut u8 {
        // SAFETY: `p`/`old` is a mapping made by `map`; MREMAP_MAYMOVE lets the kernel
        // pick a new address when it cannot grow in place.
        let q = unsafe { libc::mremap(p.cast(), old, new, libc::MREMAP_MAYMOVE) };
        if q == libc::MAP_FAILED {
            null_mut()
        } else {
            q.cast()
        }
    }
}

#[cfg(not(target_os = "linux"))]
#[allow(unsafe_code)]
mod mapped {
    // `direct` is false off Linux: none of these is called. No panic: unwinding out of
    // an allocator is undefined behaviour.
    pub unsafe fn map(_: usize) -> *mut u8 {
        std::process::abort()
    }
    pub unsafe fn unmap(_: *mut u8, _: usize) {
        std::process::abort()
    }
    pub unsafe fn remap(_: *mut u8, _: usize, _: usize) -> *mut u8 {
        std::process::abort()
    }
    pub fn assert_not_mimallocs(_: *mut u8) {}
}

// SAFETY: every block is served by one of two allocators and freed or resized by the
// same one, as `direct` decides from the layout; mapped blocks are page-aligned, so their
// alignment (at most a page) holds.
#[allow(unsafe_code)] // a global allocator is unsafe by definition
unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if direct(layout) {
            unsafe { mapped::map(layout.size()) }
        } else {
            unsafe { mimalloc::MiMalloc.alloc(layout) }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if direct(layout) {
            // Fresh mappings are zero already: nothing to write.
            unsafe { mapped::map(layout.size()) }
        } else {
            unsafe { mimalloc::MiMalloc.alloc_zeroed(layout) }
        }
    }

    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        if direct(layout) {
            mapped::assert_not_mimallocs(p);
            unsafe { mapped::unmap(p, layout.size()) }
        } else {
            unsafe { mimalloc::MiMalloc.dealloc(p, layout) }
        }
    }

    unsafe fn realloc(&self, p: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller guarantees `new_size`, rounded up to the alignment, does not
        // overflow isize.
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        match (direct(layout), direct(new_layout)) {
            (false, false) => unsafe { mimalloc::MiMalloc.realloc(p, layout, new_size) },
            (true, true) => {
                mapped::assert_not_mimallocs(p);
                unsafe { mapped::remap(p, layout.size(), new_size) }
            }
            // Across the threshold: a new block from the other side, the contents copied.
            _ => unsafe {
                let q = self.alloc(new_layout);
                if !q.is_null() {
                    std::ptr::copy_nonoverlapping(p, q, layout.size().min(new_size));
                    self.dealloc(p, layout);
                }
                q
            },
        }
    }
}

#[cfg(all(test, target_os = "linux"))]
#[allow(unsafe_code)] // allocates, resizes and frees through the allocators directly (tests only)
mod tests {
    use super::*;

    /// How many of the pages of `[p, p + len)` are resident (the kernel's own count).
    fn resident_pages(p: *const u8, len: usize) -> usize {
        let pages = len.div_ceil(PAGE);
        let mut vec = vec![0u8; pages];
        // SAFETY: `p` is page-aligned and `[p, p + len)` is mapped; `vec` has a byte per
        // page.
        let rc = unsafe { libc::mincore(p.cast_mut().cast(), len, vec.as_mut_ptr()) };
        assert_eq!(rc, 0, "mincore: {}", std::io::Error::last_os_error());
        vec.iter().filter(|&&b| b & 1 == 1).count()
    }

    fn is_mimallocs(p: *const u8) -> bool {
        // SAFETY: only looks the address up.
        unsafe { libmimalloc_sys::mi_is_in_heap_region(p.cast()) }
    }

    /// Zeroed blocks of a mebibyte (tantivy's arena pages) are resident only where
    /// written, even when mimalloc has memory to reuse that it would clear by hand.
    #[test]
    fn large_zeroed_blocks_are_resident_only_where_written() {
        const BLOCKS: usize = 32;
        let layout = Layout::from_size_align(DIRECT, 8).unwrap();
        // SAFETY: every block is allocated, used within its size and freed once, each
        // through the allocator that made it.
        unsafe {
            // Memory mimalloc has used and freed, so it would reuse it and write zeros.
            let used: Vec<*mut u8> = (0..BLOCKS)
                .map(|_| mimalloc::MiMalloc.alloc(layout))
                .collect();
            for &p in &used {
                assert!(!p.is_null());
                std::ptr::write_bytes(p, 1, DIRECT);
                mimalloc::MiMalloc.dealloc(p, layout);
            }
            for _ in 0..BLOCKS {
                let p = Allocator.alloc_zeroed(layout);
                assert!(!p.is_null());
                assert!(!is_mimallocs(p), "a 1 MiB block came from mimalloc");
                assert_eq!((*p, *p.add(DIRECT - 1)), (0, 0));
                *p.add(DIRECT / 2) = 3;
                // The first page, the last and the one written, of 256.
                let resident = resident_pages(p, DIRECT);
                assert!(
                    resident <= 3,
                    "{resident} of a zeroed block's pages are resident"
                );
                Allocator.dealloc(p, layout);
            }
        }
    }

    /// Blocks go to mimalloc below the threshold and are mapped from it up, keep their
    /// contents when resized across it either way or within it, and keep their
    /// alignment when they ask for more than a page.
    #[test]
    fn blocks_keep_their_contents_and_allocator_through_every_resize() {
        let fill = |p: *mut u8, len: usize| {
            for i in 0..len {
                // SAFETY: within the block.
                unsafe { *p.add(i) = (i % 251) as u8 };
            }
        };
        let holds = |p: *const u8, len: usize| {
            // SAFETY: within the block.
            (0..len).all(|i| unsafe { *p.add(i) } == (i % 251) as u8)
        };
        // SAFETY: each block is resized with the layout it has and freed once.
        unsafe {
            let small = Layout::from_size_align(DIRECT - 1, PAGE).unwrap();
            let p = Allocator.alloc(small);
            assert!(is_mimallocs(p), "a block under 1 MiB was mapped");
            fill(p, small.size());
            // Across the threshold up, within it both ways, and down again.
            let steps = [DIRECT, 3 * DIRECT + 5, DIRECT + 1, DIRECT / 3];
            let (mut p, mut size) = (p, small.size());
            for new in steps {
                p = Allocator.realloc(p, Layout::from_size_align(size, PAGE).unwrap(), new);
                assert!(!p.is_null());
                assert_eq!(is_mimallocs(p), new < DIRECT, "a block of {new} bytes");
                assert!(
                    holds(p, size.min(new)),
                    "resized to {new}, the contents changed"
                );
                fill(p, new);
                size = new;
            }
            Allocator.dealloc(p, Layout::from_size_align(size, PAGE).unwrap());

            // More than a page's alignment: mimalloc's, aligned.
            let wide = Layout::from_size_align(2 * DIRECT, 64 * PAGE).unwrap();
            let p = Allocator.alloc_zeroed(wide);
            assert!(is_mimallocs(p));
            assert_eq!(p as usize % wide.align(), 0);
            assert_eq!(*p.add(wide.size() - 1), 0);
            Allocator.dealloc(p, wide);
        }
    }
}
