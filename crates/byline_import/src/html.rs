//! HTML to Byline Markdown, with the newsroom's paste converter (`htmd`) and the same
//! tags left out, plus what an export has and a paste does not: figures with captions
//! become Byline figures (`![alt](src "caption")` alone in a paragraph), and embeds
//! become Byline's click-to-load embeds (the post's URL alone in a paragraph).

use byline_render::markdown::embed_of;
use htmd::element_handler::{HandlerResult, Handlers};
use htmd::{Element, HtmlToMarkdown};
use markup5ever_rcdom::{Node, NodeData};
use std::rc::Rc;
use std::sync::{Arc, Mutex};

/// Deepest element nesting converted. The converter walks the tree recursively, so
/// a body nested thousands deep would exhaust the stack; real articles stay far below.
pub const MAX_DEPTH: usize = 100;

/// Why a body could not be converted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BodyError {
    #[error("the body is nested more than {MAX_DEPTH} elements deep")]
    TooDeep,
    #[error("the body is longer than {0} bytes")]
    TooLong(usize),
    #[error("the body could not be read as HTML: {0}")]
    Unreadable(String),
}

/// Longest body converted, in bytes (a long read is well under 1 MB of HTML).
pub const MAX_BODY: usize = 8 * 1024 * 1024;

/// A converted body and what in it could not be translated.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Converted {
    pub markdown: String,
    pub untranslated: Vec<String>,
}

/// Converts HTML to Markdown.
pub fn to_markdown(html: &str) -> Result<Converted, BodyError> {
    if html.len() > MAX_BODY {
        return Err(BodyError::TooLong(MAX_BODY));
    }
    if nesting_depth(html) > MAX_DEPTH {
        return Err(BodyError::TooDeep);
    }
    let notes = Arc::new(Mutex::new(Vec::new()));
    let (figure_notes, frame_notes) = (notes.clone(), notes.clone());
    let converter = HtmlToMarkdown::builder()
        // The newsroom's paste converter leaves out the same tags.
        .skip_tags(vec![
            "script", "style", "head", "meta", "link", "object", "noscript", "form",
        ])
        .add_handler(vec!["figure"], move |h: &dyn Handlers, e: Element| {
            figure(h, e, &figure_notes)
        })
        .add_handler(vec!["pre"], |_: &dyn Handlers, e: Element| {
            Some(code_block(e.node).into())
        })
        .add_handler(
            vec!["iframe", "video", "audio", "embed"],
            move |_: &dyn Handlers, e: Element| frame(e, &frame_notes),
        )
        .build();
    let markdown = converter
        .convert(html)
        .map_err(|e| BodyError::Unreadable(e.to_string()))?;
    let untranslated = std::mem::take(&mut *notes.lock().unwrap_or_else(|p| p.into_inner()));
    Ok(Converted {
        markdown: markdown.trim().to_owned(),
        untranslated,
    })
}

/// The deepest nesting of elements in `html`, counted from its tags without parsing.
/// Elements HTML closes implicitly (`p`, `li`, …) are not counted, so sloppy but
/// ordinary markup (unclosed paragraphs) is not mistaken for deep nesting.
pub fn nesting_depth(html: &str) -> usize {
    const VOID: [&str; 22] = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr", "p", "li", "dt", "dd", "option", "tr", "td", "th", "param",
    ];
    let bytes = html.as_bytes();
    let (mut depth, mut max) = (0usize, 0usize);
    let mut i = 0;
    while let Some(off) = memchr(b'<', &bytes[i..]) {
        i += off + 1;
        let closing = bytes.get(i) == Some(&b'/');
        let start = if closing { i + 1 } else { i };
        let mut end = start;
        while end < bytes.len() && bytes[end].is_ascii_alphanumeric() {
            end += 1;
        }
        if end == start {
            continue;
        }
        let name = html[start..end].to_ascii_lowercase();
        if VOID.contains(&name.as_str()) {
            continue;
        }
        let self_closing =
            memchr(b'>', &bytes[end..]).is_some_and(|gt| gt > 0 && bytes[end + gt - 1] == b'/');
        if closing {
            depth = depth.saturating_sub(1);
        } else if !self_closing {
            depth += 1;
            max = max.max(depth);
        }
    }
    max
}

fn memchr(needle: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&b| b == needle)
}

fn tag_of(node: &Node) -> Option<String> {
    match &node.data {
        NodeData::Element { name, .. } => Some(name.local.to_string()),
        _ => None,
    }
}

fn attr_of(node: &Node, attr: &str) -> Option<String> {
    match &node.data {
        NodeData::Element { attrs, .. } => attrs
            .borrow()
            .iter()
            .find(|a| &*a.name.local == attr)
            .map(|a| a.value.to_string()),
        _ => None,
    }
}

/// Descendants of `node` in document order (iteratively: the depth was checked, but
/// a loop costs nothing).
fn descendants(node: &Rc<Node>) -> Vec<Rc<Node>> {
    let mut out = Vec::new();
    let mut stack: Vec<Rc<Node>> = node.children.borrow().iter().rev().cloned().collect();
    while let Some(n) = stack.pop() {
        stack.extend(n.children.borrow().iter().rev().cloned());
        out.push(n);
    }
    out
}

fn text_of(node: &Rc<Node>) -> String {
    let mut text = String::new();
    for n in descendants(node) {
        if let NodeData::Text { contents } = &n.data {
            text.push_str(&contents.borrow());
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A `<pre>` (with or without `<code>` inside) as a fenced code block, its text kept
/// exactly (htmd keeps a `<pre>` without `<code>` as ordinary paragraphs).
fn code_block(node: &Rc<Node>) -> String {
    let mut text = String::new();
    for n in descendants(node) {
        match &n.data {
            NodeData::Text { contents } => text.push_str(&contents.borrow()),
            NodeData::Element { name, .. } if &*name.local == "br" => text.push('\n'),
            _ => {}
        }
    }
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest.max(2) + 1);
    format!("\n\n{fence}\n{}\n{fence}\n\n", text.trim_matches('\n'))
}

fn class_has(node: &Node, class: &str) -> bool {
    attr_of(node, "class").is_some_and(|c| c.split_whitespace().any(|c| c.starts_with(class)))
}

/// A figure: a picture with its caption, an embed, a gallery of figures, or a
/// pull quote (whose quote is kept).
fn figure(h: &dyn Handlers, e: Element, notes: &Mutex<Vec<String>>) -> Option<HandlerResult> {
    let node = e.node;
    let all = descendants(node);
    let nested_figure = all.iter().any(|n| tag_of(n).as_deref() == Some("figure"));
    let img = all.iter().find(|n| tag_of(n).as_deref() == Some("img"));
    if class_has(node, "wp-block-embed")
        || (img.is_none() && !nested_figure && class_has(node, "kg-embed-card"))
    {
        let url = all
            .iter()
            .find_map(|n| attr_of(n, "src").filter(|_| tag_of(n).as_deref() == Some("iframe")))
            .or_else(|| {
                all.iter()
                    .find(|n| class_has(n, "wp-block-embed__wrapper"))
                    .map(text_of)
            })
            .or_else(|| all.iter().find_map(|n| attr_of(n, "href")))
            .unwrap_or_default();
        return Some(embed_paragraph(url.trim(), notes).into());
    }
    if class_has(node, "kg-bookmark-card") {
        let href = all
            .iter()
            .find_map(|n| attr_of(n, "href"))
            .unwrap_or_default();
        let title = all
            .iter()
            .find(|n| class_has(n, "kg-bookmark-title"))
            .map(text_of)
            .unwrap_or_else(|| href.clone());
        return Some(
            format!(
                "\n\n[{}](<{}>)\n\n",
                title.replace(['[', ']'], ""),
                href.replace(['<', '>'], "")
            )
            .into(),
        );
    }
    if nested_figure || img.is_none() {
        return Some(h.walk_children(node));
    }
    let imgs: Vec<&Rc<Node>> = all
        .iter()
        .filter(|n| tag_of(n).as_deref() == Some("img"))
        .collect();
    if imgs.len() > 1 {
        // A gallery of bare images (Ghost's gallery card): each a figure.
        let mut out = String::new();
        for img in imgs {
            let src = attr_of(img, "src").unwrap_or_default();
            out.push_str(&picture(&src, &attr_of(img, "alt").unwrap_or_default(), ""));
        }
        return Some(out.into());
    }
    let img = img?;
    let src = attr_of(img, "src").unwrap_or_default();
    let alt = attr_of(img, "alt").unwrap_or_default();
    let caption = all
        .iter()
        .find(|n| tag_of(n).as_deref() == Some("figcaption"))
        .map(text_of)
        .unwrap_or_default();
    Some(picture(&src, &alt, &caption).into())
}

/// A picture in Byline's figure syntax (an image alone in its paragraph; the title is
/// the caption).
pub fn picture(src: &str, alt: &str, caption: &str) -> String {
    if src.is_empty() {
        return String::new();
    }
    let alt = alt.replace(['[', ']'], "").replace('\n', " ");
    let src = src.replace(' ', "%20").replace(['(', ')'], "");
    if caption.is_empty() {
        format!("\n\n![{alt}]({src})\n\n")
    } else {
        let caption = caption
            .replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('\n', " ");
        format!("\n\n![{alt}]({src} \"{caption}\")\n\n")
    }
}

/// An embed by its URL: Byline's click-to-load embed where the provider is known,
/// else a plain link (listed as untranslated).
pub fn embed_paragraph(url: &str, notes: &Mutex<Vec<String>>) -> String {
    match embed_of(url) {
        Some(embed) => format!("\n\n<{}>\n\n", canonical_embed_url(&embed)),
        None if url.starts_with("http://") || url.starts_with("https://") => {
            let host = url.split('/').nth(2).unwrap_or("");
            notes
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(format!("embed from {host}"));
            format!("\n\n<{}>\n\n", url.replace(['<', '>', ' '], ""))
        }
        None => String::new(),
    }
}

/// The address a reader follows when the player is not loaded; also what the
/// renderer recognizes as that provider's embed.
pub fn canonical_embed_url(embed: &byline_render::markdown::Embed) -> String {
    match embed.kind {
        "youtube" => format!("https://www.youtube.com/watch?v={}", embed.id),
        "x" => format!("https://x.com/i/status/{}", embed.id),
        _ => format!("https://t.me/{}", embed.id),
    }
}

/// An `<iframe>`, `<video>` or `<audio>` outside a figure: an embed where the
/// provider is known, else a link to the file or player.
fn frame(e: Element, notes: &Mutex<Vec<String>>) -> Option<HandlerResult> {
    let src = attr_of(e.node, "src")
        .or_else(|| descendants(e.node).iter().find_map(|n| attr_of(n, "src")))?;
    if embed_of(&src).is_some() || e.tag == "iframe" || e.tag == "embed" {
        return Some(embed_paragraph(&src, notes).into());
    }
    let name = src.rsplit('/').next().unwrap_or(&src).to_owned();
    Some(
        format!(
            "\n\n[{}]({})\n\n",
            name.replace(['[', ']'], ""),
            src.replace(' ', "%20")
        )
        .into(),
    )
}

/// Rewrites the values of `href` and `src` attributes in `html` with `rewrite` (which
/// answers `None` to keep a value). Values are compared with `&amp;` decoded.
pub fn rewrite_links(html: &str, rewrite: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    loop {
        let found = ["href=", "src=", "HREF=", "SRC="]
            .iter()
            .filter_map(|k| rest.find(k).map(|i| (i, k.len())))
            .min();
        let Some((at, klen)) = found else {
            out.push_str(rest);
            return out;
        };
        let value_start = at + klen;
        out.push_str(&rest[..value_start]);
        rest = &rest[value_start..];
        let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        let Some(end) = rest[1..].find(quote) else {
            continue;
        };
        let value = &rest[1..1 + end];
        let decoded = value.replace("&amp;", "&").replace("&#038;", "&");
        match rewrite(&decoded) {
            Some(new) => {
                out.push(quote);
                out.push_str(&new.replace('&', "&amp;").replace(quote, ""));
                out.push(quote);
            }
            None => out.push_str(&rest[..end + 2]),
        }
        rest = &rest[end + 2..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_nesting_is_measured_without_parsing() {
        assert_eq!(nesting_depth("<p>a<p>b<p>c"), 0);
        assert_eq!(
            nesting_depth("<div><blockquote><em>x</em></blockquote></div>"),
            3
        );
        assert_eq!(nesting_depth(&"<div>".repeat(5000)), 5000);
        assert_eq!(to_markdown(&"<div>".repeat(5000)), Err(BodyError::TooDeep));
    }

    #[test]
    fn links_are_rewritten_by_value() {
        let html =
            r#"<a href="https://old.example/?p=1&amp;x=2">a</a><img src='/up/a.jpg'><a href=x>"#;
        let out = rewrite_links(html, &|v| {
            (v == "https://old.example/?p=1&x=2").then(|| "/en/news/a".into())
        });
        assert_eq!(
            out,
            r#"<a href="/en/news/a">a</a><img src='/up/a.jpg'><a href=x>"#
        );
    }
}
