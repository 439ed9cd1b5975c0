//! The global allocator: mimalloc, except for blocks of a mebibyte and more, which are
//! mapped from the kernel directly and unmapped when freed (as glibc's malloc does above
//! its mmap threshold).
//!
//! Why: mimalloc counts memory it has used and given back (`MIMALLOC_PURGE_DELAY`, main.rs)
//! as not known to be zero, so it clears a reused block by writing every byte of it,
//! which makes every page of it resident. Tantivy asks for zeroed 1 MiB pages for each of
//! its arenas, about a dozen per index each time it starts a segment (on every publish),
//! and writes a few kilobytes into each: under the soak (bench/soak) each publish made the
//! process 5–38 MB larger for a fraction of a second. Memory fresh from `mmap` is zero
//! without being written and is resident only where it is used; `munmap` gives it back at
//! once. Below a mebibyte mimalloc keeps its speed, and nothing on the hit path allocates
//! that much (docs/PERFORMANCE.md, "Memory").

use std::alloc::{GlobalAlloc, Layout};

/// Blocks of this size and more are mapped directly.
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
            null_mut()
        } else {
            p.cast()
        }
    }

    pub unsafe fn unmap(p: *mut u8, size: usize) {
        // SAFETY: `p` and `size` are a mapping made by `map` (or `remap`); it fails only
        // for a range that is not mapped, which would be the caller's bug.
        unsafe { libc::munmap(p.cast(), size) };
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
    // `direct` is false off Linux: none of these is called.
    pub unsafe fn map(_: usize) -> *mut u8 {
        unreachable!()
    }
    pub unsafe fn unmap(_: *mut u8, _: usize) {
        unreachable!()
    }
    pub unsafe fn remap(_: *mut u8, _: usize, _: usize) -> *mut u8 {
        unreachable!()
    }
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
            (true, true) => unsafe { mapped::remap(p, layout.size(), new_size) },
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

#[cfg(test)]
mod tests {
    use super::*;

    fn rss_anon_kib() -> u64 {
        let status = std::fs::read_to_string("/proc/self/status").unwrap();
        let line = status.lines().find(|l| l.starts_with("RssAnon:")).unwrap();
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    }

    /// Zeroed blocks of a mebibyte (tantivy's arena pages) cost resident memory only
    /// where they are written, even where the memory behind them was used before:
    /// mimalloc would write zeros over every page of them, or keep the freed ones.
    #[test]
    #[cfg(target_os = "linux")]
    fn large_zeroed_blocks_are_resident_only_where_written() {
        const BLOCKS: usize = 64;
        let before = rss_anon_kib();
        // Used and freed first, so that reused memory would need clearing.
        let used: Vec<Vec<u8>> = (0..BLOCKS).map(|i| vec![i as u8 + 1; DIRECT]).collect();
        drop(std::hint::black_box(used));
        let mut fresh: Vec<Vec<u8>> = (0..BLOCKS).map(|_| vec![0u8; DIRECT]).collect();
        for block in &mut fresh {
            block[DIRECT / 2] = 3;
        }
        let grown = rss_anon_kib().saturating_sub(before);
        assert!(
            fresh
                .iter()
                .all(|b| (b[0], b[DIRECT / 2], b[DIRECT - 1]) == (0, 3, 0))
        );
        // 64 MiB if every page were resident; other tests in the process allocate too.
        assert!(
            grown < 16 << 10,
            "{BLOCKS} zeroed blocks of 1 MiB made {grown} KiB resident"
        );
    }

    /// Blocks keep their contents when they grow past the threshold, grow while mapped,
    /// and shrink back below it.
    #[test]
    fn contents_survive_resizing_across_the_threshold() {
        let pattern = |i: usize| (i % 251) as u8;
        let mut v: Vec<u8> = Vec::with_capacity(1000);
        for i in 0..(5 * DIRECT) {
            v.push(pattern(i));
        }
        assert!((0..v.len()).all(|i| v[i] == pattern(i)));
        v.truncate(DIRECT / 4);
        v.shrink_to_fit();
        assert!((0..v.len()).all(|i| v[i] == pattern(i)));
        assert_eq!(v.len(), DIRECT / 4);
    }

    /// A large block that wants more than a page's alignment stays with mimalloc and
    /// still gets its alignment.
    #[test]
    #[allow(unsafe_code)] // allocates and frees through the allocator directly (tests only)
    fn over_aligned_large_blocks_are_aligned() {
        let layout = Layout::from_size_align(2 * DIRECT, 64 * PAGE).unwrap();
        assert!(!direct(layout));
        // SAFETY: a non-zero layout, freed once with the same layout.
        unsafe {
            let p = Allocator.alloc_zeroed(layout);
            assert!(!p.is_null());
            assert_eq!(p as usize % layout.align(), 0);
            assert_eq!(*p.add(layout.size() - 1), 0);
            Allocator.dealloc(p, layout);
        }
    }
}
