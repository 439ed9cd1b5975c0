//! The Ghost importer against an export written for these tests.

use byline_import::{
    Counted, Document, DocumentKind, ImportError, ImportStatus, Options, Report, SinkError, Target,
    ghost,
};
use std::io::{BufReader, Cursor};

mod common;

use common::{by_id, fixture, rendered, resolve};

fn import(options: Options) -> (Vec<Document>, Report, byline_import::LinkMap) {
    let path = fixture("ghost-5.json");
    let catalog =
        ghost::scan(|| std::fs::File::open(&path).map(BufReader::new), options).expect("scan");
    let mut docs = Vec::new();
    let mut sink = |d: Document| -> Result<(), SinkError> {
        docs.push(d);
        Ok(())
    };
    let report = catalog.documents(&mut sink, &resolve).expect("documents");
    (docs, report, catalog.links.clone())
}

#[test]
fn an_html_post_keeps_cards_metadata_and_links() {
    let (docs, report, links) = import(Options::new("en"));
    let post = by_id(&docs, "p1");
    assert_eq!(post.kind, DocumentKind::Article);
    assert_eq!(post.status, ImportStatus::Published);
    assert_eq!(post.subtitle, "After two years of repairs");
    assert_eq!(
        post.tags,
        ["city", "food"],
        "in order, #internal tags left out"
    );
    assert_eq!(post.authors, ["mara", "tobin"], "authors in their order");
    assert_eq!(post.seo_title.as_deref(), Some("Lights are back"));
    assert_eq!(
        post.seo_description.as_deref(),
        Some("The quay is lit again.")
    );
    assert_eq!(
        post.canonical_url.as_deref(),
        Some("https://partner.example/lights")
    );
    assert_eq!(
        post.published_at.unwrap().to_string(),
        "2025-01-10T12:00:00Z"
    );
    let cover = post.cover.as_ref().unwrap();
    assert_eq!(cover.url, "/content/images/2025/01/lights.jpg");
    assert_eq!(
        (cover.alt.as_str(), cover.caption.as_str()),
        ("The quay at night", "Photo: desk")
    );

    let md = &post.body_markdown;
    assert!(md.contains("[the market](/new/doc/p2)"), "{md}");
    assert!(
        md.contains("(https://elsewhere.example/night-market/)"),
        "{md}"
    );
    assert!(
        md.contains("![Lights on the quay](/media/2025/01/lights.jpg \"Lights, finally\")"),
        "resized image → original: {md}"
    );
    assert!(
        md.contains("![First](/media/2025/01/a.jpg)")
            && md.contains("![Second](/media/2025/01/b.jpg)"),
        "gallery: {md}"
    );
    assert!(
        md.contains("<https://www.youtube.com/watch?v=AbCdEfGhIjK>"),
        "embed: {md}"
    );
    assert!(
        md.contains("[Port annual report](<https://port.example/report>)"),
        "bookmark: {md}"
    );
    assert!(md.contains("```\nlet on = true;\n```"), "{md}");
    let html = rendered(md);
    assert!(
        !html.contains("<script") && !html.contains("onclick"),
        "{html}"
    );
    assert!(html.contains("data-embed=\"youtube\""), "{html}");

    assert_eq!(
        links.lookup("/harbour-lights/").cloned(),
        Some(Target::Document("p1".into()))
    );
    assert_eq!(
        links.lookup("/p/uuid-p1/").cloned(),
        Some(Target::Document("p1".into()))
    );
    assert_eq!(
        links.lookup("/tag/food/").cloned(),
        Some(Target::Tag("food".into()))
    );
    assert_eq!(
        links.lookup("/author/tobin/").cloned(),
        Some(Target::Author("tobin".into()))
    );
    assert_eq!(links.lookup("/rss/").cloned(), Some(Target::Feed(None)));
    assert_eq!(
        links.lookup("/tag/hash-featured/"),
        None,
        "internal tags have no page"
    );
    assert_eq!(report.counted(Counted::Tags), 2);
    assert_eq!(report.counted(Counted::Authors), 2);
}

#[test]
fn lexical_and_mobiledoc_posts_are_rendered_when_html_is_absent() {
    let (docs, report, _) = import(Options::new("en"));
    let lexical = &by_id(&docs, "p2").body_markdown;
    for want in [
        "## Night market",
        "Stalls open at **nine** and *close late*.",
        "[the lights](/new/doc/p1)",
        "1.  Noodles",
        "![Rows of stalls](/media/2025/02/stalls.jpg \"The busy row\")",
        "<https://www.youtube.com/watch?v=AbCdEfGhIjK>",
        "open <= 21:00",
        "> Best dumplings in town.",
    ] {
        assert!(lexical.contains(want), "{want}: {lexical}");
    }
    let mobiledoc = &by_id(&docs, "p3").body_markdown;
    for want in [
        "Summer on the **pier** with [food stalls](/en/tag/food).",
        "![The pier](/media/2019/07/pier.jpg \"Pier in July\")",
        "## Notes",
        "*   Sea",
        "A *markdown* card.",
        "<https://x.com/i/status/99>",
        "x < y",
    ] {
        assert!(mobiledoc.contains(want), "{want}: {mobiledoc}");
    }
    assert_eq!(report.untranslated.get("Ghost card signup"), Some(&1));
}

#[test]
fn statuses_pages_and_duplicates() {
    let (docs, report, _) = import(Options::new("en"));
    assert_eq!(by_id(&docs, "p4").kind, DocumentKind::Page);
    assert_eq!(by_id(&docs, "p5").status, ImportStatus::Draft);
    assert!(
        matches!(by_id(&docs, "p6").status, ImportStatus::Scheduled(at) if at.to_string() == "2031-05-01T07:00:00Z")
    );
    assert_eq!(
        by_id(&docs, "p7").status,
        ImportStatus::Draft,
        "members-only is never public"
    );
    let dup = by_id(&docs, "p8");
    assert_eq!(dup.slug, "harbour-lights-2");
    assert!(!dup.title.is_empty());
    assert_eq!(report.counted(Counted::Articles), 7);
    assert_eq!(report.counted(Counted::Pages), 1);
}

fn import_bytes(bytes: &'static [u8]) -> Result<Report, ImportError> {
    let catalog = ghost::scan(|| Ok(Cursor::new(bytes)), Options::new("en"))?;
    catalog.documents(&mut |_: Document| Ok(()), &|_: &Target| None)
}

#[test]
fn broken_exports_give_clear_errors() {
    assert!(matches!(
        import_bytes(b""),
        Err(ImportError::WrongFormat { .. })
    ));
    assert!(matches!(
        import_bytes(b"<?xml version=\"1.0\"?><rss/>"),
        Err(ImportError::WrongFormat { .. })
    ));
    assert!(matches!(
        import_bytes(b"{\"hello\": 1}"),
        Err(ImportError::WrongFormat { .. })
    ));
    assert!(matches!(
        import_bytes(b"{\"db\":[{\"data\":{\"posts\":[{\"id\":\"1\""),
        Err(ImportError::Truncated { .. })
    ));
    assert!(matches!(
        import_bytes(b"{\"db\":[{\"data\":{\"posts\":[}]}"),
        Err(ImportError::Malformed { .. })
    ));
    assert!(
        import_bytes(b"{\"db\":[{\"data\":{\"posts\":[{\"id\":\"1\",\"title\":\"\xff\"}]}}]}")
            .is_err()
    );
    // A post whose lexical is broken is reported; the others are imported.
    let report = import_bytes(
        br#"{"db":[{"data":{"posts":[
        {"id":"1","slug":"a","status":"published","lexical":"{not json"},
        {"id":"2","slug":"b","status":"published","html":"<p>fine</p>"}]}}]}"#,
    )
    .expect("import");
    assert_eq!(report.counted(Counted::Articles), 1);
    assert!(
        report
            .errors
            .iter()
            .any(|e| e.item == "post 1" && e.message.contains("lexical")),
        "{report}"
    );
}

#[test]
fn where_each_document_will_live_is_known_after_pass_one() {
    let path = fixture("ghost-5.json");
    let catalog = ghost::scan(
        || std::fs::File::open(&path).map(BufReader::new),
        Options::new("hy"),
    )
    .unwrap();
    let dup = catalog.planned("p8").expect("p8");
    assert_eq!(
        (dup.slug.as_str(), dup.edition.as_str()),
        ("harbour-lights-2", "hy")
    );
    assert_eq!(catalog.planned("p4").unwrap().kind, DocumentKind::Page);
}

#[test]
fn a_sink_can_refuse_one_document_or_stop_the_import() {
    let path = fixture("ghost-5.json");
    let open = || std::fs::File::open(&path).map(BufReader::new);
    let catalog = ghost::scan(open, Options::new("en")).unwrap();
    let report = catalog
        .documents(
            &mut |d: Document| -> Result<(), SinkError> {
                if d.source_id == "p2" {
                    Err(SinkError::Item("refused".into()))
                } else {
                    Ok(())
                }
            },
            &|_: &Target| None,
        )
        .unwrap();
    assert_eq!(report.counted(Counted::Articles), 6);
    assert!(report.errors.iter().any(|e| e.item == "post p2"));

    let mut seen = 0;
    let stopped = catalog.documents(
        &mut |_: Document| -> Result<(), SinkError> {
            seen += 1;
            Err(SinkError::Stop("interrupted".into()))
        },
        &|_: &Target| None,
    );
    assert!(matches!(stopped, Err(ImportError::Sink(m)) if m == "interrupted"));
    assert_eq!(seen, 1);
}
