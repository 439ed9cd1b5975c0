//! RSS and Atom: parsed by feed-rs and checked field by field against the store.

use super::assert_well_formed;
use crate::common::TestSite;
use byline_content::{ArticleFilter, ArticleInput};
use byline_core::{ArticleStatus, Cover, FeedContent, Localized, Seo};
use feed_rs::model::{Entry, Feed, FeedType};

const SITE: &str = "http://127.0.0.1:8080";

fn parse(what: &str, body: &str) -> Feed {
    assert_well_formed(what, body);
    feed_rs::parser::parse(body.as_bytes()).unwrap_or_else(|e| panic!("{what}: {e}\n{body}"))
}

async fn feed(site: &TestSite, path: &str) -> Feed {
    let r = site.get(path).await;
    r.assert_ok();
    let expected = if path.ends_with(".rss") {
        "application/rss+xml; charset=utf-8"
    } else {
        "application/atom+xml; charset=utf-8"
    };
    assert_eq!(r.header("content-type"), Some(expected), "{path}");
    parse(path, &r.body)
}

fn link(entry: &Entry) -> &str {
    &entry
        .links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .expect("entry link")
        .href
}

#[tokio::test]
async fn edition_feeds_carry_every_field_in_both_formats() {
    let site = TestSite::demo().await;
    let en = ArticleFilter {
        edition: Some("en".into()),
        ..Default::default()
    };
    let expected = site.store().recent_articles(&en, 30).await.unwrap();
    let catalog = site.content().catalog();
    assert!(expected.len() > 3);

    for (path, kind) in [
        ("/en/feed.rss", FeedType::RSS2),
        ("/en/feed.atom", FeedType::Atom),
    ] {
        let f = feed(&site, path).await;
        assert_eq!(f.feed_type, kind, "{path}");
        assert_eq!(f.title.as_ref().unwrap().content, "Meridian Review");
        assert_eq!(f.language.as_deref(), Some("en"), "{path}");
        assert!(
            f.links.iter().any(|l| l.href == format!("{SITE}/en/")),
            "{path}: link to the edition's front page"
        );
        assert!(
            f.links
                .iter()
                .any(|l| l.rel.as_deref() == Some("self") && l.href == format!("{SITE}{path}")),
            "{path}: self link {:?}",
            f.links
        );
        let newest = expected[0].published_at.unwrap();
        assert_eq!(
            f.updated.map(|u| u.timestamp()),
            Some(newest.as_second()),
            "{path}: updated"
        );
        assert_eq!(
            f.entries.len(),
            expected.len(),
            "{path}: one entry per article"
        );

        for (entry, article) in f.entries.iter().zip(&expected) {
            let what = format!("{path} {}", article.slug);
            assert!(
                entry.id.starts_with("tag:127.0.0.1,")
                    && entry.id.ends_with(&format!(":article:{}", article.id)),
                "{what}: id {}",
                entry.id
            );
            assert_eq!(
                entry.title.as_ref().unwrap().content,
                article.title,
                "{what}"
            );
            let section = catalog.section(article.section).unwrap();
            assert_eq!(
                link(entry),
                format!(
                    "{SITE}/en/{}/{}",
                    section.slug.as_str(),
                    article.slug.as_str()
                ),
                "{what}"
            );
            assert_eq!(
                entry.published.unwrap().timestamp(),
                article.published_at.unwrap().as_second(),
                "{what}: published"
            );
            assert_eq!(
                entry.summary.as_ref().unwrap().content,
                article.subtitle,
                "{what}"
            );
            assert!(entry.content.is_none(), "{what}: excerpts by default");
            let authors: Vec<_> = article
                .authors
                .iter()
                .map(|id| catalog.author(*id).unwrap().name.get("en").to_owned())
                .collect();
            assert_eq!(
                entry
                    .authors
                    .iter()
                    .map(|p| p.name.clone())
                    .collect::<Vec<_>>(),
                authors,
                "{what}"
            );
            let terms: Vec<_> = entry.categories.iter().map(|c| c.term.as_str()).collect();
            assert_eq!(terms[0], section.name.get("en"), "{what}: section first");
            for tag in &article.tags {
                let name = catalog.tag(*tag).unwrap().name.get("en");
                assert!(terms.contains(&name), "{what}: tag {name} in {terms:?}");
            }
            // The cover: media:content with its size, and the enclosure (RSS) or
            // rel=enclosure link (Atom) with the file's true length.
            let cover = article.cover.as_ref().unwrap();
            let file = site
                .state
                .config
                .media_dir
                .join(cover.url.trim_start_matches("/media/"));
            let length = std::fs::metadata(&file).unwrap().len();
            let media: Vec<_> = entry.media.iter().flat_map(|m| &m.content).collect();
            let sized = media
                .iter()
                .find(|c| c.width.is_some())
                .unwrap_or_else(|| panic!("{what}: media:content {media:?}"));
            assert_eq!(
                sized.url.as_ref().unwrap().as_str(),
                format!("{SITE}{}", cover.url)
            );
            assert_eq!(
                (sized.width, sized.height),
                (Some(cover.width), Some(cover.height))
            );
            assert_eq!(
                sized.content_type.as_ref().unwrap().to_string(),
                "image/jpeg"
            );
            assert!(
                entry.media.iter().any(|m| m
                    .description
                    .as_ref()
                    .is_some_and(|d| d.content == cover.alt)),
                "{what}: alt text as media:description"
            );
            if kind == FeedType::RSS2 {
                assert!(
                    media.iter().any(|c| c.size == Some(length)),
                    "{what}: enclosure length {length} in {media:?}"
                );
            } else {
                let enclosure = entry
                    .links
                    .iter()
                    .find(|l| l.rel.as_deref() == Some("enclosure"))
                    .expect("Atom enclosure link");
                assert_eq!(enclosure.length, Some(length), "{what}");
                assert_eq!(enclosure.href, format!("{SITE}{}", cover.url));
            }
        }
    }
}

#[tokio::test]
async fn dates_carry_the_site_offset() {
    let site = TestSite::demo().await;
    let rss = site.get("/en/analytics/feed.rss").await;
    // 2026-06-09T08:30:00+04:00 (Asia/Baku) as RFC 822 and RFC 3339.
    assert!(
        rss.body
            .contains("<pubDate>Tue, 9 Jun 2026 08:30:00 +0400</pubDate>"),
        "{}",
        rss.body
    );
    let atom = site.get("/en/analytics/feed.atom").await;
    assert!(
        atom.body
            .contains("<published>2026-06-09T08:30:00+04:00</published>")
    );
}

#[tokio::test]
async fn every_scope_has_both_feeds_and_unknown_ones_are_404() {
    let site = TestSite::demo().await;
    for (scope, title) in [
        ("", "Meridian Review"),
        ("/ru", "Meridian Review"),
        ("/en/analytics", "Analytics — Meridian Review"),
        ("/hy/tag/energy", "Meridian Review"),
        (
            "/en/author/lena-arakelova",
            "Lena Arakelova — Meridian Review",
        ),
    ] {
        for ext in ["rss", "atom"] {
            let path = format!("{scope}/feed.{ext}");
            let f = feed(&site, &path).await;
            let got = &f.title.as_ref().unwrap().content;
            assert!(got.contains(title), "{path}: {got}");
            assert!(!f.entries.is_empty(), "{path}");
        }
    }
    // The whole-site feed mixes the editions.
    let all = feed(&site, "/feed.atom").await;
    let editions: std::collections::BTreeSet<_> = all
        .entries
        .iter()
        .map(|e| link(e)[SITE.len()..SITE.len() + 4].to_owned())
        .collect();
    assert_eq!(editions.len(), 3, "{editions:?}");
    assert!(all.language.is_none(), "no single language");
    // The tag feed lists only that tag's articles in that edition.
    let energy = site
        .content()
        .catalog()
        .tag_by_slug("energy")
        .unwrap()
        .name
        .get("en")
        .to_owned();
    let tagged = feed(&site, "/en/tag/energy/feed.rss").await;
    for e in &tagged.entries {
        assert!(link(e).starts_with(&format!("{SITE}/en/")));
        assert!(
            e.categories.iter().any(|c| c.term == energy),
            "{:?}",
            e.categories
        );
    }
    for path in [
        "/xx/feed.rss",
        "/en/feed.json",
        "/feed.json",
        "/en/no-such-section/feed.rss",
        "/en/analytics/feed.xml",
        "/en/tag/no-such-tag/feed.atom",
        "/en/author/nobody/feed.rss",
        "/en/tag/energy/feed.json",
        "/en/analytics/feed.rss/extra",
    ] {
        assert_eq!(site.get(path).await.status, 404, "{path}");
    }
}

#[tokio::test]
async fn a_section_with_no_articles_has_a_valid_empty_feed() {
    let site = TestSite::demo().await;
    site.content()
        .put_section(
            "sport",
            &Localized::from_pairs([("en", "Sport")]),
            &Localized::from_pairs([("en", "Games & <results>")]),
            9,
        )
        .await
        .unwrap();
    site.settle().await;
    for path in ["/en/sport/feed.rss", "/en/sport/feed.atom"] {
        let f = feed(&site, path).await;
        assert!(f.entries.is_empty(), "{path}");
        assert_eq!(f.title.unwrap().content, "Sport — Meridian Review");
        assert_eq!(f.description.unwrap().content, "Games & <results>");
    }
    assert!(
        site.get("/en/sport/feed.atom")
            .await
            .body
            .contains("<updated>")
    );
}

/// Titles and bodies with markup characters, `]]>`, emoji, right-to-left text and
/// control characters: every feed stays well-formed and says what was written, minus
/// the control characters.
#[tokio::test]
async fn nasty_content_stays_well_formed() {
    let site = TestSite::demo().await;
    let mut settings = site.content().catalog().settings.clone();
    settings.feeds.content = FeedContent::FullText;
    site.content().save_settings(&settings).await.unwrap();
    let title =
        "AT&T <b>bold</b> ]]> \"quotes\" 'apos' 🎉 مرحبا بالعالم \u{7}bell\u{0}nul\u{1b}esc";
    let subtitle = "Sub ]]> & < > \u{8}backspace \u{200f}עברית";
    let body = "Body with ]]> and <script>alert(1)</script> & 🙂 and שלום\n\n[link](/en/news)\u{c}\n\n![img](/media/x.png)";
    site.content()
        .import_article(ArticleInput {
            edition: "en".into(),
            section: "news".into(),
            slug: "nasty-characters".into(),
            title: title.into(),
            subtitle: subtitle.into(),
            body_markdown: body.into(),
            cover: Some(Cover {
                srcset: String::new(),
                url: "/media/x&y <z>.jpg".into(),
                alt: "alt & \u{1}<text>".into(),
                caption: String::new(),
                credit: "credit ]]>".into(),
                width: 10,
                height: 10,
                crops: None,
            }),
            authors: vec!["lena-arakelova".into()],
            tags: vec!["energy".into()],
            status: ArticleStatus::Published,
            featured: false,
            published_at: Some(jiff::Timestamp::now()),
            translation_of: None,
            seo: Seo::default(),
        })
        .await
        .unwrap();
    site.settle().await;
    let clean_title = "AT&T <b>bold</b> ]]> \"quotes\" 'apos' 🎉 مرحبا بالعالم bellnulesc";
    for path in [
        "/en/feed.rss",
        "/en/feed.atom",
        "/feed.rss",
        "/en/news/feed.atom",
        "/en/tag/energy/feed.rss",
        "/en/author/lena-arakelova/feed.atom",
    ] {
        let f = feed(&site, path).await;
        let entry = &f.entries[0];
        assert_eq!(entry.title.as_ref().unwrap().content, clean_title, "{path}");
        assert_eq!(
            entry.summary.as_ref().unwrap().content,
            "Sub ]]> & < > backspace \u{200f}עברית",
            "{path}"
        );
        let content = entry.content.as_ref().unwrap().body.as_ref().unwrap();
        assert!(
            content.contains("]]&gt;") || content.contains("]]>"),
            "{path}: {content}"
        );
        assert!(content.contains("🙂 and שלום"), "{path}: {content}");
        assert!(!content.contains("<script>"), "sanitized body: {content}");
        assert!(
            content.contains(&format!("href=\"{SITE}/en/news\"")),
            "{path}: absolute links in full text: {content}"
        );
    }
    for path in ["/sitemap.xml", "/sitemap/news.xml"] {
        assert_well_formed(path, &site.get(path).await.body);
    }
}

#[tokio::test]
async fn full_text_is_a_setting() {
    let site = TestSite::demo().await;
    let excerpt = feed(&site, "/en/analytics/feed.atom").await;
    assert!(!excerpt.entries.is_empty());
    assert!(excerpt.entries.iter().all(|e| e.content.is_none()));
    let mut settings = site.content().catalog().settings.clone();
    settings.feeds.content = FeedContent::FullText;
    settings.feeds.items = 2;
    site.content().save_settings(&settings).await.unwrap();
    site.settle().await;
    for path in ["/en/analytics/feed.atom", "/en/analytics/feed.rss"] {
        let full = feed(&site, path).await;
        assert_eq!(full.entries.len(), 2, "{path}: items setting");
        let body = full.entries[0]
            .content
            .as_ref()
            .unwrap()
            .body
            .as_ref()
            .unwrap();
        assert!(body.contains("<h2>"), "{path}: the whole body");
    }
    // Every body of every article, with its links and figures made absolute.
    settings.feeds.items = 100;
    site.content().save_settings(&settings).await.unwrap();
    site.settle().await;
    let all = feed(&site, "/en/feed.rss").await;
    let bodies: Vec<&String> = all
        .entries
        .iter()
        .map(|e| e.content.as_ref().unwrap().body.as_ref().unwrap())
        .collect();
    for body in &bodies {
        assert!(
            !body.contains("src=\"/") && !body.contains("href=\"/"),
            "no root-relative links left: {body}"
        );
    }
    assert!(
        bodies
            .iter()
            .any(|b| b.contains(&format!("src=\"{SITE}/media/demo/figures/"))),
        "figure URLs made absolute"
    );
}

/// Ids never depend on the title or the URL; a correction moves `updated` only.
#[tokio::test]
async fn ids_survive_corrections_and_updated_follows_them() {
    let site = TestSite::demo().await;
    let before = feed(&site, "/en/analytics/feed.atom").await;
    let first = &before.entries[0];
    let id: i64 = first.id.rsplit(':').next().unwrap().parse().unwrap();
    site.sql(&format!(
        "update articles set title = 'Corrected headline', slug = 'corrected-slug',
           updated_at = published_at + 3600 where id = {id}"
    ))
    .await;
    for path in ["/en/analytics/feed.atom", "/en/analytics/feed.rss"] {
        let after = feed(&site, path).await;
        let entry = after
            .entries
            .iter()
            .find(|e| e.id == first.id)
            .expect("same id");
        assert_eq!(entry.title.as_ref().unwrap().content, "Corrected headline");
        assert!(link(entry).ends_with("/corrected-slug"));
        if path.ends_with(".atom") {
            assert_eq!(
                entry.updated.unwrap().timestamp(),
                first.published.unwrap().timestamp() + 3600,
                "atom:updated is the correction time"
            );
            assert_eq!(entry.published, first.published);
        }
    }
}

#[tokio::test]
async fn feeds_answer_conditional_requests_with_304() {
    let site = TestSite::demo().await;
    for path in ["/en/feed.rss", "/en/analytics/feed.atom", "/feed.atom"] {
        let first = site.get(path).await;
        let etag = first.header("etag").expect("ETag").to_owned();
        let modified = first
            .header("last-modified")
            .expect("Last-Modified")
            .to_owned();
        assert!(modified.ends_with(" GMT"), "{modified}");
        let again = site.get_with(path, "if-none-match", &etag).await;
        assert_eq!(again.status, 304, "{path}: If-None-Match");
        assert!(again.body.is_empty());
        assert_eq!(again.header("etag"), Some(etag.as_str()));
        let weak = site
            .get_with(path, "if-none-match", &format!("W/{etag}"))
            .await;
        assert_eq!(weak.status, 304, "{path}: weak comparison");
        let since = site.get_with(path, "if-modified-since", &modified).await;
        assert_eq!(since.status, 304, "{path}: If-Modified-Since");
        let old = site
            .get_with(path, "if-modified-since", "Sat, 01 Jan 2000 00:00:00 GMT")
            .await;
        assert_eq!(old.status, 200, "{path}: modified since 2000");
        let garbage = site
            .get_with(path, "if-modified-since", "yesterday-ish")
            .await;
        assert_eq!(garbage.status, 200, "{path}: an unparsable date is ignored");
        let other = site
            .request(
                axum::http::Request::get(path)
                    .header("if-none-match", "\"other\"")
                    .header("if-modified-since", &modified)
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(
            other.status, 200,
            "{path}: If-None-Match decides over the date"
        );
    }
}
