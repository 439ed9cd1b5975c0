//! The Content API (read-only, for apps and headless front-ends): articles with cursor
//! pagination, one article, latest and most read ([`articles`]); sections, tags and
//! authors ([`terms`]); the published static pages ([`pages`]); the site's settings
//! ([`settings`]). Every answer has an ETag (304
//! on a match) and the CDN cache policy. Each operation's query parameters are one
//! struct beside it, read by [`super::params::read`].

pub mod alerts;
pub mod articles;
mod cursor;
pub mod live;
pub mod pages;
mod representation;
pub mod settings;
pub mod terms;

use super::params::bad_value;
use super::problem::Problem;
use byline_content::Catalog;

/// `edition=`: one of the site's edition codes, checked (`None` when absent).
fn edition(raw: Option<&str>, catalog: &Catalog) -> Result<Option<String>, Problem> {
    match raw {
        None => Ok(None),
        Some(code) if catalog.settings.has_edition(code) => Ok(Some(code.to_owned())),
        Some(other) => Err(bad_value(
            "edition",
            format!(
                "edition must be one of {}, not {:?}",
                catalog
                    .settings
                    .editions
                    .iter()
                    .map(|e| e.code.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                other.chars().take(20).collect::<String>()
            ),
        )),
    }
}

/// `edition=` or, when absent, the site's default edition.
fn edition_or_default(raw: Option<&str>, catalog: &Catalog) -> Result<String, Problem> {
    Ok(edition(raw, catalog)?.unwrap_or_else(|| catalog.settings.default_edition().to_owned()))
}
