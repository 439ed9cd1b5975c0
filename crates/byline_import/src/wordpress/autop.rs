//! WordPress's paragraph rules (`wpautop`) for classic-editor text.

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
}
