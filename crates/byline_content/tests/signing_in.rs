//! Signing in under load: the throttle reserves before the password is checked, and
//! Argon2 runs a bounded number of times at once (issue 13, finding 4).

use byline_content::accounts::{UserInput, create_user};
use byline_content::{Clock, Content, ContentError, ContentOptions, LoginClient};
use byline_core::Role;
use byline_store::SqliteStore;
use std::sync::Arc;
use std::time::Duration;

async fn outlet(dir: &std::path::Path, options: ContentOptions) -> Content {
    let store = SqliteStore::open(&dir.join("b.db")).await.unwrap();
    store.migrate().await.unwrap();
    let content = Content::start(Arc::new(store.clone()), options)
        .await
        .unwrap();
    create_user(
        content.store().as_ref(),
        UserInput {
            email: "ann@example.org".into(),
            display_name: "Ann".into(),
            role: Role::Author,
            password: Some("correct horse battery".into()),
        },
    )
    .await
    .unwrap();
    content
}

/// With one password check at a time and no waiting, a burst of sign-ins from many
/// addresses (so no throttle key is exhausted) is partly refused as busy — and a busy
/// refusal is not counted as a failure.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn password_checks_are_bounded_and_a_busy_refusal_is_not_a_failure() {
    let dir = tempfile::tempdir().unwrap();
    let content = outlet(
        dir.path(),
        ContentOptions {
            password_checks: 1,
            password_check_wait: Duration::ZERO,
            ..ContentOptions::default()
        },
    )
    .await;
    let attempts: Vec<_> = (0..8u8)
        .map(|i| {
            let content = content.clone();
            tokio::spawn(async move {
                let client = LoginClient {
                    address: Some(std::net::IpAddr::from([192, 0, 2, i])),
                    known_device: None,
                };
                content
                    .login("ann@example.org", "a wrong guess", client)
                    .await
                    .map(|_| ())
            })
        })
        .collect();
    let (mut busy, mut wrong) = (0u64, 0u64);
    for a in attempts {
        match a.await.unwrap() {
            Err(ContentError::Unavailable(_)) => busy += 1,
            Err(ContentError::WrongCredentials) => wrong += 1,
            other => panic!("unexpected {other:?}"),
        }
    }
    assert!(busy > 0, "some attempts found every check slot taken");
    assert!(wrong > 0);
    // Only the checked attempts count as failures against the account.
    let counted = content
        .store()
        .login_failures_since(&["account:ann@example.org".to_owned()], 0)
        .await
        .unwrap();
    assert_eq!(counted[0].1, wrong, "busy refusals were taken back");
    let owner = LoginClient {
        address: Some(std::net::IpAddr::from([198, 51, 100, 1])),
        known_device: None,
    };
    content
        .login("ann@example.org", "correct horse battery", owner)
        .await
        .expect("the owner signs in");
}

/// The throttle counts on the service's clock, not the wall clock: a locked pair is free
/// again once the injected clock has moved past the window (on the wall clock, only
/// milliseconds have passed and it would still be locked).
#[tokio::test]
async fn the_throttle_window_runs_on_the_injected_clock() {
    use byline_content::throttle::{PER_ACCOUNT_AND_ADDRESS, WINDOW};
    let dir = tempfile::tempdir().unwrap();
    let clock = Clock::manual("2026-03-01T09:00:00Z".parse().unwrap());
    let content = outlet(
        dir.path(),
        ContentOptions {
            clock: clock.clone(),
            ..ContentOptions::default()
        },
    )
    .await;
    let client = LoginClient {
        address: Some(std::net::IpAddr::from([203, 0, 113, 9])),
        known_device: None,
    };
    for _ in 0..PER_ACCOUNT_AND_ADDRESS {
        assert!(matches!(
            content.login("ann@example.org", "wrong", client).await,
            Err(ContentError::WrongCredentials)
        ));
    }
    let locked = content
        .login("ann@example.org", "correct horse battery", client)
        .await;
    assert!(
        matches!(locked, Err(ContentError::Throttled { .. })),
        "{locked:?}"
    );
    // Just short of the window: still locked.
    clock.advance(
        jiff::SignedDuration::try_from(WINDOW).unwrap() - jiff::SignedDuration::from_secs(2),
    );
    assert!(matches!(
        content
            .login("ann@example.org", "correct horse battery", client)
            .await,
        Err(ContentError::Throttled { .. })
    ));
    clock.advance(jiff::SignedDuration::from_secs(3));
    content
        .login("ann@example.org", "correct horse battery", client)
        .await
        .expect("past the window the owner signs in");
}
