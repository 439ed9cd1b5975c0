//! Names of what a cached page depends on. A page declares them when it is rendered;
//! the change feed invalidates by them.

/// The page shows this article (its title, date, cover…): changes to it invalidate the page.
pub fn shows(article: i64) -> String {
    format!("shows:{article}")
}

/// The article's own page.
pub fn article(article: i64) -> String {
    format!("article:{article}")
}

/// Pages that link the editions of one story (the language switcher).
pub fn group(group: i64) -> String {
    format!("group:{group}")
}

/// A list of an edition's articles that a newly published article may join:
/// `list("section", 3, "en")`, `list("tag", 7, "ru")`, `list("author", 2, "hy")`.
pub fn list(kind: &str, id: i64, edition: &str) -> String {
    format!("list:{kind}:{id}:{edition}")
}

/// Everything listing the edition's newest articles: front page, edition feeds, sitemaps.
pub fn edition(edition: &str) -> String {
    format!("edition:{edition}")
}

/// Site-wide lists (the all-editions feed, the sitemap index).
pub const SITE: &str = "site";
