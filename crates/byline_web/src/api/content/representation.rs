//! An article as the Content API shows it ([`ArticleOut`]), how one is made from the
//! domain's [`Article`], and `fields=`, which narrows it.

use crate::api::params::list_items;
use crate::api::problem::{Kind, Problem};
use crate::site::{urls, view};
use crate::state::AppState;
use byline_content::Catalog;
use byline_core::{Article, Localized};
use serde::Serialize;
use utoipa::ToSchema;

/// A section, tag or author as an article names it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Named {
    pub slug: String,
    pub name: String,
}

/// One size of a cover picture.
#[derive(Debug, Serialize, ToSchema)]
pub struct CoverVariant {
    pub url: String,
    pub width: u32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CoverOut {
    pub url: String,
    pub alt: String,
    pub caption: String,
    pub credit: String,
    pub width: u32,
    pub height: u32,
    /// The `srcset` attribute value (empty for a picture without sizes).
    pub srcset: String,
    /// The sizes in `srcset`, smallest first.
    pub variants: Vec<CoverVariant>,
}

/// Another published edition of the same story.
#[derive(Debug, Serialize, ToSchema)]
pub struct TranslationOut {
    pub id: i64,
    pub edition: String,
    pub slug: String,
    pub url: String,
}

/// An article. Lists leave out `body_html` unless `fields` asks for it; with `fields`
/// only the named members (and `id`) are present.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleOut {
    pub id: i64,
    #[schema(required = false)]
    pub edition: String,
    #[schema(required = false)]
    pub slug: String,
    /// The article's page on the reader site.
    #[schema(required = false)]
    pub url: String,
    #[schema(required = false)]
    pub title: String,
    #[schema(required = false)]
    pub subtitle: String,
    #[schema(required = false)]
    pub section: Named,
    #[schema(required = false)]
    pub authors: Vec<Named>,
    #[schema(required = false)]
    pub tags: Vec<Named>,
    /// RFC 3339, in the site's time zone.
    #[schema(required = false)]
    pub published_at: String,
    /// Set when a published article was corrected.
    #[schema(required = false)]
    pub updated_at: Option<String>,
    #[schema(required = false)]
    pub featured: bool,
    #[schema(required = false)]
    pub views: u64,
    #[schema(required = false)]
    pub cover: Option<CoverOut>,
    #[schema(required = false)]
    pub body_html: Option<String>,
    #[schema(required = false)]
    pub translations: Vec<TranslationOut>,
    /// Public correction, update and clarification notes, oldest first.
    #[schema(required = false)]
    pub corrections: Vec<CorrectionNote>,
    /// Set for a live blog: its entries are at `entries_url`, as they come at
    /// `events_url` (Server-Sent Events).
    #[schema(required = false)]
    pub live: Option<LiveOut>,
}

/// A live blog's coverage and where its entries are.
#[derive(Debug, Serialize, ToSchema)]
pub struct LiveOut {
    /// RFC 3339, in the site's time zone.
    pub since: String,
    /// When it ended; null while it takes entries.
    pub until: Option<String>,
    pub entries_url: String,
    pub events_url: String,
}

/// A public note on a published article (shown at its end on the site).
#[derive(Debug, Serialize, ToSchema)]
pub struct CorrectionNote {
    /// correction, update or clarification.
    pub kind: &'static str,
    pub text: String,
    /// RFC 3339, in the site's time zone.
    pub at: String,
}

/// Members `fields` may name.
pub const ARTICLE_FIELDS: [&str; 18] = [
    "id",
    "edition",
    "slug",
    "url",
    "title",
    "subtitle",
    "section",
    "authors",
    "tags",
    "published_at",
    "updated_at",
    "featured",
    "views",
    "cover",
    "body_html",
    "translations",
    "corrections",
    "live",
];

/// A page of articles.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArticlePage {
    #[schema(value_type = Vec<ArticleOut>)]
    pub articles: Vec<serde_json::Value>,
    /// Pass as `cursor` for the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleOne {
    #[schema(value_type = ArticleOut)]
    pub article: serde_json::Value,
}

/// `fields=`: the chosen members, or `None` for the default set.
pub fn chosen_fields(raw: Option<&str>) -> Result<Option<Vec<String>>, Problem> {
    let fields = list_items("fields", raw)?;
    if fields.is_empty() {
        return Ok(None);
    }
    let unknown: Vec<String> = fields
        .iter()
        .filter(|f| !ARTICLE_FIELDS.contains(&f.as_str()))
        .cloned()
        .collect();
    if !unknown.is_empty() {
        return Err(Problem::new(
            Kind::UnknownField,
            format!(
                "unknown field{} {} in fields; articles have {}",
                if unknown.len() == 1 { "" } else { "s" },
                unknown.join(", "),
                ARTICLE_FIELDS.join(", ")
            ),
        )
        .naming(unknown));
    }
    Ok(Some(fields))
}

fn named(slug: &str, name: &Localized, lang: &str) -> Named {
    Named {
        slug: slug.to_owned(),
        name: name.get(lang).to_owned(),
    }
}

/// `srcset` ("url 320w, url 640w") as a list of sizes.
fn variants(srcset: &str) -> Vec<CoverVariant> {
    let mut out: Vec<CoverVariant> = srcset
        .split(',')
        .filter_map(|item| {
            let (url, width) = item.trim().rsplit_once(' ')?;
            let width = width.strip_suffix('w')?.parse().ok()?;
            Some(CoverVariant {
                url: url.trim().to_owned(),
                width,
            })
        })
        .collect();
    out.sort_by_key(|v| v.width);
    out
}

/// An article as the API shows it (`translations` of its story, itself left out).
pub fn article_out(
    state: &AppState,
    catalog: &Catalog,
    a: &Article,
    translations: &[byline_content::Translation],
    with_body: bool,
) -> ArticleOut {
    let lang = a.edition.as_str();
    let section = catalog.section(a.section);
    let section_slug = section.map(|s| s.slug.as_str()).unwrap_or("news");
    let section_slug_of = |id| {
        catalog
            .section(id)
            .map(|s| s.slug.to_string())
            .unwrap_or_else(|| "news".into())
    };
    ArticleOut {
        id: a.id.0,
        edition: a.edition.clone(),
        slug: a.slug.to_string(),
        url: state.absolute(&urls::article(&a.edition, section_slug, a.slug.as_str())),
        title: a.title.clone(),
        subtitle: a.subtitle.clone(),
        section: Named {
            slug: section_slug.to_owned(),
            name: section.map(|s| s.name.get(lang)).unwrap_or("").to_owned(),
        },
        authors: a
            .authors
            .iter()
            .filter_map(|id| catalog.author(*id))
            .map(|x| named(x.slug.as_str(), &x.name, lang))
            .collect(),
        tags: a
            .tags
            .iter()
            .filter_map(|id| catalog.tag(*id))
            .map(|t| named(t.slug.as_str(), &t.name, lang))
            .collect(),
        published_at: a
            .published_at
            .map(|at| view::iso(at, catalog))
            .unwrap_or_default(),
        updated_at: a.updated_at.map(|at| view::iso(at, catalog)),
        featured: a.featured,
        views: state.content.views_of(a.id).unwrap_or(a.views),
        cover: a.cover.as_ref().map(|c| CoverOut {
            url: state.absolute(&c.url),
            alt: c.alt.clone(),
            caption: c.caption.clone(),
            credit: c.credit.clone(),
            width: c.width,
            height: c.height,
            variants: variants(&c.srcset)
                .into_iter()
                .map(|v| CoverVariant {
                    url: state.absolute(&v.url),
                    width: v.width,
                })
                .collect(),
            srcset: c.srcset.clone(),
        }),
        body_html: with_body.then(|| a.body_html.clone()),
        translations: translations
            .iter()
            .filter(|t| t.id != a.id)
            .map(|t| TranslationOut {
                id: t.id.0,
                edition: t.edition.clone(),
                slug: t.slug.clone(),
                url: state.absolute(&urls::article(
                    &t.edition,
                    &section_slug_of(t.section),
                    &t.slug,
                )),
            })
            .collect(),
        corrections: a
            .corrections
            .iter()
            .map(|c| CorrectionNote {
                kind: c.kind.as_str(),
                text: c.text.clone(),
                at: view::iso(c.at, catalog),
            })
            .collect(),
        live: a.live.map(|l| LiveOut {
            since: view::iso(l.since, catalog),
            until: l.until.map(|u| view::iso(u, catalog)),
            entries_url: state.absolute(&format!("/api/v1/live/{}/entries", a.id.0)),
            events_url: state.absolute(&crate::live::events_path(a.id.0)),
        }),
    }
}

/// Keeps the chosen members (always `id`).
pub fn select(article: &ArticleOut, fields: Option<&[String]>) -> serde_json::Value {
    let mut value = serde_json::to_value(article).unwrap_or_default();
    if let (Some(fields), Some(map)) = (fields, value.as_object_mut()) {
        map.retain(|k, _| k == "id" || fields.iter().any(|f| f == k));
    } else if let Some(map) = value.as_object_mut()
        && map.get("body_html").is_some_and(|v| v.is_null())
    {
        map.remove("body_html");
    }
    value
}

/// The articles of a list as the API shows them: without `body_html` unless `fields`
/// names it.
pub fn list_out(
    state: &AppState,
    catalog: &Catalog,
    found: &[Article],
    fields: Option<&[String]>,
) -> Vec<serde_json::Value> {
    let with_body = fields.is_some_and(|f| f.iter().any(|x| x == "body_html"));
    found
        .iter()
        .map(|a| select(&article_out(state, catalog, a, &[], with_body), fields))
        .collect()
}
