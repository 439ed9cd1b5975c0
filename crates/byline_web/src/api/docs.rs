//! The OpenAPI 3.1 document, made by utoipa from the handlers' annotations and types,
//! and a readable page of it rendered here (no script, no third-party request).

use super::problem::{Kind, Problem};
use super::{admin, content};
use crate::error::Finished;
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use sha2::{Digest, Sha256};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Byline API",
        version = "1",
        description = "Content API (read, API keys) and Admin API (write, user tokens) of a Byline outlet. Errors are RFC 9457 problem details.",
    ),
    paths(
        content::articles::articles,
        content::articles::article_by_id,
        content::articles::article_by_slug,
        content::terms::sections,
        content::terms::tags,
        content::terms::authors,
        content::articles::latest,
        content::articles::most_read,
        content::settings::settings,
        content::alerts::alerts,
        content::live::entries,
        content::pages::pages,
        content::pages::page_by_id,
        admin::articles::create_article,
        admin::articles::article,
        admin::articles::update_article,
        admin::articles::publish,
        admin::articles::unpublish,
        admin::articles::schedule,
        admin::news_desk::add_correction,
        admin::news_desk::take_down,
        admin::news_desk::reinstate,
        admin::alerts::raise,
        admin::alerts::end,
        admin::alerts::delete,
        admin::live::post_entry,
        admin::live::edit_entry,
        admin::live::delete_entry,
        admin::terms::sections,
        admin::terms::tags,
        admin::terms::put_tag,
        admin::pages::pages,
        admin::pages::create_page,
        admin::pages::page,
        admin::pages::replace_page,
        admin::pages::delete_page,
        admin::media::upload_media,
        super::search::search,
        super::search::suggest,
        super::push::subscribe,
        super::push::unsubscribe,
        crate::site::beacon::count_view,
    ),
    components(schemas(Problem)),
    modifiers(&Security),
    tags(
        (name = "content", description = "Read published content (API key)"),
        (name = "admin", description = "Write content as a user (token; the newsroom's permissions apply)"),
        (name = "site", description = "Used by the reader site's own pages; no key"),
    )
)]
struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "api_key_query",
            SecurityScheme::ApiKey(ApiKey::Query(ApiKeyValue::new("key"))),
        );
        components.add_security_scheme(
            "admin_token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The document.
pub fn openapi() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

pub async fn openapi_json() -> Response {
    let mut response = (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=300"),
            ),
        ],
        openapi().to_pretty_json().unwrap_or_default(),
    )
        .into_response();
    response.extensions_mut().insert(Finished);
    response
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A plain page listing every operation with its parameters and answers.
pub async fn page() -> Response {
    let doc = openapi();
    let mut html = String::from(
        "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width\"><title>Byline API</title>\
         <style>",
    );
    html.push_str(DOCS_STYLE);
    html.push_str(
        "</style><h1>Byline API</h1><p>The machine-readable contract: \
         <a href=\"/api/v1/openapi.json\">/api/v1/openapi.json</a> (OpenAPI 3.1). \
         Content API calls take an API key as <code>Authorization: Bearer KEY</code> or \
         <code>?key=KEY</code>; Admin API calls a user token as <code>Authorization: Bearer TOKEN</code>.</p>",
    );
    for (path, item) in &doc.paths.paths {
        let operations = [
            ("GET", &item.get),
            ("POST", &item.post),
            ("PUT", &item.put),
            ("PATCH", &item.patch),
        ];
        for (method, operation) in operations {
            let Some(op) = operation else { continue };
            html.push_str(&format!(
                "<h3><code>{method} {}</code></h3><p>{}</p>",
                escape(path),
                escape(
                    op.description
                        .as_deref()
                        .or(op.summary.as_deref())
                        .unwrap_or("")
                )
            ));
            if let Some(params) = &op.parameters {
                html.push_str("<ul>");
                for p in params {
                    html.push_str(&format!(
                        "<li><code>{}</code> — {}</li>",
                        escape(&p.name),
                        escape(p.description.as_deref().unwrap_or(""))
                    ));
                }
                html.push_str("</ul>");
            }
            let answers: Vec<String> = op
                .responses
                .responses
                .keys()
                .map(|status| escape(status))
                .collect();
            html.push_str(&format!("<p>Answers: {}</p>", answers.join(", ")));
        }
    }
    html.push_str("<h2>Problem types</h2><ul>");
    for kind in Kind::ALL {
        html.push_str(&format!(
            "<li><a href=\"{uri}\"><code>{uri}</code></a> ({}) — {}</li>",
            kind.status().as_u16(),
            kind.title(),
            uri = kind.type_uri()
        ));
    }
    html.push_str("</ul></html>");
    let mut response = Html(html).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_SECURITY_POLICY, DOCS_POLICY.clone());
    response.extensions_mut().insert(Finished);
    response
}

/// The docs page's own style sheet, inline (the page is one self-contained file).
const DOCS_STYLE: &str = "body{font:16px/1.5 system-ui,sans-serif;max-width:56rem;margin:2rem auto;padding:0 1rem}\
    code{background:#f3f3f3;padding:0 .2em}h3{margin-top:2rem}li{margin:.2em 0}";

/// The docs page runs no script and allows exactly its own inline style, by hash.
static DOCS_POLICY: std::sync::LazyLock<HeaderValue> = std::sync::LazyLock::new(|| {
    use base64::Engine;
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(DOCS_STYLE));
    HeaderValue::from_str(&format!(
        "default-src 'none'; style-src 'sha256-{hash}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ))
    .expect("ASCII")
});
