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
//! Only where the linker takes the list: a release build for x86-64 Linux whose linker
//! (Rust's own LLD, the default there for rustup's Rust 1.90 and later) links a probe
//! program with the same options (`linker_takes_the_list`), and no
//! `BYLINE_NO_CODE_LAYOUT=1`. GNU ld, gold and mold do not know the option, and a
//! distribution's rustc may link with them: the build then goes on without the list.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

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
    linker_takes_the_list()
}

/// Links an empty program with this build's compiler, target, flags and linker, passing
/// the two linker options: whether they are understood is the linker's to say.
fn linker_takes_the_list() -> bool {
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    let out = PathBuf::from(var("OUT_DIR"));
    let source = out.join("link_probe.rs");
    if std::fs::write(&source, "fn main() {}\n").is_err() {
        return false;
    }
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned());
    let mut probe = Command::new(rustc);
    probe
        .args([
            "--crate-name",
            "link_probe",
            "--edition",
            "2021",
            "--target",
        ])
        .arg(var("TARGET"))
        .arg("-o")
        .arg(out.join("link_probe"))
        .arg(&source);
    for flag in var("CARGO_ENCODED_RUSTFLAGS").split('\x1f') {
        if !flag.is_empty() {
            probe.arg(flag);
        }
    }
    if let Ok(linker) = std::env::var("RUSTC_LINKER") {
        probe.arg(format!("-Clinker={linker}"));
    }
    for word in [
        "--symbol-ordering-file=/dev/null",
        "--no-warn-symbol-ordering",
    ] {
        probe.args(["-C", "link-arg=-Xlinker", "-C", &format!("link-arg={word}")]);
    }
    probe
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}
