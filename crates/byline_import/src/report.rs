//! What an import did: counts per kind, what it skipped and why, and per-item errors.

use std::collections::BTreeMap;
use std::fmt;

/// Kinds of things an import counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Counted {
    Articles,
    Pages,
    Sections,
    Tags,
    Authors,
    Pictures,
    Redirects,
}

/// Why something in the export was not imported (or not all of it).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Skip {
    /// The item (`post 42`, `comment`, `shortcode [contact-form]`, …).
    pub item: String,
    pub reason: String,
}

/// An item that could not be converted; the rest of the import goes on.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ItemError {
    pub item: String,
    pub message: String,
}

/// The report of one pass over an export (serializable: the full report file is
/// its JSON).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Report {
    pub counts: BTreeMap<Counted, u64>,
    pub skipped: Vec<Skip>,
    /// Things skipped in bulk (comments, menu items, revisions), by reason: listing
    /// 40,000 comments one by one would bury the rest.
    pub skipped_in_bulk: BTreeMap<String, u64>,
    /// Shortcodes and blocks kept as readable text, with how often each was met.
    pub untranslated: BTreeMap<String, u64>,
    pub errors: Vec<ItemError>,
}

impl Report {
    pub fn count(&mut self, kind: Counted, n: u64) {
        *self.counts.entry(kind).or_default() += n;
    }

    pub fn counted(&self, kind: Counted) -> u64 {
        self.counts.get(&kind).copied().unwrap_or(0)
    }

    pub fn skip(&mut self, item: impl Into<String>, reason: impl Into<String>) {
        self.skipped.push(Skip {
            item: item.into(),
            reason: reason.into(),
        });
    }

    pub fn skip_bulk(&mut self, reason: &str, n: u64) {
        if n > 0 {
            *self.skipped_in_bulk.entry(reason.to_owned()).or_default() += n;
        }
    }

    pub fn untranslated(&mut self, what: &str) {
        *self.untranslated.entry(what.to_owned()).or_default() += 1;
    }

    pub fn error(&mut self, item: impl Into<String>, message: impl Into<String>) {
        self.errors.push(ItemError {
            item: item.into(),
            message: message.into(),
        });
    }

    /// Adds another report's findings to this one.
    pub fn merge(&mut self, other: Report) {
        for (k, n) in other.counts {
            self.count(k, n);
        }
        self.skipped.extend(other.skipped);
        for (k, n) in other.skipped_in_bulk {
            *self.skipped_in_bulk.entry(k).or_default() += n;
        }
        for (k, n) in other.untranslated {
            *self.untranslated.entry(k).or_default() += n;
        }
        self.errors.extend(other.errors);
    }
}

impl fmt::Display for Counted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Articles => "articles",
            Self::Pages => "pages",
            Self::Sections => "sections",
            Self::Tags => "tags",
            Self::Authors => "authors",
            Self::Pictures => "pictures",
            Self::Redirects => "redirects",
        })
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (kind, n) in &self.counts {
            writeln!(f, "{kind}: {n}")?;
        }
        for (reason, n) in &self.skipped_in_bulk {
            writeln!(f, "skipped {n} × {reason}")?;
        }
        for s in &self.skipped {
            writeln!(f, "skipped {}: {}", s.item, s.reason)?;
        }
        for (what, n) in &self.untranslated {
            writeln!(f, "kept as text {n} × {what}")?;
        }
        for e in &self.errors {
            writeln!(f, "error in {}: {}", e.item, e.message)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_is_written_as_json() {
        let mut r = Report::default();
        r.count(Counted::Articles, 2);
        r.skip_bulk("comment", 3);
        r.error("post 1", "too deep");
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["counts"]["articles"], 2);
        assert_eq!(json["skipped_in_bulk"]["comment"], 3);
        assert_eq!(json["errors"][0]["item"], "post 1");
    }
}
