//! The dashboard: review queue, scheduled queue, most read and views per day.

use crate::client::login_as;
use crate::common::TestSite;
use crate::common::html::{attr, select, testid, text, texts, within, within_one};
use byline_content::{ArticleForm, Transition};
use byline_core::Role;
use byline_store::ViewDelta;
use jiff::{SignedDuration, Timestamp};

/// The articles a dashboard list names, in order: id, title, and what follows the
/// title (edition, date, views).
fn listed(html: &scraper::Html, list: &str) -> Vec<(i64, String, String)> {
    within(testid(html, list), "li[data-article]")
        .into_iter()
        .map(|li| {
            (
                attr(li, "data-article").parse().unwrap(),
                text(within_one(li, "a")),
                text(within_one(li, ".nr-muted")),
            )
        })
        .collect()
}

/// The UTC date `ago_days` before `now`.
fn day(now: Timestamp, ago_days: i64) -> String {
    (now - SignedDuration::from_hours(24 * ago_days))
        .strftime("%Y-%m-%d")
        .to_string()
}

#[tokio::test]
async fn the_dashboard_shows_queues_most_read_and_a_chart() {
    let site = TestSite::demo().await;
    // One reading of the clock for every date below, so that a run across midnight
    // expects the same days it stored.
    let now = Timestamp::now();
    let day = |ago_days| day(now, ago_days);
    let (editor_user, editor) = login_as(&site, "desk@example.org", Role::Editor).await;
    let content = site.content();
    let form = |title: &str| ArticleForm {
        edition: "en".into(),
        section: "analytics".into(),
        title: title.into(),
        body: "x".into(),
        ..Default::default()
    };
    let (waiting, _) = content
        .create_draft(&editor_user, &form("Needs a look"))
        .await
        .unwrap();
    content
        .transition(&editor_user, waiting, Transition::Submit)
        .await
        .unwrap();
    let (later, _) = content
        .create_draft(&editor_user, &form("Goes out later"))
        .await
        .unwrap();
    content
        .transition(
            &editor_user,
            later,
            Transition::Schedule(Timestamp::now() + SignedDuration::from_hours(48)),
        )
        .await
        .unwrap();
    let store = site.store();
    let today = store
        .published_article("en", &site_slug(&site).await)
        .await
        .unwrap();
    let (older_id, _) = content
        .create_draft(&editor_user, &form("Read last week"))
        .await
        .unwrap();
    content
        .transition(&editor_user, older_id, Transition::Publish)
        .await
        .unwrap();
    store
        .add_views(&[
            ViewDelta {
                article: today.id,
                day: day(0),
                count: 40,
            },
            ViewDelta {
                article: older_id,
                day: day(5),
                count: 900,
            },
            ViewDelta {
                article: older_id,
                day: day(30),
                count: 5000,
            },
        ])
        .await
        .unwrap();

    let page = editor.get(&site, "/newsroom/dashboard").await;
    page.assert_ok();
    let doc = page.html();
    let titled = |list: &str| {
        listed(&doc, list)
            .into_iter()
            .map(|(id, title, _)| (id, title))
            .collect::<Vec<_>>()
    };
    assert_eq!(titled("waiting"), [(waiting.0, "Needs a look".to_owned())]);
    assert_eq!(
        titled("scheduled"),
        [(later.0, "Goes out later".to_owned())]
    );
    let read_day = listed(&doc, "read-day");
    assert!(
        read_day.iter().any(|(id, title, meta)| *id == today.id.0
            && *title == today.title
            && meta.ends_with(" · 40 views")),
        "{read_day:?}"
    );
    assert!(
        read_day.iter().all(|(id, ..)| *id != older_id.0),
        "read five days ago, not today: {read_day:?}"
    );
    let read_week = listed(&doc, "read-week");
    assert_eq!(
        read_week
            .iter()
            .take(2)
            .map(|(id, _, meta)| (*id, meta.rsplit(" · ").next().unwrap()))
            .collect::<Vec<_>>(),
        [(older_id.0, "900 views"), (today.id.0, "40 views")],
        "most views first; 30-day-old views are not in the week: {read_week:?}"
    );
    let chart = testid(&doc, "chart");
    let svg = within_one(chart, "svg");
    assert_eq!(within(svg, "rect").len(), 14, "a bar per day for two weeks");
    let bars = texts(&within(svg, "rect > title"));
    for bar in [format!("{}: 40", day(0)), format!("{}: 900", day(5))] {
        assert!(bars.contains(&bar), "{bar} in {bars:?}");
    }
    assert_eq!(text(within_one(chart, "figcaption")), "940 views");
    // One image to a screen reader, named by the heading and the total; the figures
    // again as a table.
    assert_eq!(attr(svg, "aria-labelledby"), "chart-title chart-total");
    for id in ["chart-title", "chart-total"] {
        assert_eq!(select(&doc, &format!("#{id}")).len(), 1, "{id}");
    }
    let rows: Vec<String> = within(testid(&doc, "chart-table"), "tbody tr")
        .into_iter()
        .map(text)
        .collect();
    assert_eq!(rows.len(), 14, "{rows:?}");
    assert!(rows.contains(&format!("{}900", day(5))), "{rows:?}");

    // Issue 13: an article taken off the site leaves the most-read lists (its title
    // may since have become anything); its views stay in the chart.
    content
        .transition(&editor_user, older_id, Transition::Unpublish)
        .await
        .unwrap();
    let doc = editor.get(&site, "/newsroom/dashboard").await.html();
    let read_week: Vec<i64> = listed(&doc, "read-week")
        .into_iter()
        .map(|(id, ..)| id)
        .collect();
    assert!(!read_week.contains(&older_id.0), "{read_week:?}");
    assert!(read_week.contains(&today.id.0), "{read_week:?}");
    assert_eq!(
        text(within_one(testid(&doc, "chart"), "figcaption")),
        "940 views"
    );
}

/// A published article's slug in the demo's English edition.
async fn site_slug(site: &TestSite) -> String {
    site.store()
        .published_after(byline_core::ArticleId(0), 50)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.edition == "en")
        .unwrap()
        .slug
        .to_string()
}
