//! `byline`: the one binary. `main` only parses the command line and wires things up;
//! the work lives in the library crates.

mod allocator;
mod cli;
mod cmd;
mod config;
mod outlet;
mod startup_code;

use clap::Parser;
use std::process::ExitCode;

/// mimalloc rather than glibc's malloc: with glibc, the memory freed after the demo load
/// and under mixed load stayed in per-thread arenas (a 4-minute soak grew from 213 to
/// 415 MB, ADR 16); mimalloc gives freed pages back and is faster on the hit path.
/// It also takes the place of C's `malloc` (the `override` feature), so SQLite's
/// allocations share its arenas instead of one glibc arena per connection thread.
/// Blocks of a mebibyte and more are mapped directly instead (`allocator`).
#[global_allocator]
static ALLOCATOR: allocator::Allocator = allocator::Allocator;

/// `mi_option_purge_delay` in mimalloc.h (the same place in its v2 and v3 lists); the
/// Rust bindings do not name it. The test below checks it against mimalloc's own
/// reading of `MIMALLOC_PURGE_DELAY`.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Freed memory goes back to the system at once rather than after mimalloc's default
/// second: in a minute of the mixed soak (bench/soak) the server held 84–88 MB
/// resident instead of 276 MB, for fewer uncached answers a second (15–25 %, within
/// run-to-run noise of that size; ADR 16, docs/PERFORMANCE.md "Memory"). An operator
/// who prefers the throughput sets `MIMALLOC_PURGE_DELAY` (milliseconds), which is then
/// left as it is.
#[allow(unsafe_code)] // mimalloc has no safe setter (the other unsafe code: allocator.rs)
fn return_freed_memory_promptly() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets one of mimalloc's options; any value is valid and it may be set
        // at any time.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
    }
}

fn main() -> ExitCode {
    return_freed_memory_promptly();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                // html5ever narrates the tag soup it repairs (an import of old posts
                // would print thousands of lines); what it could not read shows anyway.
                .unwrap_or_else(|_| "info,sqlx=warn,tower_http=warn,html5ever=error".into()),
        )
        // Logs on stderr: stdout carries what a command answers (the address `serve`
        // listens on is its first line; `user add`'s password), which a library's
        // warning from a background thread must not come before.
        .with_writer(std::io::stderr)
        // Colours only for a person at a terminal (and not with NO_COLOR set), never in
        // journald or a log file.
        .with_ansi(
            std::io::IsTerminal::is_terminal(&std::io::stderr())
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        )
        .init();
    let cli = cli::Cli::parse();
    let runtime = match runtime() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("byline: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(cmd::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("byline: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// How long a thread of tokio's blocking pool waits for more work before it exits
/// (tokio's default: 10 s).
///
/// Those threads compress pages for the cache, run searches and hash passwords, and each
/// keeps an allocator heap of its own: with mimalloc, the pages a thread allocated stay
/// with it, freed blocks included, until it allocates again or exits. Under the soak
/// (bench/soak: an editor publishing twice a second, so bursts of pages to compress
/// every half second) a dozen idle threads held some 40 MB that way, the difference
/// between 118–122 MB and 74–75 MB resident (docs/PERFORMANCE.md, "Memory"); a second's
/// keep-alive saved nothing, as the bursts come more often. Starting a thread costs tens
/// of microseconds, beside the milliseconds of the compressing it is started for.
const BLOCKING_THREAD_KEEP_ALIVE: std::time::Duration = std::time::Duration::from_millis(100);

/// The async runtime: one worker per core (tokio's default), blocking threads that go
/// away soon after their work.
fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_keep_alive(BLOCKING_THREAD_KEEP_ALIVE)
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[allow(unsafe_code)] // reads the option back (tests only)
    fn purge_delay() -> std::ffi::c_long {
        // SAFETY: reads one of mimalloc's options.
        unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) }
    }

    /// Runs this test binary again, only `test`, with `env`; true when that one test
    /// ran and passed (a renamed test would match none, and "0 passed" is no check).
    fn rerun(test: &str, env: &[(&str, &str)]) -> bool {
        let mut command = std::process::Command::new(std::env::current_exe().unwrap());
        command
            .args(["--exact", test, "--test-threads=1"])
            .env_remove("MIMALLOC_PURGE_DELAY");
        for (k, v) in env {
            command.env(k, v);
        }
        let output = command.output().unwrap();
        output.status.success()
            && String::from_utf8_lossy(&output.stdout).contains("test result: ok. 1 passed")
    }

    /// A blocking thread that has finished its work exits soon after instead of keeping
    /// its allocator heap for tokio's default ten seconds.
    #[test]
    fn idle_blocking_threads_exit() {
        let rt = runtime().unwrap();
        let tid = rt.block_on(async {
            tokio::task::spawn_blocking(|| std::fs::read_link("/proc/thread-self").unwrap())
                .await
                .unwrap()
        });
        // "/proc/thread-self" names the thread as "PID/task/TID".
        let task = std::path::Path::new("/proc").join(&tid);
        // Well before tokio's default of ten seconds, with room for a busy machine.
        let deadline = std::time::Instant::now() + BLOCKING_THREAD_KEEP_ALIVE * 50;
        while task.exists() {
            assert!(
                std::time::Instant::now() < deadline,
                "the blocking thread {} is still there",
                task.display()
            );
            std::thread::sleep(BLOCKING_THREAD_KEEP_ALIVE / 4);
        }
        drop(rt);
    }

    /// C code in the process (SQLite above all) allocates from mimalloc too: with
    /// glibc's malloc, SQLite's reading threads each kept an arena of their own that
    /// grew under load (docs/PERFORMANCE.md, "Memory"). And no C++ runtime is loaded:
    /// its static initializers run before mimalloc's constructor, and on glibc 2.44
    /// one of them frees a null pointer, which the mimalloc we link (3.3.2) cannot
    /// take before it is set up (ADR 16).
    #[test]
    #[allow(unsafe_code)] // C's malloc and free, as SQLite calls them (tests only)
    fn c_code_allocates_from_mimalloc() {
        let maps = std::fs::read_to_string("/proc/self/maps").unwrap();
        assert!(!maps.contains("libstdc++"), "a C++ runtime is linked");
        unsafe extern "C" {
            fn malloc(size: usize) -> *mut std::ffi::c_void;
            fn free(p: *mut std::ffi::c_void);
        }
        // Off the main thread, as SQLite's connection threads are.
        std::thread::spawn(|| {
            // SAFETY: a block from C's malloc, asked about and freed once.
            unsafe {
                let p = malloc(1000);
                assert!(!p.is_null());
                assert!(
                    libmimalloc_sys::mi_is_in_heap_region(p),
                    "malloc is not mimalloc's"
                );
                free(p);
            }
        })
        .join()
        .unwrap();
    }

    #[test]
    fn the_purge_delay_option_is_the_one_mimalloc_reads_from_its_environment() {
        if let Ok(expected) = std::env::var("BYLINE_TEST_EXPECT") {
            return_freed_memory_promptly();
            assert_eq!(purge_delay().to_string(), expected);
            return;
        }
        let me = "tests::the_purge_delay_option_is_the_one_mimalloc_reads_from_its_environment";
        // The operator's value stands, and it is this option that holds it.
        assert!(rerun(
            me,
            &[
                ("MIMALLOC_PURGE_DELAY", "123"),
                ("BYLINE_TEST_EXPECT", "123")
            ]
        ));
        // Unset, freed memory is returned at once.
        assert!(rerun(me, &[("BYLINE_TEST_EXPECT", "0")]));
    }
}
