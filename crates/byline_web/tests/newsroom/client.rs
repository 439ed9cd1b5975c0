//! A signed-in browser for the tests: it logs in through the real login form and sends
//! its session cookie and CSRF token like a browser submitting our forms.

use crate::common::{TestResponse, TestSite};
use axum::body::Body;
use axum::http::Request;
use byline_content::accounts::{self, UserInput};
use byline_core::{Role, User, UserId};

pub const PASSWORD: &str = "correct horse battery";

/// Creates an account with [`PASSWORD`].
pub async fn add_user(site: &TestSite, email: &str, role: Role) -> User {
    let created = accounts::create_user(
        site.store().as_ref(),
        UserInput {
            email: email.into(),
            display_name: String::new(),
            role,
            password: Some(PASSWORD.into()),
        },
    )
    .await
    .unwrap();
    site.store().user(created.id).await.unwrap()
}

pub struct Client {
    pub user: Option<UserId>,
    pub session: String,
    pub csrf: String,
}

/// Form-encodes `fields`.
pub fn encode(fields: &[(&str, &str)]) -> String {
    serde_urlencoded::to_string(fields).unwrap()
}

/// The value of `Set-Cookie` cookie `name` in a response.
pub fn set_cookie(r: &TestResponse, name: &str) -> Option<String> {
    r.headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(str::to_owned)
}

pub fn cookie_value(set_cookie: &str) -> String {
    set_cookie
        .split(';')
        .next()
        .and_then(|kv| kv.split_once('='))
        .map(|(_, v)| v.to_owned())
        .unwrap_or_default()
}

/// The value of the first `name="csrf"` hidden field in a page.
pub fn csrf_field(body: &str) -> Option<String> {
    let at = body.find("name=\"csrf\" value=\"")? + "name=\"csrf\" value=\"".len();
    Some(body[at..].split('"').next()?.to_owned())
}

/// Posts the login form as a browser would (GET for the form's token, then POST).
pub async fn try_login(
    site: &TestSite,
    email: &str,
    password: &str,
    ip: Option<&str>,
) -> TestResponse {
    try_login_with_cookie(site, email, password, ip, "").await
}

/// A login sending `cookies` (`name=value; …`) besides the form's CSRF cookie.
pub async fn try_login_with_cookie(
    site: &TestSite,
    email: &str,
    password: &str,
    ip: Option<&str>,
    cookies: &str,
) -> TestResponse {
    let form = site.get("/newsroom/login").await;
    form.assert_ok();
    let token = cookie_value(&set_cookie(&form, "byline_login_csrf").expect("login csrf cookie"));
    let cookie = if cookies.is_empty() {
        format!("byline_login_csrf={token}")
    } else {
        format!("byline_login_csrf={token}; {cookies}")
    };
    let mut request = Request::post("/newsroom/login")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", cookie)
        .body(Body::from(encode(&[
            ("csrf", &token),
            ("email", email),
            ("password", password),
        ])))
        .unwrap();
    if let Some(ip) = ip {
        let addr: std::net::SocketAddr = format!("{ip}:40000").parse().unwrap();
        request
            .extensions_mut()
            .insert(axum::extract::ConnectInfo(addr));
    }
    site.request(request).await
}

pub async fn login(site: &TestSite, email: &str) -> Client {
    let r = try_login(site, email, PASSWORD, None).await;
    assert_eq!(r.status, 303, "login works: {}", r.body);
    let session = cookie_value(&set_cookie(&r, "byline_session").expect("session cookie"));
    let mut client = Client {
        user: None,
        session,
        csrf: String::new(),
    };
    let page = client.get(site, "/newsroom/password").await;
    page.assert_ok();
    client.csrf = csrf_field(&page.body).expect("forms carry a csrf token");
    client
}

/// Logs in as a new account with `role`.
pub async fn login_as(site: &TestSite, email: &str, role: Role) -> (User, Client) {
    let user = add_user(site, email, role).await;
    let mut client = login(site, email).await;
    client.user = Some(user.id);
    (user, client)
}

impl Client {
    pub async fn get(&self, site: &TestSite, uri: &str) -> TestResponse {
        site.request(
            Request::get(uri)
                .header("cookie", format!("byline_session={}", self.session))
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }

    pub async fn get_lang(&self, site: &TestSite, uri: &str, lang: &str) -> TestResponse {
        site.request(
            Request::get(uri)
                .header("cookie", format!("byline_session={}", self.session))
                .header("accept-language", lang)
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }

    /// A form post with this session's CSRF token added.
    pub async fn post(&self, site: &TestSite, uri: &str, fields: &[(&str, &str)]) -> TestResponse {
        let mut all = vec![("csrf", self.csrf.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(site, uri, &encode(&all)).await
    }

    /// [`post`](Self::post) from a browser asking for `lang`.
    pub async fn post_lang(
        &self,
        site: &TestSite,
        uri: &str,
        fields: &[(&str, &str)],
        lang: &str,
    ) -> TestResponse {
        let mut all = vec![("csrf", self.csrf.as_str())];
        all.extend_from_slice(fields);
        site.request(
            Request::post(uri)
                .header("cookie", format!("byline_session={}", self.session))
                .header("content-type", "application/x-www-form-urlencoded")
                .header("accept-language", lang)
                .body(Body::from(encode(&all)))
                .unwrap(),
        )
        .await
    }

    /// A form post exactly as given (no token added).
    pub async fn post_raw(&self, site: &TestSite, uri: &str, body: &str) -> TestResponse {
        site.request(
            Request::post(uri)
                .header("cookie", format!("byline_session={}", self.session))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(body.to_owned()))
                .unwrap(),
        )
        .await
    }
}

impl TestResponse {
    pub fn location(&self) -> Option<&str> {
        self.header("location")
    }
}

/// One row of the newsroom's audit log: who, the action, and what it was done to.
#[derive(Debug)]
pub struct AuditRow {
    pub who: String,
    pub action: String,
    pub what: String,
}

/// The rows of an audit log page, newest first.
pub fn audit_rows(page: &TestResponse) -> Vec<AuditRow> {
    use crate::common::html::{testid, text, within, within_one};
    let doc = page.html();
    within(testid(&doc, "audit"), "tbody tr")
        .into_iter()
        .map(|row| {
            let cells = within(row, "td");
            assert_eq!(cells.len(), 3, "{}", row.html());
            AuditRow {
                who: text(cells[1]),
                action: text(within_one(cells[2], "code")),
                what: text(cells[2]),
            }
        })
        .collect()
}
