//! Article bodies: CommonMark (+ tables, footnotes, strikethrough) to HTML, then
//! sanitized with an allowlist. Sanitizing happens here, on write, and is never skipped:
//! the store only ever holds HTML that went through [`render_markdown`].

use crate::html_depth;
use crate::media::{BODY_SIZES, media_figure, media_img};
use byline_core::MediaItem;
use byline_core::limits::{MAX_BODY_BYTES, MAX_HTML_DEPTH};
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
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
        // Click-to-load embeds: the script loads the player only when asked.
        .add_tag_attributes("figure", ["class", "data-embed", "data-embed-id"])
        // srcset/sizes/decoding: library pictures (`media:42`) become responsive images.
        .add_tag_attributes(
            "img",
            ["loading", "width", "height", "srcset", "sizes", "decoding"],
        )
        .add_tag_attributes("span", ["class"])
        .add_tag_attributes("div", ["class", "id"])
        .add_tag_attributes("sup", ["class"])
        // Column alignment as a class (no `style`: pages forbid inline styles by CSP).
        .add_tag_attributes("td", ["class"])
        .add_tag_attributes("th", ["class"])
        .url_schemes(HashSet::from(["http", "https", "mailto", "tel"]))
        .link_rel(Some("noopener noreferrer"))
        .attribute_filter(allowed_value);
    b
});

/// Attributes that a script reads are allowed by value, not only by name: the reader
/// script builds a player's address from `data-embed` and `data-embed-id`, so a body
/// (raw HTML is allowed in Markdown) may only carry a known provider and an id of the
/// shape one of them uses. Anything else is dropped at save time.
fn allowed_value<'u>(element: &str, attribute: &str, value: &'u str) -> Option<Cow<'u, str>> {
    let ok = match (element, attribute) {
        ("figure", "data-embed") => EMBED_KINDS.contains(&value),
        ("figure", "data-embed-id") => EMBED_KINDS.iter().any(|k| embed_id_valid(k, value)),
        ("td" | "th", "class") => ALIGN_CLASSES.contains(&value),
        _ => true,
    };
    ok.then_some(Cow::Borrowed(value))
}

/// Table cell alignment classes (what pulldown-cmark's `style="text-align: …"` becomes).
const ALIGN_CLASSES: [&str; 3] = ["align-left", "align-center", "align-right"];

/// pulldown-cmark writes column alignment as inline styles; pages carry a
/// Content-Security-Policy without `'unsafe-inline'` styles, so they become classes.
fn alignment_as_classes(html: &str) -> String {
    if !html.contains(" style=\"text-align: ") {
        return html.to_owned();
    }
    html.replace(" style=\"text-align: left\"", " class=\"align-left\"")
        .replace(" style=\"text-align: center\"", " class=\"align-center\"")
        .replace(" style=\"text-align: right\"", " class=\"align-right\"")
}

/// The embed providers the reader script knows.
pub const EMBED_KINDS: [&str; 3] = ["youtube", "x", "telegram"];

/// Where the reader script loads those providers' players from (a page's
/// Content-Security-Policy allows frames from these and nowhere else).
pub const EMBED_FRAME_ORIGINS: [&str; 3] = [
    "https://www.youtube-nocookie.com",
    "https://platform.twitter.com",
    "https://t.me",
];

/// Whether `id` has the shape `kind`'s ids have (the reader script checks the same).
pub fn embed_id_valid(kind: &str, id: &str) -> bool {
    let name = |s: &str| {
        !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    };
    let number = |s: &str| !s.is_empty() && s.len() <= 25 && s.bytes().all(|b| b.is_ascii_digit());
    match kind {
        "youtube" => {
            id.len() == 11
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        }
        "x" => number(id),
        "telegram" => id
            .split_once('/')
            .is_some_and(|(channel, post)| name(channel) && number(post)),
        _ => false,
    }
}

const OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_SMART_PUNCTUATION);

/// Library pictures a body refers to, by id (what [`media_refs`] found, looked up).
pub type MediaLookup = HashMap<i64, MediaItem>;

/// The scheme of a library picture in Markdown: `![alt](media:42 "caption")`.
const MEDIA_SCHEME: &str = "media:";

/// Why a body was not rendered. Nothing is stored then: the writer is told why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BodyError {
    #[error("the body is larger than {MAX_BODY_BYTES} bytes")]
    TooLarge,
    #[error(
        "the body nests more than {MAX_HTML_DEPTH} levels deep (quotes, lists or HTML elements inside each other); flatten it"
    )]
    TooDeep,
}

/// Renders Markdown to sanitized HTML plus its plain text.
pub fn render_markdown(markdown: &str) -> Result<RenderedBody, BodyError> {
    render_markdown_with_media(markdown, &MediaLookup::new())
}

/// The text after `media:` of every library picture in `markdown`, in order (the
/// caller parses and looks them up; unknown ones render without a source).
pub fn media_refs(markdown: &str) -> Vec<String> {
    Parser::new_ext(markdown, OPTIONS)
        .filter_map(|e| match e {
            Event::Start(Tag::Image { dest_url, .. }) => dest_url
                .strip_prefix(MEDIA_SCHEME)
                .map(|id| id.trim().to_owned()),
            _ => None,
        })
        .collect()
}

/// Like [`render_markdown`], with `media:ID` pictures rendered from `media` as
/// responsive images (`srcset`, `sizes`, dimensions, lazy loading).
pub fn render_markdown_with_media(
    markdown: &str,
    media: &MediaLookup,
) -> Result<RenderedBody, BodyError> {
    if markdown.len() > MAX_BODY_BYTES {
        return Err(BodyError::TooLarge);
    }
    let events: Vec<Event<'_>> = Parser::new_ext(markdown, OPTIONS).collect();
    let text = text_of(events.iter());

    let mut raw_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw_html, figures(events, media).into_iter());
    // The sanitizer's HTML parser costs the square of the nesting depth; nested quotes
    // and lists become nested elements here, next to any raw HTML of the body.
    if html_depth::deeper_than(&raw_html, MAX_HTML_DEPTH) {
        return Err(BodyError::TooDeep);
    }
    Ok(RenderedBody {
        html: SANITIZER
            .clean(&alignment_as_classes(&raw_html))
            .to_string(),
        text,
    })
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

fn library_item<'m>(dest_url: &str, media: &'m MediaLookup) -> Option<&'m MediaItem> {
    let id = dest_url
        .strip_prefix(MEDIA_SCHEME)?
        .trim()
        .parse::<i64>()
        .ok()?;
    media.get(&id)
}

/// A paragraph holding only an image with a title becomes
/// `<figure><img><figcaption>title</figcaption></figure>`: the title is the caption.
/// A library picture alone in its paragraph always becomes a figure (with its
/// library caption and credit); inside text it becomes a responsive `<img>`.
fn figures<'a>(events: Vec<Event<'a>>, media: &MediaLookup) -> Vec<Event<'a>> {
    let mut out = Vec::with_capacity(events.len());
    let mut i = 0;
    while i < events.len() {
        if let Some((embed, consumed)) = embed_at(&events[i..]) {
            out.push(Event::Html(CowStr::from(embed)));
            i += consumed;
        } else if let Some((figure, consumed)) = figure_at(&events[i..], media) {
            out.push(Event::Html(CowStr::from(figure)));
            i += consumed;
        } else if let Event::Start(Tag::Image { dest_url, .. }) = &events[i]
            && let Some(item) = library_item(dest_url, media)
        {
            let (alt, consumed) = image_alt(&events[i + 1..]);
            out.push(Event::InlineHtml(CowStr::from(media_img(
                item,
                Some(&alt),
                BODY_SIZES,
            ))));
            i += 1 + consumed;
        } else {
            out.push(events[i].clone());
            i += 1;
        }
    }
    out
}

/// The alt text of an image whose start event was just passed, and how many events
/// it took up to and including its end.
fn image_alt(rest: &[Event<'_>]) -> (String, usize) {
    let mut alt = String::new();
    let mut n = 0;
    for e in rest {
        n += 1;
        match e {
            Event::Text(t) | Event::Code(t) => alt.push_str(t),
            Event::End(TagEnd::Image) => break,
            _ => {}
        }
    }
    (alt, n)
}

fn figure_at(events: &[Event<'_>], media: &MediaLookup) -> Option<(String, usize)> {
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
    let item = library_item(dest_url, media);
    if title.is_empty() && item.is_none() {
        return None;
    }
    let (alt, consumed) = image_alt(rest);
    let n = 2 + consumed;
    if !matches!(events.get(n), Some(Event::End(TagEnd::Paragraph))) {
        return None;
    }
    if let Some(item) = item {
        return Some((media_figure(item, Some(&alt), Some(title)), n + 1));
    }
    let figure = format!(
        "<figure><img src=\"{}\" alt=\"{}\" loading=\"lazy\"><figcaption>{}</figcaption></figure>\n",
        escape(dest_url),
        escape(&alt),
        escape(title)
    );
    Some((figure, n + 1))
}

/// A post from another site, by the URL alone in its paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Embed {
    /// `youtube`, `x` or `telegram`.
    pub kind: &'static str,
    /// The video id, the post id, or `channel/post` for Telegram.
    pub id: String,
}

/// Recognizes a YouTube video, an X (Twitter) post or a Telegram channel post URL.
pub fn embed_of(url: &str) -> Option<Embed> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let rest = rest.strip_prefix("www.").unwrap_or(rest);
    let rest = rest.strip_prefix("m.").unwrap_or(rest);
    let (host, path) = rest.split_once('/')?;
    let segments: Vec<&str> = path
        .split(['?', '#'])
        .next()?
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let query = path.split_once('?').map(|(_, q)| q).unwrap_or("");
    let youtube_id = |id: &str| embed_id_valid("youtube", id).then(|| id.to_owned());
    let number = |s: &str| !s.is_empty() && s.len() <= 25 && s.bytes().all(|b| b.is_ascii_digit());
    let name = |s: &str| {
        !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    };
    let (kind, id) = match (host, segments.as_slice()) {
        ("youtube.com", ["watch"]) => (
            "youtube",
            query
                .split('&')
                .find_map(|kv| kv.strip_prefix("v="))
                .and_then(youtube_id)?,
        ),
        ("youtube.com", ["shorts" | "embed" | "live", id]) | ("youtu.be", [id]) => {
            ("youtube", youtube_id(id)?)
        }
        ("x.com" | "twitter.com", [user, "status", id]) if name(user) && number(id) => {
            ("x", (*id).to_owned())
        }
        ("t.me", [channel, post]) if name(channel) && number(post) => {
            ("telegram", format!("{channel}/{post}"))
        }
        _ => return None,
    };
    Some(Embed { kind, id })
}

/// A paragraph that is only a YouTube, X or Telegram URL (bare or `<autolinked>`)
/// becomes a click-to-load embed: a plain link, marked so the reader script can put the
/// player there when the reader asks. Nothing is loaded from the other site before.
fn embed_at(events: &[Event<'_>]) -> Option<(String, usize)> {
    let Some(Event::Start(Tag::Paragraph)) = events.first() else {
        return None;
    };
    let mut url = String::new();
    let mut n = 1;
    loop {
        match events.get(n)? {
            Event::Text(t) => url.push_str(t),
            Event::Start(Tag::Link { .. }) | Event::End(TagEnd::Link) => {}
            Event::End(TagEnd::Paragraph) => break,
            _ => return None,
        }
        n += 1;
    }
    let url = url.trim();
    let embed = embed_of(url)?;
    let label = match embed.kind {
        "youtube" => "YouTube",
        "x" => "X",
        _ => "Telegram",
    };
    let html = format!(
        "<figure class=\"embed embed-{kind}\" data-embed=\"{kind}\" data-embed-id=\"{id}\"><a href=\"{href}\">{label}: {text}</a></figure>\n",
        kind = embed.kind,
        id = escape(&embed.id),
        href = escape(url),
        text = escape(url),
    );
    Some((html, n + 1))
}

pub(crate) fn escape(s: &str) -> String {
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

    fn render(markdown: &str) -> RenderedBody {
        render_markdown(markdown).unwrap()
    }

    #[test]
    fn deep_nesting_is_refused_before_the_sanitizer_reads_it() {
        let quotes = |n: usize| format!("{}deep", "> ".repeat(n));
        assert!(render_markdown(&quotes(MAX_HTML_DEPTH - 1)).is_ok());
        assert_eq!(
            render_markdown(&quotes(MAX_HTML_DEPTH + 1)),
            Err(BodyError::TooDeep)
        );
        let lists: String = (0..MAX_HTML_DEPTH)
            .map(|i| format!("{}- item\n", "  ".repeat(i)))
            .collect();
        assert_eq!(render_markdown(&lists), Err(BodyError::TooDeep));
        let divs = "<div>".repeat(80_000);
        assert_eq!(render_markdown(&divs), Err(BodyError::TooDeep));
        let big = "a".repeat(MAX_BODY_BYTES + 1);
        assert_eq!(render_markdown(&big), Err(BodyError::TooLarge));
    }

    #[test]
    fn plain_text_matches_the_rendered_text() {
        let md = "# Title\n\nSome *text* with `<script>` and\na break.\n\n<div>raw</div>";
        assert_eq!(plain_text(md), render(md).text);
        assert!(plain_text(md).contains("<script>"), "code stays as text");
    }

    #[test]
    fn embed_urls_become_click_to_load_figures_without_third_party_requests() {
        let cases = [
            (
                "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=10",
                "youtube",
                "dQw4w9WgXcQ",
            ),
            ("https://youtu.be/dQw4w9WgXcQ", "youtube", "dQw4w9WgXcQ"),
            (
                "<https://x.com/meridian_news/status/1790000000000000000>",
                "x",
                "1790000000000000000",
            ),
            ("https://twitter.com/someone/status/123", "x", "123"),
            ("https://t.me/meridian/4521", "telegram", "meridian/4521"),
        ];
        for (md, kind, id) in cases {
            let r = render(&format!("Before.\n\n{md}\n\nAfter."));
            assert!(
                r.html.contains(&format!(
                    "<figure class=\"embed embed-{kind}\" data-embed=\"{kind}\" data-embed-id=\"{id}\">"
                )),
                "{md}: {}",
                r.html
            );
            assert!(
                !r.html.contains("<iframe") && !r.html.contains("<script"),
                "{}",
                r.html
            );
            assert!(
                !r.html.contains("src="),
                "nothing is fetched on load: {}",
                r.html
            );
        }
        for not in [
            "See https://youtu.be/dQw4w9WgXcQ here",
            "https://youtu.be/short",
            "https://x.com/a/likes/1",
            "https://evil.example/watch?v=dQw4w9WgXcQ",
        ] {
            assert!(!render(not).html.contains("data-embed"), "{not}");
        }
    }

    #[test]
    fn renders_structure() {
        let r = render("## Heading\n\nText *em*.\n\n> quote\n\n- one\n- two\n");
        assert!(r.html.contains("<h2>Heading</h2>"));
        assert!(r.html.contains("<em>em</em>"));
        assert!(r.html.contains("<blockquote>"));
        assert!(r.html.contains("<li>one</li>"));
        assert!(r.text.contains("Heading") && r.text.contains("quote"));
    }

    #[test]
    fn image_with_title_becomes_figure() {
        let r = render("![A chart](/media/x.png \"Prices, 2020–2026\")\n");
        assert!(r.html.contains("<figure>"), "{}", r.html);
        assert!(
            r.html
                .contains("<figcaption>Prices, 2020–2026</figcaption>")
        );
        assert!(r.html.contains("alt=\"A chart\""));
    }

    #[test]
    fn scripts_and_handlers_are_removed() {
        let r = render(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1))\n\n![t](/a.png \"<b onclick=x>\")",
        );
        assert!(!r.html.contains("<script"), "{}", r.html);
        assert!(!r.html.contains("onerror"));
        // The caption's markup survives only as escaped text, never as a tag.
        assert!(!r.html.contains("<b "), "{}", r.html);
        assert!(r.html.contains("&lt;b onclick=x&gt;"), "{}", r.html);
        assert!(!r.html.contains("javascript:"));
    }

    fn library_picture() -> MediaItem {
        MediaItem {
            id: byline_core::MediaId(42),
            storage_key: "0123456789abcdef0123456789abcdef".into(),
            file_name: "harbour.jpg".into(),
            mime: "image/jpeg".into(),
            width: 2000,
            height: 1000,
            bytes: 1,
            alt: "Boats at dawn".into(),
            caption: "The harbour".into(),
            credit: "Photo: A. Petrosyan".into(),
            focal: byline_core::Focal::MIDDLE,
            variants: [320, 640]
                .into_iter()
                .map(|w| byline_core::MediaVariant {
                    name: format!("{w}.webp"),
                    width: w,
                    height: w / 2,
                    bytes: 1,
                })
                .collect(),
            uploaded_by: None,
            created_at: jiff::Timestamp::UNIX_EPOCH,
        }
    }

    #[test]
    fn library_pictures_are_responsive_figures() {
        let md = "Text ![inline](media:42) here.\n\n![](media:42)\n\n![Own alt](media:42 \"Own caption\")\n\n![x](media:7)\n";
        assert_eq!(media_refs(md), ["42", "42", "42", "7"]);
        let media = MediaLookup::from([(42, library_picture())]);
        let html = render_markdown_with_media(md, &media).unwrap().html;
        let base = "/media/lib/0123456789abcdef0123456789abcdef";
        let img = format!(
            "<img src=\"{base}/640.webp\" srcset=\"{base}/320.webp 320w, {base}/640.webp 640w\" sizes=\"{BODY_SIZES}\" width=\"2000\" height=\"1000\""
        );
        assert_eq!(html.matches(&img).count(), 3, "{html}");
        assert!(
            html.contains("alt=\"inline\" loading=\"lazy\" decoding=\"async\">"),
            "{html}"
        );
        assert!(
            html.contains(&format!("{img} alt=\"Boats at dawn\"")),
            "library alt by default: {html}"
        );
        assert!(html.contains("<figcaption><span class=\"caption\">The harbour</span> <span class=\"credit\">Photo: A. Petrosyan</span></figcaption>"), "{html}");
        assert!(
            html.contains("<span class=\"caption\">Own caption</span>"),
            "{html}"
        );
        // An unknown picture keeps no source: the sanitizer drops the media: URL.
        assert!(!html.contains("media:7"), "{html}");
    }

    #[test]
    fn embed_attributes_in_raw_html_are_kept_only_with_known_values() {
        // The reader script turns these two attributes into a player's address.
        let hostile = [
            r#"<figure data-embed="constructor" data-embed-id="javascript:alert(document.cookie)"><a href="https://x.com">x</a></figure>"#,
            r#"<figure data-embed="__proto__" data-embed-id="1">p</figure>"#,
            r#"<figure data-embed="youtube" data-embed-id="javascript:alert(1)">y</figure>"#,
            r#"<figure data-embed="x" data-embed-id="1 onload=alert(1)">z</figure>"#,
            r#"<figure data-embed="telegram" data-embed-id="../../evil/1">t</figure>"#,
        ];
        for raw in hostile {
            let html = render(raw).html;
            assert!(!html.contains("javascript"), "{html}");
            assert!(!html.contains("constructor"), "{html}");
            assert!(!html.contains("__proto__"), "{html}");
            assert!(!html.contains("onload"), "{html}");
            assert!(!html.contains("../"), "{html}");
        }
        // Well-formed ones written by hand stay (the same as an embed URL makes).
        let html = render(
            r#"<figure class="embed" data-embed="youtube" data-embed-id="dQw4w9WgXcQ">v</figure>"#,
        )
        .html;
        assert!(
            html.contains(r#"data-embed="youtube" data-embed-id="dQw4w9WgXcQ""#),
            "{html}"
        );
    }

    #[test]
    fn embed_ids_follow_each_providers_shape() {
        assert!(embed_id_valid("youtube", "dQw4w9WgXcQ"));
        assert!(!embed_id_valid("youtube", "dQw4w9WgXc"));
        assert!(embed_id_valid("x", "1790000000000000000"));
        assert!(!embed_id_valid("x", "17a"));
        assert!(embed_id_valid("telegram", "meridian/4521"));
        assert!(!embed_id_valid("telegram", "meridian"));
        assert!(!embed_id_valid("constructor", "1"));
    }

    #[test]
    fn table_alignment_is_a_class_not_an_inline_style() {
        let r = render("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n");
        assert!(!r.html.contains("style="), "{}", r.html);
        for class in ALIGN_CLASSES {
            assert!(
                r.html.contains(&format!("<td class=\"{class}\">")),
                "{}",
                r.html
            );
        }
        // Hand-written cells keep only the three alignment classes.
        let r = render("<table><tr><td class=\"x\" style=\"color:red\">1</td></tr></table>");
        assert!(
            !r.html.contains("class=") && !r.html.contains("style="),
            "{}",
            r.html
        );
    }

    #[test]
    fn tables_and_footnotes() {
        let r = render("| a | b |\n|---|--:|\n| 1 | 2 |\n\nText[^1].\n\n[^1]: Note.\n");
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("footnote"));
    }
}
