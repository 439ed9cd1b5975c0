//! Real-browser tests of the reader site (and a newsroom story): Debian's chromium driven
//! through chromedriver (WebDriver, via fantoccini) against the demo outlet served on a
//! real loopback listener.
//!
//! Needs `/usr/bin/chromium` and `chromedriver` (`apt-get install chromium chromium-driver`),
//! and for the accessibility checks axe-core in `tests/a11y/node_modules` (`npm install`
//! there; `.ci/run` does it). Without them the tests print a note and pass, unless `CI` is
//! set: then they fail.
//!
//! `BYLINE_SCREENSHOTS=1 cargo test -p byline_web --test browser` also writes the README
//! screenshots to `docs/screenshots/`.

#[path = "../common/mod.rs"]
mod common;

mod a11y;
mod driver;
mod header;
mod newsroom;
mod push;
mod reader;
mod screenshots;
mod security;
