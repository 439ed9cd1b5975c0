//! Escaping text for HTML and JSON for inside `<script>`, by vector search for the few
//! bytes that need it: most of a page's text has none, and a loop over every byte was
//! some 10 % of an uncached article's render (docs/PERFORMANCE.md).

use memchr::{memchr2, memchr3};

/// The positions, in order, of the bytes of `bytes` that are one of `first` (three) or
/// `second` (two), each set found by memchr's vector search. Both searches keep their
/// next hit, so text full of one kind is not searched again for the other: O(n). The
/// two sets must not share a byte (a position would come twice).
struct Hits<'a> {
    bytes: &'a [u8],
    first: [u8; 3],
    second: [u8; 2],
    next_first: Option<usize>,
    next_second: Option<usize>,
}

impl<'a> Hits<'a> {
    fn new(bytes: &'a [u8], first: [u8; 3], second: [u8; 2]) -> Self {
        debug_assert!(!second.iter().any(|b| first.contains(b)));
        let [a, b, c] = first;
        let [d, e] = second;
        Self {
            bytes,
            first,
            second,
            next_first: memchr3(a, b, c, bytes),
            next_second: memchr2(d, e, bytes),
        }
    }
}

impl Iterator for Hits<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        let [a, b, c] = self.first;
        let [d, e] = self.second;
        let rest = |from: usize| self.bytes.get(from..).unwrap_or_default();
        let first_is_next = match (self.next_first, self.next_second) {
            (None, None) => return None,
            (Some(i), Some(j)) => i < j,
            (first, _) => first.is_some(),
        };
        if first_is_next {
            let i = self.next_first?;
            self.next_first = memchr3(a, b, c, rest(i + 1)).map(|p| i + 1 + p);
            Some(i)
        } else {
            let j = self.next_second?;
            self.next_second = memchr2(d, e, rest(j + 1)).map(|p| j + 1 + p);
            Some(j)
        }
    }
}

/// `text` with `&`, `<`, `>`, `"` and `'` escaped, for HTML text and quoted attributes,
/// written to `out` in runs. Nothing else is touched (not `/`: it is harmless there and
/// every URL would grow).
pub fn write_html<W: std::fmt::Write>(out: &mut W, text: &str) -> std::fmt::Result {
    let mut last = 0;
    for i in Hits::new(text.as_bytes(), [b'&', b'<', b'>'], [b'"', b'\'']) {
        let escaped = match text.as_bytes()[i] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        };
        out.write_str(&text[last..i])?;
        out.write_str(escaped)?;
        last = i + 1;
    }
    out.write_str(&text[last..])
}

/// JSON text for inside `<script>`: `<`, `>` and `&` as `\u003c`… (so no `</script>` or
/// `<!--` can end or change the script, whatever a headline says), and U+2028/U+2029
/// escaped for old JavaScript parsers. Still valid JSON, meaning unchanged. (Those two
/// are the only characters encoded as E2 80 A8/A9.)
pub fn script_json(json: &str) -> String {
    let bytes = json.as_bytes();
    let mut out = String::with_capacity(json.len() + 16);
    let mut last = 0;
    for i in Hits::new(bytes, [b'<', b'>', b'&'], [0xE2, 0xE2]) {
        let (escaped, width) = match (bytes[i], bytes.get(i + 1..i + 3)) {
            (b'<', _) => ("\\u003c", 1),
            (b'>', _) => ("\\u003e", 1),
            (b'&', _) => ("\\u0026", 1),
            (0xE2, Some([0x80, 0xA8])) => ("\\u2028", 3),
            (0xE2, Some([0x80, 0xA9])) => ("\\u2029", 3),
            _ => continue,
        };
        out.push_str(&json[last..i]);
        out.push_str(escaped);
        last = i + width;
    }
    out.push_str(&json[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn by_char(text: &str, escape: fn(char) -> Option<&'static str>) -> String {
        let mut out = String::new();
        for c in text.chars() {
            match escape(c) {
                Some(e) => out.push_str(e),
                None => out.push(c),
            }
        }
        out
    }

    /// Every special character at every third position of texts up to 70 characters
    /// (around memchr's 16- and 32-byte blocks), beside multi-byte characters, alone
    /// and in runs.
    fn cases(specials: &[char]) -> Vec<String> {
        let mut cases = vec![String::new(), "/en/a-b?q=1".to_owned()];
        for len in 0..70 {
            for at in (0..len).step_by(3) {
                for &special in specials {
                    let mut text: String = "aбc/–".chars().cycle().take(len).collect();
                    let byte = text.char_indices().nth(at).map_or(text.len(), |(i, _)| i);
                    text.insert(byte, special);
                    cases.push(text.clone());
                    text.extend(specials);
                    text.extend(specials.iter().rev());
                    cases.push(text);
                }
            }
        }
        cases
    }

    #[test]
    fn html_escapes_the_five_and_nothing_else() {
        let html = |c| match c {
            '&' => Some("&amp;"),
            '<' => Some("&lt;"),
            '>' => Some("&gt;"),
            '"' => Some("&quot;"),
            '\'' => Some("&#39;"),
            _ => None,
        };
        for text in cases(&['&', '<', '>', '"', '\'']) {
            let mut out = String::new();
            write_html(&mut out, &text).unwrap();
            assert_eq!(out, by_char(&text, html), "{text:?}");
        }
    }

    #[test]
    fn script_json_escapes_what_could_end_the_script_and_nothing_else() {
        let script = |c| match c {
            '<' => Some("\\u003c"),
            '>' => Some("\\u003e"),
            '&' => Some("\\u0026"),
            '\u{2028}' => Some("\\u2028"),
            '\u{2029}' => Some("\\u2029"),
            _ => None,
        };
        // U+2027 and U+202A share the first two bytes' neighbourhood and stay as they are.
        for text in cases(&[
            '<', '>', '&', '\u{2028}', '\u{2029}', '\u{2027}', '\u{202a}',
        ]) {
            let value = serde_json::json!({ "headline": text, "n": [1, "<&>"] });
            let plain = serde_json::to_string(&value).unwrap();
            let out = script_json(&plain);
            assert_eq!(out, by_char(&plain, script), "{text:?}");
            assert_eq!(
                serde_json::from_str::<serde_json::Value>(&out).unwrap(),
                value
            );
        }
    }
}
