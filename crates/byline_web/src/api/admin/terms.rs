//! Sections and tags through the Admin API: both lists (one handler, [`terms`]) and a
//! tag's creation or renaming.

use super::{JsonBody, json_response};
use crate::api::auth::AdminUser;
use crate::api::params::{NoParams, read};
use crate::api::problem::{Problem, TokenRefusals};
use crate::state::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// A section or tag for integrations: its slug and names by edition.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AdminTerm {
    pub slug: String,
    pub names: BTreeMap<String, String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AdminTerms {
    pub items: Vec<AdminTerm>,
}

/// Which list [`terms`] answers with.
#[derive(Clone, Copy)]
enum Taxonomy {
    Sections,
    Tags,
}

/// A taxonomy's terms, in the site's order.
fn terms(state: &AppState, query: Option<&str>, which: Taxonomy) -> Result<Response, Problem> {
    read::<NoParams>(query)?;
    let catalog = state.content.catalog();
    let items = match which {
        Taxonomy::Sections => catalog
            .sections
            .iter()
            .map(|s| AdminTerm {
                slug: s.slug.to_string(),
                names: s.name.0.clone(),
            })
            .collect(),
        Taxonomy::Tags => catalog
            .tags
            .iter()
            .map(|t| AdminTerm {
                slug: t.slug.to_string(),
                names: t.name.0.clone(),
            })
            .collect(),
    };
    Ok(json_response(StatusCode::OK, &AdminTerms { items }))
}

macro_rules! term_list_operation {
    ($name:ident, $path:literal, $which:expr, $what:literal, $doc:literal) => {
        #[doc = $doc]
        #[utoipa::path(
            get, path = $path, tag = "admin",
            responses(
                (status = 200, description = $what, body = AdminTerms),
                (status = 400, description = "Unknown parameter", body = Problem, content_type = "application/problem+json"),
                TokenRefusals,
            ),
            security(("admin_token" = []))
        )]
        pub async fn $name(
            State(state): State<AppState>,
            AdminUser(_): AdminUser,
            RawQuery(query): RawQuery,
        ) -> Result<Response, Problem> {
            terms(&state, query.as_deref(), $which)
        }
    };
}

term_list_operation!(
    sections,
    "/api/v1/admin/sections",
    Taxonomy::Sections,
    "Sections",
    "Sections with their slugs (what `section` takes), in the site's order."
);
term_list_operation!(
    tags,
    "/api/v1/admin/tags",
    Taxonomy::Tags,
    "Tags",
    "Tags with their slugs (what `tags` takes)."
);

/// A tag's names by edition code.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TagIn {
    pub names: BTreeMap<String, String>,
}

/// Creates a tag or renames it (editors and admins).
#[utoipa::path(
    put, path = "/api/v1/admin/tags/{slug}", tag = "admin",
    params(("slug" = String, Path, description = "The tag's slug")),
    request_body = TagIn,
    responses(
        (status = 200, description = "Saved", body = AdminTerm),
        (status = 400, description = "Invalid JSON, unknown member, bad slug, name or edition", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token's role may not do this", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        TokenRefusals,
    ),
    security(("admin_token" = []))
)]
pub async fn put_tag(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    Path(slug): Path<String>,
    RawQuery(query): RawQuery,
    body: JsonBody<TagIn>,
) -> Result<Response, Problem> {
    read::<NoParams>(query.as_deref())?;
    let names = state
        .content
        .api_put_tag(&user, &slug, &body.value.names)
        .await?;
    Ok(json_response(
        StatusCode::OK,
        &AdminTerm {
            slug: slug.trim().to_owned(),
            names: names.0,
        },
    ))
}
