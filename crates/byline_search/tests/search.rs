//! The search index on real files: analysis, ranking, filters, snippets, suggestions,
//! and what happens when the index on disk is damaged.

use byline_core::{ArticleId, AuthorId, SectionId, TagId};
use byline_search::{
    Filters, IndexedArticle, OpenState, SearchIndex, SearchRequest, SearchResults, SortOrder,
    WriterOptions,
};

const DAY: i64 = 86_400;
const NOW: i64 = 1_800_000_000;

fn article(id: i64, edition: &str, title: &str, body: &str, age_days: i64) -> IndexedArticle {
    IndexedArticle {
        id: ArticleId(id),
        edition: edition.into(),
        section: SectionId(1),
        slug: format!("a-{id}"),
        title: title.into(),
        subtitle: String::new(),
        body: body.into(),
        authors: vec![],
        tags: vec![],
        published: NOW - age_days * DAY,
    }
}

fn index_of(articles: &[IndexedArticle]) -> SearchIndex {
    let index = SearchIndex::in_memory().unwrap();
    for a in articles {
        index.upsert(a).unwrap();
    }
    index.commit(1).unwrap();
    index
}

fn search(index: &SearchIndex, text: &str, filters: Filters) -> SearchResults {
    index
        .search(&SearchRequest {
            text: text.into(),
            filters,
            order: SortOrder::Relevance,
            offset: 0,
            limit: 10,
            now: NOW,
        })
        .unwrap()
}

fn ids(r: &SearchResults) -> Vec<i64> {
    r.hits.iter().map(|h| h.id.0).collect()
}

fn en() -> Filters {
    Filters {
        edition: Some("en".into()),
        ..Default::default()
    }
}

#[test]
fn an_exact_title_match_ranks_first_and_a_newer_article_wins_a_tie() {
    let index = index_of(&[
        article(
            1,
            "en",
            "Water prices and the grid",
            "grid grid grid water water",
            1,
        ),
        article(
            2,
            "en",
            "The grid",
            "An old piece about something else.",
            2000,
        ),
        article(3, "en", "Notes", "The grid was upgraded.", 30),
        article(4, "en", "Notes", "The grid was upgraded.", 3),
    ]);
    let r = search(&index, "the grid", en());
    assert_eq!(r.hits[0].id.0, 2, "exact title first, however old: {r:?}");
    let r = search(&index, "upgraded", en());
    assert_eq!(ids(&r), vec![4, 3], "same text: the newer first");
    let newest = index
        .search(&SearchRequest {
            text: "grid".into(),
            filters: en(),
            order: SortOrder::Newest,
            offset: 0,
            limit: 10,
            now: NOW,
        })
        .unwrap();
    assert_eq!(ids(&newest), vec![1, 4, 3, 2]);
}

#[test]
fn english_and_russian_words_are_stemmed() {
    let index = index_of(&[
        article(1, "en", "Talks", "The negotiations resumed in Geneva.", 1),
        article(
            2,
            "ru",
            "Переговоры",
            "Стороны договорились о новых переговорах.",
            1,
        ),
        article(3, "en", "Other", "Nothing to see.", 1),
    ]);
    assert_eq!(ids(&search(&index, "negotiating", en())), vec![1]);
    let ru = Filters {
        edition: Some("ru".into()),
        ..Default::default()
    };
    assert_eq!(ids(&search(&index, "переговоры", ru.clone())), vec![2]);
    assert_eq!(ids(&search(&index, "ПЕРЕГОВОРАХ", ru)), vec![2]);
    // Every edition: each language analyzes the query its own way.
    let all = search(&index, "переговорам negotiation", Filters::default());
    assert_eq!(all.total, 2, "relaxed to any word: {all:?}");
    assert!(all.relaxed);
}

#[test]
fn armenian_is_tokenized_and_case_folded() {
    let index = index_of(&[article(
        1,
        "hy",
        "ԵՐԵՎԱՆԻ ջրամատակարարում",
        "Ինչո՞ւ է Երևանում ջուրը թանկանում։",
        1,
    )]);
    let hy = Filters {
        edition: Some("hy".into()),
        ..Default::default()
    };
    assert_eq!(ids(&search(&index, "երևանի", hy.clone())), vec![1]);
    assert_eq!(ids(&search(&index, "ինչու", hy.clone())), vec![1]);
    assert_eq!(
        ids(&search(&index, "Երեվանում", hy)),
        vec![1],
        "և and եվ are one"
    );
}

#[test]
fn phrases_exclusions_and_forgiving_input() {
    let index = index_of(&[
        article(1, "en", "A", "The power line crosses the river.", 1),
        article(2, "en", "B", "The line of power is long.", 1),
        article(3, "en", "C", "Coal power is cheap.", 1),
    ]);
    assert_eq!(ids(&search(&index, "\"power line\"", en())), vec![1]);
    let mut r = ids(&search(&index, "power -coal", en()));
    r.sort();
    assert_eq!(r, vec![1, 2]);
    assert_eq!(
        ids(&search(&index, "\"power line", en())),
        vec![1],
        "unbalanced quote"
    );
    for junk in ["- + * ( )", "\"", "", "!!!", "the of and", "-power"] {
        let r = search(&index, junk, en());
        assert!(r.hits.is_empty() && r.empty_query, "{junk:?}: {r:?}");
    }
    let long = "power ".repeat(2000);
    assert_eq!(search(&index, &long, en()).total, 3);
}

#[test]
fn filters_and_per_section_counts() {
    let mut docs = Vec::new();
    for i in 0..10 {
        let mut a = article(
            i,
            if i < 8 { "en" } else { "ru" },
            "Budget",
            "budget news",
            i,
        );
        a.section = SectionId(1 + i % 3);
        a.authors = vec![(AuthorId(if i % 2 == 0 { 7 } else { 8 }), "Ann Lee".into())];
        a.tags = vec![(TagId(if i < 4 { 5 } else { 6 }), "money".into())];
        docs.push(a);
    }
    let index = index_of(&docs);
    let r = search(&index, "budget", en());
    assert_eq!(r.total, 8);
    let counts: Vec<(i64, u64)> = r.sections.iter().map(|(s, n)| (s.0, *n)).collect();
    assert_eq!(counts, vec![(1, 3), (2, 3), (3, 2)]);
    let by_section = search(
        &index,
        "budget",
        Filters {
            section: Some(SectionId(3)),
            ..en()
        },
    );
    assert_eq!(by_section.total, 2);
    assert_eq!(
        by_section.sections.len(),
        3,
        "counts ignore the section filter"
    );
    let by_author = search(
        &index,
        "budget",
        Filters {
            author: Some(AuthorId(7)),
            ..en()
        },
    );
    assert_eq!(by_author.total, 4);
    let by_tag = search(
        &index,
        "budget",
        Filters {
            tag: Some(TagId(5)),
            ..en()
        },
    );
    assert_eq!(by_tag.total, 4);
    let by_date = search(
        &index,
        "budget",
        Filters {
            from: Some(NOW - 3 * DAY),
            until: Some(NOW - DAY + 1),
            ..en()
        },
    );
    let mut got = ids(&by_date);
    got.sort();
    assert_eq!(got, vec![1, 2, 3]);
    assert_eq!(search(&index, "budget", Filters::default()).total, 10);
    assert_eq!(
        search(&index, "ann", en()).total,
        8,
        "author names are searchable"
    );
}

#[test]
fn snippets_are_escaped_and_highlight_matches() {
    let index = index_of(&[article(
        1,
        "en",
        "Markup",
        "A reader wrote <script>alert('x')</script> next to the zebra crossing & more.",
        1,
    )]);
    let r = search(&index, "zebra", en());
    let snippet = &r.hits[0].snippet_html;
    assert!(snippet.contains("<mark>zebra</mark>"), "{snippet}");
    assert!(snippet.contains("&lt;script&gt;"), "{snippet}");
    assert!(!snippet.contains("<script"), "{snippet}");
    assert!(snippet.contains("&amp;"), "{snippet}");
    let r = search(&index, "script", en());
    assert!(
        r.hits[0]
            .snippet_html
            .contains("&lt;<mark>script</mark>&gt;"),
        "{}",
        r.hits[0].snippet_html
    );
}

#[test]
fn suggestions_complete_title_words_and_did_you_mean_fixes_typos() {
    let index = index_of(&[
        article(1, "en", "Grid interconnectors: learning to share", "x", 10),
        article(2, "en", "Gridlock in the capital", "x", 1),
        article(3, "ru", "Энергосистемы учатся делиться", "x", 1),
        article(4, "en", "Interconnectors again", "x", 5),
    ]);
    let titles = |input: &str, ed: Option<&str>| -> Vec<i64> {
        index
            .suggest(input, ed, 5)
            .unwrap()
            .iter()
            .map(|s| s.id.0)
            .collect()
    };
    assert_eq!(titles("gri", Some("en")), vec![2, 1], "newest first");
    assert_eq!(titles("grid inter", Some("en")), vec![1]);
    assert_eq!(titles("энерго", None), vec![3]);
    assert!(titles("g", Some("en")).is_empty());
    assert!(titles("", None).is_empty());
    let r = search(&index, "interconectors", en());
    assert_eq!(r.total, 0);
    assert_eq!(r.did_you_mean.as_deref(), Some("interconnectors"));
    assert_eq!(search(&index, "interconnectors", en()).did_you_mean, None);
}

#[test]
fn pages_past_the_cap_are_empty_but_counted() {
    let docs: Vec<_> = (0..30)
        .map(|i| article(i, "en", "Same", "same", i))
        .collect();
    let index = index_of(&docs);
    let r = index
        .search(&SearchRequest {
            text: "same".into(),
            filters: en(),
            offset: 1_000_000_000,
            limit: 10,
            now: NOW,
            ..Default::default()
        })
        .unwrap();
    assert!(r.hits.is_empty());
    assert_eq!(r.total, 30);
}

#[test]
fn the_position_survives_reopening_and_damage_is_noticed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("search");
    {
        let (index, state) = SearchIndex::open(&path, WriterOptions::SERVING).unwrap();
        assert_eq!(state, OpenState::Created);
        assert_eq!(index.position(), None);
        index.upsert(&article(1, "en", "Kept", "kept", 1)).unwrap();
        index.commit(42).unwrap();
        // Written but never committed: lost with the process, replayed from the feed.
        index.upsert(&article(2, "en", "Lost", "lost", 1)).unwrap();
    }
    {
        let (index, state) = SearchIndex::open(&path, WriterOptions::SERVING).unwrap();
        assert_eq!(state, OpenState::Current { position: 42 });
        assert_eq!(index.num_docs(), 1);
    }
    // Damage the segment files: the index is replaced by an empty one, saying why.
    for entry in std::fs::read_dir(&path).unwrap().flatten() {
        if entry.path().extension().is_some_and(|e| e == "idx") {
            std::fs::write(entry.path(), b"garbage").unwrap();
        }
    }
    let (index, state) = SearchIndex::open(&path, WriterOptions::SERVING).unwrap();
    assert!(matches!(state, OpenState::Replaced { .. }), "{state:?}");
    assert_eq!(index.num_docs(), 0);
    assert_eq!(index.position(), None);
    index.upsert(&article(1, "en", "Kept", "kept", 1)).unwrap();
    index.commit(50).unwrap();
    drop(index);
    // Missing segment files: replaced.
    for entry in std::fs::read_dir(&path).unwrap().flatten() {
        if entry.path().extension().is_some_and(|e| e == "store") {
            std::fs::remove_file(entry.path()).unwrap();
        }
    }
    let (index, state) = SearchIndex::open(&path, WriterOptions::SERVING).unwrap();
    assert!(matches!(state, OpenState::Replaced { .. }), "{state:?}");
    drop(index);
    // A missing meta.json with files left: replaced too.
    std::fs::remove_file(path.join("meta.json")).unwrap();
    std::fs::write(path.join("stray.idx"), b"x").unwrap();
    let (_, state) = SearchIndex::open(&path, WriterOptions::SERVING).unwrap();
    assert!(matches!(state, OpenState::Replaced { .. }), "{state:?}");
}

/// The writer is opened at the first write and closed on request (a serving index is
/// idle nearly all the time); the index stays this process's all the while: another
/// opening is refused with the writer closed too, and `byline reindex`'s check says so.
#[test]
fn the_writer_opens_at_a_write_and_the_index_stays_held_with_it_closed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("search");
    let (index, _) = SearchIndex::open(&path, WriterOptions::SERVING).unwrap();
    assert!(!index.writer_is_open(), "opening writes nothing");
    let Err(e) = SearchIndex::open(&path, WriterOptions::SERVING) else {
        panic!("opened twice while its writer was closed");
    };
    assert!(e.to_string().contains("in use"), "{e}");
    assert!(SearchIndex::ensure_unlocked(&path).is_err());

    for (n, id) in [(1u64, 1), (2, 2)] {
        index
            .upsert(&article(
                id,
                "en",
                "Salt marsh",
                "Herons nest in the reeds.",
                1,
            ))
            .unwrap();
        assert!(index.writer_is_open(), "a write opens the writer");
        index.commit(id).unwrap();
        index.close_writer().unwrap();
        assert!(!index.writer_is_open());
        assert_eq!(
            index.num_docs(),
            n,
            "committed documents outlive the writer"
        );
        assert_eq!(index.position(), Some(id));
    }
    assert!(SearchIndex::open(&path, WriterOptions::SERVING).is_err());

    drop(index);
    SearchIndex::ensure_unlocked(&path).unwrap();
    let (again, state) = SearchIndex::open(&path, WriterOptions::SERVING).unwrap();
    assert_eq!(state, OpenState::Current { position: 2 });
    assert_eq!(again.num_docs(), 2);
}

/// A serving index closes its writer only when no merge the writer started is running
/// (closing waits for merges): one-document commits are merged by tantivy's policy in
/// the background, and the writer closes once that has ended, every document kept.
#[test]
fn the_writer_closes_once_the_merges_it_started_have_ended() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("search");
    let (index, _) = SearchIndex::open(&path, WriterOptions::SERVING).unwrap();
    for id in 1..=12 {
        index
            .upsert(&article(id, "en", "Tide table", "Low water at noon.", 1))
            .unwrap();
        index.commit(id).unwrap();
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !index.close_writer_unless_merging().unwrap() {
        assert!(index.writer_is_open());
        assert!(
            std::time::Instant::now() < deadline,
            "the merges never ended"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert!(!index.writer_is_open());
    assert!(
        index.close_writer_unless_merging().unwrap(),
        "nothing left to close"
    );
    assert_eq!(index.num_docs(), 12);
    drop(index);
    let segments = tantivy::Index::open_in_dir(&path)
        .unwrap()
        .searchable_segment_ids()
        .unwrap()
        .len();
    assert!(
        segments < 12,
        "tantivy merged the commits' segments ({segments} left)"
    );
}

#[test]
fn a_second_writer_is_refused_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("search");
    let (_first, _) = SearchIndex::open(&path, WriterOptions::SERVING).unwrap();
    let Err(e) = SearchIndex::open(&path, WriterOptions::SERVING) else {
        panic!("opened twice");
    };
    assert!(e.to_string().contains("in use"), "{e}");
}
