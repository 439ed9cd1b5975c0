//! Article bodies: CommonMark (+ tables, footnotes, strikethrough) to HTML, then
//! sanitized with an allowlist. Sanitizing happens here, on write, and is never skipped:
//! the store only ever holds HTML that went through [`render_markdown`].

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};
use std::collections::HashSet;
use std::sync::LazyLock;

/// The HTML of a body and its plain text (for search and excerpts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedBody {
    pub html: String,
    pub text: String,
}

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.add_tags(["figure", "figcaption"])
        .add_tag_attributes("img", ["loading", "width", "height"])
        .add_tag_attributes("div", ["class", "id"])
        .add_tag_attributes("sup", ["class"])
        .add_tag_attributes("td", ["style"])
        .add_tag_attributes("th", ["style"])
        .url_schemes(HashSet::from(["http", "https", "mailto", "tel"]))
        .link_rel(Some("noopener noreferrer"));
    b.filter_style_properties(HashSet::from(["text-align"]));
    b
});

const OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_SMART_PUNCTUATION);

/// Renders Markdown to sanitized HTML plus its plain text.
pub fn render_markdown(markdown: &str) -> RenderedBody {
    let events: Vec<Event<'_>> = Parser::new_ext(markdown, OPTIONS).collect();
    let text = text_of(events.iter());

    let mut raw_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw_html, figures(events).into_iter());
    RenderedBody {
        html: SANITIZER.clean(&raw_html).to_string(),
        text,
    }
}

/// The plain text of a Markdown body, without rendering HTML (the search index reads
/// every body; sanitizing HTML it does not need would triple the cost). Raw HTML in
/// the source is left out, as the sanitized page leaves it out; code is kept as text.
pub fn plain_text(markdown: &str) -> String {
    text_of(
        Parser::new_ext(markdown, OPTIONS)
            .collect::<Vec<_>>()
            .iter(),
    )
}

fn text_of<'a>(events: impl Iterator<Item = &'a Event<'a>>) -> String {
    let mut text = String::new();
    for event in events {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => text.push('\n'),
            _ => {}
        }
    }
    text.trim().to_owned()
}

/// A paragraph holding only an image with a title becomes
/// `<figure><img><figcaption>title</figcaption></figure>`: the title is the caption.
fn figures(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut out = Vec::with_capacity(events.len());
    let mut i = 0;
    while i < events.len() {
        if let Some((figure, consumed)) = figure_at(&events[i..]) {
            out.push(Event::Html(CowStr::from(figure)));
            i += consumed;
        } else {
            out.push(events[i].clone());
            i += 1;
        }
    }
    out
}

fn figure_at(events: &[Event<'_>]) -> Option<(String, usize)> {
    let [
        Event::Start(Tag::Paragraph),
        Event::Start(Tag::Image {
            dest_url, title, ..
        }),
        rest @ ..,
    ] = events
    else {
        return None;
    };
    if title.is_empty() {
        return None;
    }
    let mut alt = String::new();
    let mut n = 2;
    for e in rest {
        n += 1;
        match e {
            Event::Text(t) | Event::Code(t) => alt.push_str(t),
            Event::End(TagEnd::Image) => break,
            _ => {}
        }
    }
    if !matches!(events.get(n), Some(Event::End(TagEnd::Paragraph))) {
        return None;
    }
    let figure = format!(
        "<figure><img src=\"{}\" alt=\"{}\" loading=\"lazy\"><figcaption>{}</figcaption></figure>\n",
        escape(dest_url),
        escape(&alt),
        escape(title)
    );
    Some((figure, n + 1))
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_into(&mut out, s);
    out
}

fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_matches_the_rendered_text() {
        let md = "# Title\n\nSome *text* with `<script>` and\na break.\n\n<div>raw</div>";
        assert_eq!(plain_text(md), render_markdown(md).text);
        assert!(plain_text(md).contains("<script>"), "code stays as text");
    }

    #[test]
    fn renders_structure() {
        let r = render_markdown("## Heading\n\nText *em*.\n\n> quote\n\n- one\n- two\n");
        assert!(r.html.contains("<h2>Heading</h2>"));
        assert!(r.html.contains("<em>em</em>"));
        assert!(r.html.contains("<blockquote>"));
        assert!(r.html.contains("<li>one</li>"));
        assert!(r.text.contains("Heading") && r.text.contains("quote"));
    }

    #[test]
    fn image_with_title_becomes_figure() {
        let r = render_markdown("![A chart](/media/x.png \"Prices, 2020–2026\")\n");
        assert!(r.html.contains("<figure>"), "{}", r.html);
        assert!(
            r.html
                .contains("<figcaption>Prices, 2020–2026</figcaption>")
        );
        assert!(r.html.contains("alt=\"A chart\""));
    }

    #[test]
    fn scripts_and_handlers_are_removed() {
        let r = render_markdown(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1))\n\n![t](/a.png \"<b onclick=x>\")",
        );
        assert!(!r.html.contains("<script"), "{}", r.html);
        assert!(!r.html.contains("onerror"));
        // The caption's markup survives only as escaped text, never as a tag.
        assert!(!r.html.contains("<b "), "{}", r.html);
        assert!(r.html.contains("&lt;b onclick=x&gt;"), "{}", r.html);
        assert!(!r.html.contains("javascript:"));
    }

    #[test]
    fn tables_and_footnotes() {
        let r = render_markdown("| a | b |\n|---|--:|\n| 1 | 2 |\n\nText[^1].\n\n[^1]: Note.\n");
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("footnote"));
    }
}
