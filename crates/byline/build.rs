//! Lays out the release binary's code with the functions serving runs side by side.
//!
//! Why: the kernel keeps a binary's code resident in runs of pages around each page a
//! thread runs. The four to five thousand functions that serving an outlet runs (some
//! 4 MB of the binary's 29 MB of code) lay in about 330 runs of 64 KB spread over all of
//! it, so some 20 MB of code stayed resident under load. `link/hot-functions.txt` lists
//! them (made by `bench/layout/run` from a callgrind run of the soak's load), and the
//! linker places them first, in that order; code not in the list follows as before.
//! Names missing from the binary (the code changed since the list was made) are skipped
//! without a word, so a stale list costs memory, never a build (docs/PERFORMANCE.md,
//! "Memory").
//!
//! Only for release builds for x86-64 Linux, where Rust links with its own LLD (the
//! default since Rust 1.90), which reads the list; `BYLINE_NO_CODE_LAYOUT=1` leaves it
//! out (another linker, or to measure without it).

use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=link/hot-functions.txt");
    println!("cargo:rerun-if-env-changed=BYLINE_NO_CODE_LAYOUT");
    let target = std::env::var("TARGET").unwrap_or_default();
    let profile = std::env::var("PROFILE").unwrap_or_default();
    let off = std::env::var_os("BYLINE_NO_CODE_LAYOUT").is_some_and(|v| v != "0");
    if target != "x86_64-unknown-linux-gnu" || profile != "release" || off {
        return;
    }
    let list = Path::new(&std::env::var("CARGO_MANIFEST_DIR").unwrap())
        .join("link")
        .join("hot-functions.txt");
    println!(
        "cargo:rustc-link-arg-bin=byline=-Wl,--symbol-ordering-file={}",
        list.display()
    );
    println!("cargo:rustc-link-arg-bin=byline=-Wl,--no-warn-symbol-ordering");
}
