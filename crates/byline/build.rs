//! Lays out the release binary's code with the functions serving runs side by side.
//!
//! Why: the kernel keeps a binary's code resident in runs of pages around each page a
//! thread runs. The four to five thousand functions that serving an outlet runs (some
//! 4 MB of the binary's 29 MB of functions) lay in about 330 runs of 64 KB spread over
//! all of it, so some 20 MB of code stayed resident under load. `link/hot-functions.txt`
//! lists them (made by `bench/layout/run` from a callgrind run of the soak's load), and
//! the linker places them first, in that order; code not in the list follows as before.
//! Names missing from the binary are skipped without a word, so a stale list costs
//! memory, never a build: the code changed since the list was made, or a new rustc
//! (most Rust symbol names carry a hash that includes the compiler's version), which is
//! when to run `bench/layout/run` again (docs/PERFORMANCE.md, "Memory").
//!
//! Only where LLD links and nothing asks otherwise: a release build for x86-64 Linux
//! with Rust 1.90 or later (its own LLD is the default linker there), no linker chosen
//! for the build (`RUSTC_LINKER`) or in the compiler's flags (`-C linker…`,
//! `-C link-arg=-fuse-ld=…`, `-C link-self-contained…`), and no
//! `BYLINE_NO_CODE_LAYOUT=1`. GNU ld, gold and mold do not know the option.

use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=link/hot-functions.txt");
    println!("cargo:rerun-if-env-changed=BYLINE_NO_CODE_LAYOUT");
    if !lld_links_this_build() {
        return;
    }
    let list = Path::new(&std::env::var("CARGO_MANIFEST_DIR").unwrap())
        .join("link")
        .join("hot-functions.txt");
    // `-Xlinker` passes each word as it is (`-Wl,` would split a path at its commas).
    for word in [
        format!("--symbol-ordering-file={}", list.display()),
        "--no-warn-symbol-ordering".to_owned(),
    ] {
        println!("cargo:rustc-link-arg-bin=byline=-Xlinker");
        println!("cargo:rustc-link-arg-bin=byline={word}");
    }
}

fn lld_links_this_build() -> bool {
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    let off = var("BYLINE_NO_CODE_LAYOUT");
    if !off.is_empty() && off != "0" {
        return false;
    }
    if var("TARGET") != "x86_64-unknown-linux-gnu" || var("PROFILE") != "release" {
        return false;
    }
    if std::env::var_os("RUSTC_LINKER").is_some() {
        return false;
    }
    let flags = var("CARGO_ENCODED_RUSTFLAGS");
    if ["linker", "fuse-ld", "link-self-contained"]
        .iter()
        .any(|word| flags.contains(word))
    {
        return false;
    }
    rustc_minor_version().is_some_and(|minor| minor >= 90)
}

/// The `N` of the compiler's version `1.N.x`, from `$RUSTC --version`.
fn rustc_minor_version() -> Option<u32> {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned());
    let out = Command::new(rustc).arg("--version").output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    // "rustc 1.95.0 (59807616e 2026-04-14)"
    let version = text.split_whitespace().nth(1)?;
    let mut parts = version.split('.');
    (parts.next()? == "1").then_some(())?;
    parts.next()?.parse().ok()
}
