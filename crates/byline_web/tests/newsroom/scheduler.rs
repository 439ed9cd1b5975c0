//! Scheduled publishing with an injectable clock: within 5 s of the time, also for
//! articles that came due while the server was down.

use crate::client::login_as;
use crate::common::TestSite;
use byline_content::{ArticleForm, Clock, Content, ContentOptions, Transition};
use byline_core::{ArticleId, ArticleStatus, Role};
use jiff::{SignedDuration, Timestamp};
use std::time::Duration;

fn options(clock: &Clock) -> ContentOptions {
    ContentOptions {
        clock: clock.clone(),
        schedule_poll: Duration::from_millis(100),
        ..ContentOptions::default()
    }
}

/// Waits (up to 5 s of real time) for the article to be published.
/// Waits for the scheduler to publish `id` while the manual clock stands still (at most
/// 30 s of wall time: a guard against a stuck scheduler, not a timing claim). The clock
/// not moving is what shows "within 5 s of its time": it reads no later than that.
async fn published_while_the_clock_stands(site: &TestSite, id: ArticleId) -> bool {
    for _ in 0..300 {
        if site.store().article(id).await.unwrap().status == ArticleStatus::Published {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

#[tokio::test]
async fn scheduled_articles_publish_at_their_time_entered_in_site_time() {
    // Mid-2030, so the demo's own articles are all in the past of this clock.
    let start = Timestamp::from_second(1_907_000_000).unwrap();
    let clock = Clock::manual(start);
    let site = TestSite::demo_with(options(&clock)).await;
    let (_, editor) = login_as(&site, "desk@example.org", Role::Editor).await;
    let r = editor
        .post(
            &site,
            "/newsroom/articles/new",
            &[
                ("edition", "en"),
                ("section", "analytics"),
                ("title", "Embargoed story"),
                ("body", "x"),
            ],
        )
        .await;
    let id: i64 = r
        .location()
        .unwrap()
        .trim_start_matches("/newsroom/articles/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let id = ArticleId(id);

    // Typed in the site's time zone, stored in UTC.
    let at = start + SignedDuration::from_hours(2);
    let typed = site.content().site_time(at);
    let r = editor
        .post(
            &site,
            &format!("/newsroom/articles/{}/status", id.0),
            &[("action", "schedule"), ("publish_at", &typed)],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let stored = site.store().article(id).await.unwrap();
    assert_eq!(stored.status, ArticleStatus::Scheduled);
    assert_eq!(
        stored.published_at.unwrap().as_second() / 60,
        at.as_second() / 60
    );
    let page = editor
        .get(&site, &format!("/newsroom/articles/{}", id.0))
        .await;
    assert!(
        page.body.contains(&typed.replace('T', " ")),
        "shown in site time"
    );

    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(
        site.store().article(id).await.unwrap().status,
        ArticleStatus::Scheduled,
        "not before its time"
    );
    assert_eq!(site.get("/en/analytics/embargoed-story").await.status, 404);

    clock.advance(SignedDuration::from_hours(2));
    assert!(
        published_while_the_clock_stands(&site, id).await,
        "published within 5 s of its time"
    );
    site.settle().await;
    site.get("/en/analytics/embargoed-story").await.assert_ok();
    let audit = site.store().audit_log(None, 5).await.unwrap();
    let entry = audit
        .iter()
        .find(|e| e.action == "published" && e.entity_id == id.0)
        .unwrap();
    assert_eq!(entry.actor, None, "published by the server itself");
    let scheduled = audit
        .iter()
        .find(|e| e.action == "scheduled" && e.entity_id == id.0)
        .expect("the scheduling is in the audit log");
    assert_eq!(
        scheduled.actor_email, "desk@example.org",
        "scheduled by the editor"
    );
}

#[tokio::test]
async fn articles_due_while_the_server_was_down_publish_on_start() {
    let start = Timestamp::from_second(1_907_000_000).unwrap();
    let clock = Clock::manual(start);
    let site = TestSite::demo_with(options(&clock)).await;
    let editor = crate::client::add_user(&site, "desk@example.org", Role::Editor).await;
    let content = site.content();
    let (id, _) = content
        .create_draft(
            &editor,
            &ArticleForm {
                edition: "en".into(),
                section: "analytics".into(),
                title: "Due while down".into(),
                body: "x".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    content
        .transition(
            &editor,
            id,
            Transition::Schedule(start + SignedDuration::from_mins(30)),
        )
        .await
        .unwrap();
    // "Restart": a new content service on the same store, its clock past the time. The
    // first one's clock stands still, so only the restarted node can publish it.
    let later = Clock::manual(start + SignedDuration::from_hours(3));
    let _restarted = Content::start(site.store().clone(), options(&later))
        .await
        .unwrap();
    assert!(published_while_the_clock_stands(&site, id).await);
    let a = site.store().article(id).await.unwrap();
    assert_eq!(
        a.published_at.unwrap(),
        start + SignedDuration::from_mins(30),
        "the publish time is the scheduled one"
    );
}
