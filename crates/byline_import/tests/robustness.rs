//! Bad input of any shape gives an error or a recorded skip, never a panic.

use byline_import::{Document, ImportError, Options, Report, Target, ghost, html, wordpress};
use proptest::prelude::*;
use std::io::Cursor;
use std::path::PathBuf;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name),
    )
    .unwrap()
}

fn wxr(bytes: Vec<u8>) -> Result<Report, ImportError> {
    let catalog = wordpress::scan(|| Ok(Cursor::new(bytes.clone())), Options::new("en"))?;
    catalog.documents(&mut |_: Document| Ok(()), &|_: &Target| None)
}

fn ghost_export(bytes: Vec<u8>) -> Result<Report, ImportError> {
    let catalog = ghost::scan(|| Ok(Cursor::new(bytes.clone())), Options::new("en"))?;
    catalog.documents(&mut |_: Document| Ok(()), &|_: &Target| None)
}

fn wxr_with_body(body: &str) -> Vec<u8> {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><rss xmlns:wp="http://wordpress.org/export/1.2/" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><link>https://a.example</link><item><title>T</title><content:encoded><![CDATA[{}]]></content:encoded><wp:post_id>1</wp:post_id><wp:post_name>t</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item></channel></rss>"#,
        body.replace("]]>", "]] >")
    )
    .into_bytes()
}

/// Pieces of what WordPress bodies are made of, in any order.
fn body_soup() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "<div>",
        "</div>",
        "<p>",
        "</p>",
        "<b>",
        "[caption id=\"a\"]",
        "[/caption]",
        "[gallery ids=\"1,x,3\"]",
        "[gallery]",
        "[embed]",
        "[/embed]",
        "[audio]",
        "[video src=\"https://youtu.be/AbCdEfGhIjK\"]",
        "<figure class=\"wp-block-embed\">",
        "<figure class=\"kg-bookmark-card\">",
        "<img src=\"/wp-content/uploads/a-1x1.jpg\" alt=\"a\">",
        "</figure>",
        "<figcaption>",
        "<!-- wp:image /-->",
        "<!-- wp:",
        "-->",
        "\n\n",
        "\n",
        "https://youtu.be/AbCdEfGhIjK\n",
        "<pre>",
        "</pre>",
        "é",
        "&amp;",
        "[[x]]",
        "[",
        "]",
        "/]",
        "<iframe src=\"https://x.com/a/status/1\">",
        "<script>",
        "\"",
        "'",
        "<table><tr><td>",
        "<ul><li>",
        "`",
        "<a href=\"/?p=1\">",
        "</a>",
        "<video>",
        "<source src=\"v.mp4\">",
        "\u{0}PRE0\u{0}",
    ]);
    prop::collection::vec(pieces, 0..80).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, .. ProptestConfig::default() })]

    #[test]
    fn any_text_converts_or_is_refused(text in ".{0,400}") {
        let _ = html::to_markdown(&text);
    }

    #[test]
    fn any_wordpress_body_imports_or_is_reported(body in body_soup()) {
        let report = wxr(wxr_with_body(&body)).expect("the file itself is fine");
        prop_assert_eq!(report.counted(byline_import::Counted::Articles) + report.errors.len() as u64, 1);
    }

    #[test]
    fn a_damaged_wxr_never_panics(cut in 0usize..14_000, at in 0usize..14_000, byte in any::<u8>()) {
        let mut bytes = fixture("wxr-1.2-https.xml");
        let at = at % bytes.len();
        bytes[at] = byte;
        bytes.truncate(cut.max(1));
        let _ = wxr(bytes);
    }

    #[test]
    fn a_damaged_ghost_export_never_panics(cut in 0usize..11_000, at in 0usize..11_000, byte in any::<u8>()) {
        let mut bytes = fixture("ghost-5.json");
        let at = at % bytes.len();
        bytes[at] = byte;
        bytes.truncate(cut.max(1));
        let _ = ghost_export(bytes);
    }
}

#[test]
fn bodies_nested_thousands_deep_are_reported_not_fatal() {
    for body in [
        "<blockquote>".repeat(10_000),
        "<b>".repeat(50_000),
        "<div><span>".repeat(5_000),
    ] {
        let report = wxr(wxr_with_body(&body)).expect("import");
        assert!(
            report.errors.iter().any(|e| e.message.contains("nested")),
            "{report}"
        );
    }
    // A Lexical document nested thousands deep: JSON's own depth limit, one post.
    let mut node = String::from(r#"{"type":"text","text":"x"}"#);
    for _ in 0..5_000 {
        node = format!(r#"{{"type":"quote","children":[{node}]}}"#);
    }
    let lexical = format!(r#"{{"root":{{"children":[{node}]}}}}"#);
    let export = serde_json::json!({"db":[{"data":{"posts":[
        {"id":"1","slug":"deep","status":"published","lexical":lexical},
        {"id":"2","slug":"flat","status":"published","html":"<p>ok</p>"}
    ]}}]});
    let report = ghost_export(export.to_string().into_bytes()).expect("import");
    assert_eq!(
        report.counted(byline_import::Counted::Articles),
        1,
        "{report}"
    );
    assert_eq!(report.errors.len(), 1, "{report}");
}
