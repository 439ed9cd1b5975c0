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

/// Every HTML page of an edition (they all show its breaking-news banner).
pub fn pages(edition: &str) -> String {
    format!("pages:{edition}")
}

/// Site-wide lists (the all-editions feed, the sitemap index).
pub const SITE: &str = "site";

/// On every page: settings, sections, authors and tags show on every page (navigation,
/// footer, bylines), so a change to any of them purges this key, i.e. everything.
pub const ALL: &str = "all";

/// Names what a page is about, for a CDN operator purging by hand or by rule: the
/// page's section, tags, authors (`about("section", 3)`) and edition (`about("ed", …)`).
/// Article changes never purge these (`shows`/`list` keys cover that precisely); a
/// change to the section, tag or author itself purges [`ALL`].
pub fn about(kind: &str, id: impl std::fmt::Display) -> String {
    format!("{kind}:{id}")
}

/// The keys a CDN tags a response with (`Surrogate-Key`, `Cache-Tag`): [`ALL`], the
/// page's dependencies, and the section, tag, author and edition those name
/// (`list:section:3:en` names `section:3` and `ed:en`). A purge names dependencies
/// only, so a tag stored with a page is purged exactly when the page's own cache entry is.
pub fn surrogate_keys(deps: &[String]) -> Vec<String> {
    let mut keys = vec![ALL.to_owned()];
    let mut push = |key: String| {
        if !keys.contains(&key) {
            keys.push(key);
        }
    };
    for dep in deps {
        push(dep.clone());
        let parts: Vec<&str> = dep.split(':').collect();
        match parts.as_slice() {
            ["list", kind, id, edition] => {
                push(about(kind, id));
                push(about("ed", edition));
            }
            ["edition", edition] => push(about("ed", edition)),
            _ => {}
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_dependencies_also_name_what_they_list() {
        let keys = surrogate_keys(&[list("section", 3, "en"), shows(9), edition("en")]);
        assert_eq!(
            keys,
            [
                "all",
                "list:section:3:en",
                "section:3",
                "ed:en",
                "shows:9",
                "edition:en"
            ]
        );
    }
}
