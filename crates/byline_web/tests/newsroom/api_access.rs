//! `/newsroom/api`: admins make and revoke Content API keys; everyone makes and revokes
//! their own Admin API tokens. Revocation counts at once on the API.

use crate::client::login_as;
use crate::common::TestSite;
use crate::common::html::{select, testid, text};
use byline_core::Role;

pub(crate) fn secret(body: &str) -> String {
    text(testid(&scraper::Html::parse_document(body), "secret"))
}

#[tokio::test]
async fn admins_make_and_revoke_keys_and_everyone_their_own_tokens() {
    let site = TestSite::demo().await;
    let (_, admin) = login_as(&site, "api-admin@example.org", Role::Admin).await;
    let made = admin
        .post(&site, "/newsroom/api/keys", &[("name", "iOS app")])
        .await;
    made.assert_ok();
    let key = secret(&made.body);
    assert_eq!(key.len(), 26);
    site.get(&format!("/api/v1/settings?key={key}"))
        .await
        .assert_ok();
    let id = site.content().api_key(&key).await.unwrap().id;
    let r = admin
        .post(&site, &format!("/newsroom/api/keys/{id}/revoke"), &[])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        site.get(&format!("/api/v1/settings?key={key}"))
            .await
            .status,
        401
    );
    assert!(
        admin
            .get(&site, "/newsroom/api")
            .await
            .body
            .contains("iOS app")
    );

    let (_, author) = login_as(&site, "api-author@example.org", Role::Author).await;
    let page = author.get(&site, "/newsroom/api").await;
    page.assert_ok();
    assert!(
        select(&page.html(), "form[action=\"/newsroom/api/keys\"]").is_empty(),
        "no key forms for authors"
    );
    assert_eq!(
        author
            .post(&site, "/newsroom/api/keys", &[("name", "x")])
            .await
            .status,
        403
    );
    let made = author
        .post(&site, "/newsroom/api/tokens", &[("name", "CMS")])
        .await;
    let token = secret(&made.body);
    let r = site
        .get_with(
            "/api/v1/admin/sections",
            "authorization",
            &format!("Bearer {token}"),
        )
        .await;
    r.assert_ok();
    let user = site.content().api_token_user(&token).await.unwrap();
    let id = site.content().api_tokens(&user).await.unwrap()[0].id;
    // Not the author's to revoke from another account; the admin may.
    let (_, other) = login_as(&site, "api-other@example.org", Role::Editor).await;
    assert_eq!(
        other
            .post(&site, &format!("/newsroom/api/tokens/{id}/revoke"), &[])
            .await
            .status,
        403
    );
    assert_eq!(
        admin
            .post(&site, &format!("/newsroom/api/tokens/{id}/revoke"), &[])
            .await
            .status,
        303
    );
    let r = site
        .get_with(
            "/api/v1/admin/sections",
            "authorization",
            &format!("Bearer {token}"),
        )
        .await;
    assert_eq!(r.status, 401);
}
