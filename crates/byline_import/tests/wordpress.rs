//! The WordPress importer against exports written for these tests.

use byline_import::{
    Counted, Document, DocumentKind, ImportError, ImportStatus, Options, Report, SinkError, Target,
    wordpress,
};
use std::io::{BufReader, Cursor};

mod common;

use common::{by_id, fixture, rendered, resolve};

fn import(name: &str, options: Options) -> (Vec<Document>, Report, byline_import::LinkMap) {
    let path = fixture(name);
    let catalog =
        wordpress::scan(|| std::fs::File::open(&path).map(BufReader::new), options).expect("scan");
    let mut docs = Vec::new();
    let mut sink = |d: Document| -> Result<(), SinkError> {
        docs.push(d);
        Ok(())
    };
    let report = catalog.documents(&mut sink, &resolve).expect("documents");
    (docs, report, catalog.links.clone())
}

#[test]
fn a_classic_post_keeps_its_meaning_metadata_and_old_addresses() {
    let (docs, report, links) = import("wxr-1.2-https.xml", Options::new("en"));
    let post = by_id(&docs, "200");
    assert_eq!(post.kind, DocumentKind::Article);
    assert_eq!(post.status, ImportStatus::Published);
    assert_eq!(post.slug, "ferry-timetable");
    assert_eq!(
        post.section.as_deref(),
        Some("city"),
        "a child category's section is its top level"
    );
    assert_eq!(
        post.tags,
        ["council", "ferries"],
        "the child category becomes a tag"
    );
    assert_eq!(post.authors, ["mara"]);
    assert_eq!(post.subtitle, "Seven votes for faster crossings");
    assert_eq!(
        post.seo_title.as_deref(),
        Some("Council approves the new ferry timetable")
    );
    assert_eq!(
        post.seo_description.as_deref(),
        Some("The ferry runs every half hour from April.")
    );
    assert_eq!(
        post.published_at.unwrap().to_string(),
        "2024-03-02T09:30:00Z"
    );
    assert_eq!(post.updated_at.unwrap().to_string(), "2024-03-03T12:00:00Z");
    let cover = post.cover.as_ref().expect("cover from _thumbnail_id");
    assert_eq!(cover.attachment_id, Some(100));
    assert_eq!(cover.alt, "A crane against an orange sky");

    let md = &post.body_markdown;
    assert!(
        md.starts_with("The council voted on Tuesday.  \n"),
        "wpautop: {md}"
    );
    assert!(
        md.contains("Seven in favour, two against.\n\nThe new timetable"),
        "wpautop: {md}"
    );
    assert!(
        md.contains("[April](/new/doc/201)"),
        "links to old posts are rewritten: {md}"
    );
    assert!(md.contains("[council news](/en/tag/council)"), "{md}");
    assert!(
        md.contains("https://elsewhere.example/?p=201"),
        "other sites' links stay: {md}"
    );
    assert!(
        md.contains("![A crane against an orange sky](/media/100 \"The crane at dusk\")"),
        "[caption], resized upload rewritten: {md}"
    );
    assert!(
        md.contains("<https://www.youtube.com/watch?v=AbCdEfGhIjK>"),
        "{md}"
    );
    assert!(
        md.contains("<https://x.com/i/status/1234567890>"),
        "[embed]: {md}"
    );
    assert!(md.contains("(/media/101)"), "[gallery]: {md}");
    assert!(
        md.contains("[horn.mp3](https://harbour.example/wp-content/uploads/2024/03/horn.mp3)")
            || md.contains("horn.mp3"),
        "[audio]: {md}"
    );
    assert!(
        md.contains("contact-form-7 id=\"5\" title=\"Tips\""),
        "unknown shortcodes stay readable: {md}"
    );
    assert!(
        md.contains("```\nline one\n\nline two\n```"),
        "pre is not split into paragraphs: {md}"
    );
    let html = rendered(md);
    assert!(
        html.contains("data-embed=\"youtube\" data-embed-id=\"AbCdEfGhIjK\""),
        "{html}"
    );
    assert!(html.contains("data-embed=\"x\""), "{html}");
    assert!(
        html.contains("<figcaption>The crane at dusk</figcaption>"),
        "{html}"
    );
    assert!(
        !html.contains("<script") && !html.contains("onclick"),
        "{html}"
    );
    assert!(html.contains("Clicked text"));

    assert_eq!(
        report.untranslated.get("shortcode [contact-form-7]"),
        Some(&1)
    );
    assert_eq!(
        report
            .skipped_in_bulk
            .get("comment (comments are not imported)"),
        Some(&2)
    );

    let doc = Some(Target::Document("200".into()));
    for old in [
        "/?p=200",
        "/2024/03/02/ferry-timetable/",
        "/2024/03/ferry-timetable/",
        "/ferry-timetable/",
        "/council/ferry-timetable/",
        "https://harbour.example/2024/03/02/ferry-timetable/",
    ] {
        assert_eq!(links.lookup(old).cloned(), doc, "{old}");
    }
    assert_eq!(
        links.lookup("/category/city/").cloned(),
        Some(Target::Section("city".into()))
    );
    assert_eq!(
        links.lookup("/category/city/council/").cloned(),
        Some(Target::Tag("council".into()))
    );
    assert_eq!(
        links.lookup("/tag/ferries/").cloned(),
        Some(Target::Tag("ferries".into()))
    );
    assert_eq!(
        links.lookup("/author/mara/").cloned(),
        Some(Target::Author("mara".into()))
    );
    assert_eq!(links.lookup("/feed/").cloned(), Some(Target::Feed(None)));
    assert_eq!(
        links.lookup("/?attachment_id=101").cloned(),
        Some(Target::Upload(101))
    );
    assert_eq!(
        links.lookup("/crane-at-dusk/").cloned(),
        Some(Target::Upload(100))
    );
    assert_eq!(
        links.lookup("/?page_id=301").cloned(),
        Some(Target::Document("301".into()))
    );
    assert_eq!(
        links.lookup("/about/team/").cloned(),
        Some(Target::Document("301".into()))
    );
}

#[test]
fn block_editor_markup_keeps_its_meaning() {
    let (docs, report, _) = import("wxr-1.2-https.xml", Options::new("en"));
    let post = by_id(&docs, "201");
    let md = &post.body_markdown;
    assert!(!md.contains("wp:"), "block comments are dropped: {md}");
    assert!(md.contains("## Three things"), "{md}");
    assert!(md.contains("Dredging") && md.contains("Lights"), "{md}");
    assert!(
        md.contains("> A harbour is only as good as its berths."),
        "{md}"
    );
    assert!(md.contains("> Dredge first."), "pull quote: {md}");
    assert!(
        md.contains("| Item ") && md.contains("| Dredging | 40k"),
        "table: {md}"
    );
    assert!(
        md.contains("![The crane](/media/100 \"Crane, again\")"),
        "image with caption: {md}"
    );
    assert!(md.contains("![The quay](/media/101)"), "gallery: {md}");
    assert!(
        md.contains("<https://t.me/harbourweekly/42>"),
        "embed: {md}"
    );
    assert!(
        md.contains("<https://vimeo.com/1234>"),
        "unknown embeds stay a link: {md}"
    );
    assert!(md.contains("let berths = 12;"), "code: {md}");
    assert!(
        md.contains("* * *") || md.contains("---"),
        "separator: {md}"
    );
    assert_eq!(
        post.seo_title.as_deref(),
        Some("What the harbour needs | Harbour")
    );
    assert_eq!(
        post.canonical_url.as_deref(),
        Some("https://partner.example/harbour-needs")
    );
    assert_eq!(post.section.as_deref(), Some("opinion"));
    assert!(post.tags.is_empty());
    let html = rendered(md);
    assert!(
        html.contains("data-embed=\"telegram\" data-embed-id=\"harbourweekly/42\""),
        "{html}"
    );
    assert!(html.contains("<table>"), "{html}");
    assert_eq!(report.untranslated.get("block wp:latest-posts"), Some(&1));
    assert_eq!(report.untranslated.get("embed from vimeo.com"), Some(&2));
}

#[test]
fn statuses_pages_skips_and_bad_items() {
    let (docs, report, _) = import("wxr-1.2-https.xml", Options::new("en"));
    let status = |id: &str| by_id(&docs, id).status;
    assert!(
        matches!(status("202"), ImportStatus::Scheduled(at) if at.to_string() == "2030-01-01T05:00:00Z")
    );
    assert_eq!(status("203"), ImportStatus::Draft);
    assert_eq!(status("204"), ImportStatus::InReview);
    assert_eq!(
        status("205"),
        ImportStatus::Draft,
        "private is never public"
    );
    assert_eq!(
        status("206"),
        ImportStatus::Draft,
        "password-protected is never public"
    );
    assert!(
        docs.iter().all(|d| d.source_id != "207"),
        "trash is skipped"
    );
    assert_eq!(
        by_id(&docs, "203").slug,
        "a-draft",
        "an empty post_name comes from the title"
    );

    let untitled = by_id(&docs, "208");
    assert_eq!(
        untitled.slug, "ferry-timetable-2",
        "a duplicate slug is suffixed"
    );
    assert!(!untitled.title.is_empty());
    assert!(
        report
            .skipped
            .iter()
            .any(|s| s.item == "post 208" && s.reason.contains("ferry-timetable-2"))
    );

    assert!(docs.iter().all(|d| d.source_id != "209"));
    assert!(
        report
            .errors
            .iter()
            .any(|e| e.item == "post 209" && e.message.contains("nested")),
        "{report}"
    );

    let about = by_id(&docs, "300");
    assert_eq!(about.kind, DocumentKind::Page);
    assert_eq!(about.section, None);
    assert_eq!(by_id(&docs, "301").kind, DocumentKind::Page);

    assert_eq!(report.counted(Counted::Articles), 8);
    assert_eq!(report.counted(Counted::Pages), 2);
    assert_eq!(report.counted(Counted::Authors), 2);
    assert_eq!(report.counted(Counted::Sections), 2);
    assert_eq!(report.counted(Counted::Tags), 2);
    assert_eq!(report.counted(Counted::Pictures), 2);
    assert!(
        report
            .skipped
            .iter()
            .any(|s| s.item == "attachment 102" && s.reason.contains("no file"))
    );
    assert!(
        report
            .skipped_in_bulk
            .contains_key("menu (menus are set up in the newsroom)")
    );
    assert!(
        report
            .skipped_in_bulk
            .contains_key("nav_menu_item (site machinery)")
    );
    assert!(
        report
            .skipped_in_bulk
            .contains_key("item of unknown post type product")
    );
    assert!(report.skipped_in_bulk.contains_key("post in trash"));
}

#[test]
fn section_map_moves_categories() {
    let mut options = Options::new("en");
    options
        .section_map
        .insert("council".into(), "politics".into());
    let (docs, _, _) = import("wxr-1.2-https.xml", options);
    let post = by_id(&docs, "200");
    assert_eq!(post.section.as_deref(), Some("politics"));
    assert_eq!(post.tags, ["ferries"]);
}

#[test]
fn polylang_and_wpml_languages_become_editions_and_translation_groups() {
    let mut options = Options::new("en");
    options.editions.insert("hy".into(), "am".into());
    let (docs, _, links) = import("wxr-1.1-polylang.xml", options);
    let en = by_id(&docs, "1");
    let ru = by_id(&docs, "2");
    assert_eq!((en.edition.as_str(), ru.edition.as_str()), ("en", "ru"));
    assert_eq!(en.translation_group, ru.translation_group);
    assert!(en.translation_group.is_some());
    assert_eq!(
        ru.slug, "most-otkryt",
        "percent-encoded Cyrillic slugs are transliterated"
    );
    let wpml = by_id(&docs, "3");
    assert_eq!(wpml.edition, "am");
    assert_eq!(wpml.translation_group.as_deref(), Some("wpml:77"));
    assert_eq!(by_id(&docs, "4").edition, "en");
    // The blog lives under /news: its addresses do too.
    assert_eq!(
        links.lookup("/news/?p=1").cloned(),
        Some(Target::Document("1".into()))
    );
    assert_eq!(
        links.lookup("/news/2022/06/01/bridge-opens/").cloned(),
        Some(Target::Document("1".into()))
    );
    assert_eq!(
        links.lookup("/news/мост-открыт/").cloned(),
        Some(Target::Document("2".into()))
    );
    assert_eq!(
        links.lookup("/news/tag/%D0%BC%D0%BE%D1%81%D1%82/").cloned(),
        Some(Target::Tag("most".into())),
        "a non-Latin tag's old address leads to its transliterated slug"
    );
    assert_eq!(
        links.lookup("/news/author/ani/").cloned(),
        Some(Target::Author("ani".into()))
    );
}

fn scan_bytes(bytes: Vec<u8>) -> Result<Report, ImportError> {
    let catalog = wordpress::scan(|| Ok(Cursor::new(bytes.clone())), Options::new("en"))?;
    catalog.documents(&mut |_: Document| Ok(()), &|_: &Target| None)
}

/// Pass 1 over an export written in the test.
fn scan_text(
    wxr: &'static str,
) -> wordpress::Catalog<impl Fn() -> std::io::Result<Cursor<&'static [u8]>>> {
    wordpress::scan(move || Ok(Cursor::new(wxr.as_bytes())), Options::new("en")).expect("scan")
}

#[test]
fn broken_files_give_clear_errors() {
    let full = std::fs::read(fixture("wxr-1.2-https.xml")).unwrap();
    let truncated = full[..full.len() / 2].to_vec();
    assert!(
        matches!(scan_bytes(truncated), Err(ImportError::Truncated { .. })),
        "truncated"
    );
    assert!(matches!(
        scan_bytes(b"{\"db\":[]}".to_vec()),
        Err(ImportError::WrongFormat { .. })
    ));
    assert!(matches!(
        scan_bytes(b"<?xml version=\"1.0\"?><rss><channel></channel></rss>".to_vec()),
        Err(ImportError::WrongFormat { .. })
    ));
    assert!(matches!(
        scan_bytes(Vec::new()),
        Err(ImportError::WrongFormat { .. })
    ));
    let mismatched =
        String::from_utf8(full.clone())
            .unwrap()
            .replacen("</wp:post_name>", "</wp:post_nam>", 1);
    assert!(matches!(
        scan_bytes(mismatched.into_bytes()),
        Err(ImportError::Malformed { .. })
    ));
    let latin1 = String::from_utf8(full.clone())
        .unwrap()
        .replace("encoding=\"UTF-8\"", "encoding=\"ISO-8859-1\"");
    assert!(matches!(
        scan_bytes(latin1.into_bytes()),
        Err(ImportError::WrongFormat { .. })
    ));
    // Invalid UTF-8 inside one post's body: that post is reported, the rest imported.
    let mut bad = full.clone();
    let at = find(&bad, b"Soon.").unwrap();
    bad[at] = 0xff;
    let report = scan_bytes(bad).expect("one bad post does not stop the import");
    assert!(
        report.errors.iter().any(|e| e.item == "post 202"),
        "{report}"
    );
    assert_eq!(report.counted(Counted::Articles), 7);
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[test]
fn an_absurdly_long_field_is_a_recorded_error() {
    let body = "a".repeat(wordpress::MAX_FIELD + 10);
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><rss xmlns:wp="http://wordpress.org/export/1.0/" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><item><title>Long</title><content:encoded>{body}</content:encoded><wp:post_id>1</wp:post_id><wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item></channel></rss>"#
    );
    let report = scan_bytes(xml.into_bytes()).expect("import");
    assert_eq!(report.counted(Counted::Articles), 0);
    assert!(
        report
            .errors
            .iter()
            .any(|e| e.message.contains("longer than")),
        "{report}"
    );
}

#[test]
fn every_wxr_version_and_namespace_scheme_is_read() {
    for version in ["1.0", "1.1", "1.2"] {
        for scheme in ["http", "https"] {
            let xml = format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><rss xmlns:export="{scheme}://wordpress.org/export/{version}/" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><item><title>T</title><content:encoded>Body</content:encoded><export:post_id>1</export:post_id><export:post_name>t</export:post_name><export:status>publish</export:status><export:post_type>post</export:post_type></item></channel></rss>"#
            );
            let report = scan_bytes(xml.into_bytes()).expect(version);
            assert_eq!(report.counted(Counted::Articles), 1, "{scheme} {version}");
        }
    }
}

#[test]
fn where_each_document_will_live_is_known_after_pass_one() {
    let path = fixture("wxr-1.1-polylang.xml");
    let catalog = wordpress::scan(
        || std::fs::File::open(&path).map(BufReader::new),
        Options::new("en"),
    )
    .unwrap();
    let ru = catalog.planned("2").expect("post 2");
    assert_eq!(
        (ru.kind, ru.slug.as_str(), ru.edition.as_str()),
        (DocumentKind::Article, "most-otkryt", "ru")
    );
    assert_eq!(catalog.planned("99"), None);
}

#[test]
fn absurdly_long_titles_and_seo_fields_are_cut_and_reported() {
    let long = "Ferry ".repeat(2_000);
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><rss xmlns:wp="https://wordpress.org/export/1.2/" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><item><title>{long}</title><content:encoded>Body</content:encoded><wp:post_id>1</wp:post_id><wp:post_name>long</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type><wp:postmeta><wp:meta_key>_yoast_wpseo_metadesc</wp:meta_key><wp:meta_value>{long}</wp:meta_value></wp:postmeta></item></channel></rss>"#
    );
    let mut docs = Vec::new();
    let bytes = xml.into_bytes();
    let catalog = wordpress::scan(|| Ok(Cursor::new(bytes.clone())), Options::new("en")).unwrap();
    let report = catalog
        .documents(
            &mut |d: Document| -> Result<(), SinkError> {
                docs.push(d);
                Ok(())
            },
            &|_: &Target| None,
        )
        .unwrap();
    assert_eq!(docs[0].title.chars().count(), 300);
    assert_eq!(
        docs[0].seo_description.as_ref().unwrap().chars().count(),
        1000
    );
    let cut: Vec<&str> = report.skipped.iter().map(|s| s.reason.as_str()).collect();
    assert!(
        cut.contains(&"its title was too long and was cut"),
        "{report}"
    );
    assert!(
        cut.contains(&"its SEO description was too long and was cut"),
        "{report}"
    );
}

#[test]
fn entities_are_never_expanded_from_a_doctype() {
    // A "billion laughs" document type: quick-xml does not expand declared entities,
    // so the reference stays literal text and nothing grows.
    let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY ext SYSTEM "file:///etc/passwd">]>
<rss xmlns:wp="http://wordpress.org/export/1.2/" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><item><title>&b; &ext; &amp; &#x41;</title><content:encoded>&lt;p&gt;Escaped &amp;amp; HTML&lt;/p&gt;</content:encoded><wp:post_id>1</wp:post_id><wp:post_name>x</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item></channel></rss>"#;
    let bytes = xml.as_bytes().to_vec();
    let catalog = wordpress::scan(|| Ok(Cursor::new(bytes.clone())), Options::new("en")).unwrap();
    let mut docs = Vec::new();
    catalog
        .documents(
            &mut |d: Document| -> Result<(), SinkError> {
                docs.push(d);
                Ok(())
            },
            &|_: &Target| None,
        )
        .unwrap();
    assert_eq!(docs[0].title, "&b; &ext; & A");
    assert_eq!(docs[0].body_markdown, "Escaped & HTML");
}

#[test]
fn a_sink_can_refuse_one_document_or_stop_the_import() {
    let path = fixture("wxr-1.1-polylang.xml");
    let open = || std::fs::File::open(&path).map(BufReader::new);
    let catalog = wordpress::scan(open, Options::new("en")).unwrap();
    let report = catalog
        .documents(
            &mut |d: Document| -> Result<(), SinkError> {
                if d.source_id == "2" {
                    Err(SinkError::Item("the database said no".into()))
                } else {
                    Ok(())
                }
            },
            &|_: &Target| None,
        )
        .unwrap();
    assert_eq!(report.counted(Counted::Articles), 3);
    assert_eq!(report.errors.len(), 1);
    assert_eq!(report.errors[0].item, "post 2");

    let mut seen = 0;
    let stopped = catalog.documents(
        &mut |_: Document| -> Result<(), SinkError> {
            seen += 1;
            Err(SinkError::Stop("interrupted".into()))
        },
        &|_: &Target| None,
    );
    assert!(matches!(stopped, Err(ImportError::Sink(m)) if m == "interrupted"));
    assert_eq!(seen, 1, "nothing is handed over after a stop");
}

/// WordPress's exporter defines the site's categories and tags only when it exports
/// everything: an export of "Posts" alone names them in each post and defines none
/// (and a trimmed export may lack its authors). They are made from the posts, with
/// the names the posts give them, and their old addresses still lead somewhere.
#[test]
fn a_posts_only_export_defines_its_terms_and_authors_from_the_posts() {
    let wxr = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
  <title>Harbour Gazette</title>
  <link>https://old.example</link>
  <wp:wxr_version>1.2</wp:wxr_version>
  <wp:base_site_url>https://old.example</wp:base_site_url>
  <wp:base_blog_url>https://old.example</wp:base_blog_url>
  <item>
    <title>Night ferries return</title>
    <link>https://old.example/2024/05/02/night-ferries/</link>
    <dc:creator><![CDATA[Harbour Desk]]></dc:creator>
    <content:encoded><![CDATA[The night ferries are back.]]></content:encoded>
    <wp:post_id>7</wp:post_id>
    <wp:post_date_gmt>2024-05-02 09:00:00</wp:post_date_gmt>
    <wp:post_name>night-ferries</wp:post_name>
    <wp:status>publish</wp:status>
    <wp:post_type>post</wp:post_type>
    <category domain="category" nicename="city-life"><![CDATA[City Life]]></category>
    <category domain="post_tag" nicename="ferries"><![CDATA[Ferries]]></category>
    <category domain="post_tag" nicename="%d0%bf%d0%be%d1%80%d1%82"><![CDATA[Порт]]></category>
  </item>
</channel>
</rss>"#;
    let catalog = scan_text(wxr);
    let sections: Vec<(&str, &str)> = catalog
        .sections
        .iter()
        .map(|t| (t.slug.as_str(), t.name.as_str()))
        .collect();
    assert_eq!(sections, [("city-life", "City Life")]);
    let tags: Vec<(&str, &str)> = catalog
        .tags
        .iter()
        .map(|t| (t.slug.as_str(), t.name.as_str()))
        .collect();
    assert_eq!(tags, [("ferries", "Ferries"), ("port", "Порт")]);
    let authors: Vec<(&str, &str)> = catalog
        .authors
        .iter()
        .map(|a| (a.slug.as_str(), a.name.as_str()))
        .collect();
    assert_eq!(authors, [("harbour-desk", "Harbour Desk")]);
    for (old, target) in [
        ("/category/city-life/", Target::Section("city-life".into())),
        ("/tag/ferries/", Target::Tag("ferries".into())),
        ("/tag/%d0%bf%d0%be%d1%80%d1%82/", Target::Tag("port".into())),
        (
            "/author/harbour-desk/",
            Target::Author("harbour-desk".into()),
        ),
    ] {
        assert_eq!(catalog.links.lookup(old), Some(&target), "{old}");
    }
    let mut docs = Vec::new();
    let mut sink = |d: Document| -> Result<(), SinkError> {
        docs.push(d);
        Ok(())
    };
    catalog.documents(&mut sink, &resolve).expect("documents");
    let post = by_id(&docs, "7");
    assert_eq!(post.section.as_deref(), Some("city-life"));
    assert_eq!(post.tags, ["ferries", "port"]);
    assert_eq!(post.authors, ["harbour-desk"]);
}

/// Newer exports list categories and tags again as generic `wp:term`s, and a category
/// may be defined only there: each is read once, with its parent, and none of them is
/// reported as skipped.
#[test]
fn categories_and_tags_listed_as_generic_terms_are_read_once() {
    let wxr = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
  <link>https://old.example</link>
  <wp:wxr_version>1.2</wp:wxr_version>
  <wp:base_site_url>https://old.example</wp:base_site_url>
  <wp:category><wp:term_id>3</wp:term_id><wp:category_nicename>news</wp:category_nicename>
    <wp:category_parent></wp:category_parent><wp:cat_name><![CDATA[News]]></wp:cat_name></wp:category>
  <wp:tag><wp:term_id>4</wp:term_id><wp:tag_slug>ferries</wp:tag_slug><wp:tag_name><![CDATA[Ferries]]></wp:tag_name></wp:tag>
  <wp:term><wp:term_id>3</wp:term_id><wp:term_taxonomy>category</wp:term_taxonomy>
    <wp:term_slug>news</wp:term_slug><wp:term_parent></wp:term_parent><wp:term_name><![CDATA[News]]></wp:term_name></wp:term>
  <wp:term><wp:term_id>5</wp:term_id><wp:term_taxonomy>category</wp:term_taxonomy>
    <wp:term_slug>harbour</wp:term_slug><wp:term_parent>news</wp:term_parent><wp:term_name><![CDATA[Harbour]]></wp:term_name></wp:term>
  <wp:term><wp:term_id>4</wp:term_id><wp:term_taxonomy>post_tag</wp:term_taxonomy>
    <wp:term_slug>ferries</wp:term_slug><wp:term_parent></wp:term_parent><wp:term_name><![CDATA[Ferries]]></wp:term_name></wp:term>
  <wp:term><wp:term_id>6</wp:term_id><wp:term_taxonomy>post_tag</wp:term_taxonomy>
    <wp:term_slug>tides</wp:term_slug><wp:term_parent></wp:term_parent><wp:term_name><![CDATA[Tides]]></wp:term_name></wp:term>
</channel>
</rss>"#;
    let catalog = scan_text(wxr);
    let sections: Vec<&str> = catalog.sections.iter().map(|t| t.slug.as_str()).collect();
    assert_eq!(sections, ["news"]);
    let tags: Vec<(&str, &str)> = catalog
        .tags
        .iter()
        .map(|t| (t.slug.as_str(), t.name.as_str()))
        .collect();
    assert_eq!(
        tags,
        [
            ("ferries", "Ferries"),
            ("tides", "Tides"),
            ("harbour", "Harbour")
        ],
        "a child category is a tag under its top section"
    );
    assert_eq!(
        catalog.links.lookup("/category/news/harbour/"),
        Some(&Target::Tag("harbour".into()))
    );
    assert!(
        catalog.report.skipped_in_bulk.is_empty(),
        "{:?}",
        catalog.report.skipped_in_bulk
    );
}
