//! Sections, tags and authors, each with its names in every edition: one operation per
//! taxonomy, all answered by [`terms`].

use super::edition_or_default;
use crate::api::auth::AppKey;
use crate::api::params::{cached_json, read};
use crate::api::problem::{KeyRefusals, Problem};
use crate::site::urls;
use crate::state::AppState;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use byline_core::Localized;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

/// Query parameters of the taxonomy lists.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TermParams {
    /// Edition for `name`, `description` and `url`
    edition: Option<String>,
}

/// A section, tag or author with its names in every edition.
#[derive(Debug, Serialize, ToSchema)]
pub struct Term {
    pub slug: String,
    /// The name in the requested edition (the default edition without `edition`).
    pub name: String,
    /// Names by edition code.
    pub names: BTreeMap<String, String>,
    /// Description (sections) or bio (authors) in the requested edition.
    pub description: String,
    /// The term's page on the reader site, in the requested edition.
    pub url: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TermList {
    pub items: Vec<Term>,
}

#[derive(Clone, Copy)]
enum Taxonomy {
    Sections,
    Tags,
    Authors,
}

fn terms(
    state: &AppState,
    query: Option<&str>,
    headers: &HeaderMap,
    which: Taxonomy,
) -> Result<Response, Problem> {
    let params: TermParams = read(query)?;
    let catalog = state.content.catalog();
    let lang = edition_or_default(params.edition.as_deref(), &catalog)?;
    let term = |slug: &str, name: &Localized, description: &Localized, url: String| Term {
        slug: slug.to_owned(),
        name: name.get(&lang).to_owned(),
        names: name.0.clone(),
        description: description.get(&lang).to_owned(),
        url: state.absolute(&url),
    };
    let none = Localized::default();
    let items = match which {
        Taxonomy::Sections => catalog
            .sections
            .iter()
            .map(|s| {
                term(
                    s.slug.as_str(),
                    &s.name,
                    &s.description,
                    urls::section(&lang, s.slug.as_str()),
                )
            })
            .collect(),
        Taxonomy::Tags => catalog
            .tags
            .iter()
            .map(|t| {
                term(
                    t.slug.as_str(),
                    &t.name,
                    &none,
                    urls::tag(&lang, t.slug.as_str()),
                )
            })
            .collect(),
        Taxonomy::Authors => catalog
            .authors
            .iter()
            .map(|a| {
                term(
                    a.slug.as_str(),
                    &a.name,
                    &a.bio,
                    urls::author(&lang, a.slug.as_str()),
                )
            })
            .collect(),
    };
    Ok(cached_json(
        headers,
        &TermList { items },
        &state.cdn_cache_control,
    ))
}

macro_rules! term_operation {
    ($name:ident, $path:literal, $which:expr, $what:literal) => {
        #[utoipa::path(
            get, path = $path, tag = "content",
            description = "All of them, with their names in every edition.",
            params(TermParams),
            responses(
                (status = 200, description = $what, body = TermList),
                (status = 304, description = "Not modified"),
                (status = 400, description = "Unknown parameter or edition", body = Problem, content_type = "application/problem+json"),
                KeyRefusals,
            ),
            security(("api_key" = []), ("api_key_query" = []))
        )]
        pub async fn $name(
            State(state): State<AppState>,
            _key: AppKey,
            RawQuery(query): RawQuery,
            headers: HeaderMap,
        ) -> Result<Response, Problem> {
            terms(&state, query.as_deref(), &headers, $which)
        }
    };
}

term_operation!(sections, "/api/v1/sections", Taxonomy::Sections, "sections");
term_operation!(tags, "/api/v1/tags", Taxonomy::Tags, "tags");
term_operation!(authors, "/api/v1/authors", Taxonomy::Authors, "authors");
