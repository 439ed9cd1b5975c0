//! Gives back the pages of the binary that only start-up ran.
//!
//! Why: opening an outlet (migrations, the demo's load, the search index's first build,
//! the templates' compilation, the catalog) runs code from all over the binary, and the
//! kernel maps code in runs of 64 KB around each page run. After start-up some 28 of the
//! 31 MB of `.text` was resident, a third of the process under the soak (bench/soak),
//! and stayed so: file-backed pages are reclaimed only under memory pressure. Once the
//! outlet is ready, this asks the kernel to page out the binary's read-only mappings
//! (`MADV_PAGEOUT`, Linux 5.4): what serving runs comes back at its first use, what
//! start-up alone ran stays out (docs/PERFORMANCE.md, "Memory").
//!
//! The pages are clean copies of the file, so nothing is written and nothing is lost;
//! a page used again costs one read of the file (usually from the kernel's cache). Where
//! the kernel refuses the advice (older kernels, other systems), nothing changes.

use std::path::Path;

/// One mapping of `/proc/self/maps`: where it lies and whether it may be paged out.
#[derive(Debug, PartialEq)]
struct Mapping {
    start: usize,
    end: usize,
}

/// The read-only mappings of `exe` in `/proc/self/maps` text: the binary's code and
/// constants. Writable ones (`.data`, relocated tables) are private copies once written,
/// anonymous memory, and left alone.
fn read_only_mappings_of(maps: &str, exe: &Path) -> Vec<Mapping> {
    maps.lines()
        .filter_map(|line| {
            // start-end perms offset dev inode path, the path last and possibly with
            // spaces in it.
            let mut fields = line.split_ascii_whitespace();
            let range = fields.next()?;
            let perms = fields.next()?;
            let path = line[line.find(" /")? + 1..].trim_end();
            if Path::new(path) != exe || perms.contains('w') {
                return None;
            }
            let (start, end) = range.split_once('-')?;
            Some(Mapping {
                start: usize::from_str_radix(start, 16).ok()?,
                end: usize::from_str_radix(end, 16).ok()?,
            })
        })
        .collect()
}

/// Asks the kernel to page out the binary's read-only mappings; answers how many bytes
/// of mappings it advised (0 where there is nothing to do).
#[cfg(target_os = "linux")]
pub fn page_out() -> std::io::Result<usize> {
    let exe = std::fs::read_link("/proc/self/exe")?;
    let maps = std::fs::read_to_string("/proc/self/maps")?;
    let mut advised = 0;
    for mapping in read_only_mappings_of(&maps, &exe) {
        let length = mapping.end - mapping.start;
        if advise_page_out(mapping.start, length)? {
            advised += length;
        }
    }
    Ok(advised)
}

#[cfg(not(target_os = "linux"))]
pub fn page_out() -> std::io::Result<usize> {
    Ok(0)
}

/// `madvise(MADV_PAGEOUT)` on one mapping; `false` when the kernel does not know the
/// advice (before Linux 5.4).
#[cfg(target_os = "linux")]
#[allow(unsafe_code)] // a system call on this process's own mapping
fn advise_page_out(start: usize, length: usize) -> std::io::Result<bool> {
    // SAFETY: the range is a whole mapping of the binary read from /proc/self/maps, and
    // MADV_PAGEOUT only drops clean pages of it from memory: their contents stay the
    // file's, read back at the next use. Nothing in this process changes meaning.
    let done = unsafe { libc::madvise(start as *mut libc::c_void, length, libc::MADV_PAGEOUT) };
    if done == 0 {
        return Ok(true);
    }
    let error = std::io::Error::last_os_error();
    match error.raw_os_error() {
        Some(libc::EINVAL) => Ok(false),
        _ => Err(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_binarys_read_only_mappings_are_paged_out() {
        let maps = "\
55d0c0000000-55d0c0400000 r--p 00000000 fd:01 1234 /srv/byline/byline
55d0c0400000-55d0c2000000 r-xp 00400000 fd:01 1234 /srv/byline/byline
55d0c2000000-55d0c2200000 r--p 02000000 fd:01 1234 /srv/byline/byline
55d0c2200000-55d0c2210000 rw-p 02200000 fd:01 1234 /srv/byline/byline
55d0c2210000-55d0c2300000 rw-p 00000000 00:00 0 \n\
7f0000000000-7f0000100000 r-xp 00000000 fd:01 99 /usr/lib/x86_64-linux-gnu/libc.so.6
7f0000200000-7f0000300000 r--p 00000000 fd:01 77 /srv/byline/byline-old
7f0000300000-7f0000400000 r--p 00000000 fd:01 78 /srv/byline/byline old
7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0 [stack]
";
        assert_eq!(
            read_only_mappings_of(maps, Path::new("/srv/byline/byline")),
            [
                Mapping {
                    start: 0x55d0c0000000,
                    end: 0x55d0c0400000
                },
                Mapping {
                    start: 0x55d0c0400000,
                    end: 0x55d0c2000000
                },
                Mapping {
                    start: 0x55d0c2000000,
                    end: 0x55d0c2200000
                },
            ]
        );
        assert_eq!(
            read_only_mappings_of(maps, Path::new("/srv/byline/byline old")),
            [Mapping {
                start: 0x7f0000300000,
                end: 0x7f0000400000
            }],
            "a path with a space in it"
        );
    }

    /// The test binary pages out its own code and goes on running it: the advice is
    /// taken (the resident part of its mappings falls) and the code comes back in use.
    #[cfg(target_os = "linux")]
    #[test]
    fn paging_out_leaves_the_process_running() {
        let resident = || -> usize {
            let exe = std::fs::read_link("/proc/self/exe").unwrap();
            let smaps = std::fs::read_to_string("/proc/self/smaps").unwrap();
            let mut ours = false;
            let mut kb = 0;
            for line in smaps.lines() {
                let fields: Vec<&str> = line.split_ascii_whitespace().collect();
                // A mapping's first line starts with its address range; the lines
                // after it, up to the next, are its figures ("Rss:   12 kB").
                let is_range = |f: &str| {
                    f.contains('-') && f.chars().all(|c| c == '-' || c.is_ascii_hexdigit())
                };
                if fields.first().is_some_and(|f| is_range(f)) {
                    ours = fields.get(5).is_some_and(|p| Path::new(p) == exe)
                        && !fields[1].contains('w');
                } else if ours && let Some(rest) = line.strip_prefix("Rss:") {
                    kb += rest
                        .trim()
                        .trim_end_matches("kB")
                        .trim()
                        .parse::<usize>()
                        .unwrap();
                }
            }
            kb
        };
        let before = resident();
        let advised = page_out().unwrap();
        assert!(advised > 0, "the binary has read-only mappings");
        let after = resident();
        assert!(
            after < before,
            "resident read-only pages of the binary: {before} kB before, {after} kB after"
        );
        // Runs code again (formatting, parsing), which faults back in.
        assert_eq!(format!("{}", "42".parse::<u32>().unwrap() + 1), "43");
    }
}
