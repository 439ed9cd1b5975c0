//! Pictures of an import: taken from the media folder (`--media-dir`, or the one chosen
//! in the newsroom) by their path on the old site and adopted into the library
//! ([`Content::adopt_media`]): checked by their header now, their sanitized files and
//! variants made by the server's media processor. Nothing is fetched from the internet;
//! a missing or refused file keeps its old URL and is reported.

use crate::{Content, ImportKind, MediaMeta};
use byline_core::MediaItem;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use tokio::runtime::Handle;

/// Where the old sites kept uploads: a URL path below one of these is a file path
/// under the media folder.
const UPLOAD_ROOTS: [&str; 2] = ["/wp-content/uploads/", "/content/images/"];

/// Pictures found (by relative path) and missing (with the reason), for one run.
pub(crate) struct Pictures<'a> {
    content: &'a Content,
    source: &'static str,
    dir: Option<PathBuf>,
    handle: Handle,
    found: RefCell<HashMap<String, Option<MediaItem>>>,
    /// Path → why it was not imported.
    pub(crate) missing: RefCell<BTreeMap<String, String>>,
    pub(crate) added: RefCell<u64>,
}

impl<'a> Pictures<'a> {
    pub(crate) fn new(content: &'a Content, source: &'static str, dir: Option<PathBuf>) -> Self {
        Self {
            content,
            source,
            dir,
            handle: Handle::current(),
            found: RefCell::default(),
            missing: RefCell::default(),
            added: RefCell::new(0),
        }
    }

    /// The relative file path of an upload's URL (absolute or root-relative), or the
    /// path itself when it is already relative (`2024/05/river.jpg`).
    pub(crate) fn relative(url: &str) -> String {
        let path = byline_import::links::path_of(url);
        let path = if url.starts_with('/') || url.contains("://") {
            path
        } else {
            url.to_owned()
        };
        for root in UPLOAD_ROOTS {
            if let Some(rest) = path.find(root).map(|i| &path[i + root.len()..]) {
                return rest.to_owned();
            }
        }
        path.trim_start_matches('/').to_owned()
    }

    /// The library picture for a file in the media folder, put there now or by
    /// an earlier run; `None` (and a line in the report) when there is none.
    /// Blocks: called from the import's synchronous pass.
    pub(crate) fn get(&self, relative: &str) -> Option<MediaItem> {
        if let Some(known) = self.found.borrow().get(relative) {
            return known.clone();
        }
        let item = self.handle.block_on(self.load(relative));
        let item = match item {
            Ok(item) => Some(item),
            Err(why) => {
                self.missing.borrow_mut().insert(relative.to_owned(), why);
                None
            }
        };
        self.found
            .borrow_mut()
            .insert(relative.to_owned(), item.clone());
        item
    }

    /// Puts many pictures in the library at once, `parallel` at a time (reading, hashing
    /// and storing overlap), calling `done` after each. Later [`Pictures::get`]s of these paths answer
    /// from memory.
    pub(crate) fn prefetch(&self, relatives: Vec<String>, parallel: usize, done: &dyn Fn()) {
        use futures::StreamExt;
        let unseen: Vec<String> = {
            let found = self.found.borrow();
            let mut seen = std::collections::HashSet::new();
            relatives
                .into_iter()
                .filter(|r| !found.contains_key(r) && seen.insert(r.clone()))
                .collect()
        };
        let loaded: Vec<(String, Result<MediaItem, String>)> = self.handle.block_on(
            futures::stream::iter(unseen)
                .map(|relative| async move {
                    let item = self.load(&relative).await;
                    done();
                    (relative, item)
                })
                .buffer_unordered(parallel.max(1))
                .collect(),
        );
        let mut found = self.found.borrow_mut();
        for (relative, item) in loaded {
            let item = match item {
                Ok(item) => Some(item),
                Err(why) => {
                    self.missing.borrow_mut().insert(relative.clone(), why);
                    None
                }
            };
            found.insert(relative, item);
        }
    }

    async fn load(&self, relative: &str) -> Result<MediaItem, String> {
        if let Some(id) = self
            .content
            .imported(self.source, ImportKind::Media, relative)
            .await
            .map_err(|e| e.to_string())?
            && let Ok(item) = self.content.media(byline_core::MediaId(id)).await
        {
            return Ok(item);
        }
        let Some(dir) = &self.dir else {
            return Err("no media folder was given".into());
        };
        let path = safe_join(dir, relative).ok_or("not a path inside the media folder")?;
        let bytes = tokio::fs::read(&path)
            .await
            .map_err(|e| format!("{}: {e}", path.display()))?;
        let name = Path::new(relative)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let item = self
            .content
            .adopt_media(bytes, &name, MediaMeta::default())
            .await
            .map_err(|e| e.to_string())?;
        self.content
            .record_imported(self.source, ImportKind::Media, relative, item.id.0)
            .await
            .map_err(|e| e.to_string())?;
        *self.added.borrow_mut() += 1;
        Ok(item)
    }
}

/// `dir/relative` when `relative` stays inside `dir` (no `..`, not absolute).
fn safe_join(dir: &Path, relative: &str) -> Option<PathBuf> {
    let rel = Path::new(relative);
    let plain = rel
        .components()
        .all(|c| matches!(c, std::path::Component::Normal(_)));
    (plain && !relative.is_empty()).then(|| dir.join(rel))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upload_urls_become_paths_under_the_media_dir() {
        assert_eq!(
            Pictures::relative("https://old.example/wp-content/uploads/2024/05/river.jpg"),
            "2024/05/river.jpg"
        );
        assert_eq!(
            Pictures::relative("/content/images/2024/05/a.png"),
            "2024/05/a.png"
        );
        assert_eq!(Pictures::relative("2024/05/a.png"), "2024/05/a.png");
        assert!(safe_join(Path::new("/m"), "../etc/passwd").is_none());
        assert!(safe_join(Path::new("/m"), "/etc/passwd").is_none());
    }
}
