//! A WordPress body as WordPress would have shown it, as HTML for the converter:
//! block comments dropped, shortcodes and embed URLs made into figures and embeds,
//! and classic-editor text given paragraphs the way `wpautop` does.

use crate::model::Attachment;
use byline_render::markdown::embed_of;
use std::collections::HashMap;

/// What a body refers to that the converter needs from the rest of the export.
pub struct Context<'a> {
    pub attachments: &'a HashMap<u64, Attachment>,
    /// Attachments by the post they were uploaded to (for `[gallery]` without ids).
    pub children: &'a HashMap<u64, Vec<u64>>,
    pub post_id: u64,
}

/// Prepares `content` for [`crate::html::to_markdown`]; what it could not translate
/// is pushed to `untranslated`.
pub fn prepare(content: &str, cx: &Context<'_>, untranslated: &mut Vec<String>) -> String {
    let has_blocks = content.contains("<!-- wp:");
    let content = if has_blocks {
        drop_block_comments(content, untranslated)
    } else {
        embed_lines(content)
    };
    let content = shortcodes(&content, cx, untranslated);
    if has_blocks { content } else { autop(&content) }
}

/// Removes `<!-- wp:… -->` and `<!-- /wp:… -->`; a self-closing block with no HTML of
/// its own (latest posts, a search form, …) rendered on the old server, so it is gone
/// and listed.
fn drop_block_comments(content: &str, untranslated: &mut Vec<String>) -> String {
    let mut out = String::with_capacity(content.len());
    let mut rest = content;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        let Some(len) = rest[start..].find("-->") else {
            rest = "";
            break;
        };
        let comment = &rest[start + 4..start + len];
        let body = comment.trim();
        if let Some(block) = body.strip_prefix("wp:")
            && body.ends_with('/')
        {
            let name = block
                .split_whitespace()
                .next()
                .unwrap_or("")
                .trim_end_matches('/');
            if !matches!(name, "more" | "nextpage" | "spacer" | "separator") {
                untranslated.push(format!("block wp:{name}"));
            }
        }
        rest = &rest[start + len + 3..];
    }
    out.push_str(rest);
    out
}

/// A line that is only an embeddable URL becomes an embed figure (WordPress embeds
/// such URLs on their own line).
fn embed_lines(content: &str) -> String {
    if !content.contains("http") {
        return content.to_owned();
    }
    let mut out = String::with_capacity(content.len());
    for line in content.split_inclusive('\n') {
        let url = line.trim();
        if (url.starts_with("https://") || url.starts_with("http://"))
            && !url.contains(char::is_whitespace)
            && !url.contains('<')
            && (embed_of(url).is_some() || oembed_host(url))
        {
            out.push_str(&embed_figure(url));
            out.push('\n');
        } else {
            out.push_str(line);
        }
    }
    out
}

/// Hosts WordPress embeds from a URL on its own line that Byline has no player for:
/// they become a link (and are listed) rather than a bare address in the text.
const OEMBED_HOSTS: [&str; 15] = [
    "vimeo.com",
    "soundcloud.com",
    "open.spotify.com",
    "tiktok.com",
    "flickr.com",
    "dailymotion.com",
    "reddit.com",
    "tumblr.com",
    "imgur.com",
    "ted.com",
    "mixcloud.com",
    "slideshare.net",
    "pinterest.com",
    "instagram.com",
    "facebook.com",
];

fn oembed_host(url: &str) -> bool {
    crate::links::host_of(url).is_some_and(|h| {
        let h = h.strip_prefix("www.").unwrap_or(&h);
        OEMBED_HOSTS.contains(&h)
    })
}

fn embed_figure(url: &str) -> String {
    format!(
        "<figure class=\"wp-block-embed\"><div class=\"wp-block-embed__wrapper\">{}</div></figure>",
        escape(url)
    )
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A shortcode's attributes: `name="v"`, `name='v'`, `name=v`, and bare values.
fn parse_attrs(s: &str) -> HashMap<String, String> {
    let mut attrs = HashMap::new();
    let mut rest = s.trim();
    let mut positional = 0;
    while !rest.is_empty() {
        let key_end = rest
            .find(|c: char| c == '=' || c.is_whitespace())
            .unwrap_or(rest.len());
        let key = &rest[..key_end];
        rest = rest[key_end..].trim_start();
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (value, next) = match after.chars().next() {
                Some(q @ ('"' | '\'')) => match after[1..].find(q) {
                    Some(end) => (&after[1..1 + end], &after[end + 2..]),
                    None => (&after[1..], ""),
                },
                _ => {
                    let end = after.find(char::is_whitespace).unwrap_or(after.len());
                    (&after[..end], &after[end..])
                }
            };
            attrs.insert(key.to_ascii_lowercase(), value.to_owned());
            rest = next.trim_start();
        } else {
            attrs.insert(
                positional.to_string(),
                key.trim_matches(['"', '\'']).to_owned(),
            );
            positional += 1;
        }
    }
    attrs
}

const ENCLOSING: [&str; 5] = ["caption", "wp_caption", "embed", "audio", "video"];

/// Translates `[caption]`, `[gallery]`, `[embed]`, `[audio]` and `[video]`; any other
/// shortcode stays as text and is listed.
fn shortcodes(content: &str, cx: &Context<'_>, untranslated: &mut Vec<String>) -> String {
    let mut out = String::with_capacity(content.len());
    let mut rest = content;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        rest = &rest[open..];
        // `[[name]]` is WordPress's escape for a literal `[name]`.
        if rest.starts_with("[[")
            && let Some(end) = rest.find("]]")
        {
            out.push_str(&rest[1..end + 1]);
            rest = &rest[end + 2..];
            continue;
        }
        let name_len = rest[1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(rest.len() - 1);
        let name = rest[1..1 + name_len].to_ascii_lowercase();
        let after_name = rest[1 + name_len..].chars().next();
        let Some(close) = rest.find(']') else {
            out.push_str(rest);
            return out;
        };
        if name.is_empty()
            || !name.starts_with(|c: char| c.is_ascii_alphabetic())
            || !matches!(after_name, Some(' ' | ']' | '/'))
            || close < 1 + name_len
        {
            out.push('[');
            rest = &rest[1..];
            continue;
        }
        let attrs = parse_attrs(rest[1 + name_len..close].trim_end_matches('/'));
        let mut consumed = close + 1;
        let mut inner = "";
        if ENCLOSING.contains(&name.as_str()) {
            let closing = format!("[/{name}]");
            if let Some(end) = rest[consumed..].find(&closing) {
                inner = &rest[consumed..consumed + end];
                consumed += end + closing.len();
            }
        }
        match translate(&name, &attrs, inner, cx) {
            Some(html) => out.push_str(&html),
            None => {
                if !name.starts_with('/') {
                    untranslated.push(format!("shortcode [{name}]"));
                }
                out.push_str(&rest[..consumed]);
            }
        }
        rest = &rest[consumed..];
    }
    out.push_str(rest);
    out
}

fn translate(
    name: &str,
    attrs: &HashMap<String, String>,
    inner: &str,
    cx: &Context<'_>,
) -> Option<String> {
    match name {
        "caption" | "wp_caption" => {
            let text = strip_tags(inner);
            let caption = attrs.get("caption").cloned().unwrap_or(text);
            Some(format!(
                "<figure>{inner}<figcaption>{}</figcaption></figure>",
                escape(caption.trim())
            ))
        }
        "gallery" => {
            let ids: Vec<u64> = match attrs.get("ids").or_else(|| attrs.get("include")) {
                Some(ids) => ids
                    .split(',')
                    .filter_map(|i| i.trim().parse().ok())
                    .collect(),
                None => cx.children.get(&cx.post_id).cloned().unwrap_or_default(),
            };
            let figures: String = ids
                .iter()
                .filter_map(|id| cx.attachments.get(id))
                .map(|a| {
                    format!(
                        "<figure><img src=\"{}\" alt=\"{}\"><figcaption>{}</figcaption></figure>",
                        escape(&a.url),
                        escape(&a.alt),
                        escape(&a.caption)
                    )
                })
                .collect();
            Some(format!("<figure class=\"gallery\">{figures}</figure>"))
        }
        "embed" => Some(embed_figure(
            attrs.get("src").map(String::as_str).unwrap_or(inner).trim(),
        )),
        "audio" | "video" => {
            let src = [
                "src", "mp3", "m4a", "ogg", "wav", "wma", "mp4", "m4v", "webm", "ogv", "flv",
            ]
            .iter()
            .find_map(|k| attrs.get(*k))?;
            Some(format!("<{name} src=\"{}\"></{name}>", escape(src)))
        }
        _ => None,
    }
}

fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

const BLOCK_TAGS: [&str; 38] = [
    "table",
    "thead",
    "tbody",
    "tfoot",
    "caption",
    "col",
    "colgroup",
    "tr",
    "td",
    "th",
    "div",
    "dl",
    "dd",
    "dt",
    "ul",
    "ol",
    "li",
    "pre",
    "form",
    "map",
    "area",
    "blockquote",
    "address",
    "math",
    "style",
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "figure",
    "figcaption",
    "section",
    "iframe",
    "video",
];

fn starts_with_block(chunk: &str) -> bool {
    let Some(tag) = chunk.strip_prefix('<') else {
        return false;
    };
    let tag = tag.strip_prefix('/').unwrap_or(tag);
    let name: String = tag
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    BLOCK_TAGS.contains(&name.as_str()) || name == "audio"
}

/// WordPress's paragraph rules for classic-editor text: a blank line separates
/// paragraphs, a single line break inside one is a `<br>`, block elements are not
/// wrapped, and `<pre>` is left as it is.
pub fn autop(content: &str) -> String {
    let content = content.replace("\r\n", "\n").replace('\r', "\n");
    // Blank lines inside <pre> are not paragraph breaks: set the <pre>s aside first.
    let mut pres = Vec::new();
    let mut text = String::with_capacity(content.len());
    let mut rest = content.as_str();
    while let Some(start) = rest.find("<pre") {
        let Some(len) = rest[start..].find("</pre>") else {
            break;
        };
        text.push_str(&rest[..start]);
        text.push_str(&format!("\n\n\u{0}PRE{}\u{0}\n\n", pres.len()));
        pres.push(&rest[start..start + len + 6]);
        rest = &rest[start + len + 6..];
    }
    text.push_str(rest);

    let mut out = String::with_capacity(text.len() + 64);
    for chunk in text.split("\n\n") {
        let chunk = chunk.trim();
        if chunk.is_empty() {
            continue;
        }
        if let Some(n) = chunk
            .strip_prefix("\u{0}PRE")
            .and_then(|n| n.strip_suffix('\u{0}'))
            .and_then(|n| n.parse::<usize>().ok())
            && let Some(pre) = pres.get(n)
        {
            out.push_str(pre);
        } else if starts_with_block(chunk) {
            out.push_str(chunk);
        } else {
            out.push_str("<p>");
            out.push_str(&chunk.replace('\n', "<br />\n"));
            out.push_str("</p>");
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn autop_makes_paragraphs_and_keeps_pre() {
        let html = autop("One\nline two\n\n\nThree\n\n<pre>a\n\nb</pre>\n\n<ul><li>x</li></ul>");
        assert_eq!(
            html,
            "<p>One<br />\nline two</p>\n<p>Three</p>\n<pre>a\n\nb</pre>\n<ul><li>x</li></ul>\n"
        );
    }

    #[test]
    fn shortcode_attributes_parse_every_quoting() {
        let a = parse_attrs(r#"id="attachment_5" align='left' width=300 loop"#);
        assert_eq!(a["id"], "attachment_5");
        assert_eq!(a["align"], "left");
        assert_eq!(a["width"], "300");
        assert_eq!(a["0"], "loop");
    }
}
