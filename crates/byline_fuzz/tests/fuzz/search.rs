//! The search query parser and the queries it builds: any text is a bounded query,
//! and searching and suggesting with it on a real (in-memory) index never fails.

use byline_core::limits::{MAX_SEARCH_QUERY_CHARS, MAX_SEARCH_QUERY_PARTS};
use byline_core::{ArticleId, SectionId};
use byline_fuzz::{fuzz, text};
use byline_search::{Filters, IndexedArticle, SearchIndex, SearchRequest, SortOrder, parse};
use proptest::prelude::*;

const NOW: i64 = 1_800_000_000;

fn index() -> SearchIndex {
    let index = SearchIndex::in_memory().unwrap();
    let bodies = [
        (
            "en",
            "Grid power line prices",
            "The power line to the north carries co-operation.",
        ),
        (
            "ru",
            "Цены на электроэнергию",
            "Линия электропередачи на север.",
        ),
        ("hy", "Էլեկտրաէներգիայի գները", "Հյուսիսային գիծը։"),
    ];
    for (i, (edition, title, body)) in bodies.into_iter().enumerate() {
        index
            .upsert(&IndexedArticle {
                id: ArticleId(i as i64 + 1),
                edition: edition.into(),
                section: SectionId(1),
                slug: format!("a-{i}"),
                title: title.into(),
                subtitle: String::new(),
                body: body.into(),
                authors: vec![],
                tags: vec![],
                published: NOW - 86_400,
            })
            .unwrap();
    }
    index.commit(1).unwrap();
    index
}

#[test]
fn any_text_is_a_bounded_query_that_searches() {
    let index = index();
    let query = prop_oneof![
        text(),
        proptest::collection::vec(
            prop_oneof![
                Just("\""),
                Just("-"),
                Just(" "),
                Just("power"),
                Just("line"),
                Just("линия"),
                Just("գիծը"),
                Just("co-operation"),
                Just("the"),
                Just("*"),
                Just(":"),
            ],
            0..300
        )
        .prop_map(|p| p.concat()),
    ];
    // Found by this target: an excluded phrase that matches nothing made tantivy's
    // phrase scorer panic in debug builds (see byline_search's exclusion.rs).
    for q in [
        "-co-operation*--\"\"-------\"\"-*линия*--\"\"\"*գիծը",
        "water -co-operation",
    ] {
        for edition in [Some("en"), None] {
            let found = index.search(&SearchRequest {
                text: q.to_owned(),
                filters: Filters {
                    edition: edition.map(str::to_owned),
                    ..Default::default()
                },
                order: SortOrder::Relevance,
                offset: 0,
                limit: 10,
                now: NOW,
            });
            assert!(found.is_ok(), "{q}: {found:?}");
        }
    }
    fuzz("search-query", query, |q| {
        let parsed = parse(&q);
        let parts = parsed.words.len() + parsed.phrases.len() + parsed.excluded.len();
        prop_assert!(parts <= MAX_SEARCH_QUERY_PARTS);
        for part in parsed
            .words
            .iter()
            .chain(&parsed.phrases)
            .chain(&parsed.excluded)
        {
            prop_assert!(!part.is_empty());
            prop_assert!(part.chars().count() <= MAX_SEARCH_QUERY_CHARS);
        }
        for (edition, order) in [
            (Some("en"), SortOrder::Relevance),
            (None, SortOrder::Newest),
        ] {
            let found = index.search(&SearchRequest {
                text: q.clone(),
                filters: Filters {
                    edition: edition.map(str::to_owned),
                    ..Default::default()
                },
                order,
                offset: 0,
                limit: 10,
                now: NOW,
            });
            prop_assert!(found.is_ok(), "{found:?}");
            let suggested = index.suggest(&q, edition, 8);
            prop_assert!(suggested.is_ok(), "{suggested:?}");
        }
        Ok(())
    });
}
