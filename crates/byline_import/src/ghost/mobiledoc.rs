//! Ghost's Mobiledoc documents (Ghost 1–4) as HTML, for posts exported without `html`.

use super::lexical::esc;
use serde_json::Value;

/// Renders a Mobiledoc document (the JSON text Ghost stores) to HTML.
pub fn to_html(mobiledoc: &str, untranslated: &mut Vec<String>) -> Result<String, String> {
    let doc: Value = serde_json::from_str(mobiledoc).map_err(|e| format!("mobiledoc: {e}"))?;
    let empty = Vec::new();
    let arr = |k: &str| doc.get(k).and_then(Value::as_array).unwrap_or(&empty);
    let (markups, cards, atoms) = (arr("markups"), arr("cards"), arr("atoms"));
    let mut out = String::new();
    for section in arr("sections") {
        let Some(section) = section.as_array() else {
            continue;
        };
        match section.first().and_then(Value::as_u64) {
            // Markup section: [1, tag, markers].
            Some(1) => {
                let tag = match section
                    .get(1)
                    .and_then(Value::as_str)
                    .unwrap_or("p")
                    .to_ascii_lowercase()
                    .as_str()
                {
                    t @ ("h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "blockquote" | "p") => {
                        t.to_owned()
                    }
                    "aside" | "pull-quote" => "blockquote".to_owned(),
                    _ => "p".to_owned(),
                };
                out.push_str(&format!("<{tag}>"));
                markers(section.get(2), markups, atoms, &mut out);
                out.push_str(&format!("</{tag}>"));
            }
            // Image section: [2, src].
            Some(2) => out.push_str(&format!(
                "<figure><img src=\"{}\" alt=\"\"></figure>",
                esc(section.get(1).and_then(Value::as_str).unwrap_or(""))
            )),
            // List section: [3, tag, items].
            Some(3) => {
                let tag = if section.get(1).and_then(Value::as_str) == Some("ol") {
                    "ol"
                } else {
                    "ul"
                };
                out.push_str(&format!("<{tag}>"));
                for item in section
                    .get(2)
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    out.push_str("<li>");
                    markers(Some(item), markups, atoms, &mut out);
                    out.push_str("</li>");
                }
                out.push_str(&format!("</{tag}>"));
            }
            // Card section: [10, card index].
            Some(10) => {
                let card = section
                    .get(1)
                    .and_then(Value::as_u64)
                    .and_then(|i| cards.get(i as usize))
                    .and_then(Value::as_array);
                if let Some(card) = card {
                    let name = card.first().and_then(Value::as_str).unwrap_or("");
                    let payload = card.get(1).cloned().unwrap_or(Value::Null);
                    out.push_str(&card_html(name, &payload, untranslated));
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

/// Markers: [type (0 text, 1 atom), opened markup indexes, closed count, value].
fn markers(list: Option<&Value>, markups: &[Value], atoms: &[Value], out: &mut String) {
    let mut open: Vec<String> = Vec::new();
    for marker in list.and_then(Value::as_array).into_iter().flatten() {
        let Some(m) = marker.as_array() else { continue };
        for idx in m.get(1).and_then(Value::as_array).into_iter().flatten() {
            let Some(markup) = idx
                .as_u64()
                .and_then(|i| markups.get(i as usize))
                .and_then(Value::as_array)
            else {
                continue;
            };
            let tag = match markup
                .first()
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_ascii_lowercase()
                .as_str()
            {
                t @ ("strong" | "em" | "s" | "code" | "sub" | "sup" | "u") => t.to_owned(),
                "b" => "strong".to_owned(),
                "i" => "em".to_owned(),
                "a" => "a".to_owned(),
                _ => "span".to_owned(),
            };
            if tag == "a" {
                let attrs = markup.get(1).and_then(Value::as_array);
                let href = attrs
                    .and_then(|a| {
                        a.iter()
                            .position(|v| v == "href")
                            .and_then(|i| a.get(i + 1))
                    })
                    .and_then(Value::as_str)
                    .unwrap_or("");
                out.push_str(&format!("<a href=\"{}\">", esc(href)));
            } else {
                out.push_str(&format!("<{tag}>"));
            }
            open.push(tag);
        }
        let value = match m.first().and_then(Value::as_u64) {
            Some(1) => m
                .get(3)
                .and_then(Value::as_u64)
                .and_then(|i| atoms.get(i as usize))
                .and_then(|a| a.get(1))
                .and_then(Value::as_str)
                .unwrap_or(""),
            _ => m.get(3).and_then(Value::as_str).unwrap_or(""),
        };
        out.push_str(&esc(value));
        let closed = m.get(2).and_then(Value::as_u64).unwrap_or(0);
        for _ in 0..closed {
            if let Some(tag) = open.pop() {
                out.push_str(&format!("</{tag}>"));
            }
        }
    }
    while let Some(tag) = open.pop() {
        out.push_str(&format!("</{tag}>"));
    }
}

fn card_html(name: &str, p: &Value, untranslated: &mut Vec<String>) -> String {
    let s = |k: &str| p.get(k).and_then(Value::as_str).unwrap_or("");
    match name {
        "image" => format!(
            "<figure><img src=\"{}\" alt=\"{}\"><figcaption>{}</figcaption></figure>",
            esc(s("src")),
            esc(s("alt")),
            s("caption")
        ),
        "gallery" => {
            let mut html = String::from("<figure class=\"gallery\">");
            for image in p
                .get("images")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let g = |k: &str| image.get(k).and_then(Value::as_str).unwrap_or("");
                html.push_str(&format!(
                    "<figure><img src=\"{}\" alt=\"{}\"><figcaption>{}</figcaption></figure>",
                    esc(g("src")),
                    esc(g("alt")),
                    g("caption")
                ));
            }
            html + "</figure>"
        }
        "markdown" | "card-markdown" => {
            let mut html = String::new();
            pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(s("markdown")));
            html
        }
        "html" => s("html").to_owned(),
        "code" => format!("<pre><code>{}</code></pre>", esc(s("code"))),
        "hr" => "<hr>".to_owned(),
        "embed" => format!(
            "<figure class=\"kg-embed-card\"><a href=\"{0}\">{0}</a></figure>",
            esc(s("url"))
        ),
        "bookmark" => {
            let title = p
                .pointer("/metadata/title")
                .and_then(Value::as_str)
                .unwrap_or(s("url"));
            format!("<p><a href=\"{}\">{}</a></p>", esc(s("url")), esc(title))
        }
        other => {
            untranslated.push(format!("Ghost card {other}"));
            String::new()
        }
    }
}
