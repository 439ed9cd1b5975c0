//! Feeds, sitemaps, robots.txt and page-head metadata, judged by third-party code where
//! there is some: feed-rs parses the feeds, xmllint checks well-formedness and the
//! sitemaps.org XSD, serde_json parses JSON-LD.

mod feeds;
mod head;
mod sitemaps;

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::{NsReader, XmlVersion};
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// Whether xmllint can be used. In CI it must be there (`.ci/run` installs Debian's
/// `libxml2-utils`); elsewhere its checks are skipped, saying why.
pub fn xmllint_available(what: &str) -> bool {
    let found = Command::new("xmllint")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "xmllint is required in CI (Debian package libxml2-utils)"
        );
        eprintln!(
            "skipping the xmllint check of {what}: xmllint not found (apt-get install libxml2-utils)"
        );
    }
    found
}

fn xmllint(args: &[&str], xml: &str) -> (bool, String) {
    let mut child = Command::new("xmllint")
        .args(args)
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("xmllint starts");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(xml.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Every character is one XML 1.0 allows, and (where xmllint is) the document is
/// well-formed XML.
pub fn assert_well_formed(what: &str, xml: &str) {
    let bad: Vec<char> = xml
        .chars()
        .filter(|&c| {
            !matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
        })
        .collect();
    assert!(bad.is_empty(), "{what}: characters XML forbids: {bad:?}");
    if xmllint_available(what) {
        let (ok, errors) = xmllint(&["--noout"], xml);
        assert!(ok, "{what} is not well-formed XML:\n{errors}\n{xml}");
    }
}

fn schema() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sitemaps/sitemap.xsd")
}

/// Validates a `<urlset>` against the sitemaps.org XSD with xmllint. The XSD's wildcards
/// demand a schema for foreign elements (news:, xhtml:) that is not available offline,
/// so those are taken out first; callers check them field by field.
pub fn assert_valid_sitemap(what: &str, xml: &str) {
    assert_well_formed(what, xml);
    if !xmllint_available(what) {
        return;
    }
    let core = without_foreign_elements(xml);
    let path = schema();
    let (ok, errors) = xmllint(&["--noout", "--schema", path.to_str().unwrap()], &core);
    assert!(ok, "{what} fails the sitemaps.org XSD:\n{errors}\n{core}");
}

const SITEMAP_NS: &[u8] = b"http://www.sitemaps.org/schemas/sitemap/0.9";

/// The document with every element outside the sitemaps.org namespace removed.
fn without_foreign_elements(xml: &str) -> String {
    let mut reader = NsReader::from_str(xml);
    let mut writer = quick_xml::Writer::new(Vec::new());
    let mut skipping = 0usize;
    loop {
        let (ns, event) = reader.read_resolved_event().unwrap();
        let ours = matches!(ns, ResolveResult::Bound(n) if n.as_ref() == SITEMAP_NS);
        match event {
            Event::Eof => break,
            Event::Start(e) if skipping > 0 || !ours => {
                let _ = e;
                skipping += 1;
            }
            Event::End(_) if skipping > 0 => skipping -= 1,
            Event::Empty(_) if skipping > 0 || !ours => {}
            Event::Text(_) | Event::GeneralRef(_) if skipping > 0 => {}
            Event::Start(mut e) => {
                // Drop the foreign namespace declarations with their elements.
                let attrs: Vec<(String, String)> = e
                    .attributes()
                    .map(|a| a.unwrap())
                    .filter(|a| !a.key.as_ref().starts_with(b"xmlns:"))
                    .map(|a| {
                        (
                            String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                            a.normalized_value(XmlVersion::Implicit1_0)
                                .unwrap()
                                .into_owned(),
                        )
                    })
                    .collect();
                e.clear_attributes();
                for (k, v) in &attrs {
                    e.push_attribute((k.as_str(), v.as_str()));
                }
                writer.write_event(Event::Start(e)).unwrap();
            }
            other => writer.write_event(other).unwrap(),
        }
    }
    String::from_utf8(writer.into_inner()).unwrap()
}

/// One `<url>` of a urlset, read namespace-aware.
#[derive(Debug, Default, Clone)]
pub struct UrlEntry {
    pub loc: String,
    pub lastmod: Option<String>,
    /// `(hreflang, href)` of each `xhtml:link rel="alternate"`.
    pub alternates: Vec<(String, String)>,
    pub news: Option<NewsEntry>,
}

#[derive(Debug, Default, Clone)]
pub struct NewsEntry {
    pub name: String,
    pub language: String,
    pub publication_date: String,
    pub title: String,
}

const XHTML_NS: &[u8] = b"http://www.w3.org/1999/xhtml";
const NEWS_NS: &[u8] = b"http://www.google.com/schemas/sitemap-news/0.9";

/// The `<url>` entries (or, for an index, the `<sitemap>` entries: `loc` and `lastmod`)
/// of a sitemaps.org document, with the root element's local name.
pub fn read_sitemap(xml: &str) -> (String, Vec<UrlEntry>) {
    let mut reader = NsReader::from_str(xml);
    let mut text = String::new();
    let mut root = String::new();
    let mut entries: Vec<UrlEntry> = Vec::new();
    let mut path: Vec<(Vec<u8>, String)> = Vec::new();
    loop {
        let (ns, event) = reader.read_resolved_event().unwrap();
        let ns = match ns {
            ResolveResult::Bound(n) => n.as_ref().to_vec(),
            _ => Vec::new(),
        };
        match event {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) if ns == XHTML_NS => {
                let attr = |name: &[u8]| {
                    e.try_get_attribute(name)
                        .unwrap()
                        .map(|a| {
                            a.normalized_value(XmlVersion::Implicit1_0)
                                .unwrap()
                                .into_owned()
                        })
                        .unwrap_or_default()
                };
                assert_eq!(e.local_name().as_ref(), b"link");
                assert_eq!(attr(b"rel"), "alternate");
                entries
                    .last_mut()
                    .expect("xhtml:link inside <url>")
                    .alternates
                    .push((attr(b"hreflang"), attr(b"href")));
            }
            Event::Start(e) => {
                let name = String::from_utf8(e.local_name().as_ref().to_vec()).unwrap();
                if root.is_empty() {
                    assert_eq!(ns, SITEMAP_NS, "root element in the sitemaps.org namespace");
                    root = name.clone();
                } else if ns == SITEMAP_NS && (name == "url" || name == "sitemap") {
                    entries.push(UrlEntry::default());
                } else if ns == NEWS_NS && name == "news" {
                    entries.last_mut().unwrap().news = Some(NewsEntry::default());
                }
                text.clear();
                path.push((ns, name));
            }
            // quick-xml reports `&amp;` and friends as events of their own.
            Event::Text(t) => text.push_str(&t.decode().unwrap()),
            Event::GeneralRef(r) => match r.resolve_char_ref().unwrap() {
                Some(c) => text.push(c),
                None => text.push_str(match r.decode().unwrap().as_ref() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    other => panic!("unknown entity &{other};"),
                }),
            },
            Event::End(_) => {
                let (ns, name) = path.pop().unwrap();
                let value = std::mem::take(&mut text);
                let Some(entry) = entries.last_mut() else {
                    continue;
                };
                match (ns.as_slice(), name.as_str()) {
                    (SITEMAP_NS, "loc") => entry.loc = value,
                    (SITEMAP_NS, "lastmod") => entry.lastmod = Some(value),
                    (NEWS_NS, field) => {
                        let news = entry.news.as_mut().unwrap();
                        match field {
                            "name" => news.name = value,
                            "language" => news.language = value,
                            "publication_date" => news.publication_date = value,
                            "title" => news.title = value,
                            "news" | "publication" => {}
                            other => panic!("unexpected news:{other}"),
                        }
                    }
                    (_, "url" | "sitemap" | "urlset" | "sitemapindex") => {}
                    other => panic!("unexpected element {other:?}"),
                }
            }
            _ => {}
        }
    }
    (root, entries)
}

/// The path of an absolute URL of the test site.
pub fn path_of(url: &str) -> &str {
    url.strip_prefix("http://127.0.0.1:8080")
        .unwrap_or_else(|| panic!("{url} is not an absolute URL of the site"))
}
