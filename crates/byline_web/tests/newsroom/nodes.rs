//! Sessions on several nodes (issue 8): a login on one node is good on every node of the
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
