//! Old addresses: every URL the old site answered for an item, mapped to what that
//! item became. The integration writes them as redirects and rewrites body links
//! with the same map.

use crate::model::Target;
use std::collections::HashMap;

/// Query parameters that name an item on a WordPress site (`/?p=42`); any other
/// query is not part of an address.
const ADDRESSING_QUERY: [&str; 7] = [
    "p",
    "page_id",
    "attachment_id",
    "cat",
    "tag",
    "author",
    "feed",
];

/// Old address → target.
#[derive(Debug, Clone, Default)]
pub struct LinkMap {
    /// Hosts of the old site (`example.com`, `www.example.com`): absolute links to
    /// them are the site's own.
    hosts: Vec<String>,
    entries: HashMap<String, Target>,
}

impl LinkMap {
    pub fn new(site_urls: &[&str]) -> Self {
        let mut hosts = Vec::new();
        for url in site_urls {
            if let Some(host) = host_of(url) {
                let bare = host.strip_prefix("www.").unwrap_or(&host).to_owned();
                for h in [bare.clone(), format!("www.{bare}")] {
                    if !hosts.contains(&h) {
                        hosts.push(h);
                    }
                }
            }
        }
        Self {
            hosts,
            entries: HashMap::new(),
        }
    }

    /// Adds an old address (a root-relative path with an optional query, or an
    /// absolute URL on the old site). The first target given for an address stays.
    pub fn insert(&mut self, old: &str, target: Target) {
        if let Some(key) = self.key(old) {
            self.entries.entry(key).or_insert(target);
        }
    }

    /// What an old address (absolute or root-relative) now stands for.
    pub fn lookup(&self, url: &str) -> Option<&Target> {
        let key = self.key(url)?;
        if let Some(t) = self.entries.get(&key) {
            return Some(t);
        }
        // A resized upload (`river-300x200.jpg`) stands for its original.
        let (stem, ext) = key.rsplit_once('.')?;
        let (base, size) = stem.rsplit_once('-')?;
        let (w, h) = size.split_once('x')?;
        if w.bytes().all(|b| b.is_ascii_digit()) && h.bytes().all(|b| b.is_ascii_digit()) {
            return self.entries.get(&format!("{base}.{ext}"));
        }
        None
    }

    /// Every old address (normalized: decoded, lowercase, no trailing slash) and its
    /// target, for the redirects table.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &Target)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Whether `url` is on the old site (root-relative, or absolute on its host).
    pub fn is_own(&self, url: &str) -> bool {
        (url.starts_with('/') && !url.starts_with("//"))
            || host_of(url).is_some_and(|h| self.hosts.contains(&h))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The normalized form of an address, or `None` when it is not on the old site.
    fn key(&self, url: &str) -> Option<String> {
        let url = url.trim();
        let rest = if let Some(after) = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
        {
            let (host, rest) = after.split_at(after.find(['/', '?', '#']).unwrap_or(after.len()));
            let host = host.to_ascii_lowercase();
            if !self.hosts.contains(&host) {
                return None;
            }
            rest
        } else if url.starts_with('/') && !url.starts_with("//") {
            url
        } else {
            return None;
        };
        let rest = rest.split('#').next().unwrap_or("");
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        let path = percent_encoding::percent_decode_str(path)
            .decode_utf8_lossy()
            .to_lowercase();
        let mut path = path.trim_end_matches('/').to_owned();
        if path.is_empty() {
            path.push('/');
        }
        let mut params: Vec<&str> = query
            .split('&')
            .filter(|kv| {
                let k = kv.split('=').next().unwrap_or("");
                ADDRESSING_QUERY.contains(&k)
            })
            .collect();
        params.sort_unstable();
        if !params.is_empty() {
            path.push('?');
            path.push_str(&params.join("&"));
        }
        Some(path)
    }
}

/// The lowercase host of an absolute URL.
pub fn host_of(url: &str) -> Option<String> {
    let after = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let host = after.split(['/', '?', '#']).next()?;
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

/// The path of an absolute URL (`/` when it has none).
pub fn path_of(url: &str) -> String {
    let after = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or(url);
    match after.find('/') {
        Some(i) => after[i..]
            .split(['?', '#'])
            .next()
            .unwrap_or("/")
            .to_owned(),
        None => "/".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_match_in_any_spelling() {
        let mut map = LinkMap::new(&["https://www.old.example/"]);
        map.insert("/?p=42", Target::Document("42".into()));
        map.insert("/2024/05/03/river-basins/", Target::Document("42".into()));
        map.insert("/wp-content/uploads/2024/05/river.jpg", Target::Upload(7));
        let doc = Some(&Target::Document("42".into()));
        assert_eq!(map.lookup("http://old.example/?p=42&utm_source=x"), doc);
        assert_eq!(
            map.lookup("https://www.old.example/2024/05/03/River-Basins"),
            doc
        );
        assert_eq!(map.lookup("https://elsewhere.example/?p=42"), None);
        assert_eq!(
            map.lookup("/wp-content/uploads/2024/05/river-300x200.jpg"),
            Some(&Target::Upload(7))
        );
        assert_eq!(map.lookup("mailto:a@b"), None);
    }
}
