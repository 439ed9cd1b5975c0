//! The reader site's header at phone, tablet and desktop widths, both themes, all three
//! editions (Armenian and Russian labels are the longest): the outlet's name is never
//! cut, the social and app links give way first and are never shown half, and the
//! header looks as approved — each is compared with an approved image, so a layout
//! regression fails.
//!
//! Approving a change: `BYLINE_APPROVE_HEADER=1 cargo test -p byline_web --test browser
//! header` writes the images to `tests/browser/approved/header/`; look at them before
//! committing. A failed comparison leaves what was seen beside the target folder
//! (`target/header-shots/`).

use crate::driver::Reader;
use image::RgbaImage;
use serde_json::json;
use std::path::{Path, PathBuf};

const WIDTHS: [u32; 5] = [360, 768, 1024, 1280, 1440];

/// Share of pixels that may differ (anti-aliasing may move by a pixel between runs).
const TOLERANCE: f64 = 0.002;
/// How far a colour channel may move before the pixel counts as different.
const CHANNEL_SLACK: u8 = 48;

/// What the header's geometry says, measured in the page.
const MEASURE: &str = r#"
  var name = document.querySelector('.brand-name');
  var brand = document.querySelector('.brand').getBoundingClientRect();
  var links = document.querySelector('.header-links');
  var box = links.getBoundingClientRect();
  var shown = getComputedStyle(links).display !== 'none';
  var half = [];
  var overlap = [];
  if (shown) {
    links.querySelectorAll('a').forEach(function (a) {
      var r = a.getBoundingClientRect();
      var inside = r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5
        && r.left >= box.left - 0.5 && r.right <= box.right + 0.5;
      var outside = r.top >= box.bottom - 0.5 || r.bottom <= box.top + 0.5
        || r.left >= box.right - 0.5 || r.right <= box.left + 0.5;
      if (!inside && !outside) half.push(a.getAttribute('aria-label') || a.textContent.trim());
      if (inside && r.left < brand.right) overlap.push(a.getAttribute('aria-label') || a.textContent.trim());
    });
  }
  var tools = document.querySelector('.tools').getBoundingClientRect();
  return {
    cut: name.scrollWidth > name.clientWidth + 1,
    brand_right: brand.right,
    tools_left: tools.left,
    sideways: document.documentElement.scrollWidth > window.innerWidth,
    half: half,
    overlap: overlap
  };
"#;

fn approved_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/approved/header")
}

fn seen_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/header-shots")
}

/// `None` when `seen` looks like `approved`, else what differs.
fn difference(seen: &RgbaImage, approved: &RgbaImage) -> Option<String> {
    if seen.dimensions() != approved.dimensions() {
        return Some(format!(
            "size {:?}, approved {:?}",
            seen.dimensions(),
            approved.dimensions()
        ));
    }
    let differing = seen
        .pixels()
        .zip(approved.pixels())
        .filter(|(a, b)| {
            a.0.iter()
                .zip(b.0.iter())
                .any(|(x, y)| x.abs_diff(*y) > CHANNEL_SLACK)
        })
        .count();
    let share = differing as f64 / f64::from(seen.width() * seen.height());
    (share > TOLERANCE).then(|| format!("{differing} pixels differ ({:.2} %)", share * 100.0))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_masthead_is_never_cut_and_the_header_looks_as_approved() {
    let Some(reader) = Reader::demo().await else {
        return;
    };
    let browser = &reader.browser;
    browser
        .cdp("Emulation.setScrollbarsHidden", json!({ "hidden": true }))
        .await;
    let approving = std::env::var("BYLINE_APPROVE_HEADER").as_deref() == Ok("1");
    let mut failures = Vec::new();
    for edition in ["en", "ru", "hy"] {
        for width in WIDTHS {
            browser.set_width(width).await;
            reader.open(&format!("/{edition}/")).await;
            for theme in ["light", "dark"] {
                browser.with_theme(theme).await;
                browser.wait_for_visible_images().await;
                let label = format!("{edition}-{theme}-{width}");
                let m = browser.js(MEASURE).await;
                if m["cut"] == true {
                    failures.push(format!("{label}: the outlet's name is cut"));
                }
                if m["sideways"] == true {
                    failures.push(format!("{label}: the page scrolls sideways"));
                }
                if m["brand_right"].as_f64() > m["tools_left"].as_f64() {
                    failures.push(format!("{label}: the name runs under the tools: {m}"));
                }
                for (what, key) in [("half shown", "half"), ("over the name", "overlap")] {
                    if m[key].as_array().is_some_and(|a| !a.is_empty()) {
                        failures.push(format!("{label}: links {what}: {}", m[key]));
                    }
                }
                let png = browser
                    .client
                    .find(fantoccini::Locator::Css(".site-header"))
                    .await
                    .unwrap()
                    .screenshot()
                    .await
                    .unwrap();
                let file = format!("{label}.png");
                if approving {
                    std::fs::create_dir_all(approved_dir()).unwrap();
                    std::fs::write(approved_dir().join(&file), &png).unwrap();
                    continue;
                }
                let seen = image::load_from_memory(&png).unwrap().to_rgba8();
                let differs = match image::open(approved_dir().join(&file)) {
                    Ok(approved) => difference(&seen, &approved.to_rgba8()),
                    Err(e) => Some(format!("no approved image ({e})")),
                };
                if let Some(why) = differs {
                    std::fs::create_dir_all(seen_dir()).unwrap();
                    std::fs::write(seen_dir().join(&file), &png).unwrap();
                    failures.push(format!(
                        "{label}: looks different from approved/header/{file}: {why} (seen: target/header-shots/{file})"
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} header problems:\n  {}",
        failures.len(),
        failures.join("\n  ")
    );
    reader.finish().await;
}
