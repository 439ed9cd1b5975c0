//! Pasted HTML to Markdown: any paste converts or is refused with a reason.

use byline_fuzz::{fuzz, html};
use byline_render::{PasteError, html_to_markdown, render_markdown};
use proptest::prelude::*;

#[test]
fn pasted_html_converts_or_is_refused() {
    fuzz("paste", html(), |html| {
        match html_to_markdown(&html) {
            Ok(markdown) => {
                // The editor then saves it: it renders (or is refused) without a panic.
                let _ = render_markdown(&markdown);
            }
            Err(PasteError::TooDeep) => {}
            Err(PasteError::TooLarge) => prop_assert!(false, "generated pastes are small"),
        }
        Ok(())
    });
}
