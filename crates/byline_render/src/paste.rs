//! Rich text pasted into the editor (HTML from a word processor or a web page) as
//! Markdown. Converted by `htmd`, a maintained turndown-style converter on html5ever
//! (the parser family the sanitizer uses); whatever it keeps is sanitized again when
//! the article is rendered.

use crate::html_depth;
use byline_core::limits::{MAX_HTML_DEPTH, MAX_PASTE_BYTES};

/// Why pasted HTML was not converted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasteError {
    #[error("the pasted text is larger than {} KB; paste it in parts", MAX_PASTE_BYTES / 1024)]
    TooLarge,
    #[error(
        "the pasted text nests more than {MAX_HTML_DEPTH} levels deep; paste it in parts or as plain text"
    )]
    TooDeep,
}

/// Markdown of pasted HTML: scripts, styles and word processors' metadata left out.
pub fn html_to_markdown(html: &str) -> Result<String, PasteError> {
    if html.len() > MAX_PASTE_BYTES {
        return Err(PasteError::TooLarge);
    }
    // Parsed here with the depth bound (the converter's own parse has none, and its
    // walk recurses once per level), then handed to the converter as a tree.
    let dom = html_depth::parse(html, MAX_HTML_DEPTH).map_err(|_| PasteError::TooDeep)?;
    let converter = htmd::HtmlToMarkdown::builder()
        .skip_tags(vec![
            "script", "style", "head", "meta", "link", "iframe", "object",
        ])
        .build();
    Ok(converter.tree_to_markdown(&dom.document).trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_rich_text() {
        let md = html_to_markdown("<h2>Title</h2><p>Some <b>bold</b> text<script>x()</script></p>")
            .unwrap();
        assert_eq!(md, "## Title\n\nSome **bold** text");
    }

    #[test]
    fn the_deepest_allowed_converts_and_one_more_is_refused() {
        let nested = |n: usize| format!("{}x{}", "<div>".repeat(n), "</div>".repeat(n));
        assert_eq!(html_to_markdown(&nested(MAX_HTML_DEPTH)).unwrap(), "x");
        assert_eq!(
            html_to_markdown(&nested(MAX_HTML_DEPTH + 1)),
            Err(PasteError::TooDeep)
        );
        assert_eq!(
            html_to_markdown(&"<div>".repeat(100_000)),
            Err(PasteError::TooDeep)
        );
    }

    #[test]
    fn too_large_is_refused_before_parsing() {
        let big = "<p>a</p>".repeat(MAX_PASTE_BYTES / 8 + 1);
        assert_eq!(html_to_markdown(&big), Err(PasteError::TooLarge));
    }
}
