//! The article list (`/newsroom`): words through the newsroom's search index (drafts
//! included, word forms matched), every filter as a query parameter, both sorts, pages
//! of 50 with counts per status, "my work", and hostile parameters.

use crate::client::{Client, add_user, login};
use crate::common::html::{attr, select, testid, text};
use crate::common::{TestResponse, TestSite, fluent};
use byline_content::{ArticleForm, Transition};
use byline_core::{ArticleId, Role, User};

fn listed(page: &TestResponse) -> Vec<i64> {
    select(&page.html(), "[data-testid=articles] [data-article]")
        .into_iter()
        .map(|row| attr(row, "data-article").parse().unwrap())
        .collect()
}

fn count(page: &TestResponse, status: &str) -> u64 {
    text(testid(&page.html(), &format!("count-{status}")))
        .parse()
        .unwrap()
}

async fn draft(site: &TestSite, owner: &User, form: ArticleForm) -> ArticleId {
    site.content().create_draft(owner, &form).await.unwrap().0
}

fn form(edition: &str, section: &str, title: &str, body: &str) -> ArticleForm {
    ArticleForm {
        edition: edition.into(),
        section: section.into(),
        title: title.into(),
        body: body.into(),
        ..Default::default()
    }
}

struct Desk {
    site: TestSite,
    writer: User,
    editor: User,
    editor_client: Client,
    writer_client: Client,
    section: String,
}

async fn desk() -> Desk {
    let site = TestSite::demo().await;
    let writer = add_user(&site, "writer@example.org", Role::Contributor).await;
    let editor = add_user(&site, "editor@example.org", Role::Editor).await;
    let section = site.content().catalog().sections[0]
        .slug
        .as_str()
        .to_owned();
    Desk {
        editor_client: login(&site, "editor@example.org").await,
        writer_client: login(&site, "writer@example.org").await,
        site,
        writer,
        editor,
        section,
    }
}

#[tokio::test]
async fn words_find_drafts_in_any_word_form_and_only_for_those_who_may_see_them() {
    let d = desk().await;
    let ru = draft(
        &d.site,
        &d.writer,
        form(
            "ru",
            &d.section,
            "Подготовка к наблюдению",
            "Обсерватория ждёт метеориты и кометы.",
        ),
    )
    .await;
    let hy = draft(
        &d.site,
        &d.writer,
        form(
            "hy",
            &d.section,
            "Երկնաքարերի սպասում",
            "Աստղադիտարանը սպասում է երկնաքարերին։",
        ),
    )
    .await;
    d.site.settle().await;

    // Another form of the word than the text has (метеориты → метеоритами), in a draft.
    let found = d
        .editor_client
        .get(
            &d.site,
            &format!("/newsroom?q={}", urlencode("метеоритами")),
        )
        .await;
    found.assert_ok();
    assert_eq!(listed(&found), [ru.0], "{}", found.body);
    // Armenian: another case of the letters.
    let found = d
        .editor_client
        .get(
            &d.site,
            &format!("/newsroom?q={}&edition=hy", urlencode("ԵՐԿՆԱՔԱՐԵՐԻ")),
        )
        .await;
    assert_eq!(listed(&found), [hy.0], "{}", found.body);
    // The edition filter narrows the words too.
    let none = d
        .editor_client
        .get(
            &d.site,
            &format!("/newsroom?q={}&edition=en", urlencode("метеоритами")),
        )
        .await;
    assert_eq!(listed(&none), Vec::<i64>::new());
    // Drafts stay out of reader search.
    let reader = d
        .site
        .get(&format!("/ru/search?q={}", urlencode("метеоритами")))
        .await;
    assert!(!reader.body.contains("Подготовка к наблюдению"));

    // Someone else's draft matching the words is not shown to a contributor.
    let theirs = draft(
        &d.site,
        &d.editor,
        form("ru", &d.section, "Метеориты глазами редактора", "Текст."),
    )
    .await;
    d.site.settle().await;
    let all = d
        .editor_client
        .get(&d.site, &format!("/newsroom?q={}", urlencode("метеориты")))
        .await;
    let mut ids = listed(&all);
    ids.sort();
    assert_eq!(ids, [ru.0, theirs.0]);
    let own = d
        .writer_client
        .get(&d.site, &format!("/newsroom?q={}", urlencode("метеориты")))
        .await;
    assert_eq!(listed(&own), [ru.0]);

    // A later edit is found by its new words, the old ones no longer find it.
    let mut changed = form(
        "ru",
        &d.section,
        "Подготовка к наблюдению",
        "Совсем другой текст.",
    );
    changed.title = "Гравитационные волны".into();
    let revision = d
        .site
        .content()
        .newsroom_article(&d.writer, ru)
        .await
        .unwrap()
        .1
        .revision;
    d.site
        .content()
        .save_article(&d.writer, ru, revision, &changed)
        .await
        .unwrap();
    d.site.settle().await;
    let old = d
        .writer_client
        .get(&d.site, &format!("/newsroom?q={}", urlencode("наблюдению")))
        .await;
    assert_eq!(listed(&old), Vec::<i64>::new());
    let new = d
        .writer_client
        .get(
            &d.site,
            &format!("/newsroom?q={}", urlencode("гравитационная")),
        )
        .await;
    assert_eq!(listed(&new), [ru.0]);
}

#[tokio::test]
async fn filters_sorts_tabs_pages_and_my_work_are_query_parameters() {
    let d = desk().await;
    let catalog = d.site.content().catalog();
    let author = catalog.authors[0].slug.as_str().to_owned();
    let tag = catalog.tags[0].slug.as_str().to_owned();
    let other_section = catalog.sections[1].slug.as_str().to_owned();
    let mut ids = Vec::new();
    for n in 0..52 {
        let mut f = form("en", &d.section, &format!("Desk note {n}"), "Plain text.");
        if n == 7 {
            f.authors = author.clone();
            f.tags = tag.clone();
            f.section = other_section.clone();
        }
        ids.push(draft(&d.site, &d.writer, f).await);
    }
    d.site
        .content()
        .transition(&d.writer, ids[3], Transition::Submit)
        .await
        .unwrap();
    d.site.settle().await;

    // Pages of 50, newest change first; the pager keeps the filters.
    let first = d.writer_client.get(&d.site, "/newsroom?status=draft").await;
    first.assert_ok();
    let shown = listed(&first);
    assert_eq!(shown.len(), 50);
    assert_eq!(shown[0], ids[51].0, "the newest change first");
    assert_eq!(count(&first, "draft"), 51);
    assert_eq!(count(&first, "in_review"), 1);
    assert_eq!(count(&first, "all"), 52);
    let pager = first.html();
    let next = select(&pager, "[data-testid=pager] a[rel=next]");
    let next = attr(next[0], "href");
    assert_eq!(next, "/newsroom?status=draft&page=2");
    let second = d.writer_client.get(&d.site, &next).await;
    assert_eq!(listed(&second).len(), 1);
    assert!(select(&second.html(), "[data-testid=pager] a[rel=next]").is_empty());
    assert_eq!(
        listed(
            &d.writer_client
                .get(&d.site, "/newsroom?status=draft&page=9")
                .await
        ),
        Vec::<i64>::new(),
        "past the last page: empty, not an error"
    );

    // Each filter alone.
    for (query, expected) in [
        (format!("/newsroom?author={author}"), vec![ids[7].0]),
        (format!("/newsroom?tag={tag}"), vec![ids[7].0]),
        (format!("/newsroom?section={other_section}"), vec![ids[7].0]),
        ("/newsroom?status=in_review".to_owned(), vec![ids[3].0]),
        ("/newsroom?edition=ru".to_owned(), vec![]),
        ("/newsroom?from=2001-01-01&to=2001-12-31".to_owned(), vec![]),
    ] {
        let page = d.writer_client.get(&d.site, &query).await;
        page.assert_ok();
        assert_eq!(listed(&page), expected, "{query}");
    }
    let today = d.site.content().site_time(jiff::Timestamp::now());
    let today = &today[..10];
    let dated = d
        .writer_client
        .get(
            &d.site,
            &format!("/newsroom?from={today}&to={today}&status=in_review"),
        )
        .await;
    assert_eq!(listed(&dated), [ids[3].0]);

    // Published order: the editor publishes one; it leads, never-published ones follow.
    d.site
        .content()
        .transition(&d.editor, ids[10], Transition::Publish)
        .await
        .unwrap();
    d.site.settle().await;
    let by_published = d
        .editor_client
        .get(&d.site, "/newsroom?sort=published&edition=en&q=desk")
        .await;
    assert_eq!(listed(&by_published)[0], ids[10].0, "{}", by_published.body);

    // "My work" for an editor: their own, not the writer's.
    let own = draft(
        &d.site,
        &d.editor,
        form("en", &d.section, "Editor's own", "Text."),
    )
    .await;
    d.site.settle().await;
    let mine = d.editor_client.get(&d.site, "/newsroom?mine=1").await;
    assert_eq!(listed(&mine), [own.0]);
    let html = mine.html();
    let tab = select(&html, "[data-testid=status-tabs] a[data-status=draft]");
    assert_eq!(attr(tab[0], "href"), "/newsroom?status=draft&mine=1");
    assert_eq!(
        attr(select(&html, "[data-testid=my-work]")[0], "aria-current"),
        "page"
    );
}

#[tokio::test]
async fn parameters_that_name_nothing_get_a_message_beside_their_field() {
    let d = desk().await;
    for (query, field) in [
        ("/newsroom?from=yesterday", "from"),
        ("/newsroom?to=2026-02-31", "to"),
        ("/newsroom?from=2026-05-02&to=2026-05-01", "to"),
        ("/newsroom?section=no-such-section", "section"),
        ("/newsroom?author=nobody-at-all", "author"),
        ("/newsroom?tag=%3Cscript%3E", "tag"),
        ("/newsroom?edition=xx", "edition"),
        ("/newsroom?status=nonsense", "status"),
        ("/newsroom?sort=random", "sort"),
        ("/newsroom?page=0", "page"),
        ("/newsroom?page=-1", "page"),
        ("/newsroom?page=99999999999999999999", "page"),
    ] {
        let page = d.editor_client.get_lang(&d.site, query, "ru").await;
        assert_eq!(page.status, 400, "{query}");
        let html = page.html();
        let message = text(testid(&html, &format!("error-{field}")));
        assert!(!message.is_empty(), "{query}");
        assert!(
            page.body
                .contains(&fluent("ru", "newsroom-list-error-summary")),
            "in the newsroom's language: {query}"
        );
        assert!(listed(&page).is_empty());
    }
    // What was typed stays in the form, escaped.
    let typed = d
        .editor_client
        .get(&d.site, "/newsroom?tag=%3Cscript%3Ex&q=%22quoted%22")
        .await;
    assert_eq!(typed.status, 400);
    assert!(!typed.body.contains("<script>x"));
    let html = typed.html();
    assert_eq!(attr(select(&html, "#f-tag")[0], "value"), "<script>x");
    assert_eq!(attr(select(&html, "#f-q")[0], "value"), "\"quoted\"");

    // Too many words; words that are only punctuation are ignored, not an error.
    let long = "word ".repeat(60);
    let page = d
        .editor_client
        .get(&d.site, &format!("/newsroom?q={}", urlencode(&long)))
        .await;
    assert_eq!(page.status, 400);
    assert!(!text(testid(&page.html(), "error-q")).is_empty());
    let page = d.editor_client.get(&d.site, "/newsroom?q=%21%21%21").await;
    page.assert_ok();
    assert!(page.body.contains(&fluent("en", "newsroom-list-ignored")));

    // A lower role asking for deleted ones: refused, not explained as a typo.
    let refused = d
        .writer_client
        .get(&d.site, "/newsroom?status=deleted")
        .await;
    assert_eq!(refused.status, 403);
    // A parameter twice: a clear 400, never a 500.
    let twice = d
        .editor_client
        .get(&d.site, "/newsroom?status=draft&status=published")
        .await;
    assert_eq!(twice.status, 400);
}

fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)]).unwrap()[1..].to_owned()
}
