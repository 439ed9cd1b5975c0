//! The store conformance story: what every `Store` implementation must do, written once
//! and run against each backend (`tests/sqlite.rs`, `tests/postgres.rs`).
//!
//! Each check starts from an empty, migrated store and panics with a message on failure.

use crate::{
    ArticleFilter, ArticleWindow, ChangeKind, IdempotencyClaim, IdempotentRecord, ImportKind,
    Imported, ImportedTerm, OwnedCreate, RedirectOrigin, SitemapFilter, SitemapMonth, Store,
    StoreError, ViewDelta,
};
use byline_core::{
    ArticleId, ArticleStatus, ArticleSummary, AuthorId, Cover, Focal, Localized, MediaId,
    MediaItem, MediaUse, MediaVariant, NewArticle, NewMedia, NewPage, PageId, PageNumber,
    PageRequest, PageStatus, SectionId, Seo, SiteSettings, Slug,
};

fn slug(s: &str) -> Slug {
    Slug::parse(s).unwrap()
}

fn article(
    edition: &str,
    section: SectionId,
    s: &str,
    status: ArticleStatus,
    at: i64,
) -> NewArticle {
    NewArticle {
        edition: edition.into(),
        section,
        slug: slug(s),
        title: format!("Title {s}"),
        subtitle: String::new(),
        body_markdown: "Body".into(),
        body_html: "<p>Body</p>".into(),
        search_text: format!("title {s} body"),
        cover: None,
        media: vec![],
        authors: vec![],
        tags: vec![],
        status,
        featured: false,
        published_at: Some(jiff::Timestamp::from_second(at).unwrap()),
        translation_group: None,
        seo: Seo::default(),
    }
}

/// Runs every check on `store`, which must be empty and migrated.
pub async fn run_all(store: &dyn Store) {
    settings_round_trip(store).await;
    taxonomy_upserts_by_slug(store).await;
    articles_lists_and_translations(store).await;
    views_add_up(store).await;
    feeds_and_sitemaps_read_whole_articles(store).await;
    every_write_is_in_the_change_feed(store).await;
    updates_and_corrections(store).await;
    status_changes_are_in_the_change_feed(store).await;
    bulk_create_and_scans_for_the_search_index(store).await;
    media_library_round_trip(store).await;
    media_where_used_search_and_delete(store).await;
    unprocessed_media_queue(store).await;
    accounts_sessions_and_audit(store).await;
    newsroom_article_lifecycle(store).await;
    newsroom_list_filters_sorts_and_counts(store).await;
    notes_belong_to_their_article(store).await;
    corrections_and_takedowns(store).await;
    breaking_alerts_open_end_and_expire_once(store).await;
    live_blogs_entries_and_their_cursor(store).await;
    web_push_keys_subscriptions_and_outbox(store).await;
    assignments_notifications_and_presence(store).await;
    old_slugs_lead_to_the_article(store).await;
    login_failures_count_and_expire(store).await;
    api_article_windows(store).await;
    api_keys_and_tokens(store).await;
    owned_creates_are_one_transaction_with_their_key(store).await;
    imports_update_instead_of_adding(store).await;
    redirects_keep_the_admins(store).await;
    static_pages_round_trip_in_footer_order(store).await;
}

async fn old_slugs_lead_to_the_article(store: &dyn Store) {
    let section = store
        .upsert_section(
            &slug("moves"),
            &Localized::default(),
            &Localized::default(),
            9,
        )
        .await
        .unwrap();
    let first = article("en", section, "old-name", ArticleStatus::Published, 7_000);
    let id = store.create_article(&first).await.unwrap();
    let group = Some(store.article(id).await.unwrap().translation_group);
    let renamed = |s: &str| NewArticle {
        slug: slug(s),
        translation_group: group,
        ..first.clone()
    };
    assert!(matches!(
        store.published_by_old_slug("en", "old-name").await,
        Err(StoreError::NotFound)
    ));
    store
        .update_article(id, &renamed("new-name"))
        .await
        .unwrap();
    store
        .update_article(id, &renamed("newest-name"))
        .await
        .unwrap();
    for old in ["old-name", "new-name"] {
        assert_eq!(
            store.published_by_old_slug("en", old).await.unwrap().id,
            id,
            "{old} leads to the article"
        );
    }
    assert!(
        matches!(
            store.published_by_old_slug("ru", "old-name").await,
            Err(StoreError::NotFound)
        ),
        "old slugs are per edition"
    );
    // Taking a name back: it is the current slug again, no longer an old one.
    store
        .update_article(id, &renamed("old-name"))
        .await
        .unwrap();
    assert!(matches!(
        store.published_by_old_slug("en", "old-name").await,
        Err(StoreError::NotFound)
    ));
    // An old slug does not block a new article; when that one moves on too, the old
    // address leads to the newest owner.
    let other = store
        .create_article(&article(
            "en",
            section,
            "newest-name",
            ArticleStatus::Published,
            7_001,
        ))
        .await
        .unwrap();
    let mut moved = article("en", section, "elsewhere", ArticleStatus::Published, 7_001);
    moved.translation_group = Some(store.article(other).await.unwrap().translation_group);
    store.update_article(other, &moved).await.unwrap();
    assert_eq!(
        store
            .published_by_old_slug("en", "newest-name")
            .await
            .unwrap()
            .id,
        other
    );
    // Only published articles are answered.
    let mut hidden = renamed("old-name");
    hidden.status = ArticleStatus::Unpublished;
    store.update_article(id, &hidden).await.unwrap();
    assert!(matches!(
        store.published_by_old_slug("en", "new-name").await,
        Err(StoreError::NotFound)
    ));
}

async fn updates_and_corrections(store: &dyn Store) {
    let section = store
        .upsert_section(
            &slug("upd"),
            &Localized::default(),
            &Localized::default(),
            5,
        )
        .await
        .unwrap();
    let id = store
        .create_article(&article(
            "en",
            section,
            "to-correct",
            ArticleStatus::Published,
            6_000,
        ))
        .await
        .unwrap();
    assert_eq!(
        store.article(id).await.unwrap().updated_at,
        None,
        "new articles are not 'updated'"
    );
    let before = store.last_change().await.unwrap();
    let mut corrected = article("en", section, "to-correct", ArticleStatus::Published, 6_000);
    corrected.title = "Corrected title".into();
    corrected.seo = Seo {
        title: Some("Corrected for search".into()),
        description: Some("A corrected description".into()),
        image: Some(byline_core::Cover {
            url: "/media/lib/0123456789abcdef0123456789abcdef/1200.webp".into(),
            alt: "Card".into(),
            caption: String::new(),
            credit: String::new(),
            width: 1200,
            height: 630,
            srcset: String::new(),
            crops: None,
        }),
    };
    corrected.translation_group = Some(store.article(id).await.unwrap().translation_group);
    store.update_article(id, &corrected).await.unwrap();
    let a = store.article(id).await.unwrap();
    assert_eq!(a.title, "Corrected title");
    assert_eq!(a.seo, corrected.seo, "SEO fields are saved by updates too");
    assert!(
        a.updated_at.is_some(),
        "a correction to a published article is dated"
    );
    assert_eq!(
        a.published_at,
        Some(jiff::Timestamp::from_second(6_000).unwrap()),
        "publish time kept"
    );
    let change = &store.changes_since(before, 10).await.unwrap()[0];
    assert_eq!(
        (change.entity_id, change.action.as_str()),
        (id.0, "updated")
    );

    let mut hidden = corrected.clone();
    hidden.status = ArticleStatus::Unpublished;
    store.update_article(id, &hidden).await.unwrap();
    assert!(matches!(
        store.published_article("en", "to-correct").await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        store
            .changes_since(before, 10)
            .await
            .unwrap()
            .last()
            .unwrap()
            .action,
        "unpublished"
    );

    let mut clash = corrected.clone();
    clash.slug = slug("first");
    assert!(
        matches!(
            store.update_article(id, &clash).await,
            Err(StoreError::Conflict(_))
        ),
        "slug taken in the edition"
    );
    assert!(matches!(
        store.update_article(ArticleId(987_655), &corrected).await,
        Err(StoreError::NotFound)
    ));
}

async fn settings_round_trip(store: &dyn Store) {
    assert!(store.is_empty().await.unwrap(), "a new store is empty");
    assert_eq!(
        store.settings().await.unwrap(),
        SiteSettings::default(),
        "defaults before any save"
    );
    let mut s = SiteSettings {
        name: "Conformance Gazette".into(),
        ..SiteSettings::default()
    };
    s.social.insert("telegram".into(), "https://t.me/x".into());
    store.save_settings(&s).await.unwrap();
    assert_eq!(store.settings().await.unwrap(), s);
}

async fn taxonomy_upserts_by_slug(store: &dyn Store) {
    let name = Localized::from_pairs([("en", "World"), ("ru", "Мир")]);
    let a = store
        .upsert_section(&slug("world"), &name, &Localized::default(), 2)
        .await
        .unwrap();
    let renamed = Localized::from_pairs([("en", "The World")]);
    let b = store
        .upsert_section(&slug("world"), &renamed, &Localized::default(), 1)
        .await
        .unwrap();
    assert_eq!(a, b, "same slug, same section");
    let sections = store.sections().await.unwrap();
    assert_eq!(
        sections
            .iter()
            .filter(|s| s.slug.as_str() == "world")
            .count(),
        1
    );
    assert_eq!(
        sections.iter().find(|s| s.id == a).unwrap().name.get("en"),
        "The World"
    );
    let t = store
        .upsert_tag(&slug("energy"), &Localized::from_pairs([("en", "energy")]))
        .await
        .unwrap();
    assert_eq!(
        store
            .upsert_tag(&slug("energy"), &Localized::default())
            .await
            .unwrap(),
        t
    );
    let w = store
        .upsert_author(
            &slug("ann"),
            &Localized::from_pairs([("en", "Ann")]),
            &Localized::default(),
        )
        .await
        .unwrap();
    assert_eq!(
        store
            .authors()
            .await
            .unwrap()
            .iter()
            .find(|x| x.id == w)
            .unwrap()
            .name
            .get("en"),
        "Ann"
    );
}

async fn articles_lists_and_translations(store: &dyn Store) {
    let section = store
        .upsert_section(
            &slug("news"),
            &Localized::default(),
            &Localized::default(),
            0,
        )
        .await
        .unwrap();
    let tag = store
        .upsert_tag(&slug("water"), &Localized::default())
        .await
        .unwrap();
    let zed = store
        .upsert_author(&slug("zed"), &Localized::default(), &Localized::default())
        .await
        .unwrap();
    let amy = store
        .upsert_author(&slug("amy"), &Localized::default(), &Localized::default())
        .await
        .unwrap();
    let mut first = article("en", section, "first", ArticleStatus::Published, 1_000);
    first.tags = vec![tag];
    // Byline order is the writer's, not the ids' (amy came second, so her id is the
    // larger): a store that returned authors by id would put zed first.
    first.authors = vec![amy, zed];
    let first = store.create_article(&first).await.unwrap();
    let second = store
        .create_article(&article(
            "en",
            section,
            "second",
            ArticleStatus::Published,
            2_000,
        ))
        .await
        .unwrap();
    let draft = store
        .create_article(&article(
            "en",
            section,
            "draft",
            ArticleStatus::Draft,
            3_000,
        ))
        .await
        .unwrap();
    let mut ru = article("ru", section, "first", ArticleStatus::Published, 1_500);
    ru.translation_group = Some(store.article(first).await.unwrap().translation_group);
    let ru = store.create_article(&ru).await.unwrap();

    match store
        .create_article(&article("en", section, "first", ArticleStatus::Draft, 0))
        .await
    {
        Err(StoreError::Conflict(_)) => {}
        other => panic!("a taken slug must be a Conflict, got {other:?}"),
    }
    assert!(matches!(
        store.article(ArticleId(987_654)).await,
        Err(StoreError::NotFound)
    ));
    assert!(
        matches!(
            store.published_article("en", "draft").await,
            Err(StoreError::NotFound)
        ),
        "drafts are not published"
    );
    assert_eq!(
        store.published_article("en", "first").await.unwrap().tags,
        vec![tag]
    );

    let en = ArticleFilter {
        edition: Some("en".into()),
        ..Default::default()
    };
    let (page, total) = store
        .published_articles(&en, PageRequest::new(PageNumber::FIRST, 10))
        .await
        .unwrap();
    assert_eq!(total, 2);
    assert_eq!(
        page.iter().map(|a| a.id).collect::<Vec<_>>(),
        vec![second, first],
        "newest first"
    );
    let (page2, _) = store
        .published_articles(&en, PageRequest::new(PageNumber::new(2), 1))
        .await
        .unwrap();
    assert_eq!(page2.iter().map(|a| a.id).collect::<Vec<_>>(), vec![first]);
    let by_tag = ArticleFilter {
        tag: Some(tag),
        ..en.clone()
    };
    assert_eq!(
        store
            .published_articles(&by_tag, PageRequest::new(PageNumber::FIRST, 10))
            .await
            .unwrap()
            .1,
        1
    );
    let text = ArticleFilter {
        text: Some("SECOND".into()),
        ..en.clone()
    };
    assert_eq!(
        store
            .published_articles(&text, PageRequest::new(PageNumber::FIRST, 10))
            .await
            .unwrap()
            .1,
        1
    );
    let wildcard = ArticleFilter {
        text: Some("%".into()),
        ..en.clone()
    };
    assert_eq!(
        store
            .published_articles(&wildcard, PageRequest::new(PageNumber::FIRST, 10))
            .await
            .unwrap()
            .1,
        0,
        "no LIKE wildcards"
    );
    let excluded = ArticleFilter {
        exclude: Some(second),
        ..en
    };
    assert_eq!(
        store
            .published_articles(&excluded, PageRequest::new(PageNumber::FIRST, 10))
            .await
            .unwrap()
            .1,
        1
    );

    let group = store.article(first).await.unwrap().translation_group;
    let translations = store.translations(group).await.unwrap();
    assert_eq!(
        translations.iter().map(|t| t.id).collect::<Vec<_>>(),
        vec![first, ru]
    );
    assert_ne!(
        store.article(second).await.unwrap().translation_group,
        group
    );
    let (ru_article, with) = store
        .published_article_with_translations("ru", "first")
        .await
        .unwrap();
    assert_eq!(ru_article.id, ru);
    assert_eq!(with, translations, "the article page's read agrees");
    assert_eq!(ru_article.authors, Vec::<AuthorId>::new());
    let (en_article, _) = store
        .published_article_with_translations("en", "first")
        .await
        .unwrap();
    assert_eq!(en_article.authors, vec![amy, zed]);
    assert_eq!(en_article.tags, vec![tag]);
    assert_eq!(store.article(first).await.unwrap().authors, vec![amy, zed]);
    let (_, alone) = store
        .published_article_with_translations("en", "second")
        .await
        .unwrap();
    assert_eq!(alone.iter().map(|t| t.id).collect::<Vec<_>>(), vec![second]);
    assert!(matches!(
        store
            .published_article_with_translations("en", "draft")
            .await,
        Err(StoreError::NotFound)
    ));
    let en = ArticleFilter {
        edition: Some("en".into()),
        ..Default::default()
    };
    let ids = |list: Vec<ArticleSummary>| list.iter().map(|a| a.id).collect::<Vec<_>>();
    assert_eq!(
        ids(store.published_slice(&en, 0, 10).await.unwrap()),
        vec![second, first]
    );
    assert_eq!(
        ids(store.published_slice(&en, 1, 1).await.unwrap()),
        vec![first]
    );
    assert!(store.published_slice(&en, 2, 5).await.unwrap().is_empty());
    assert!(
        store
            .published_slice(&en, u64::MAX, 5)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        !store
            .published_view_counts(None, 1000)
            .await
            .unwrap()
            .iter()
            .any(|(id, _)| *id == draft)
    );
}

async fn views_add_up(store: &dyn Store) {
    let id = store.published_article("en", "second").await.unwrap().id;
    let before = store.article(id).await.unwrap().views;
    store
        .add_views(&[ViewDelta {
            article: id,
            day: "2026-11-26".into(),
            count: 5,
        }])
        .await
        .unwrap();
    store
        .add_views(&[ViewDelta {
            article: id,
            day: "2026-11-26".into(),
            count: 7,
        }])
        .await
        .unwrap();
    store.add_views(&[]).await.unwrap();
    assert_eq!(store.article(id).await.unwrap().views, before + 12);
    let counts = store.published_view_counts(None, 1000).await.unwrap();
    // Pages: newest first, each below the last id of the one before, none repeated.
    let mut paged = Vec::new();
    let mut below = None;
    loop {
        let page = store.published_view_counts(below, 1).await.unwrap();
        let Some(last) = page.last() else { break };
        below = Some(last.0);
        paged.extend(page);
    }
    assert_eq!(paged, counts);
    assert!(
        counts.len() >= 2,
        "the story has several published articles"
    );
    assert!(counts.windows(2).all(|w| w[0].0 > w[1].0), "newest first");
    assert_eq!(
        counts.iter().find(|(a, _)| *a == id).unwrap().1,
        before + 12
    );
    let since = jiff::Timestamp::from_second(0).unwrap();
    assert_eq!(
        store.most_read("en", since, 1).await.unwrap()[0].id,
        id,
        "most read first"
    );
    // The per-day counters behind the newsroom dashboard.
    let first = store.published_article("en", "first").await.unwrap().id;
    store
        .add_views(&[
            ViewDelta {
                article: first,
                day: "2026-11-20".into(),
                count: 100,
            },
            ViewDelta {
                article: first,
                day: "2026-11-25".into(),
                count: 3,
            },
        ])
        .await
        .unwrap();
    let since_25 = store.most_viewed_since("2026-11-25", 10).await.unwrap();
    assert_eq!(
        since_25
            .iter()
            .map(|r| (r.article, r.views))
            .collect::<Vec<_>>(),
        vec![(id, 12), (first, 3)]
    );
    assert_eq!(since_25[0].title, "Title second");
    assert_eq!(
        store.most_viewed_since("2026-11-01", 1).await.unwrap()[0].article,
        first,
        "older days count when asked for"
    );
    assert_eq!(
        store.views_per_day("2026-11-01").await.unwrap(),
        vec![
            ("2026-11-20".to_owned(), 100),
            ("2026-11-25".to_owned(), 3),
            ("2026-11-26".to_owned(), 12),
        ]
    );
    // Only published articles are listed: an unpublished one (whose title may now be
    // anything) is left out, and its views still count in the daily totals.
    store
        .set_article_status(first, ArticleStatus::Unpublished)
        .await
        .unwrap();
    assert_eq!(
        store
            .most_viewed_since("2026-11-01", 10)
            .await
            .unwrap()
            .iter()
            .map(|r| r.article)
            .collect::<Vec<_>>(),
        vec![id]
    );
    assert_eq!(
        store.views_per_day("2026-11-01").await.unwrap()[0],
        ("2026-11-20".to_owned(), 100)
    );
    store
        .set_article_status(first, ArticleStatus::Published)
        .await
        .unwrap();
}

async fn feeds_and_sitemaps_read_whole_articles(store: &dyn Store) {
    let section = store.sections().await.unwrap()[0].id;
    let author = store
        .upsert_author(&slug("ann"), &Localized::default(), &Localized::default())
        .await
        .unwrap();
    let tags = [
        store
            .upsert_tag(&slug("zeta"), &Localized::default())
            .await
            .unwrap(),
        store
            .upsert_tag(&slug("alpha"), &Localized::default())
            .await
            .unwrap(),
    ];
    // 40 days after the epoch: February 1970, a month of its own.
    let mut feb = article(
        "en",
        section,
        "february",
        ArticleStatus::Published,
        3_456_000,
    );
    feb.authors = vec![author];
    feb.tags = tags.to_vec();
    feb.seo = Seo {
        title: Some("Search title".into()),
        description: Some("Search description".into()),
        image: None,
    };
    let feb = store.create_article(&feb).await.unwrap();
    assert_eq!(
        store.article(feb).await.unwrap().seo.description.as_deref(),
        Some("Search description"),
        "SEO fields round-trip"
    );

    let en = ArticleFilter {
        edition: Some("en".into()),
        ..Default::default()
    };
    let recent = store.recent_articles(&en, 2).await.unwrap();
    assert_eq!(recent.len(), 2, "limit respected");
    assert_eq!(recent[0].id, feb, "newest first");
    assert_eq!(recent[0].authors, vec![author]);
    let mut sorted = tags.to_vec();
    sorted.sort();
    assert_eq!(recent[0].tags, sorted, "tags in id order, like `article`");
    assert_eq!(recent[0].seo.title.as_deref(), Some("Search title"));
    assert_eq!(recent[1].body_html, "<p>Body</p>", "whole articles");
    assert!(
        store
            .recent_articles(
                &ArticleFilter {
                    edition: Some("xx".into()),
                    ..Default::default()
                },
                5
            )
            .await
            .unwrap()
            .is_empty()
    );

    let months = store.sitemap_months().await.unwrap();
    let find = |ed: &str, m: i8| {
        months
            .iter()
            .find(|x| x.edition == ed && x.year == 1970 && x.month == m)
    };
    assert_eq!(
        find("en", 1),
        Some(&SitemapMonth {
            edition: "en".into(),
            year: 1970,
            month: 1,
            count: 2,
            lastmod: jiff::Timestamp::from_second(2_000).unwrap(),
        }),
        "drafts are not counted; lastmod is the newest publish time"
    );
    assert_eq!(find("en", 2).map(|m| m.count), Some(1));
    assert_eq!(find("ru", 1).map(|m| m.count), Some(1));

    let january = SitemapFilter {
        edition: Some("en".into()),
        from: jiff::Timestamp::from_second(0).unwrap(),
        until: jiff::Timestamp::from_second(31 * 86_400).unwrap(),
    };
    let entries = store.sitemap_entries(&january, 0, 10).await.unwrap();
    assert_eq!(
        entries.iter().map(|e| e.slug.as_str()).collect::<Vec<_>>(),
        vec!["second", "first"]
    );
    let first = &entries[1];
    assert_eq!(first.published_at.as_second(), 1_000);
    assert_eq!(
        first
            .translations
            .iter()
            .map(|t| t.edition.as_str())
            .collect::<Vec<_>>(),
        vec!["en", "ru"],
        "every published edition of the story, itself included"
    );
    assert_eq!(entries[0].translations.len(), 1);
    let paged = store.sitemap_entries(&january, 1, 10).await.unwrap();
    assert_eq!(paged.len(), 1, "offset respected");
    let everywhere = SitemapFilter {
        edition: None,
        ..january
    };
    assert_eq!(
        store
            .sitemap_entries(&everywhere, 0, 10)
            .await
            .unwrap()
            .len(),
        3
    );
}

async fn every_write_is_in_the_change_feed(store: &dyn Store) {
    let before = store.last_change().await.unwrap();
    let section = store
        .upsert_section(
            &slug("feed"),
            &Localized::default(),
            &Localized::default(),
            9,
        )
        .await
        .unwrap();
    let id = store
        .create_article(&article(
            "hy",
            section,
            "feed-check",
            ArticleStatus::Published,
            5_000,
        ))
        .await
        .unwrap();
    let changes = store.changes_since(before, 100).await.unwrap();
    assert_eq!(changes.len(), 2);
    assert!(
        changes.windows(2).all(|w| w[0].seq < w[1].seq),
        "sequence increases"
    );
    assert_eq!(
        (changes[0].kind, changes[0].entity_id),
        (ChangeKind::Section, section.0)
    );
    assert_eq!(
        (
            changes[1].kind,
            changes[1].entity_id,
            changes[1].action.as_str()
        ),
        (ChangeKind::Article, id.0, "published")
    );
    assert_eq!(store.last_change().await.unwrap(), changes[1].seq);
    assert!(
        store
            .changes_since(changes[1].seq, 100)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store.changes_since(before, 1).await.unwrap().len(),
        1,
        "limit respected"
    );
}

async fn status_changes_are_in_the_change_feed(store: &dyn Store) {
    let section = store
        .upsert_section(
            &slug("status"),
            &Localized::default(),
            &Localized::default(),
            10,
        )
        .await
        .unwrap();
    let draft = store
        .create_article(&article(
            "en",
            section,
            "status-check",
            ArticleStatus::Draft,
            6_000,
        ))
        .await
        .unwrap();
    let before = store.last_change().await.unwrap();
    store
        .set_article_status(draft, ArticleStatus::Published)
        .await
        .unwrap();
    assert!(store.published_article("en", "status-check").await.is_ok());
    store
        .set_article_status(draft, ArticleStatus::Unpublished)
        .await
        .unwrap();
    assert!(
        matches!(
            store.published_article("en", "status-check").await,
            Err(StoreError::NotFound)
        ),
        "unpublished articles are gone for readers"
    );
    store
        .set_article_status(draft, ArticleStatus::Draft)
        .await
        .unwrap();
    let actions: Vec<(i64, String)> = store
        .changes_since(before, 100)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.entity_id, c.action))
        .collect();
    assert_eq!(
        actions,
        vec![
            (draft.0, "published".to_owned()),
            (draft.0, "unpublished".to_owned()),
            (draft.0, "updated".to_owned())
        ]
    );
    assert!(matches!(
        store
            .set_article_status(ArticleId(987_654), ArticleStatus::Published)
            .await,
        Err(StoreError::NotFound)
    ));
}

async fn bulk_create_and_scans_for_the_search_index(store: &dyn Store) {
    let section = store
        .upsert_section(
            &slug("bulk"),
            &Localized::default(),
            &Localized::default(),
            11,
        )
        .await
        .unwrap();
    let tag = store
        .upsert_tag(&slug("bulk-tag"), &Localized::default())
        .await
        .unwrap();
    let before = store.last_change().await.unwrap();
    let mut batch: Vec<NewArticle> = (0..5)
        .map(|i| {
            let mut a = article(
                "ru",
                section,
                &format!("bulk-{i}"),
                ArticleStatus::Published,
                7_000 + i,
            );
            a.tags = vec![tag];
            a
        })
        .collect();
    batch[4].status = ArticleStatus::Draft;
    let ids = store.create_articles(&batch).await.unwrap();
    assert_eq!(ids.len(), 5);
    assert_eq!(store.changes_since(before, 100).await.unwrap().len(), 5);
    let mut clash = batch[0].clone();
    clash.slug = slug("bulk-new");
    let taken = batch[1].clone();
    assert!(
        store.create_articles(&[clash, taken]).await.is_err(),
        "a taken slug fails the whole batch"
    );
    assert!(
        store.published_article("ru", "bulk-new").await.is_err(),
        "all or none"
    );

    let summaries = store
        .published_summaries(&[ids[0], ids[4], ids[2], ArticleId(987_654)])
        .await
        .unwrap();
    let mut found: Vec<ArticleId> = summaries.iter().map(|s| s.id).collect();
    found.sort();
    assert_eq!(found, vec![ids[0], ids[2]], "published ones only");

    let mut scanned = Vec::new();
    let mut after = ArticleId(0);
    loop {
        let page = store.published_after(after, 2).await.unwrap();
        let Some(last) = page.last() else { break };
        after = last.id;
        scanned.extend(page);
    }
    assert!(scanned.windows(2).all(|w| w[0].id < w[1].id), "by id");
    assert!(scanned.iter().all(|a| a.status == ArticleStatus::Published));
    let bulk: Vec<_> = scanned.iter().filter(|a| a.section == section).collect();
    assert_eq!(bulk.len(), 4);
    assert!(bulk.iter().all(|a| a.tags == vec![tag]), "with their tags");
    let total_published = store
        .published_articles(
            &ArticleFilter::default(),
            PageRequest::new(PageNumber::FIRST, 1),
        )
        .await
        .unwrap()
        .1;
    assert_eq!(
        scanned.len() as u64,
        total_published,
        "every published article"
    );
}

/// The media library's rows: round trip, listing newest first, text edits.
async fn media_library_round_trip(store: &dyn Store) {
    let new = NewMedia {
        storage_key: "0123456789abcdef0123456789abcdef".into(),
        file_name: "Гавань на рассвете.JPG".into(),
        mime: "image/jpeg".into(),
        width: 4000,
        height: 2250,
        bytes: 3_500_000,
        alt: "Boats in a harbour".into(),
        caption: "Dawn in Gyumri — «caption»".into(),
        credit: "Photo: Meridian".into(),
        variants: vec![
            MediaVariant {
                name: "320.webp".into(),
                width: 320,
                height: 180,
                bytes: 9_000,
            },
            MediaVariant {
                name: "1600.webp".into(),
                width: 1600,
                height: 900,
                bytes: 130_000,
            },
        ],
        uploaded_by: None,
    };
    let before = jiff::Timestamp::now().as_second();
    let first = store.create_media(&new).await.unwrap();
    let second = store
        .create_media(&NewMedia {
            alt: "The same file, in other words".into(),
            uploaded_by: Some(7),
            ..new.clone()
        })
        .await
        .unwrap();
    assert_ne!(first, second, "one file may be in the library twice");
    let got = store.media(first).await.unwrap();
    assert_eq!(got, MediaItem::from_new(first, new.clone(), got.created_at));
    assert!(got.created_at.as_second() >= before - 1);
    assert_eq!(store.media(second).await.unwrap().uploaded_by, Some(7));
    assert!(matches!(
        store.media(MediaId(999_999)).await,
        Err(StoreError::NotFound)
    ));

    let (page, total) = store
        .media_list(&[], PageRequest::new(PageNumber::FIRST, 1))
        .await
        .unwrap();
    assert_eq!(total, 2);
    assert_eq!(page.len(), 1);
    assert_eq!(page[0].id, second, "newest first");
    let (page, _) = store
        .media_list(&[], PageRequest::new(PageNumber::new(2), 1))
        .await
        .unwrap();
    assert_eq!(page[0].id, first);

    assert_eq!(
        got.focal,
        Focal::MIDDLE,
        "the middle until an editor moves it"
    );
    let focal = Focal::new(20, 85).unwrap();
    store
        .update_media(first, "New alt", "New caption", "", focal)
        .await
        .unwrap();
    let got = store.media(first).await.unwrap();
    assert_eq!(
        (got.alt.as_str(), got.caption.as_str(), got.credit.as_str()),
        ("New alt", "New caption", "")
    );
    assert_eq!(got.focal, focal);
    assert_eq!(
        got.variants, new.variants,
        "text edits leave the files alone"
    );
    assert!(matches!(
        store
            .update_media(MediaId(999_999), "", "", "", Focal::MIDDLE)
            .await,
        Err(StoreError::NotFound)
    ));
}

/// The library's search (every word, any case, Cyrillic too), where each picture is
/// used (body, cover, social image, static page; deleted articles too), and deletion
/// refused while anything shows it.
async fn media_where_used_search_and_delete(store: &dyn Store) {
    let picture = |key: &str, file_name: &str, alt: &str| NewMedia {
        storage_key: key.into(),
        file_name: file_name.into(),
        mime: "image/png".into(),
        width: 800,
        height: 600,
        bytes: 1000,
        alt: alt.into(),
        caption: String::new(),
        credit: "Фото: Редакция 50%".into(),
        variants: vec![],
        uploaded_by: None,
    };
    let body_pic = store
        .create_media(&picture("aaaa1111", "quay.png", "Рыбаки на ПРИЧАЛЕ"))
        .await
        .unwrap();
    let cover_pic = store
        .create_media(&picture("bbbb2222", "Market.PNG", "A market"))
        .await
        .unwrap();
    let page_pic = store
        .create_media(&picture("cccc3333", "map.png", "A map"))
        .await
        .unwrap();
    let spare = store
        .create_media(&picture("cccc3333", "map-again.png", "The same map"))
        .await
        .unwrap();
    let words = |w: &[&str]| w.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let page = PageRequest::new(PageNumber::FIRST, 50);
    let found = |w: &'static [&'static str]| async move {
        let (items, total) = store.media_list(&words(w), page).await.unwrap();
        assert_eq!(items.len() as u64, total);
        items.into_iter().map(|i| i.id).collect::<Vec<_>>()
    };
    assert_eq!(found(&["причале"]).await, vec![body_pic], "Cyrillic folds");
    assert_eq!(found(&["market.png"]).await, vec![cover_pic], "file name");
    assert_eq!(found(&["map", "same"]).await, vec![spare], "every word");
    assert_eq!(found(&["50%"]).await.len(), 4, "credit, % taken literally");
    assert!(found(&["5_%"]).await.is_empty(), "_ taken literally");

    let section = store
        .upsert_section(
            &slug("pictures-desk"),
            &Localized::default(),
            &Localized::default(),
            31,
        )
        .await
        .unwrap();
    let mut story = article("en", section, "with-pictures", ArticleStatus::Draft, 0);
    story.media = vec![body_pic];
    story.cover = Some(Cover {
        url: "/media/lib/bbbb2222/640.webp".into(),
        alt: "A market".into(),
        caption: String::new(),
        credit: String::new(),
        width: 640,
        height: 480,
        srcset: String::new(),
        crops: None,
    });
    let id = store.create_article(&story).await.unwrap();
    let used_by = |m: MediaId| async move { store.media_usage(m).await.unwrap() };
    let as_article = MediaUse::Article {
        id,
        title: "Title with-pictures".into(),
        edition: "en".into(),
        status: ArticleStatus::Draft,
    };
    assert_eq!(used_by(body_pic).await, vec![as_article.clone()]);
    assert_eq!(used_by(cover_pic).await, vec![as_article.clone()]);
    assert!(used_by(page_pic).await.is_empty());
    for used in [body_pic, cover_pic] {
        assert!(matches!(
            store.delete_media(used).await,
            Err(StoreError::Conflict(_))
        ));
    }

    // The cover goes, the social image takes the market: usage follows every save.
    story.cover = None;
    story.media = vec![];
    story.seo.image = Some(Cover {
        url: "/media/lib/bbbb2222/1200.webp".into(),
        alt: String::new(),
        caption: String::new(),
        credit: String::new(),
        width: 1200,
        height: 900,
        srcset: String::new(),
        crops: None,
    });
    store.update_article(id, &story).await.unwrap();
    assert!(used_by(body_pic).await.is_empty());
    assert_eq!(used_by(cover_pic).await.len(), 1);

    // A deleted article can come back: it still holds its pictures.
    store.soft_delete_article(id).await.unwrap();
    let uses = used_by(cover_pic).await;
    assert!(
        matches!(
            &uses[..],
            [MediaUse::Article {
                status: ArticleStatus::Deleted,
                ..
            }]
        ),
        "{uses:?}"
    );
    store.restore_article(id).await.unwrap();

    let where_page = store
        .create_page(
            &NewPage {
                body_markdown: format!("Where we are: ![A map](media:{page_pic} \"map\")"),
                ..static_page("en", "where", None)
            },
            jiff::Timestamp::UNIX_EPOCH,
        )
        .await
        .unwrap();
    assert!(matches!(
        &store.media_usage(page_pic).await.unwrap()[..],
        [MediaUse::Page { .. }]
    ));
    assert!(matches!(
        store.delete_media(page_pic).await,
        Err(StoreError::Conflict(_))
    ));
    store.delete_page(where_page).await.unwrap();
    assert_eq!(
        store.delete_media(page_pic).await.unwrap(),
        None,
        "map-again.png keeps the files"
    );

    // Unused: it goes; its files stay while another row shares them.
    assert_eq!(
        store.delete_media(body_pic).await.unwrap(),
        Some("aaaa1111".into())
    );
    assert!(matches!(
        store.media(body_pic).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        store.delete_media(spare).await.unwrap(),
        Some("cccc3333".into())
    );
    assert!(matches!(
        store.delete_media(MediaId(999_999)).await,
        Err(StoreError::NotFound)
    ));
}

/// Pictures whose files are still to be made: queued once per key, oldest first, and
/// finished into every row sharing the key (or dropped, the rows untouched).
async fn unprocessed_media_queue(store: &dyn Store) {
    let planned = |key: &str, name: &str| NewMedia {
        storage_key: key.into(),
        file_name: name.into(),
        mime: "image/jpeg".into(),
        width: 1200,
        height: 800,
        bytes: 0,
        alt: String::new(),
        caption: String::new(),
        credit: String::new(),
        variants: vec![MediaVariant {
            name: "1200.webp".into(),
            width: 1200,
            height: 800,
            bytes: 0,
        }],
        uploaded_by: None,
    };
    let (a, b) = (
        "aaaa0000aaaa0000aaaa0000aaaa0000",
        "bbbb0000bbbb0000bbbb0000bbbb0000",
    );
    let first = store
        .create_unprocessed_media(&planned(a, "a.jpg"))
        .await
        .unwrap();
    let twin = store
        .create_unprocessed_media(&planned(a, "a-again.jpg"))
        .await
        .unwrap();
    let other = store
        .create_unprocessed_media(&planned(b, "b.jpg"))
        .await
        .unwrap();
    assert_eq!(
        store.unprocessed_media(10).await.unwrap(),
        vec![a, b],
        "one line per key"
    );
    assert_eq!(store.unprocessed_media(1).await.unwrap(), vec![a]);

    // Claims: oldest first, one holder at a time, lapsed claims taken over.
    let t = |s: i64| jiff::Timestamp::from_second(s).unwrap();
    let now = jiff::Timestamp::now().as_second();
    let claim = |at: i64| store.claim_unprocessed_media(t(at), t(at + 600));
    assert_eq!(claim(now).await.unwrap().as_deref(), Some(a));
    assert_eq!(claim(now).await.unwrap().as_deref(), Some(b), "a is held");
    assert_eq!(claim(now + 1).await.unwrap(), None, "both held");
    assert_eq!(
        claim(now + 601).await.unwrap().as_deref(),
        Some(a),
        "a lapsed claim is taken over"
    );
    assert_eq!(
        store.unprocessed_media(10).await.unwrap(),
        vec![a, b],
        "claimed keys stay queued until finished"
    );

    let made = [MediaVariant {
        name: "1200.webp".into(),
        width: 1200,
        height: 800,
        bytes: 61_000,
    }];
    store
        .finish_unprocessed_media(a, Some((180_000, &made)))
        .await
        .unwrap();
    for id in [first, twin] {
        let got = store.media(id).await.unwrap();
        assert_eq!(
            (got.bytes, got.variants.as_slice()),
            (180_000, made.as_slice())
        );
    }
    assert_eq!(store.unprocessed_media(10).await.unwrap(), vec![b]);
    store.finish_unprocessed_media(b, None).await.unwrap();
    assert_eq!(
        store.media(other).await.unwrap().bytes,
        0,
        "a failure keeps the row"
    );
    assert!(store.unprocessed_media(10).await.unwrap().is_empty());
    // Finishing twice (two nodes raced) is harmless.
    store.finish_unprocessed_media(b, None).await.unwrap();
}

fn new_user(email: &str, role: byline_core::Role) -> byline_core::NewUser {
    byline_core::NewUser {
        email: email.into(),
        display_name: format!("User {email}"),
        role,
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
    }
}

async fn accounts_sessions_and_audit(store: &dyn Store) {
    use byline_core::{NewAuditEntry, Role, Session};
    let t = |s: i64| jiff::Timestamp::from_second(s).unwrap();
    assert_eq!(store.active_admins().await.unwrap(), 0);
    let ann = store
        .create_user(&new_user("Ann@Example.org", Role::Admin))
        .await
        .unwrap();
    assert!(
        matches!(
            store
                .create_user(&new_user(" ann@EXAMPLE.org ", Role::Author))
                .await,
            Err(StoreError::Conflict(_))
        ),
        "e-mails are unique ignoring case and surrounding space"
    );
    let bob = store
        .create_user(&new_user("bob@example.org", Role::Contributor))
        .await
        .unwrap();
    assert_eq!(store.active_admins().await.unwrap(), 1);
    let found = store.credentials("ANN@example.org").await.unwrap();
    assert_eq!(found.user.id, ann);
    assert_eq!(found.user.email, "Ann@Example.org", "kept as typed");
    assert!(found.password_hash.starts_with("$argon2id$"));
    assert!(matches!(
        store.credentials("nobody@example.org").await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(store.users().await.unwrap().len(), 2);

    store.set_user_role(bob, Role::Editor).await.unwrap();
    assert_eq!(store.user(bob).await.unwrap().role, Role::Editor);
    assert!(matches!(
        store
            .set_user_role(byline_core::UserId(9_999), Role::Admin)
            .await,
        Err(StoreError::NotFound)
    ));

    let session = |token: &str, user, expires| Session {
        token_hash: token.into(),
        user,
        created_at: t(1_000),
        expires_at: t(expires),
        last_seen_at: t(1_000),
    };
    store
        .create_session(&session("s-bob-1", bob, 5_000))
        .await
        .unwrap();
    store
        .create_session(&session("s-bob-2", bob, 5_000))
        .await
        .unwrap();
    store
        .create_session(&session("s-ann", ann, 5_000))
        .await
        .unwrap();
    let (s, u) = store.session("s-bob-1", t(2_000)).await.unwrap();
    assert_eq!((s.user, u.id, u.role), (bob, bob, Role::Editor));
    assert!(
        matches!(
            store.session("s-bob-1", t(5_000)).await,
            Err(StoreError::NotFound)
        ),
        "expired sessions are not found"
    );
    store.touch_session("s-bob-1", t(3_000)).await.unwrap();
    assert_eq!(
        store
            .session("s-bob-1", t(3_001))
            .await
            .unwrap()
            .0
            .last_seen_at,
        t(3_000)
    );
    store.delete_session("s-bob-2").await.unwrap();
    assert!(
        store.session("s-bob-2", t(2_000)).await.is_err(),
        "logged out"
    );

    store
        .set_password_hash(ann, "$argon2id$new", Some("s-ann"))
        .await
        .unwrap();
    store
        .create_session(&session("s-ann-2", ann, 5_000))
        .await
        .unwrap();
    store
        .set_password_hash(ann, "$argon2id$newer", Some("s-ann-2"))
        .await
        .unwrap();
    assert!(
        store.session("s-ann", t(2_000)).await.is_err(),
        "other sessions end"
    );
    assert!(
        store.session("s-ann-2", t(2_000)).await.is_ok(),
        "the changing one stays"
    );
    assert_eq!(
        store
            .credentials("ann@example.org")
            .await
            .unwrap()
            .password_hash,
        "$argon2id$newer"
    );

    store.set_user_disabled(bob, true).await.unwrap();
    assert!(
        store.session("s-bob-1", t(2_000)).await.is_err(),
        "disabling ends sessions at once"
    );
    store
        .create_session(&session("s-bob-3", bob, 5_000))
        .await
        .unwrap();
    assert!(
        store.session("s-bob-3", t(2_000)).await.is_err(),
        "a disabled account has no live session"
    );
    assert!(store.user(bob).await.unwrap().disabled);
    store.set_user_disabled(bob, false).await.unwrap();
    assert!(!store.user(bob).await.unwrap().disabled);

    for (i, action) in ["created", "published"].into_iter().enumerate() {
        store
            .append_audit(&NewAuditEntry {
                actor: if i == 0 { Some(ann) } else { None },
                actor_email: "Ann@Example.org".into(),
                action: action.into(),
                entity_kind: "article".into(),
                entity_id: 7,
                summary: format!("{action} \"A\""),
            })
            .await
            .unwrap();
    }
    let log = store.audit_log(None, 10).await.unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].action, "published", "newest first");
    assert_eq!(log[0].actor, None);
    assert_eq!(log[1].actor, Some(ann));
    let older = store.audit_log(Some(log[0].id), 10).await.unwrap();
    assert_eq!(older.len(), 1);
    assert_eq!(older[0].id, log[1].id);
}

/// Internal notes: kept per article, oldest first, with their author's name; a note on
/// no article is refused.
/// The desk: an assignment per article (its writer counts as an owner for the list and
/// the permissions), notifications newest first with unread counts, presence within a
/// window.
async fn assignments_notifications_and_presence(store: &dyn Store) {
    use byline_core::{Assignment, NewNotice, NoticeKind, Role};
    let at = |s: i64| jiff::Timestamp::from_second(s).unwrap();
    let section = store
        .upsert_section(
            &slug("desk-desk"),
            &Localized::default(),
            &Localized::default(),
            32,
        )
        .await
        .unwrap();
    let owner = store
        .create_user(&new_user("desk-owner@example.org", Role::Author))
        .await
        .unwrap();
    let writer = store
        .create_user(&new_user("desk-writer@example.org", Role::Contributor))
        .await
        .unwrap();
    let editor = store
        .create_user(&new_user("desk-editor@example.org", Role::Editor))
        .await
        .unwrap();
    let OwnedCreate::Created { id: a, .. } = store
        .create_owned_article(
            &article("en", section, "assigned-one", ArticleStatus::Draft, 0),
            owner,
            &audit_line(owner),
            None,
        )
        .await
        .unwrap()
    else {
        panic!("a create without a key always creates")
    };
    assert_eq!(store.assignment(a).await.unwrap(), Assignment::default());
    let both = Assignment {
        writer: Some(writer),
        editor: Some(editor),
    };
    store.set_assignment(a, both).await.unwrap();
    assert_eq!(store.assignment(a).await.unwrap(), both);
    let meta = store.article_meta(a).await.unwrap();
    assert_eq!((meta.owner, meta.writer), (Some(owner), Some(writer)));
    let theirs = store
        .newsroom_articles(&crate::NewsroomFilter {
            owner: Some(writer),
            limit: 50,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        theirs.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![a],
        "the assigned writer's list has it"
    );
    let only_editor = Assignment {
        writer: None,
        editor: Some(editor),
    };
    store.set_assignment(a, only_editor).await.unwrap();
    assert_eq!(store.assignment(a).await.unwrap(), only_editor);
    assert!(matches!(
        store.set_assignment(ArticleId(999_999), both).await,
        Err(StoreError::NotFound)
    ));

    let notice = |kind, actor| NewNotice {
        recipient: writer,
        article: a,
        kind,
        actor,
    };
    store
        .notify(
            &[
                notice(NoticeKind::Assigned, Some(editor)),
                notice(NoticeKind::Returned, Some(editor)),
            ],
            at(100),
        )
        .await
        .unwrap();
    store
        .notify(&[notice(NoticeKind::Published, None)], at(200))
        .await
        .unwrap();
    let list = store.notifications(writer, 10).await.unwrap();
    assert_eq!(
        list.iter().map(|n| n.kind).collect::<Vec<_>>(),
        [
            NoticeKind::Published,
            NoticeKind::Returned,
            NoticeKind::Assigned
        ],
        "newest first"
    );
    assert_eq!(list[0].actor_name, "", "the scheduler has no name");
    assert_eq!(list[1].article_title, "Title assigned-one");
    assert_eq!(store.unread_notifications(writer).await.unwrap(), 3);
    assert_eq!(store.unread_notifications(editor).await.unwrap(), 0);
    store
        .mark_notifications_read(writer, list[1].id, at(300))
        .await
        .unwrap();
    assert_eq!(store.unread_notifications(writer).await.unwrap(), 1);
    let list = store.notifications(writer, 10).await.unwrap();
    assert_eq!(
        list.iter().map(|n| n.read).collect::<Vec<_>>(),
        [false, true, true]
    );
    assert_eq!(store.notifications(writer, 1).await.unwrap().len(), 1);

    // Presence: each sees the others seen since the window's start, never themselves.
    assert!(
        store
            .touch_presence(a, writer, at(1_000), at(985))
            .await
            .unwrap()
            .is_empty()
    );
    let seen = store
        .touch_presence(a, editor, at(1_005), at(990))
        .await
        .unwrap();
    assert_eq!(seen.iter().map(|p| p.user).collect::<Vec<_>>(), [writer]);
    let later = store
        .touch_presence(a, editor, at(1_030), at(1_015))
        .await
        .unwrap();
    assert!(later.is_empty(), "the writer left: not seen since 1,000");
    assert!(matches!(
        store
            .touch_presence(ArticleId(999_999), editor, at(1), at(0))
            .await,
        Err(StoreError::NotFound)
    ));
}

async fn notes_belong_to_their_article(store: &dyn Store) {
    use byline_core::Role;
    let section = store
        .upsert_section(
            &slug("notes-desk"),
            &Localized::default(),
            &Localized::default(),
            30,
        )
        .await
        .unwrap();
    let author = store
        .create_user(&new_user("notes@example.org", Role::Editor))
        .await
        .unwrap();
    let a = store
        .create_article(&article(
            "en",
            section,
            "noted-one",
            ArticleStatus::Draft,
            0,
        ))
        .await
        .unwrap();
    let b = store
        .create_article(&article(
            "en",
            section,
            "noted-two",
            ArticleStatus::Draft,
            0,
        ))
        .await
        .unwrap();
    let at = jiff::Timestamp::from_second(1_800_000_000).unwrap();
    let first = store
        .add_note(a, author, "Check the figures", at)
        .await
        .unwrap();
    let second = store
        .add_note(a, author, "Figures checked\nsecond line", at)
        .await
        .unwrap();
    assert!(second > first);
    let notes = store.notes(a).await.unwrap();
    assert_eq!(
        notes.iter().map(|n| n.body.as_str()).collect::<Vec<_>>(),
        ["Check the figures", "Figures checked\nsecond line"]
    );
    assert_eq!(notes[0].author, Some(author));
    assert_eq!(notes[0].author_name, "User notes@example.org");
    assert_eq!(notes[0].created_at, at);
    assert!(store.notes(b).await.unwrap().is_empty());
    assert!(matches!(
        store
            .add_note(ArticleId(i64::MAX), author, "Nowhere", at)
            .await,
        Err(StoreError::NotFound)
    ));
}

/// The newsroom list's filters, both sorts, counts per status and the scan for its
/// search index, on articles of an edition no other check uses ("nl").
async fn newsroom_list_filters_sorts_and_counts(store: &dyn Store) {
    use crate::{NewsroomFilter, NewsroomSort};
    let (one, two) = (
        store
            .upsert_section(
                &slug("nl-one"),
                &Localized::default(),
                &Localized::default(),
                20,
            )
            .await
            .unwrap(),
        store
            .upsert_section(
                &slug("nl-two"),
                &Localized::default(),
                &Localized::default(),
                21,
            )
            .await
            .unwrap(),
    );
    let author = store
        .upsert_author(
            &slug("nl-writer"),
            &Localized::default(),
            &Localized::default(),
        )
        .await
        .unwrap();
    let tag = store
        .upsert_tag(&slug("nl-tag"), &Localized::default())
        .await
        .unwrap();
    let mut first = article("nl", one, "nl-first", ArticleStatus::Published, 1000);
    first.authors = vec![author];
    first.tags = vec![tag];
    let mut draft = article("nl", two, "nl-draft", ArticleStatus::Draft, 0);
    draft.published_at = None;
    let later = article("nl", one, "nl-later", ArticleStatus::Published, 2000);
    let gone = article("nl", one, "nl-gone", ArticleStatus::Draft, 0);
    let mut ids = Vec::new();
    for a in [&first, &draft, &later, &gone] {
        ids.push(store.create_article(a).await.unwrap());
    }
    let [first_id, draft_id, later_id, gone_id] = ids[..] else {
        unreachable!()
    };
    store.soft_delete_article(gone_id).await.unwrap();
    // Edited a second later than the others: first in the "updated" order although the
    // oldest by id.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let mut edited = first.clone();
    edited.title = "Title nl-first, corrected".into();
    store.update_article(first_id, &edited).await.unwrap();

    let base = NewsroomFilter {
        edition: Some("nl".into()),
        limit: 50,
        ..Default::default()
    };
    let listed = |f: NewsroomFilter| async move {
        store
            .newsroom_articles(&f)
            .await
            .unwrap()
            .into_iter()
            .map(|a| a.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(listed(base.clone()).await, [first_id, later_id, draft_id]);
    let rows = store.newsroom_articles(&base).await.unwrap();
    assert!(rows[0].edited_at > rows[2].edited_at, "{rows:?}");
    assert_eq!(rows[0].authors, [author]);
    assert_eq!(rows[1].section, one);
    let by_published = NewsroomFilter {
        sort: NewsroomSort::Published,
        ..base.clone()
    };
    assert_eq!(
        listed(by_published.clone()).await,
        [later_id, first_id, draft_id],
        "newest publish time first, never published last"
    );
    for (filter, expected) in [
        (
            NewsroomFilter {
                section: Some(one),
                ..base.clone()
            },
            vec![first_id, later_id],
        ),
        (
            NewsroomFilter {
                author: Some(author),
                ..base.clone()
            },
            vec![first_id],
        ),
        (
            NewsroomFilter {
                tag: Some(tag),
                ..base.clone()
            },
            vec![first_id],
        ),
        (
            NewsroomFilter {
                ids: Some(vec![draft_id, later_id, gone_id]),
                ..base.clone()
            },
            vec![later_id, draft_id],
        ),
        (
            NewsroomFilter {
                ids: Some(vec![]),
                ..base.clone()
            },
            vec![],
        ),
        (
            NewsroomFilter {
                from: Some(jiff::Timestamp::from_second(1500).unwrap()),
                ..by_published.clone()
            },
            vec![later_id],
        ),
        (
            NewsroomFilter {
                until: Some(jiff::Timestamp::from_second(1500).unwrap()),
                ..by_published.clone()
            },
            vec![first_id],
        ),
        (
            NewsroomFilter {
                status: Some(ArticleStatus::Deleted),
                ..base.clone()
            },
            vec![gone_id],
        ),
        (
            NewsroomFilter {
                offset: 1,
                limit: 1,
                ..base.clone()
            },
            vec![later_id],
        ),
    ] {
        assert_eq!(listed(filter.clone()).await, expected, "{filter:?}");
    }

    // Counts per status leave the status filter out, and deleted ones unless asked.
    let counts = store
        .newsroom_counts(&NewsroomFilter {
            status: Some(ArticleStatus::Draft),
            ..base.clone()
        })
        .await
        .unwrap();
    assert_eq!(
        counts,
        [(ArticleStatus::Draft, 1), (ArticleStatus::Published, 2)]
    );
    let with_deleted = store
        .newsroom_counts(&NewsroomFilter {
            include_deleted: true,
            ..base.clone()
        })
        .await
        .unwrap();
    assert_eq!(
        with_deleted,
        [
            (ArticleStatus::Draft, 1),
            (ArticleStatus::Published, 2),
            (ArticleStatus::Deleted, 1)
        ]
    );

    // The newsroom index's scan: every status but deleted.
    let scanned: Vec<ArticleId> = store
        .working_after(ArticleId(first_id.0 - 1), 1000)
        .await
        .unwrap()
        .into_iter()
        .filter(|a| a.edition == "nl")
        .map(|a| a.id)
        .collect();
    assert_eq!(scanned, [first_id, draft_id, later_id]);
}

async fn newsroom_article_lifecycle(store: &dyn Store) {
    use crate::{NewsroomFilter, RevisionSave};
    use byline_core::Role;
    let section = store
        .upsert_section(
            &slug("newsroom-desk"),
            &Localized::default(),
            &Localized::default(),
            9,
        )
        .await
        .unwrap();
    let owner = store
        .create_user(&new_user("writer@example.org", Role::Author))
        .await
        .unwrap();
    let mut draft = article("en", section, "nr-draft", ArticleStatus::Draft, 0);
    draft.published_at = None;
    let OwnedCreate::Created {
        id,
        revision: first,
    } = store
        .create_owned_article(&draft, owner, &audit_line(owner), None)
        .await
        .unwrap()
    else {
        panic!("a create without a key always creates")
    };
    let meta = store.article_meta(id).await.unwrap();
    assert_eq!(
        (meta.owner, meta.revision, meta.deleted_from),
        (Some(owner), first, None)
    );
    let demo = store
        .create_article(&article(
            "en",
            section,
            "nr-unowned",
            ArticleStatus::Draft,
            0,
        ))
        .await
        .unwrap();
    assert_eq!(store.article_meta(demo).await.unwrap().owner, None);
    assert_eq!(store.article_meta(demo).await.unwrap().revision, 0);

    // A save based on the newest revision applies; one based on an older one is kept
    // but not applied.
    let mut second = draft.clone();
    second.title = "Second title".into();
    let RevisionSave::Saved { revision: r2 } = store
        .save_article_revision(id, first, &second, owner)
        .await
        .unwrap()
    else {
        panic!("a current save applies")
    };
    let mut stale = draft.clone();
    stale.body_markdown = "Typed on a stale form".into();
    let outcome = store
        .save_article_revision(id, first, &stale, owner)
        .await
        .unwrap();
    let RevisionSave::Stale { kept, current } = outcome else {
        panic!("a stale save is refused, got {outcome:?}")
    };
    assert_eq!(current, r2);
    let a = store.article(id).await.unwrap();
    assert_eq!(a.title, "Second title");
    assert_eq!(a.body_markdown, "Body", "the refused text is not applied");
    let refused = store.revision(kept).await.unwrap();
    assert!(!refused.accepted);
    assert_eq!(refused.body_markdown, "Typed on a stale form");
    assert_eq!(refused.based_on, first);
    let all = store.revisions(id).await.unwrap();
    assert_eq!(
        all.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![kept, r2, first]
    );

    // Scheduling, then publishing what is due, exactly once.
    let before = store.last_change().await.unwrap();
    let at = jiff::Timestamp::from_second(10_000).unwrap();
    store.schedule_article(id, at).await.unwrap();
    let a = store.article(id).await.unwrap();
    assert_eq!(
        (a.status, a.published_at),
        (ArticleStatus::Scheduled, Some(at))
    );
    assert!(
        store
            .publish_due(jiff::Timestamp::from_second(9_999).unwrap())
            .await
            .unwrap()
            .is_empty()
    );
    let due = store
        .publish_due(jiff::Timestamp::from_second(10_000).unwrap())
        .await
        .unwrap();
    assert_eq!(due, vec![id]);
    assert!(
        store
            .publish_due(jiff::Timestamp::from_second(20_000).unwrap())
            .await
            .unwrap()
            .is_empty()
    );
    let a = store.article(id).await.unwrap();
    assert_eq!(
        (a.status, a.published_at),
        (ArticleStatus::Published, Some(at))
    );
    let changes = store.changes_since(before, 10).await.unwrap();
    assert_eq!(
        changes
            .iter()
            .map(|c| c.action.as_str())
            .collect::<Vec<_>>(),
        vec!["updated", "published"]
    );
    assert!(store.published_article("en", "nr-draft").await.is_ok());

    // Soft delete hides it from readers; restore brings back the status it had.
    store.soft_delete_article(id).await.unwrap();
    assert_eq!(
        store.article(id).await.unwrap().status,
        ArticleStatus::Deleted
    );
    assert!(store.published_article("en", "nr-draft").await.is_err());
    let last = store.changes_since(before, 10).await.unwrap();
    assert_eq!(last.last().unwrap().action, "unpublished");
    let listed = |f: NewsroomFilter| async move {
        store
            .newsroom_articles(&NewsroomFilter { limit: 50, ..f })
            .await
            .unwrap()
            .into_iter()
            .map(|a| a.id)
            .collect::<Vec<_>>()
    };
    assert!(!listed(NewsroomFilter::default()).await.contains(&id));
    assert!(
        listed(NewsroomFilter {
            include_deleted: true,
            ..Default::default()
        })
        .await
        .contains(&id)
    );
    assert_eq!(
        listed(NewsroomFilter {
            owner: Some(owner),
            include_deleted: true,
            ..Default::default()
        })
        .await,
        vec![id]
    );
    assert_eq!(
        listed(NewsroomFilter {
            status: Some(ArticleStatus::Deleted),
            ..Default::default()
        })
        .await,
        vec![id]
    );
    assert_eq!(
        store.article_meta(id).await.unwrap().deleted_from,
        Some(ArticleStatus::Published)
    );
    assert_eq!(
        store.restore_article(id).await.unwrap(),
        ArticleStatus::Published
    );
    assert!(store.published_article("en", "nr-draft").await.is_ok());
    assert!(matches!(
        store.restore_article(id).await,
        Err(StoreError::NotFound)
    ));
}

async fn api_article_windows(store: &dyn Store) {
    let section = store
        .upsert_section(
            &slug("windows"),
            &Localized::default(),
            &Localized::default(),
            0,
        )
        .await
        .unwrap();
    // Five articles in two seconds (ties on published_at are broken by id), one draft.
    let mut ids = Vec::new();
    for (n, at) in [(1, 5_000), (2, 5_000), (3, 5_001), (4, 5_001), (5, 5_001)] {
        let a = article(
            "fr",
            section,
            &format!("w{n}"),
            ArticleStatus::Published,
            at,
        );
        ids.push(store.create_article(&a).await.unwrap());
    }
    store
        .create_article(&article(
            "fr",
            section,
            "w-draft",
            ArticleStatus::Draft,
            5_002,
        ))
        .await
        .unwrap();
    let base = ArticleWindow {
        filter: ArticleFilter {
            edition: Some("fr".into()),
            ..Default::default()
        },
        ..Default::default()
    };
    let order = |found: Vec<byline_core::Article>| found.iter().map(|a| a.id).collect::<Vec<_>>();
    let all = order(store.article_window(&base, 10).await.unwrap());
    assert_eq!(
        all,
        [ids[4], ids[3], ids[2], ids[1], ids[0]],
        "newest first, then by id"
    );
    // Walking two at a time from each page's last position visits each exactly once.
    let mut walked = Vec::new();
    let mut after = None;
    loop {
        let page = store
            .article_window(
                &ArticleWindow {
                    after,
                    ..base.clone()
                },
                2,
            )
            .await
            .unwrap();
        let Some(last) = page.last() else { break };
        after = Some((last.published_at.unwrap(), last.id));
        walked.extend(order(page));
    }
    assert_eq!(walked, all);
    let t = |s: i64| jiff::Timestamp::from_second(s).unwrap();
    let since = ArticleWindow {
        since: Some(t(5_001)),
        ..base.clone()
    };
    assert_eq!(
        order(store.article_window(&since, 10).await.unwrap()).len(),
        3
    );
    let until = ArticleWindow {
        until: Some(t(5_001)),
        ..base.clone()
    };
    assert_eq!(
        order(store.article_window(&until, 10).await.unwrap()),
        [ids[1], ids[0]]
    );
    let some = ArticleWindow {
        ids: vec![ids[0], ids[3]],
        ..base.clone()
    };
    assert_eq!(
        order(store.article_window(&some, 10).await.unwrap()),
        [ids[3], ids[0]]
    );
    let whole = &store.article_window(&some, 1).await.unwrap()[0];
    assert_eq!(
        whole.body_html, "<p>Body</p>",
        "whole articles, body included"
    );
}

async fn api_keys_and_tokens(store: &dyn Store) {
    use byline_core::Role;
    let app = store.create_api_key("iOS app", "hash-ios").await.unwrap();
    let other = store
        .create_api_key("Android app", "hash-android")
        .await
        .unwrap();
    assert_eq!(store.api_key("hash-ios").await.unwrap().name, "iOS app");
    assert!(matches!(
        store.api_key("hash-none").await,
        Err(StoreError::NotFound)
    ));
    store.revoke_api_key(app).await.unwrap();
    assert!(
        matches!(store.api_key("hash-ios").await, Err(StoreError::NotFound)),
        "a revoked key is refused at once"
    );
    assert!(matches!(
        store.revoke_api_key(app).await,
        Err(StoreError::NotFound)
    ));
    let keys = store.api_keys().await.unwrap();
    assert_eq!(keys.iter().map(|k| k.id).collect::<Vec<_>>(), [app, other]);
    assert!(keys[0].revoked_at.is_some() && keys[1].revoked_at.is_none());

    let eve = store
        .create_user(&new_user("eve@example.org", Role::Editor))
        .await
        .unwrap();
    let token = store
        .create_api_token(eve, "CMS import", "hash-eve")
        .await
        .unwrap();
    let (found, user) = store.api_token("hash-eve").await.unwrap();
    assert_eq!(
        (found.id, found.user, user.id, user.role),
        (token, eve, eve, Role::Editor)
    );
    assert_eq!(store.api_tokens(Some(eve)).await.unwrap().len(), 1);
    store.set_user_disabled(eve, true).await.unwrap();
    assert!(
        matches!(store.api_token("hash-eve").await, Err(StoreError::NotFound)),
        "a disabled account's tokens stop working"
    );
    store.set_user_disabled(eve, false).await.unwrap();
    store.revoke_api_token(token).await.unwrap();
    assert!(matches!(
        store.api_token("hash-eve").await,
        Err(StoreError::NotFound)
    ));
    assert!(
        store.api_tokens(None).await.unwrap()[0]
            .revoked_at
            .is_some()
    );
}

async fn login_failures_count_and_expire(store: &dyn Store) {
    let keys = vec![
        "ip:192.0.2.1".to_owned(),
        "account:a@example.org".to_owned(),
    ];
    for at in [1_000, 1_010, 1_020] {
        store
            .record_login_attempt(&format!("attempt-{at}"), &keys, at, 0)
            .await
            .unwrap();
    }
    let mut found = store.login_failures_since(&keys, 1_005).await.unwrap();
    found.sort();
    assert_eq!(
        found,
        vec![
            ("account:a@example.org".to_owned(), 2, 1_010),
            ("ip:192.0.2.1".to_owned(), 2, 1_010),
        ],
        "counted per key, within the window"
    );
    assert!(
        store
            .login_failures_since(&["ip:192.0.2.9".to_owned()], 0)
            .await
            .unwrap()
            .is_empty()
    );
    store
        .forget_login_failures("account:a@example.org")
        .await
        .unwrap();
    let left = store.login_failures_since(&keys, 0).await.unwrap();
    assert_eq!(left, vec![("ip:192.0.2.1".to_owned(), 3, 1_000)]);
    // Old failures are dropped as new ones come in.
    store
        .record_login_attempt("attempt-2000", &["ip:192.0.2.2".to_owned()], 2_000, 1_015)
        .await
        .unwrap();
    assert_eq!(
        store.login_failures_since(&keys, 0).await.unwrap(),
        vec![("ip:192.0.2.1".to_owned(), 1, 1_020)]
    );
    // An attempt taken back leaves no trace under any of its keys, and only it goes.
    let both = vec![
        "ip:192.0.2.3".to_owned(),
        "account:b@example.org".to_owned(),
    ];
    for attempt in ["kept", "taken-back"] {
        store
            .record_login_attempt(attempt, &both, 2_010, 0)
            .await
            .unwrap();
    }
    store.forget_login_attempt("taken-back").await.unwrap();
    let mut found = store.login_failures_since(&both, 0).await.unwrap();
    found.sort();
    assert_eq!(
        found,
        vec![
            ("account:b@example.org".to_owned(), 1, 2_010),
            ("ip:192.0.2.3".to_owned(), 1, 2_010),
        ]
    );
}

/// The audit line a create by `actor` writes (its entity id is the new article's).
fn audit_line(actor: byline_core::UserId) -> byline_core::NewAuditEntry {
    byline_core::NewAuditEntry {
        actor: Some(actor),
        actor_email: String::new(),
        action: "created".into(),
        entity_kind: "article".into(),
        entity_id: 0,
        summary: "a story".into(),
    }
}

/// A create with an idempotency key: the key, the article, its revision, its audit line
/// and its one change-feed row commit together; a retry finds the article and writes
/// nothing; a failed create leaves the key free; keys expire by the claim's clock.
async fn owned_creates_are_one_transaction_with_their_key(store: &dyn Store) {
    use byline_core::Role;
    let section = store
        .upsert_section(
            &slug("wire"),
            &Localized::default(),
            &Localized::default(),
            9,
        )
        .await
        .unwrap();
    let ann = store
        .create_user(&new_user("wire-ann@example.org", Role::Editor))
        .await
        .unwrap();
    let t0 = jiff::Timestamp::from_second(2_000_000_000).unwrap();
    let claim = |key: &str, hash: &str, now: jiff::Timestamp| IdempotencyClaim {
        key: key.into(),
        request_hash: hash.into(),
        now,
    };
    let story = |s: &str| article("en", section, s, ArticleStatus::Published, 1_000);
    let before = store.last_change().await.unwrap();
    let audit_before = store.audit_log(None, 1).await.unwrap();
    let made = store
        .create_owned_article(
            &story("wire-once"),
            ann,
            &audit_line(ann),
            Some(&claim("k1", "req-a", t0)),
        )
        .await
        .unwrap();
    let OwnedCreate::Created { id, revision } = made else {
        panic!("a new key creates: {made:?}")
    };
    let changes = store.changes_since(before, 100).await.unwrap();
    assert_eq!(
        changes
            .iter()
            .map(|c| (c.kind, c.entity_id, c.action.as_str()))
            .collect::<Vec<_>>(),
        vec![(ChangeKind::Article, id.0, "published")],
        "one change-feed row for a create that publishes"
    );
    let meta = store.article_meta(id).await.unwrap();
    assert_eq!((meta.owner, meta.revision), (Some(ann), revision));
    let audit = store.audit_log(None, 1).await.unwrap();
    assert_ne!(audit, audit_before);
    assert_eq!(
        (audit[0].action.as_str(), audit[0].entity_id, audit[0].actor),
        ("created", id.0, Some(ann))
    );

    // The retry, and the same key with another request: nothing is written.
    let head = store.last_change().await.unwrap();
    for hash in ["req-a", "req-b"] {
        assert_eq!(
            store
                .create_owned_article(
                    &story("wire-twice"),
                    ann,
                    &audit_line(ann),
                    Some(&claim("k1", hash, t0)),
                )
                .await
                .unwrap(),
            OwnedCreate::Seen(IdempotentRecord {
                request_hash: "req-a".into(),
                article: Some(id),
            })
        );
    }
    assert_eq!(store.last_change().await.unwrap(), head);
    assert!(matches!(
        store.published_article("en", "wire-twice").await,
        Err(StoreError::NotFound)
    ));

    // A create that fails (the slug is taken) leaves its key unclaimed.
    assert!(matches!(
        store
            .create_owned_article(
                &story("wire-once"),
                ann,
                &audit_line(ann),
                Some(&claim("k2", "req-c", t0)),
            )
            .await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(store.last_change().await.unwrap(), head);
    assert!(matches!(
        store
            .create_owned_article(
                &story("wire-fixed"),
                ann,
                &audit_line(ann),
                Some(&claim("k2", "req-c", t0)),
            )
            .await
            .unwrap(),
        OwnedCreate::Created { .. }
    ));

    // Keys are per user, and forgotten a lifetime after their claim.
    let bob = store
        .create_user(&new_user("wire-bob@example.org", Role::Editor))
        .await
        .unwrap();
    assert!(matches!(
        store
            .create_owned_article(
                &story("wire-bob"),
                bob,
                &audit_line(bob),
                Some(&claim("k1", "req-a", t0)),
            )
            .await
            .unwrap(),
        OwnedCreate::Created { .. }
    ));
    let later = t0 + jiff::SignedDuration::from_secs(crate::IDEMPOTENCY_KEY_LIFETIME_SECS + 1);
    let again = store
        .create_owned_article(
            &story("wire-next-day"),
            ann,
            &audit_line(ann),
            Some(&claim("k1", "req-a", later)),
        )
        .await
        .unwrap();
    assert!(
        matches!(again, OwnedCreate::Created { id: next, .. } if next != id),
        "{again:?}"
    );
}

async fn imports_update_instead_of_adding(store: &dyn Store) {
    let names = Localized::from_pairs([("en", "Imported news")]);
    let none = Localized::default();
    let news = slug("imported-news");
    let term = |fingerprint| ImportedTerm {
        source: "wordpress",
        source_id: "7",
        slug: &news,
        name: &names,
        text: &none,
        fingerprint,
    };
    let sections_before = store.sections().await.unwrap().len();
    let (section, first) = store.import_section(&term("a")).await.unwrap();
    assert_eq!(first, Imported::Created);
    assert_eq!(
        store.import_section(&term("a")).await.unwrap(),
        (section, Imported::Unchanged),
        "the same item again writes nothing"
    );
    assert_eq!(
        store.import_section(&term("b")).await.unwrap(),
        (section, Imported::Updated)
    );
    assert_eq!(store.sections().await.unwrap().len(), sections_before + 1);
    // An outlet's own tag with the slug is linked, not renamed.
    let own = store
        .upsert_tag(
            &slug("rivers"),
            &Localized::from_pairs([("en", "Our rivers")]),
        )
        .await
        .unwrap();
    let tag_term = ImportedTerm {
        source: "ghost",
        source_id: "t1",
        slug: &slug("rivers"),
        name: &names,
        text: &none,
        fingerprint: "x",
    };
    assert_eq!(store.import_tag(&tag_term).await.unwrap().0, own);
    let tag = store
        .tags()
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.id == own)
        .unwrap();
    assert_eq!(tag.name.get("en"), "Our rivers");
    let (author, _) = store
        .import_author(&ImportedTerm {
            source: "ghost",
            source_id: "u1",
            slug: &slug("imported-writer"),
            name: &names,
            text: &none,
            fingerprint: "x",
        })
        .await
        .unwrap();
    assert_eq!(
        store
            .imported("ghost", ImportKind::Author, "u1")
            .await
            .unwrap(),
        Some(author.0)
    );

    // Articles: created, unchanged, updated, each in the change feed but the unchanged.
    let a = article(
        "en",
        section,
        "imported-post",
        ArticleStatus::Published,
        9_000,
    );
    let last = store.last_change().await.unwrap();
    let (id, outcome) = store
        .import_article("wordpress", "42", "f1", &a)
        .await
        .unwrap();
    assert_eq!(outcome, Imported::Created);
    let after_create = store.last_change().await.unwrap();
    assert!(
        after_create > last,
        "a created article is in the change feed"
    );
    assert_eq!(
        store
            .import_article("wordpress", "42", "f1", &a)
            .await
            .unwrap(),
        (id, Imported::Unchanged)
    );
    assert_eq!(store.last_change().await.unwrap(), after_create);
    let retitled = NewArticle {
        title: "Retitled".into(),
        translation_group: Some(store.article(id).await.unwrap().translation_group),
        ..a.clone()
    };
    assert_eq!(
        store
            .import_article("wordpress", "42", "f2", &retitled)
            .await
            .unwrap(),
        (id, Imported::Updated)
    );
    assert_eq!(store.article(id).await.unwrap().title, "Retitled");
    assert!(store.last_change().await.unwrap() > after_create);
    // Another source's item with the same id is another article; a taken slug fails
    // and leaves no mapping behind.
    assert!(matches!(
        store.import_article("ghost", "42", "f1", &a).await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(
        store
            .imported("ghost", ImportKind::Article, "42")
            .await
            .unwrap(),
        None
    );
    store
        .record_imported("ghost", ImportKind::Media, "2024/05/a.jpg", 5)
        .await
        .unwrap();
    assert_eq!(
        store
            .imported("ghost", ImportKind::Media, "2024/05/a.jpg")
            .await
            .unwrap(),
        Some(5)
    );
}

async fn redirects_keep_the_admins(store: &dyn Store) {
    assert!(
        store
            .save_redirect("/?p=42", "/en/a/x", RedirectOrigin::Import)
            .await
            .unwrap()
    );
    assert!(
        !store
            .save_redirect("/?p=42", "/en/a/x", RedirectOrigin::Import)
            .await
            .unwrap(),
        "an unchanged redirect is not rewritten"
    );
    assert!(
        store
            .save_redirect("/old", "/en/a/y", RedirectOrigin::Admin)
            .await
            .unwrap()
    );
    assert!(
        !store
            .save_redirect("/old", "/en/a/z", RedirectOrigin::Import)
            .await
            .unwrap(),
        "an import does not replace an admin's redirect"
    );
    assert!(
        store
            .save_redirect("/?p=42", "/en/a/w", RedirectOrigin::Admin)
            .await
            .unwrap()
    );
    assert_eq!(
        store.redirect("/old").await.unwrap().as_deref(),
        Some("/en/a/y")
    );
    assert_eq!(
        store.redirect("/?p=42").await.unwrap().as_deref(),
        Some("/en/a/w")
    );
    assert_eq!(store.redirect("/nowhere").await.unwrap(), None);

    let all = store.redirects().await.unwrap();
    assert_eq!(
        all.iter()
            .map(|r| (r.path.as_str(), r.origin))
            .collect::<Vec<_>>(),
        vec![
            ("/?p=42", RedirectOrigin::Admin),
            ("/old", RedirectOrigin::Admin)
        ]
    );

    // The newsroom's pages of the list: by path after a cursor, filtered by a part of
    // either address, the filter's own `%` and `_` taken literally.
    for (path, target) in [
        ("/2019/50%-off", "/en/a/sale"),
        ("/2019/50x-off", "/en/a/other"),
        ("/tag/a_b", "/en/tag/ab"),
    ] {
        store
            .save_redirect(path, target, RedirectOrigin::Import)
            .await
            .unwrap();
    }
    let paths = |page: Vec<crate::Redirect>| page.into_iter().map(|r| r.path).collect::<Vec<_>>();
    assert_eq!(
        paths(store.redirects_page("", "", 2).await.unwrap()),
        ["/2019/50%-off", "/2019/50x-off"]
    );
    assert_eq!(
        paths(store.redirects_page("", "/2019/50x-off", 10).await.unwrap()),
        ["/?p=42", "/old", "/tag/a_b"]
    );
    assert_eq!(
        paths(store.redirects_page("50%", "", 10).await.unwrap()),
        ["/2019/50%-off"]
    );
    assert_eq!(
        paths(store.redirects_page("a_b", "", 10).await.unwrap()),
        ["/tag/a_b"]
    );
    assert_eq!(
        paths(store.redirects_page("/en/a/", "", 10).await.unwrap()),
        ["/2019/50%-off", "/2019/50x-off", "/?p=42", "/old"],
        "the new address matches too"
    );
    assert!(store.delete_redirect("/old").await.unwrap());
    assert!(!store.delete_redirect("/old").await.unwrap());
    assert_eq!(store.redirect("/old").await.unwrap(), None);

    // Many at once: the same rules, a repeated path keeping its last target, and more
    // rows than one statement takes.
    let mut batch: Vec<(String, String)> = (0..1200)
        .map(|n| (format!("/batch/{n}"), format!("/en/a/b{n}")))
        .collect();
    batch.push(("/?p=42".into(), "/en/a/import-wants-this".into()));
    batch.push(("/batch/7".into(), "/en/a/seven".into()));
    assert_eq!(
        store
            .save_redirects(&batch, RedirectOrigin::Import)
            .await
            .unwrap(),
        1200,
        "1,200 paths added; the admin's /?p=42 untouched"
    );
    assert_eq!(
        store.redirect("/batch/7").await.unwrap().as_deref(),
        Some("/en/a/seven")
    );
    assert_eq!(
        store.redirect("/batch/1199").await.unwrap().as_deref(),
        Some("/en/a/b1199")
    );
    assert_eq!(
        store.redirect("/?p=42").await.unwrap().as_deref(),
        Some("/en/a/w")
    );
    assert_eq!(
        store
            .save_redirects(&batch, RedirectOrigin::Import)
            .await
            .unwrap(),
        0,
        "nothing changed the second time"
    );
    assert_eq!(
        store
            .save_redirects(&[], RedirectOrigin::Import)
            .await
            .unwrap(),
        0
    );
}

fn static_page(edition: &str, s: &str, footer_position: Option<i64>) -> NewPage {
    NewPage {
        edition: edition.into(),
        slug: slug(s),
        title: format!("Page {s}"),
        body_markdown: "Who we are.".into(),
        body_html: "<p>Who we are.</p>".into(),
        description: None,
        status: PageStatus::Published,
        footer_position,
    }
}

async fn static_pages_round_trip_in_footer_order(store: &dyn Store) {
    let at = |s: i64| jiff::Timestamp::from_second(s).unwrap();
    let before = store.last_change().await.unwrap();
    let privacy = store
        .create_page(&static_page("en", "privacy", Some(2)), at(1_000))
        .await
        .unwrap();
    let about = store
        .create_page(&static_page("en", "about", Some(1)), at(1_100))
        .await
        .unwrap();
    let imprint = store
        .create_page(&static_page("en", "imprint", None), at(1_200))
        .await
        .unwrap();
    let ru_about = store
        .create_page(&static_page("ru", "about", Some(1)), at(1_300))
        .await
        .unwrap();
    // One slug per edition: the same address in one edition is refused.
    assert!(matches!(
        store
            .create_page(&static_page("en", "about", None), at(1_400))
            .await,
        Err(StoreError::Conflict(_))
    ));
    let order: Vec<(String, PageId)> = store
        .pages()
        .await
        .unwrap()
        .into_iter()
        .map(|p| (p.edition, p.id))
        .collect();
    assert_eq!(
        order,
        [
            ("en".into(), about),
            ("en".into(), privacy),
            ("en".into(), imprint),
            ("ru".into(), ru_about)
        ],
        "by edition, then footer position, pages outside the footer last"
    );

    let mut changed = static_page("en", "about-us", Some(3));
    changed.title = "About the outlet".into();
    changed.description = Some("Who writes here".into());
    changed.status = PageStatus::Draft;
    store.update_page(about, &changed, at(2_000)).await.unwrap();
    let read = store.page(about).await.unwrap();
    assert_eq!(
        (
            read.slug.as_str(),
            read.title.as_str(),
            read.description.as_deref(),
            read.status,
            read.footer_position,
            read.created_at,
            read.updated_at
        ),
        (
            "about-us",
            "About the outlet",
            Some("Who writes here"),
            PageStatus::Draft,
            Some(3),
            at(1_100),
            at(2_000)
        )
    );
    assert!(store.page_by_slug("en", "about").await.unwrap().is_none());
    assert_eq!(
        store
            .page_by_slug("en", "about-us")
            .await
            .unwrap()
            .map(|p| p.id),
        Some(about)
    );
    assert_eq!(
        store
            .page_by_slug("ru", "about")
            .await
            .unwrap()
            .map(|p| p.id),
        Some(ru_about)
    );
    assert!(matches!(
        store
            .update_page(about, &static_page("en", "privacy", None), at(2_100))
            .await,
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        store
            .update_page(PageId(999_999), &static_page("en", "x", None), at(2_100))
            .await,
        Err(StoreError::NotFound)
    ));

    store.delete_page(imprint).await.unwrap();
    assert!(matches!(
        store.page(imprint).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.delete_page(imprint).await,
        Err(StoreError::NotFound)
    ));

    let changes: Vec<(ChangeKind, i64, String)> = store
        .changes_since(before, 100)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.kind, c.entity_id, c.action))
        .collect();
    assert_eq!(
        changes,
        [
            (ChangeKind::Page, privacy.0, "created".to_owned()),
            (ChangeKind::Page, about.0, "created".to_owned()),
            (ChangeKind::Page, imprint.0, "created".to_owned()),
            (ChangeKind::Page, ru_about.0, "created".to_owned()),
            (ChangeKind::Page, about.0, "updated".to_owned()),
            (ChangeKind::Page, imprint.0, "deleted".to_owned()),
        ],
        "every page write is one change; refused writes none"
    );

    // An imported page: re-imported unchanged writes nothing; changed, it is replaced
    // but keeps the footer place an editor gave it.
    let mut imported = static_page("hy", "contacts", None);
    let (id, first) = store
        .import_page("wordpress", "77", "f1", &imported, at(3_000))
        .await
        .unwrap();
    assert_eq!(first, Imported::Created);
    let edited = NewPage {
        footer_position: Some(5),
        ..imported.clone()
    };
    store.update_page(id, &edited, at(3_100)).await.unwrap();
    assert_eq!(
        store
            .import_page("wordpress", "77", "f1", &imported, at(3_200))
            .await
            .unwrap(),
        (id, Imported::Unchanged)
    );
    imported.title = "Contacts, new".into();
    assert_eq!(
        store
            .import_page("wordpress", "77", "f2", &imported, at(3_300))
            .await
            .unwrap(),
        (id, Imported::Updated)
    );
    let read = store.page(id).await.unwrap();
    assert_eq!(
        (read.title.as_str(), read.footer_position),
        ("Contacts, new", Some(5))
    );
    assert_eq!(
        store
            .imported("wordpress", ImportKind::Page, "77")
            .await
            .unwrap(),
        Some(id.0)
    );
}

async fn corrections_and_takedowns(store: &dyn Store) {
    use byline_core::{Correction, CorrectionKind};
    let section = store
        .upsert_section(
            &slug("desk-record"),
            &Localized::default(),
            &Localized::default(),
            31,
        )
        .await
        .unwrap();
    let live = store
        .create_article(&article(
            "en",
            section,
            "on-the-record",
            ArticleStatus::Published,
            1_800_000_000,
        ))
        .await
        .unwrap();
    let draft = store
        .create_article(&article(
            "en",
            section,
            "not-yet-out",
            ArticleStatus::Draft,
            0,
        ))
        .await
        .unwrap();
    assert!(store.article(live).await.unwrap().corrections.is_empty());
    let note = |kind, text: &str, at: i64| Correction {
        kind,
        text: text.into(),
        at: jiff::Timestamp::from_second(at).unwrap(),
    };
    let before = store.last_change().await.unwrap();
    let first = note(
        CorrectionKind::Correction,
        "The year was 2025 — «fixed».",
        1_800_000_600,
    );
    let second = note(
        CorrectionKind::Update,
        "New figures came in.",
        1_800_001_200,
    );
    store.add_correction(live, &first).await.unwrap();
    store.add_correction(live, &second).await.unwrap();
    let stored = store.article(live).await.unwrap();
    assert_eq!(
        stored.corrections,
        [first.clone(), second.clone()],
        "appended in order"
    );
    assert_eq!(
        stored.updated_at,
        Some(second.at),
        "the newest note is the update time"
    );
    let changes = store.changes_since(before, 10).await.unwrap();
    assert_eq!(
        changes
            .iter()
            .map(|c| (c.kind, c.entity_id, c.action.as_str()))
            .collect::<Vec<_>>(),
        [
            (ChangeKind::Article, live.0, "corrected"),
            (ChangeKind::Article, live.0, "corrected")
        ]
    );
    // The published read carries the notes (one query for the page).
    let (page, _) = store
        .published_article_with_translations("en", "on-the-record")
        .await
        .unwrap();
    assert_eq!(page.corrections.len(), 2);
    assert!(matches!(
        store.add_correction(draft, &first).await,
        Err(StoreError::Conflict(crate::NOT_PUBLISHED))
    ));
    assert!(matches!(
        store.add_correction(ArticleId(i64::MAX), &first).await,
        Err(StoreError::NotFound)
    ));

    // A takedown: off every published read, found by its address, back by reinstating;
    // its open alert ends with it and is not pushed.
    let at = |s: i64| jiff::Timestamp::from_second(s).unwrap();
    let alert = store
        .raise_alert(
            &byline_core::NewAlert {
                edition: "en".into(),
                text: "On the record".into(),
                url: String::new(),
                article: Some(live),
                starts_at: at(1_800_000_650),
                ends_at: at(1_800_090_000),
                created_by: None,
                push: None,
            },
            &["webhook"],
        )
        .await
        .unwrap();
    assert!(!store.taken_down_at("en", "on-the-record").await.unwrap());
    assert!(matches!(
        store
            .take_down_article(draft, "No", at(1_800_000_700))
            .await,
        Err(StoreError::Conflict(crate::NOT_PUBLISHED))
    ));
    let before = store.last_change().await.unwrap();
    store
        .take_down_article(live, "A court order of 1 December", at(1_800_000_700))
        .await
        .unwrap();
    let gone = store.article(live).await.unwrap();
    assert_eq!(gone.status, ArticleStatus::TakenDown);
    assert_eq!(
        store.alert(alert).await.unwrap().ended_at,
        Some(at(1_800_000_700))
    );
    let pushed = store.deliveries_of(alert).await.unwrap();
    assert_eq!(
        pushed[0].failed_at,
        Some(at(1_800_000_700)),
        "not pushed: {pushed:?}"
    );
    // Nothing but a reinstatement changes it: a save, a move, a schedule or a delete
    // that raced the takedown is refused by the store itself.
    let again = NewArticle {
        title: "Changed after the takedown".into(),
        translation_group: Some(gone.translation_group),
        ..article(
            "en",
            section,
            "on-the-record",
            ArticleStatus::Published,
            1_800_000_000,
        )
    };
    for refused in [
        store.update_article(live, &again).await,
        store
            .set_article_status(live, ArticleStatus::Unpublished)
            .await,
        store.schedule_article(live, at(1_900_000_000)).await,
        store.soft_delete_article(live).await,
    ] {
        assert!(
            matches!(refused, Err(StoreError::Conflict(crate::TAKEN_DOWN))),
            "{refused:?}"
        );
    }
    assert_eq!(
        store.article(live).await.unwrap().title,
        "Title on-the-record"
    );
    assert_eq!(
        gone.takedown_reason.as_deref(),
        Some("A court order of 1 December")
    );
    assert_eq!(gone.corrections.len(), 2, "the record stays");
    assert!(matches!(
        store.published_article("en", "on-the-record").await,
        Err(StoreError::NotFound)
    ));
    assert!(store.taken_down_at("en", "on-the-record").await.unwrap());
    assert!(!store.taken_down_at("ru", "on-the-record").await.unwrap());
    assert!(!store.taken_down_at("en", "not-yet-out").await.unwrap());
    let listed = store
        .published_slice(
            &ArticleFilter {
                section: Some(section),
                ..Default::default()
            },
            0,
            10,
        )
        .await
        .unwrap();
    assert!(listed.iter().all(|a| a.id != live), "off the lists");
    assert!(matches!(
        store
            .take_down_article(live, "again", at(1_800_000_800))
            .await,
        Err(StoreError::Conflict(crate::NOT_PUBLISHED))
    ));
    assert!(matches!(
        store.reinstate_article(draft).await,
        Err(StoreError::Conflict(crate::NOT_TAKEN_DOWN))
    ));
    store.reinstate_article(live).await.unwrap();
    let back = store.article(live).await.unwrap();
    assert_eq!(back.status, ArticleStatus::Published);
    assert_eq!(back.takedown_reason, None);
    assert!(!store.taken_down_at("en", "on-the-record").await.unwrap());
    let changes = store.changes_since(before, 10).await.unwrap();
    assert_eq!(
        changes
            .iter()
            .map(|c| (c.kind, c.action.as_str()))
            .collect::<Vec<_>>(),
        [
            (ChangeKind::Article, "unpublished"),
            (ChangeKind::Alert, "ended"),
            (ChangeKind::Article, "published")
        ]
    );
}

async fn breaking_alerts_open_end_and_expire_once(store: &dyn Store) {
    use byline_core::NewAlert;
    let at = |s: i64| jiff::Timestamp::from_second(s).unwrap();
    let new = |edition: &str, text: &str, from: i64, to: i64| NewAlert {
        edition: edition.into(),
        text: text.into(),
        url: "/en/news/x".into(),
        article: None,
        starts_at: at(from),
        ends_at: at(to),
        created_by: None,
        push: None,
    };
    let before = store.last_change().await.unwrap();
    let short = store
        .raise_alert(
            &new("en", "Polls close — «now»", 1_900_000_000, 1_900_000_600),
            &["webhook"],
        )
        .await
        .unwrap();
    let long = store
        .raise_alert(&new("ru", "Итоги", 1_900_000_000, 1_900_007_200), &[])
        .await
        .unwrap();
    let early = store
        .raise_alert(&new("en", "Ended early", 1_900_000_000, 1_900_007_200), &[])
        .await
        .unwrap();
    let stored = store.alert(short).await.unwrap();
    assert_eq!(stored.text, "Polls close — «now»");
    assert_eq!(stored.url, "/en/news/x");
    assert_eq!(
        (stored.starts_at, stored.ends_at, stored.ended_at),
        (at(1_900_000_000), at(1_900_000_600), None)
    );
    assert_eq!(
        store
            .open_alerts()
            .await
            .unwrap()
            .iter()
            .map(|a| a.id)
            .collect::<Vec<_>>(),
        [short, long, early],
        "open, oldest first"
    );
    store.end_alert(early, at(1_900_000_100)).await.unwrap();
    assert_eq!(
        store.alert(early).await.unwrap().ended_at,
        Some(at(1_900_000_100))
    );
    assert!(matches!(
        store.end_alert(early, at(1_900_000_200)).await,
        Err(StoreError::Conflict(crate::ALERT_ENDED))
    ));
    assert!(matches!(
        store.end_alert(i64::MAX, at(1)).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.alert(i64::MAX).await,
        Err(StoreError::NotFound)
    ));
    // Expiry claims each alert once, whoever asks.
    assert!(
        store
            .expire_alerts(at(1_900_000_599))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store.expire_alerts(at(1_900_000_600)).await.unwrap(),
        [short]
    );
    assert!(
        store
            .expire_alerts(at(1_900_000_700))
            .await
            .unwrap()
            .is_empty(),
        "once"
    );
    assert_eq!(
        store.alert(short).await.unwrap().ended_at,
        Some(at(1_900_000_600))
    );
    assert_eq!(
        store
            .open_alerts()
            .await
            .unwrap()
            .iter()
            .map(|a| a.id)
            .collect::<Vec<_>>(),
        [long]
    );
    assert_eq!(
        store
            .recent_alerts(2)
            .await
            .unwrap()
            .iter()
            .map(|a| a.id)
            .collect::<Vec<_>>(),
        [early, long],
        "newest first, stopped ones too"
    );
    let changes = store.changes_since(before, 20).await.unwrap();
    assert_eq!(
        changes
            .iter()
            .map(|c| (c.kind, c.entity_id, c.action.as_str()))
            .collect::<Vec<_>>(),
        [
            (ChangeKind::Alert, short, "created"),
            (ChangeKind::Alert, long, "created"),
            (ChangeKind::Alert, early, "created"),
            (ChangeKind::Alert, early, "ended"),
            (ChangeKind::Alert, short, "expired"),
        ]
    );
    store.end_alert(long, at(1_900_000_800)).await.unwrap();

    // An alert that expired before anyone sent it is not pushed late.
    let given_up = store.deliveries_of(short).await.unwrap();
    assert_eq!(
        given_up[0].failed_at,
        Some(at(1_900_000_600)),
        "{given_up:?}"
    );
    // The outbox: the delivery written with the alert, claimed by one sender at a time.
    let pushed = store
        .raise_alert(
            &new("en", "Pushed", 1_900_010_000, 1_900_020_000),
            &["webhook"],
        )
        .await
        .unwrap();
    let due = store
        .claim_deliveries(at(1_900_010_000), at(1_900_010_060), 10)
        .await
        .unwrap();
    assert_eq!(
        due.len(),
        1,
        "only the alert raised with a channel: {due:?}"
    );
    let d = &due[0];
    assert_eq!(
        (d.alert, d.channel.as_str(), d.attempts),
        (pushed, "webhook", 1)
    );
    assert!(
        store
            .claim_deliveries(at(1_900_010_030), at(1_900_010_090), 10)
            .await
            .unwrap()
            .is_empty(),
        "leased"
    );
    store
        .delivery_failed(d.id, at(1_900_010_031), Some(at(1_900_010_100)), "503")
        .await
        .unwrap();
    assert!(
        store
            .claim_deliveries(at(1_900_010_099), at(1_900_010_159), 10)
            .await
            .unwrap()
            .is_empty(),
        "not before its retry time"
    );
    let again = store
        .claim_deliveries(at(1_900_010_100), at(1_900_010_160), 10)
        .await
        .unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].attempts, 2);
    assert_eq!(again[0].last_error, "503");
    store.delivery_done(d.id, at(1_900_010_101)).await.unwrap();
    assert!(
        store
            .claim_deliveries(at(1_900_011_000), at(1_900_011_060), 10)
            .await
            .unwrap()
            .is_empty(),
        "delivered for good"
    );
    let record = store.deliveries_of(pushed).await.unwrap();
    assert_eq!(record[0].delivered_at, Some(at(1_900_010_101)));
    assert_eq!(record[0].last_error, "");
    // A lease that runs out makes it due again (a sender that died); giving up is final.
    let second = store
        .raise_alert(
            &new("en", "Another", 1_900_002_000, 1_900_003_000),
            &["webhook"],
        )
        .await
        .unwrap();
    let first_claim = store
        .claim_deliveries(at(1_900_002_000), at(1_900_002_060), 10)
        .await
        .unwrap();
    assert_eq!(first_claim.len(), 1);
    let retaken = store
        .claim_deliveries(at(1_900_002_060), at(1_900_002_120), 10)
        .await
        .unwrap();
    assert_eq!(retaken.len(), 1, "the lease ran out");
    store
        .delivery_failed(retaken[0].id, at(1_900_002_061), None, "400 refused")
        .await
        .unwrap();
    assert!(
        store
            .claim_deliveries(at(1_900_009_000), at(1_900_009_060), 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store.deliveries_of(second).await.unwrap()[0].failed_at,
        Some(at(1_900_002_061))
    );
    assert!(matches!(
        store.delivery_done(i64::MAX, at(1)).await,
        Err(StoreError::NotFound)
    ));
    store.expire_alerts(at(1_900_003_000)).await.unwrap();
}

async fn live_blogs_entries_and_their_cursor(store: &dyn Store) {
    use crate::NOT_LIVE;
    use byline_core::EntryText;
    let at = |s: i64| jiff::Timestamp::from_second(s).unwrap();
    let text = |body: &str, key: bool, pinned: bool| EntryText {
        title: String::new(),
        body_markdown: body.into(),
        body_html: format!("<p>{body}</p>"),
        author: None,
        key_event: key,
        pinned,
    };
    let section = store
        .upsert_section(
            &slug("live"),
            &Localized::default(),
            &Localized::default(),
            11,
        )
        .await
        .unwrap();
    let id = store
        .create_article(&article(
            "en",
            section,
            "summit-live",
            ArticleStatus::Published,
            9_000,
        ))
        .await
        .unwrap();
    assert!(store.article(id).await.unwrap().live.is_none());
    assert!(
        matches!(
            store
                .add_entry(id, &text("too early", false, false), at(9_050), None, None)
                .await,
            Err(StoreError::Conflict(NOT_LIVE))
        ),
        "no entries before the article is live"
    );
    let before = store.last_change().await.unwrap();
    store.start_live(id, at(9_100)).await.unwrap();
    let live = store.article(id).await.unwrap().live.unwrap();
    assert_eq!((live.since, live.until), (at(9_100), None));
    let first = store
        .add_entry(id, &text("one", true, true), at(9_200), None, None)
        .await
        .unwrap();
    let second = store
        .add_entry(id, &text("two", false, true), at(9_300), None, None)
        .await
        .unwrap();
    assert!(
        first.seq > before && second.seq > first.seq,
        "entries carry their change position"
    );
    let changes = store.changes_since(before, 10).await.unwrap();
    assert_eq!(
        changes
            .iter()
            .map(|c| c.action.as_str())
            .collect::<Vec<_>>(),
        ["live", "entry", "entry", "entry"],
        "the second, pinned, also unpinned the first: a change of its own"
    );
    assert_eq!(changes[3].seq, second.seq);
    assert_eq!(
        store.article(id).await.unwrap().updated_at,
        Some(at(9_300)),
        "a published live blog is modified by its newest entry"
    );
    let shown = store.live_entries(id, 10).await.unwrap();
    assert_eq!(
        shown.iter().map(|e| e.id).collect::<Vec<_>>(),
        [second.id, first.id]
    );
    assert!(!shown[1].pinned, "pinning the second unpinned the first");
    assert!(
        shown[1].seq > first.seq && shown[1].seq < second.seq,
        "and gave it a position of its own, so readers resuming after the first learn it"
    );
    assert!(shown[1].key_event);

    // Edits and deletes move the entry's position and keep the old version.
    let edited = store
        .edit_entry(
            id,
            first.id,
            &text("one, corrected", true, false),
            at(9_400),
            None,
        )
        .await
        .unwrap();
    assert!(edited.seq > second.seq);
    assert_eq!(edited.body_markdown, "one, corrected");
    let gone = store
        .delete_entry(id, second.id, at(9_500), None)
        .await
        .unwrap();
    assert_eq!(gone.deleted_at, Some(at(9_500)));
    assert!(
        matches!(
            store
                .edit_entry(id, second.id, &text("x", false, false), at(9_600), None)
                .await,
            Err(StoreError::NotFound)
        ),
        "a deleted entry is not edited"
    );
    let revisions = store.entry_revisions(first.id).await.unwrap();
    assert_eq!(revisions.len(), 1);
    assert_eq!(revisions[0].body_markdown, "one");
    assert_eq!(store.live_entries(id, 10).await.unwrap().len(), 1);

    // Resuming from a position: only what was written after it, deletions included.
    let since = store.live_entries_since(id, second.seq, 10).await.unwrap();
    assert_eq!(
        since.iter().map(|e| e.id).collect::<Vec<_>>(),
        [first.id, second.id]
    );
    assert!(since[1].deleted_at.is_some());
    assert!(
        store
            .live_entries_since(id, gone.seq, 10)
            .await
            .unwrap()
            .is_empty()
    );

    // Someone else's entry is not found through this article.
    let other = store
        .create_article(&article(
            "en",
            section,
            "other-live",
            ArticleStatus::Draft,
            9_000,
        ))
        .await
        .unwrap();
    assert!(matches!(
        store.live_entry(other, first.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.delete_entry(other, first.id, at(9_700), None).await,
        Err(StoreError::NotFound)
    ));

    // Ended: no new entries, the coverage closes, entries stay.
    store.end_live(id, at(9_800)).await.unwrap();
    assert_eq!(
        store.article(id).await.unwrap().live.unwrap().until,
        Some(at(9_800))
    );
    assert!(matches!(
        store
            .add_entry(id, &text("late", false, false), at(9_900), None, None)
            .await,
        Err(StoreError::Conflict(NOT_LIVE))
    ));
    assert!(matches!(
        store.end_live(id, at(9_900)).await,
        Err(StoreError::Conflict(NOT_LIVE))
    ));
    assert_eq!(store.live_entries(id, 10).await.unwrap().len(), 1);
    // Resumed: the coverage keeps its start.
    store.start_live(id, at(10_000)).await.unwrap();
    let live = store.article(id).await.unwrap().live.unwrap();
    assert_eq!((live.since, live.until), (at(9_100), None));
    // A taken-down live blog takes no entries.
    store
        .take_down_article(id, "legal", at(10_100))
        .await
        .unwrap();
    assert!(matches!(
        store
            .add_entry(id, &text("after", false, false), at(10_200), None, None)
            .await,
        Err(StoreError::Conflict(crate::TAKEN_DOWN))
    ));
    assert!(matches!(
        store
            .add_entry(
                ArticleId(999_999),
                &text("nowhere", false, false),
                at(10_200),
                None,
                None
            )
            .await,
        Err(StoreError::NotFound)
    ));
}

async fn web_push_keys_subscriptions_and_outbox(store: &dyn Store) {
    use byline_core::{
        EntryText, NewAlert, NewPushSubscription, PushKeys, PushKind, PushNotice, PushTally,
    };
    let at = |s: i64| jiff::Timestamp::from_second(s).unwrap();
    // The key pair: the first stored wins, for every node after it.
    let first = PushKeys {
        public_key: "public-a".into(),
        private_key: "private-a".into(),
    };
    let second = PushKeys {
        public_key: "public-b".into(),
        private_key: "private-b".into(),
    };
    assert_eq!(store.push_keys(&first).await.unwrap(), first);
    assert_eq!(
        store.push_keys(&second).await.unwrap(),
        first,
        "kept, not replaced"
    );

    let subscribe =
        |edition: &str, endpoint: &str, auth: &str, key_events: bool| NewPushSubscription {
            edition: edition.into(),
            endpoint: endpoint.into(),
            p256dh: format!("key-of-{endpoint}"),
            auth: auth.into(),
            key_events,
            created_at: at(1_950_000_000),
        };
    let a = store
        .subscribe_push(&subscribe("en", "https://push.example/a", "auth-a", false))
        .await
        .unwrap();
    let b = store
        .subscribe_push(&subscribe("en", "https://push.example/b", "auth-b", true))
        .await
        .unwrap();
    store
        .subscribe_push(&subscribe("ru", "https://push.example/a", "auth-a", true))
        .await
        .unwrap();
    let renewed = store
        .subscribe_push(&subscribe("en", "https://push.example/a", "auth-a", false))
        .await
        .unwrap();
    assert_eq!(renewed, a, "the same browser and edition renew their row");
    assert!(
        matches!(
            store
                .subscribe_push(&subscribe("en", "https://push.example/a", "stolen", true))
                .await,
            Err(StoreError::Conflict(crate::OTHER_SECRET))
        ),
        "knowing the endpoint is not enough to change its keys"
    );
    assert_eq!(store.push_subscription_count(Some("en")).await.unwrap(), 2);
    assert_eq!(store.push_subscription_count(None).await.unwrap(), 3);

    // An alert with a notice: one delivery per subscriber of its edition, in its
    // transaction.
    let notice = |kind: PushKind, edition: &str, from: i64| PushNotice {
        kind,
        edition: edition.into(),
        title: "Meridian".into(),
        body: "The vote is in".into(),
        url: "https://meridian.example/en/news/vote".into(),
        created_at: at(from),
        expires_at: at(from + 7_200),
    };
    let alert = |text: &str, from: i64, push: Option<PushNotice>| NewAlert {
        edition: "en".into(),
        text: text.into(),
        url: String::new(),
        article: None,
        starts_at: at(from),
        ends_at: at(from + 7_200),
        created_by: None,
        push,
    };
    let pushed = store
        .raise_alert(
            &alert(
                "The vote is in",
                1_950_000_100,
                Some(notice(PushKind::Alert, "en", 1_950_000_100)),
            ),
            &[],
        )
        .await
        .unwrap();
    assert_eq!(
        store.push_tally_of_alert(pushed).await.unwrap(),
        PushTally {
            pending: 2,
            delivered: 0,
            failed: 0
        }
    );
    let claimed = store
        .claim_push_deliveries(at(1_950_000_100), at(1_950_000_160), 10)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 2, "{claimed:?}");
    let to_a = claimed.iter().find(|d| d.subscription == a).unwrap();
    let to_b = claimed.iter().find(|d| d.subscription == b).unwrap();
    assert_eq!(
        (
            to_a.endpoint.as_str(),
            to_a.auth.as_str(),
            to_a.kind,
            to_a.body.as_str(),
            to_a.attempts,
            to_a.expires_at
        ),
        (
            "https://push.example/a",
            "auth-a",
            PushKind::Alert,
            "The vote is in",
            1,
            at(1_950_007_300)
        )
    );
    assert_eq!(to_a.message, to_b.message, "one message, two deliveries");
    assert!(
        store
            .claim_push_deliveries(at(1_950_000_130), at(1_950_000_190), 10)
            .await
            .unwrap()
            .is_empty(),
        "leased to the first sender"
    );
    store
        .push_delivery_done(to_a.id, at(1_950_000_101))
        .await
        .unwrap();
    store
        .push_delivery_failed(to_b.id, at(1_950_000_101), Some(at(1_950_000_200)), "503")
        .await
        .unwrap();
    assert!(
        store
            .claim_push_deliveries(at(1_950_000_199), at(1_950_000_259), 10)
            .await
            .unwrap()
            .is_empty(),
        "delivered stays delivered; the failed one waits for its retry"
    );
    let retried = store
        .claim_push_deliveries(at(1_950_000_200), at(1_950_000_260), 10)
        .await
        .unwrap();
    assert_eq!(
        retried
            .iter()
            .map(|d| (d.id, d.attempts))
            .collect::<Vec<_>>(),
        [(to_b.id, 2)]
    );
    // The push service says b is gone: every subscription of that endpoint goes, and
    // what was queued for it with them.
    store.push_endpoint_gone(b).await.unwrap();
    assert_eq!(store.push_subscription_count(Some("en")).await.unwrap(), 1);
    assert_eq!(
        store.push_tally_of_alert(pushed).await.unwrap(),
        PushTally {
            pending: 0,
            delivered: 1,
            failed: 0
        }
    );
    assert!(matches!(
        store
            .push_delivery_failed(to_b.id, at(1_950_000_201), None, "gone")
            .await,
        Err(StoreError::NotFound)
    ));

    // Ending an alert gives up what it had not yet pushed.
    let ended = store
        .raise_alert(
            &alert(
                "Ended early",
                1_950_001_000,
                Some(notice(PushKind::Alert, "en", 1_950_001_000)),
            ),
            &[],
        )
        .await
        .unwrap();
    let in_flight = store
        .claim_push_deliveries(at(1_950_001_000), at(1_950_001_060), 10)
        .await
        .unwrap();
    assert_eq!(in_flight.len(), 1);
    store.end_alert(ended, at(1_950_001_010)).await.unwrap();
    assert!(
        matches!(
            store
                .push_delivery_done(in_flight[0].id, at(1_950_001_011))
                .await,
            Err(StoreError::NotFound)
        ),
        "a delivery given up while in flight is not also delivered"
    );
    assert_eq!(
        store.push_tally_of_alert(ended).await.unwrap(),
        PushTally {
            pending: 0,
            delivered: 0,
            failed: 1
        }
    );

    // A key event reaches only those who asked for key events; a deleted entry is not
    // announced any more; a draft's entries never are.
    let section = store
        .upsert_section(
            &slug("push"),
            &Localized::default(),
            &Localized::default(),
            12,
        )
        .await
        .unwrap();
    let live = store
        .create_article(&article(
            "ru",
            section,
            "push-live",
            ArticleStatus::Published,
            1_950_000_000,
        ))
        .await
        .unwrap();
    store.start_live(live, at(1_950_002_000)).await.unwrap();
    let entry = EntryText {
        title: String::new(),
        body_markdown: "key".into(),
        body_html: "<p>key</p>".into(),
        author: None,
        key_event: true,
        pinned: false,
    };
    store
        .subscribe_push(&subscribe("ru", "https://push.example/c", "auth-c", false))
        .await
        .unwrap();
    let key = store
        .add_entry(
            live,
            &entry,
            at(1_950_002_100),
            None,
            Some(&notice(PushKind::KeyEvent, "ru", 1_950_002_100)),
        )
        .await
        .unwrap();
    assert_eq!(
        store.push_tally_of_entry(key.id).await.unwrap().pending,
        1,
        "a's Russian subscription asked for key events; c's did not"
    );
    store
        .delete_entry(live, key.id, at(1_950_002_200), None)
        .await
        .unwrap();
    assert_eq!(
        store.push_tally_of_entry(key.id).await.unwrap(),
        PushTally {
            pending: 0,
            delivered: 0,
            failed: 1
        }
    );

    let draft = store
        .create_article(&article(
            "ru",
            section,
            "push-draft",
            ArticleStatus::Draft,
            1_950_000_000,
        ))
        .await
        .unwrap();
    store.start_live(draft, at(1_950_002_000)).await.unwrap();
    let quiet = store
        .add_entry(
            draft,
            &entry,
            at(1_950_002_300),
            None,
            Some(&notice(PushKind::KeyEvent, "ru", 1_950_002_300)),
        )
        .await
        .unwrap();
    assert_eq!(
        store.push_tally_of_entry(quiet.id).await.unwrap(),
        PushTally::default(),
        "a draft's key events are not announced"
    );

    // Settled messages are pruned with their deliveries; the tally forgets them.
    assert!(
        store.prune_push_messages(at(1_950_000_050)).await.unwrap() == 0,
        "nothing that old"
    );
    let pruned = store.prune_push_messages(at(1_960_000_000)).await.unwrap();
    assert!(pruned >= 2, "{pruned}");
    assert_eq!(
        store.push_tally_of_alert(pushed).await.unwrap(),
        PushTally::default()
    );

    // Only the holder of a subscription's secret can remove it.
    assert_eq!(
        store
            .unsubscribe_push("https://push.example/c", "not-the-secret", None)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        store
            .unsubscribe_push("https://push.example/c", "auth-c", Some("ru"))
            .await
            .unwrap(),
        1
    );
}
