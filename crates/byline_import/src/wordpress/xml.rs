//! WXR read as a stream of records (the channel's details, then each `wp:author`,
//! `wp:category`, `wp:tag`, `wp:term` and `item`), never the whole file at once.

use crate::error::ImportError;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use std::collections::HashMap;
use std::io::BufRead;

/// Longest text kept from one field; a longer one makes its record unusable (it is
/// skipped and reported), so an absurd export cannot exhaust memory.
pub const MAX_FIELD: usize = 8 * 1024 * 1024;

/// The namespaces WXR 1.0–1.2 declare, under whichever prefix the file binds them.
fn canonical_prefix(uri: &str) -> Option<&'static str> {
    let uri = uri
        .strip_prefix("https://")
        .or_else(|| uri.strip_prefix("http://"))?;
    match uri.trim_end_matches('/') {
        "wordpress.org/export/1.0" | "wordpress.org/export/1.1" | "wordpress.org/export/1.2" => {
            Some("wp")
        }
        "wordpress.org/export/1.0/excerpt"
        | "wordpress.org/export/1.1/excerpt"
        | "wordpress.org/export/1.2/excerpt" => Some("excerpt"),
        "purl.org/rss/1.0/modules/content" => Some("content"),
        "purl.org/dc/elements/1.1" => Some("dc"),
        _ => None,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordKind {
    Item,
    Author,
    Category,
    Tag,
    Term,
}

/// A `<category domain="…" nicename="…">Name</category>` of an item.
#[derive(Debug, Clone, Default)]
pub struct ItemTerm {
    pub domain: String,
    pub nicename: String,
    /// The text: the term's name as the site showed it.
    pub name: String,
}

/// One record: its direct fields by canonical name (`wp:post_id`, `title`, …).
#[derive(Debug, Clone)]
pub struct Record {
    pub kind: RecordKind,
    pub fields: HashMap<String, String>,
    pub terms: Vec<ItemTerm>,
    pub meta: Vec<(String, String)>,
    pub comments: u64,
    /// Why the record cannot be used (a field too long, text not UTF-8).
    pub broken: Option<String>,
}

impl Record {
    pub fn get(&self, name: &str) -> &str {
        self.fields.get(name).map(String::as_str).unwrap_or("")
    }

    pub fn meta(&self, key: &str) -> Option<&str> {
        self.meta
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// The channel's own details, read before the first record.
#[derive(Debug, Clone, Default)]
pub struct Channel {
    pub link: String,
    pub base_site_url: String,
    pub base_blog_url: String,
    pub language: String,
}

/// Which fields' text a pass keeps (pass 1 leaves bodies out: it only needs the
/// shape of the site).
#[derive(Debug, Clone, Copy)]
pub struct Keep {
    pub bodies: bool,
}

pub struct WxrReader<R: BufRead> {
    reader: Reader<R>,
    buf: Vec<u8>,
    prefixes: HashMap<String, &'static str>,
    pub channel: Channel,
    keep: Keep,
    depth: usize,
    closed: bool,
}

impl<R: BufRead> WxrReader<R> {
    /// Opens an export and checks it is WXR (an `rss` root binding the WordPress
    /// export namespace).
    pub fn open(input: R, keep: Keep) -> Result<Self, ImportError> {
        let mut reader = Reader::from_reader(input);
        reader.config_mut().check_end_names = true;
        let mut me = Self {
            reader,
            buf: Vec::new(),
            prefixes: HashMap::new(),
            channel: Channel::default(),
            keep,
            depth: 0,
            closed: false,
        };
        loop {
            let event = me.next_event()?;
            match event {
                Event::Start(ref e) => {
                    let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                    if name != "rss" {
                        return Err(ImportError::WrongFormat {
                            expected: "WordPress (WXR)",
                            found: format!("the document starts with <{name}>, not <rss>"),
                        });
                    }
                    let mut prefixes = HashMap::new();
                    for attr in e.attributes().flatten() {
                        let key = String::from_utf8_lossy(attr.key.as_ref()).into_owned();
                        if let Some(prefix) = key.strip_prefix("xmlns:") {
                            let uri = String::from_utf8_lossy(&attr.value).into_owned();
                            if let Some(canonical) = canonical_prefix(&uri) {
                                prefixes.insert(prefix.to_owned(), canonical);
                            }
                        }
                    }
                    if !prefixes.values().any(|p| *p == "wp") {
                        return Err(ImportError::WrongFormat {
                            expected: "WordPress (WXR)",
                            found: "an RSS feed without the WordPress export namespace".into(),
                        });
                    }
                    me.prefixes = prefixes;
                    me.depth = 1;
                    return Ok(me);
                }
                Event::Eof => {
                    return Err(ImportError::WrongFormat {
                        expected: "WordPress (WXR)",
                        found: "no XML elements".into(),
                    });
                }
                Event::Decl(ref d) => {
                    if let Some(Ok(enc)) = d.encoding() {
                        let enc = String::from_utf8_lossy(&enc).to_ascii_lowercase();
                        if enc != "utf-8" && enc != "utf8" {
                            return Err(ImportError::WrongFormat {
                                expected: "UTF-8 WordPress (WXR)",
                                found: format!("a file in {enc}; convert it to UTF-8 first"),
                            });
                        }
                    }
                }
                Event::Text(ref t) if t.iter().all(u8::is_ascii_whitespace) => {}
                Event::Comment(_) | Event::PI(_) | Event::DocType(_) | Event::Text(_) => {}
                _ => {
                    return Err(ImportError::WrongFormat {
                        expected: "WordPress (WXR)",
                        found: "not an XML document".into(),
                    });
                }
            }
        }
    }

    fn position(&self) -> String {
        format!("byte {}", self.reader.buffer_position())
    }

    /// The next event, owned (so the reader can be used while it is looked at).
    fn next_event(&mut self) -> Result<Event<'static>, ImportError> {
        self.buf.clear();
        match self.reader.read_event_into(&mut self.buf) {
            Ok(event) => Ok(event.into_owned()),
            Err(e) => Err(self.malformed(e)),
        }
    }

    fn malformed(&mut self, e: quick_xml::Error) -> ImportError {
        let at = format!("byte {}", self.reader.error_position());
        match e {
            quick_xml::Error::Io(io) => {
                ImportError::Io(std::io::Error::new(io.kind(), io.to_string()))
            }
            quick_xml::Error::Encoding(_) => ImportError::NotUtf8 { at },
            quick_xml::Error::Syntax(_) if self.at_eof() => ImportError::Truncated { at },
            e => ImportError::Malformed {
                at,
                message: e.to_string(),
            },
        }
    }

    fn at_eof(&mut self) -> bool {
        self.reader
            .get_mut()
            .fill_buf()
            .map(|b| b.is_empty())
            .unwrap_or(false)
    }

    /// `wp:post_id` for whatever prefix the file bound the namespace to.
    fn canonical(&self, qname: &[u8]) -> String {
        let name = String::from_utf8_lossy(qname);
        match name.split_once(':') {
            Some((prefix, local)) => match self.prefixes.get(prefix) {
                Some(canon) => format!("{canon}:{local}"),
                None => name.into_owned(),
            },
            None => name.into_owned(),
        }
    }

    /// The next record, or `None` at the end of the channel.
    pub fn next_record(&mut self) -> Result<Option<Record>, ImportError> {
        loop {
            let event = self.next_event()?;
            match event {
                Event::Start(e) => {
                    let name = self.canonical(e.name().as_ref());
                    let kind = match name.as_str() {
                        "item" => Some(RecordKind::Item),
                        "wp:author" => Some(RecordKind::Author),
                        "wp:category" => Some(RecordKind::Category),
                        "wp:tag" => Some(RecordKind::Tag),
                        "wp:term" => Some(RecordKind::Term),
                        _ => None,
                    };
                    match kind {
                        Some(kind) => return self.record(kind).map(Some),
                        None if self.depth == 2
                            && matches!(
                                name.as_str(),
                                "link" | "wp:base_site_url" | "wp:base_blog_url" | "language"
                            ) =>
                        {
                            let text = self.text_until_end(true)?.unwrap_or_default();
                            match name.as_str() {
                                "link" => self.channel.link = text,
                                "wp:base_site_url" => self.channel.base_site_url = text,
                                "wp:base_blog_url" => self.channel.base_blog_url = text,
                                _ => self.channel.language = text,
                            }
                        }
                        None => self.depth += 1,
                    }
                }
                Event::End(_) => {
                    self.depth = self.depth.saturating_sub(1);
                    if self.depth == 0 {
                        self.closed = true;
                    }
                }
                Event::Eof => {
                    if !self.closed {
                        return Err(ImportError::Truncated {
                            at: self.position(),
                        });
                    }
                    return Ok(None);
                }
                _ => {}
            }
        }
    }

    /// The text of the element just opened, up to its end (child elements' text
    /// included); `Err` on a broken file, `Ok(None)` when the text is unusable.
    fn text_until_end(&mut self, keep: bool) -> Result<Option<String>, ImportError> {
        let mut text = String::new();
        let mut ok = true;
        let mut depth = 1;
        loop {
            let event = self.next_event()?;
            match event {
                Event::Start(_) => depth += 1,
                Event::End(_) => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(ok.then_some(text));
                    }
                }
                Event::Eof => {
                    return Err(ImportError::Truncated {
                        at: self.position(),
                    });
                }
                Event::Text(t) if keep && ok => match t.xml10_content() {
                    Ok(s) => push_capped(&mut text, &s, &mut ok),
                    Err(_) => ok = false,
                },
                Event::CData(t) if keep && ok => match std::str::from_utf8(&t) {
                    Ok(s) => push_capped(&mut text, s, &mut ok),
                    Err(_) => ok = false,
                },
                Event::GeneralRef(r) if keep && ok => {
                    let resolved = match r.resolve_char_ref() {
                        Ok(Some(c)) => Some(c.to_string()),
                        _ => match r.as_ref() {
                            b"amp" => Some("&".into()),
                            b"lt" => Some("<".into()),
                            b"gt" => Some(">".into()),
                            b"quot" => Some("\"".into()),
                            b"apos" => Some("'".into()),
                            _ => None,
                        },
                    };
                    match resolved {
                        Some(s) => push_capped(&mut text, &s, &mut ok),
                        None => text.push_str(&format!("&{};", String::from_utf8_lossy(&r))),
                    }
                }
                _ => {}
            }
        }
    }

    fn record(&mut self, kind: RecordKind) -> Result<Record, ImportError> {
        let mut rec = Record {
            kind,
            fields: HashMap::new(),
            terms: Vec::new(),
            meta: Vec::new(),
            comments: 0,
            broken: None,
        };
        loop {
            let event = self.next_event()?;
            match event {
                Event::Start(e) => {
                    let name = self.canonical(e.name().as_ref());
                    match name.as_str() {
                        "wp:comment" => {
                            rec.comments += 1;
                            self.text_until_end(false)?;
                        }
                        "wp:postmeta" | "wp:termmeta" => {
                            let (k, v) = self.meta_pair()?;
                            if let Some(k) = k {
                                rec.meta.push((k, v.unwrap_or_default()));
                            }
                        }
                        "category" => {
                            let mut term = term_attrs(&e);
                            term.name = self.text_until_end(true)?.unwrap_or_default();
                            rec.terms.push(term);
                        }
                        _ => {
                            let body = name == "content:encoded";
                            let keep = !body || self.keep.bodies;
                            match self.text_until_end(keep)? {
                                Some(text) => {
                                    rec.fields.insert(name, text);
                                }
                                None => {
                                    rec.broken = Some(format!(
                                        "{name} is longer than {MAX_FIELD} bytes or not UTF-8"
                                    ))
                                }
                            }
                        }
                    }
                }
                Event::End(_) => return Ok(rec),
                Event::Eof => {
                    return Err(ImportError::Truncated {
                        at: self.position(),
                    });
                }
                _ => {}
            }
        }
    }

    /// A `wp:postmeta`'s key and value.
    fn meta_pair(&mut self) -> Result<(Option<String>, Option<String>), ImportError> {
        let (mut key, mut value) = (None, None);
        loop {
            let event = self.next_event()?;
            match event {
                Event::Start(e) => {
                    let name = self.canonical(e.name().as_ref());
                    let text = self.text_until_end(true)?;
                    match name.as_str() {
                        "wp:meta_key" => key = text,
                        "wp:meta_value" => value = text,
                        _ => {}
                    }
                }
                Event::End(_) => return Ok((key, value)),
                Event::Eof => {
                    return Err(ImportError::Truncated {
                        at: self.position(),
                    });
                }
                _ => {}
            }
        }
    }
}

fn push_capped(text: &mut String, s: &str, ok: &mut bool) {
    if text.len() + s.len() > MAX_FIELD {
        *ok = false;
        text.clear();
    } else {
        text.push_str(s);
    }
}

fn term_attrs(e: &BytesStart<'_>) -> ItemTerm {
    let mut term = ItemTerm::default();
    for attr in e.attributes().flatten() {
        let value = attr
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map(|v| v.into_owned())
            .unwrap_or_default();
        match attr.key.as_ref() {
            b"domain" => term.domain = value,
            b"nicename" => term.nicename = value,
            _ => {}
        }
    }
    term
}
