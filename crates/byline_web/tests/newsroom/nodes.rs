//! Sessions and login throttling on several nodes (issue 8): a login on one node is good on every node of the
//! outlet, and a logout on any node ends it everywhere at once — sessions live in the
//! store, not in a node's memory.

use crate::client::login_as;
use crate::common::TestSite;
use byline_core::Role;

#[tokio::test]
async fn a_session_made_on_one_node_works_and_ends_on_another() {
    let a = TestSite::demo().await;
    let b = a.another_node().await;
    let (_, editor) = login_as(&a, "desk@example.org", Role::Editor).await;
    let on_b = editor.get(&b, "/newsroom").await;
    assert_eq!(
        on_b.status, 200,
        "the session from node A opens node B's newsroom"
    );
    // As the same person: an editor sees the taxonomy link, which only editors get.
    assert!(
        on_b.body.contains("/newsroom/taxonomy"),
        "node B knows the session's editor"
    );

    // A state-changing request on B with A's session and its CSRF token.
    let out = editor.post(&b, "/newsroom/logout", &[]).await;
    assert!(out.status.is_redirection(), "{}", out.status);
    let after = editor.get(&a, "/newsroom").await;
    assert!(
        after.status.is_redirection() && after.header("location") == Some("/newsroom/login"),
        "logged out on B means logged out on A: {} {:?}",
        after.status,
        after.header("location")
    );
}

#[tokio::test]
async fn failed_logins_on_one_node_count_on_the_others() {
    use crate::client::{PASSWORD, add_user, try_login};
    let a = TestSite::demo().await;
    let b = a.another_node().await;
    add_user(&a, "ann@example.org", Role::Author).await;
    // Guesses spread over two nodes (as a load balancer would) ...
    for i in 0..5 {
        let node = if i % 2 == 0 { &a } else { &b };
        let r = try_login(node, "ann@example.org", "wrong password", Some("10.0.0.1")).await;
        assert_eq!(r.status, 401, "attempt {i}");
    }
    // ... add up: both nodes refuse, even the right password.
    for node in [&a, &b] {
        let r = try_login(node, "ann@example.org", PASSWORD, Some("10.0.0.1")).await;
        assert_eq!(r.status, 429);
        assert!(r.header("retry-after").is_some());
    }
    // So do guesses at the account from many addresses (ten in all, for browsers new
    // to the account).
    for i in 0..5 {
        let node = if i % 2 == 0 { &b } else { &a };
        let ip = format!("10.0.1.{i}");
        let r = try_login(node, "ann@example.org", "wrong password", Some(&ip)).await;
        assert_eq!(r.status, 401, "attempt {i}");
    }
    for node in [&a, &b] {
        let r = try_login(node, "ann@example.org", PASSWORD, Some("10.0.2.2")).await;
        assert_eq!(r.status, 429);
    }
}

#[tokio::test]
async fn a_picture_uploaded_on_one_node_is_served_by_the_other_from_a_shared_folder() {
    use crate::media::{multipart, noisy_jpeg, upload};
    // Two nodes whose media library is one folder (as two processes mounting the same
    // share): object_store's local store keeps no state of its own, only the files.
    let a = TestSite::with_local_media(8 * 1024 * 1024).await;
    let b = a.another_node().await;
    let (_, writer) = login_as(&a, "writer@example.org", Role::Contributor).await;
    let (r, json) = upload(
        &a,
        &writer,
        Some(&writer.csrf),
        multipart("pier.jpg", &noisy_jpeg(300, 200), &[("alt", "The pier")]),
        true,
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let url = json["url"].as_str().unwrap();
    let path = &url[url.find("/media/lib/").unwrap()..];
    let on_a = a.get(path).await;
    on_a.assert_ok();
    let on_b = b.get(path).await;
    on_b.assert_ok();
    assert_eq!(on_a.body, on_b.body, "the same file");
}
