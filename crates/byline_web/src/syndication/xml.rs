//! A small XML writer over quick-xml that feeds and sitemaps share. quick-xml escapes
//! `&`, `<`, `>` and quotes in text and attributes; on top of that every string passes
//! through [`clean`], which drops what XML 1.0 cannot carry at all (C0 control
//! characters, U+FFFE/U+FFFF) — escaping cannot save those, and one of them makes a
//! whole feed unreadable. Text is always written as escaped text, never CDATA, so a
//! `]]>` in a body is just text.

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

/// `text` without characters XML 1.0 forbids and without other control characters
/// (C1 too: legal but never meant, and they confuse readers). Tab and line breaks stay.
pub fn clean(text: &str) -> String {
    text.chars()
        .filter(|&c| match c {
            '\t' | '\n' | '\r' => true,
            '\u{FFFE}' | '\u{FFFF}' => false,
            c => !c.is_control(),
        })
        .collect()
}

/// Like [`clean`], for one-line values (titles, names): whitespace runs become one space.
pub fn clean_line(text: &str) -> String {
    clean(text).split_whitespace().collect::<Vec<_>>().join(" ")
}

pub struct Xml {
    writer: Writer<Vec<u8>>,
    /// The first write error; writing to memory cannot fail, but we never panic on it.
    error: Option<std::io::Error>,
}

impl Xml {
    /// A document with its `<?xml …?>` declaration.
    pub fn new() -> Self {
        let mut xml = Self {
            writer: Writer::new_with_indent(Vec::with_capacity(16 * 1024), b' ', 1),
            error: None,
        };
        xml.event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)));
        xml
    }

    fn event(&mut self, event: Event<'_>) {
        if self.error.is_none() {
            self.error = self.writer.write_event(event).err();
        }
    }

    fn start<'a>(name: &'a str, attrs: &[(&str, &str)]) -> BytesStart<'a> {
        let mut start = BytesStart::new(name);
        for (key, value) in attrs {
            start.push_attribute((*key, clean(value).as_str()));
        }
        start
    }

    pub fn open(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.event(Event::Start(Self::start(name, attrs)));
    }

    pub fn close(&mut self, name: &str) {
        self.event(Event::End(BytesEnd::new(name)));
    }

    pub fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.event(Event::Empty(Self::start(name, attrs)));
    }

    /// `<name attrs>text</name>`, the text cleaned and escaped.
    pub fn text(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) {
        self.open(name, attrs);
        self.event(Event::Text(BytesText::new(&clean(text))));
        self.close(name);
    }

    pub fn finish(self) -> Result<String, std::io::Error> {
        if let Some(e) = self.error {
            return Err(e);
        }
        String::from_utf8(self.writer.into_inner())
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_go_and_everything_else_is_escaped() {
        assert_eq!(clean("a\u{0}b\u{7}c\u{1b}d\u{85}e\u{FFFF}"), "abcde");
        assert_eq!(clean("tab\tand\nlines\r"), "tab\tand\nlines\r");
        assert_eq!(clean_line(" two\n lines\t"), "two lines");
        let rtl = "مرحبا 🎉 \u{200f}\u{202e}";
        assert_eq!(clean(rtl), rtl, "RTL, emoji and bidi marks stay");
        let mut xml = Xml::new();
        xml.text("t", &[("a", "x\"<&\u{1}")], "AT&T <b> ]]> \u{8}");
        let out = xml.finish().unwrap();
        assert!(
            out.ends_with(r#"<t a="x&quot;&lt;&amp;">AT&amp;T &lt;b&gt; ]]&gt; </t>"#),
            "{out}"
        );
    }
}
