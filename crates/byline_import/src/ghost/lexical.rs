//! Ghost's Lexical documents (Ghost 5–6) as HTML, for posts exported without `html`.
//! Only the meaning is kept: the converter to Markdown reads it next.

use serde_json::Value;

/// Renders a Lexical document (the JSON text Ghost stores) to HTML; `untranslated`
/// gets the cards that only make sense on Ghost (signup forms, paywalls, …).
pub fn to_html(lexical: &str, untranslated: &mut Vec<String>) -> Result<String, String> {
    let doc: Value = serde_json::from_str(lexical).map_err(|e| format!("lexical: {e}"))?;
    let mut out = String::new();
    if let Some(children) = doc.pointer("/root/children").and_then(Value::as_array) {
        for node in children {
            node_html(node, &mut out, untranslated);
        }
    }
    Ok(out)
}

pub(crate) fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn s<'a>(node: &'a Value, key: &str) -> &'a str {
    node.get(key).and_then(Value::as_str).unwrap_or("")
}

fn children(node: &Value, out: &mut String, untranslated: &mut Vec<String>) {
    if let Some(list) = node.get("children").and_then(Value::as_array) {
        for child in list {
            node_html(child, out, untranslated);
        }
    }
}

fn wrap(tag: &str, node: &Value, out: &mut String, untranslated: &mut Vec<String>) {
    out.push_str(&format!("<{tag}>"));
    children(node, out, untranslated);
    out.push_str(&format!("</{tag}>"));
}

/// Lexical's text format bits: bold 1, italic 2, strikethrough 4, underline 8, code 16.
fn text(node: &Value, out: &mut String) {
    let format = node.get("format").and_then(Value::as_u64).unwrap_or(0);
    let tags: Vec<&str> = [(1, "strong"), (2, "em"), (4, "s"), (16, "code")]
        .iter()
        .filter(|(bit, _)| format & bit != 0)
        .map(|(_, t)| *t)
        .collect();
    for t in &tags {
        out.push_str(&format!("<{t}>"));
    }
    out.push_str(&esc(s(node, "text")));
    for t in tags.iter().rev() {
        out.push_str(&format!("</{t}>"));
    }
}

fn figure(src: &str, alt: &str, caption_html: &str) -> String {
    format!(
        "<figure><img src=\"{}\" alt=\"{}\"><figcaption>{caption_html}</figcaption></figure>",
        esc(src),
        esc(alt)
    )
}

fn node_html(node: &Value, out: &mut String, untranslated: &mut Vec<String>) {
    let kind = s(node, "type");
    match kind {
        "text" | "extended-text" => text(node, out),
        "linebreak" => out.push_str("<br>"),
        "tab" => out.push(' '),
        "paragraph" => wrap("p", node, out, untranslated),
        "heading" | "extended-heading" => {
            let tag = match s(node, "tag") {
                t @ ("h1" | "h2" | "h3" | "h4" | "h5" | "h6") => t,
                _ => "h2",
            };
            wrap(tag, node, out, untranslated);
        }
        "quote" | "extended-quote" | "aside" => wrap("blockquote", node, out, untranslated),
        "list" => {
            let tag = if s(node, "listType") == "number" {
                "ol"
            } else {
                "ul"
            };
            wrap(tag, node, out, untranslated);
        }
        "listitem" => wrap("li", node, out, untranslated),
        "link" | "autolink" => {
            out.push_str(&format!("<a href=\"{}\">", esc(s(node, "url"))));
            children(node, out, untranslated);
            out.push_str("</a>");
        }
        "codeblock" | "code" => {
            let code = node.get("code").and_then(Value::as_str);
            out.push_str("<pre><code>");
            match code {
                Some(code) => out.push_str(&esc(code)),
                None => children(node, out, untranslated),
            }
            out.push_str("</code></pre>");
        }
        "horizontalrule" => out.push_str("<hr>"),
        "image" => out.push_str(&figure(s(node, "src"), s(node, "alt"), s(node, "caption"))),
        "gallery" => {
            out.push_str("<figure class=\"gallery\">");
            for image in node
                .get("images")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                out.push_str(&figure(
                    s(image, "src"),
                    s(image, "alt"),
                    s(image, "caption"),
                ));
            }
            out.push_str("</figure>");
        }
        "embed" => out.push_str(&format!(
            "<figure class=\"kg-embed-card\"><a href=\"{}\">{}</a></figure>",
            esc(s(node, "url")),
            esc(s(node, "url"))
        )),
        "bookmark" => {
            let title = node
                .pointer("/metadata/title")
                .and_then(Value::as_str)
                .unwrap_or(s(node, "url"));
            out.push_str(&format!(
                "<p><a href=\"{}\">{}</a></p>",
                esc(s(node, "url")),
                esc(title)
            ));
        }
        "html" => out.push_str(s(node, "html")),
        "markdown" => {
            let mut html = String::new();
            pulldown_cmark::html::push_html(
                &mut html,
                pulldown_cmark::Parser::new(s(node, "markdown")),
            );
            out.push_str(&html);
        }
        "callout" => out.push_str(&format!(
            "<blockquote>{}</blockquote>",
            s(node, "calloutText")
        )),
        "toggle" => out.push_str(&format!(
            "<h3>{}</h3>{}",
            s(node, "heading"),
            s(node, "content")
        )),
        "button" => out.push_str(&format!(
            "<p><a href=\"{}\">{}</a></p>",
            esc(s(node, "buttonUrl")),
            esc(s(node, "buttonText"))
        )),
        "video" | "audio" | "file" => out.push_str(
            &format!("<{kind} src=\"{}\"></{kind}>", esc(s(node, "src")))
                .replace("<file ", "<video ")
                .replace("</file>", "</video>"),
        ),
        "header" => out.push_str(&format!(
            "<h2>{}</h2><p>{}</p>",
            s(node, "header"),
            s(node, "subheader")
        )),
        other => {
            untranslated.push(format!("Ghost card {other}"));
            children(node, out, untranslated);
        }
    }
}
