//! WordPress shortcodes: `[caption]`, `[gallery]`, `[embed]`, `[audio]` and `[video]`
//! as the HTML they stood for; any other stays as text and is listed.

use super::body::{Context, embed_figure, escape};
use std::collections::HashMap;

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
pub(super) fn translate_all(
    content: &str,
    cx: &Context<'_>,
    untranslated: &mut Vec<String>,
) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcode_attributes_parse_every_quoting() {
        let a = parse_attrs(r#"id="attachment_5" align='left' width=300 loop"#);
        assert_eq!(a["id"], "attachment_5");
        assert_eq!(a["align"], "left");
        assert_eq!(a["width"], "300");
        assert_eq!(a["0"], "loop");
    }
}
