//! Gives back the pages of the binary that only start-up ran.
//!
//! Why: opening an outlet (migrations, the demo's load, the search indexes' first build,
//! the templates' compilation, the catalog) runs code from all over the binary, and the
//! kernel maps code in runs of pages around each page run: on the demo, some 19 MB of
//! the code was resident after start-up (docs/PERFORMANCE.md, "Memory"), and stayed so,
//! since the kernel unmaps a file's pages from a process only under memory pressure.
//! Once the outlet is ready, this unmaps the binary's read-only mappings from the
//! process (`MADV_DONTNEED`): what serving runs is mapped again at its first use, what
//! start-up alone ran stays out.
//!
//! Only mappings that are the file's pages unchanged: no page of them is the process's
//! own copy, in memory or in swap (`Anonymous: 0 kB` and `Swap: 0 kB` in
//! `/proc/self/smaps`). The read-only part of the data that the loader relocated at
//! start (RELRO) holds such copies, and dropping them would bring back the file's
//! unrelocated bytes; it is left alone. Nothing in the process writes to a read-only
//! mapping afterwards (a debugger's breakpoint set between the reading and the advice
//! would be dropped). The kernel's page cache keeps the file's pages, so a
//! page used again is mapped back without a read; any user may ask this of its own
//! mappings, whoever owns the binary (`MADV_PAGEOUT`, which would also evict them from
//! the page cache, acts only for the file's owner).

use std::path::Path;

/// One mapping of `/proc/self/smaps` that may be unmapped: where it lies and how much of
/// it is resident.
#[derive(Debug, PartialEq)]
struct Mapping {
    start: usize,
    end: usize,
    resident_kib: usize,
}

/// What [`give_back`] did: the bytes of mappings unmapped, and the binary's resident
/// read-only pages just before and just after.
#[derive(Debug, Default, Clone, Copy)]
pub struct GivenBack {
    pub unmapped_bytes: usize,
    pub resident_kib_before: usize,
    pub resident_kib_after: usize,
}

/// The read-only mappings of `exe` in `/proc/self/smaps` text that hold only the file's
/// pages: the binary's code and constants, without the relocated data (see the module
/// documentation). Writable ones are the process's own memory, and left alone.
fn clean_read_only_mappings_of(smaps: &str, exe: &Path) -> Vec<Mapping> {
    let mut found = Vec::new();
    // The mapping being read: its range, and whether it is still a candidate.
    let mut current: Option<(usize, usize, bool)> = None;
    let mut resident_kib = 0;
    let mut finish = |current: Option<(usize, usize, bool)>, resident_kib: usize| {
        if let Some((start, end, true)) = current {
            found.push(Mapping {
                start,
                end,
                resident_kib,
            });
        }
    };
    for line in smaps.lines() {
        if let Some(header) = mapping_header(line, exe) {
            finish(current.take(), resident_kib);
            current = Some(header);
            resident_kib = 0;
        } else if let Some(kib) = figure(line, "Rss:") {
            resident_kib = kib;
        } else if let Some(mapping) = current.as_mut()
            && own_pages_or_locked(line)
        {
            mapping.2 = false;
        }
    }
    finish(current, resident_kib);
    found
}

/// For a mapping's first line (`start-end perms offset dev inode [path]`): its range,
/// and `true` if it is a read-only mapping of `exe`; `None` for the lines of figures
/// that follow it.
fn mapping_header(line: &str, exe: &Path) -> Option<(usize, usize, bool)> {
    let mut fields = line.split_ascii_whitespace();
    let (start, end) = fields.next()?.split_once('-')?;
    let (Ok(start), Ok(end)) = (
        usize::from_str_radix(start, 16),
        usize::from_str_radix(end, 16),
    ) else {
        return None;
    };
    let perms = fields.next().unwrap_or("");
    // The path comes last and may hold spaces.
    let path = line.find(" /").map(|at| line[at + 1..].trim_end());
    let ours = path.is_some_and(|p| Path::new(p) == exe) && !perms.contains('w');
    Some((start, end, ours))
}

/// Whether a figure line of a mapping rules it out: pages of the process's own, in
/// memory (`Anonymous:`) or swapped out (`Swap:`), or a mapping locked in memory (`lo`
/// among its `VmFlags`, where the kernel refuses the advice).
fn own_pages_or_locked(line: &str) -> bool {
    ["Anonymous:", "Swap:"]
        .iter()
        .any(|name| figure(line, name).is_some_and(|kib| kib > 0))
        || line
            .strip_prefix("VmFlags:")
            .is_some_and(|flags| flags.split_ascii_whitespace().any(|f| f == "lo"))
}

/// The number of a `Name:   12 kB` line.
fn figure(line: &str, name: &str) -> Option<usize> {
    line.strip_prefix(name)?
        .trim()
        .strip_suffix("kB")?
        .trim()
        .parse()
        .ok()
}

/// Unmaps the binary's clean read-only mappings from the process; what serving runs
/// comes back at its first use.
#[cfg(target_os = "linux")]
pub fn give_back() -> std::io::Result<GivenBack> {
    let exe = std::fs::read_link("/proc/self/exe")?;
    let read = || -> std::io::Result<Vec<Mapping>> {
        let smaps = std::fs::read_to_string("/proc/self/smaps")?;
        Ok(clean_read_only_mappings_of(&smaps, &exe))
    };
    let mappings = read()?;
    let mut done = GivenBack {
        resident_kib_before: mappings.iter().map(|m| m.resident_kib).sum(),
        ..GivenBack::default()
    };
    for mapping in &mappings {
        let length = mapping.end - mapping.start;
        unmap_pages(mapping.start, length)?;
        done.unmapped_bytes += length;
    }
    done.resident_kib_after = read()?.iter().map(|m| m.resident_kib).sum();
    Ok(done)
}

#[cfg(not(target_os = "linux"))]
pub fn give_back() -> std::io::Result<GivenBack> {
    Ok(GivenBack::default())
}

/// `madvise(MADV_DONTNEED)` on one mapping of the binary's unchanged pages.
#[cfg(target_os = "linux")]
#[allow(unsafe_code)] // a system call on this process's own mapping
fn unmap_pages(start: usize, length: usize) -> std::io::Result<()> {
    // SAFETY: the range is a whole read-only mapping of the binary, read from
    // /proc/self/smaps with no page of it the process's own copy, in memory or swapped
    // out (nothing in the process writes to a read-only mapping). MADV_DONTNEED on a private file mapping drops the
    // process's page table entries; the next access maps the file's same bytes again
    // from the page cache. No value the process can read changes.
    let done = unsafe { libc::madvise(start as *mut libc::c_void, length, libc::MADV_DONTNEED) };
    if done == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMAPS: &str = "\
55d0c0000000-55d0c0400000 r--p 00000000 fd:01 1234 /srv/byline/byline
Size:               4096 kB
Rss:                1200 kB
Anonymous:             0 kB
55d0c0400000-55d0c2000000 r-xp 00400000 fd:01 1234 /srv/byline/byline
Size:              28672 kB
Rss:               19000 kB
Anonymous:             0 kB
VmFlags: rd ex mr mw me dw
55d0c2000000-55d0c2200000 r--p 02000000 fd:01 1234 /srv/byline/byline
Size:               2048 kB
Rss:                1800 kB
Anonymous:          1700 kB
55d0c2200000-55d0c2210000 rw-p 02200000 fd:01 1234 /srv/byline/byline
Rss:                  64 kB
Anonymous:            64 kB
55d0c2210000-55d0c2300000 rw-p 00000000 00:00 0 \n\
Rss:                 900 kB
Anonymous:           900 kB
55d0c2300000-55d0c2400000 r--p 02300000 fd:01 1234 /srv/byline/byline
Rss:                   0 kB
Anonymous:             0 kB
Swap:                  8 kB
55d0c2400000-55d0c2500000 r--p 02400000 fd:01 1234 /srv/byline/byline
Rss:                 100 kB
Anonymous:             0 kB
Swap:                  0 kB
VmFlags: rd mr mw me lo sd
7f0000000000-7f0000100000 r-xp 00000000 fd:01 99 /usr/lib/x86_64-linux-gnu/libc.so.6
Rss:                 800 kB
Anonymous:             0 kB
7f0000200000-7f0000300000 r--p 00000000 fd:01 77 /srv/byline/byline-old
Rss:                   4 kB
Anonymous:             0 kB
7f0000300000-7f0000400000 r--p 00000000 fd:01 78 /srv/byline/byline old
Rss:                   8 kB
Anonymous:             0 kB
7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0 [stack]
Rss:                 132 kB
Anonymous:           132 kB
";

    #[test]
    fn only_the_binarys_unchanged_read_only_mappings_are_given_back() {
        assert_eq!(
            clean_read_only_mappings_of(SMAPS, Path::new("/srv/byline/byline")),
            [
                Mapping {
                    start: 0x55d0c0000000,
                    end: 0x55d0c0400000,
                    resident_kib: 1200,
                },
                Mapping {
                    start: 0x55d0c0400000,
                    end: 0x55d0c2000000,
                    resident_kib: 19000,
                },
            ],
            "not the relocated read-only data (its own copies, in memory or swapped \
             out), nor locked or writable mappings, nor other files"
        );
        assert_eq!(
            clean_read_only_mappings_of(SMAPS, Path::new("/srv/byline/byline old")),
            [Mapping {
                start: 0x7f0000300000,
                end: 0x7f0000400000,
                resident_kib: 8,
            }],
            "a path with a space in it"
        );
    }

    /// The test binary unmaps its own code and goes on running it: its resident
    /// read-only pages fall, and the code it runs next comes back.
    #[cfg(target_os = "linux")]
    #[test]
    fn giving_back_leaves_the_process_running() {
        let done = give_back().unwrap();
        assert!(done.unmapped_bytes > 0, "the binary has read-only mappings");
        assert!(
            done.resident_kib_after < done.resident_kib_before,
            "{done:?}"
        );
        // Runs code again (formatting, parsing), which is mapped back.
        assert_eq!(format!("{}", "42".parse::<u32>().unwrap() + 1), "43");
    }
}
