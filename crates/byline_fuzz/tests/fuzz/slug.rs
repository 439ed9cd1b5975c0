//! Slugs from titles in any script, and slug parsing.

use byline_content::slugify;
use byline_core::Slug;
use byline_fuzz::{fuzz, text};
use proptest::prelude::*;

#[test]
fn every_title_gives_a_valid_slug() {
    let title = prop_oneof![
        text(),
        "[а-яА-ЯёЁ ,.!?-]{0,300}",
        "[ա-ֆԱ-Ֆ ։՝-]{0,300}",
        "\\PC{0,400}",
    ];
    fuzz("slug", title, |title| {
        let slug = slugify(&title);
        prop_assert!(Slug::parse(&slug).is_ok(), "{title:?} gave {slug:?}");
        // Room for the "-N" suffix that makes a slug unique.
        let suffixed = format!("{slug}-99");
        prop_assert!(Slug::parse(&suffixed).is_ok());
        // Parsing any text never panics, and accepts only what it says.
        if let Ok(s) = Slug::parse(&title) {
            prop_assert_eq!(s.as_str(), title.as_str());
        }
        Ok(())
    });
}
