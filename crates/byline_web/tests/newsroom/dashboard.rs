//! The dashboard: review queue, scheduled queue, most read and views per day.

use crate::client::login_as;
use crate::common::TestSite;
use byline_content::{ArticleForm, Transition};
use byline_core::Role;
use byline_store::ViewDelta;
use jiff::{SignedDuration, Timestamp};

fn day(ago_days: i64) -> String {
    (Timestamp::now() - SignedDuration::from_hours(24 * ago_days))
        .strftime("%Y-%m-%d")
        .to_string()
}

#[tokio::test]
async fn the_dashboard_shows_queues_most_read_and_a_chart() {
    let site = TestSite::demo().await;
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
    assert!(page.testid("waiting").unwrap().contains("Needs a look"));
    assert!(page.testid("scheduled").unwrap().contains("Goes out later"));
    let read_day = page.testid("read-day").unwrap();
    assert!(
        read_day.contains(&format!("data-article=\"{}\"", today.id.0))
            && read_day.contains("40 views"),
        "{read_day}"
    );
    assert!(!read_day.contains("Read last week"), "{read_day}");
    let read_week = page.testid("read-week").unwrap();
    let (first, second) = (
        read_week.find("Read last week").unwrap(),
        read_week
            .find(&format!("data-article=\"{}\"", today.id.0))
            .unwrap(),
    );
    assert!(first < second, "most views first: {read_week}");
    assert!(
        read_week.contains("900 views"),
        "30-day-old views are not in the week"
    );
    let chart = page.testid("chart").unwrap();
    assert!(chart.contains("<svg"), "{chart}");
    assert_eq!(chart.matches("<rect").count(), 14);
    assert!(
        chart.contains(&format!("<title>{}: 40</title>", day(0))),
        "{chart}"
    );
    assert!(
        chart.contains(&format!("<title>{}: 900</title>", day(5))),
        "{chart}"
    );
    assert!(chart.contains("940 views"));

    // Issue 13: an article taken off the site leaves the most-read lists (its title
    // may since have become anything); its views stay in the chart.
    content
        .transition(&editor_user, older_id, Transition::Unpublish)
        .await
        .unwrap();
    let page = editor.get(&site, "/newsroom/dashboard").await;
    let read_week = page.testid("read-week").unwrap();
    assert!(!read_week.contains("Read last week"), "{read_week}");
    assert!(
        read_week.contains(&format!("data-article=\"{}\"", today.id.0)),
        "{read_week}"
    );
    assert!(page.testid("chart").unwrap().contains("940 views"));
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
