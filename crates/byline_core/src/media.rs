//! The media library: uploaded pictures, their responsive variants and their words.

use crate::article::Cover;
use crate::ids::MediaId;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// Where library files are served: `/media/lib/<key>/<file>`.
pub const MEDIA_URL_PREFIX: &str = "/media/lib";

/// One responsive variant (a WebP of some width).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaVariant {
    /// File name under the item's key, e.g. `640.webp`.
    pub name: String,
    pub width: u32,
    pub height: u32,
    pub bytes: u64,
}

/// What the content service records after storing a picture's files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMedia {
    /// Content address of the upload; its files are under this key in media storage.
    pub storage_key: String,
    /// The name it was uploaded under (shown in the library, never used as a path).
    pub file_name: String,
    /// Type, size and bytes of the sanitized original (`original.jpg|png|webp`).
    pub mime: String,
    pub width: u32,
    pub height: u32,
    pub bytes: u64,
    pub alt: String,
    pub caption: String,
    pub credit: String,
    /// Narrowest first.
    pub variants: Vec<MediaVariant>,
    /// The user who uploaded it, when known (users arrive with the newsroom).
    pub uploaded_by: Option<i64>,
}

/// A picture in the library.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MediaItem {
    pub id: MediaId,
    pub storage_key: String,
    pub file_name: String,
    pub mime: String,
    pub width: u32,
    pub height: u32,
    pub bytes: u64,
    pub alt: String,
    pub caption: String,
    pub credit: String,
    pub variants: Vec<MediaVariant>,
    pub uploaded_by: Option<i64>,
    pub created_at: Timestamp,
}

impl MediaItem {
    pub fn from_new(id: MediaId, new: NewMedia, created_at: Timestamp) -> Self {
        Self {
            id,
            storage_key: new.storage_key,
            file_name: new.file_name,
            mime: new.mime,
            width: new.width,
            height: new.height,
            bytes: new.bytes,
            alt: new.alt,
            caption: new.caption,
            credit: new.credit,
            variants: new.variants,
            uploaded_by: new.uploaded_by,
            created_at,
        }
    }

    /// URL path of one of the item's files.
    pub fn file_url(&self, name: &str) -> String {
        format!("{MEDIA_URL_PREFIX}/{}/{name}", self.storage_key)
    }

    /// The sanitized original.
    pub fn original_url(&self) -> String {
        let ext = match self.mime.as_str() {
            "image/jpeg" => "jpg",
            "image/webp" => "webp",
            _ => "png",
        };
        self.file_url(&format!("original.{ext}"))
    }

    /// The `src` of an `<img>`: the widest variant (browsers that understand `srcset`
    /// pick a better one).
    pub fn src(&self) -> String {
        match self.variants.last() {
            Some(v) => self.file_url(&v.name),
            None => self.original_url(),
        }
    }

    /// `srcset` of an `<img>`: every variant with its width.
    pub fn srcset(&self) -> String {
        self.variants
            .iter()
            .map(|v| format!("{} {}w", self.file_url(&v.name), v.width))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The item as an article's cover (its caption and credit unless overridden).
    pub fn cover(&self) -> Cover {
        Cover {
            url: self.src(),
            alt: self.alt.clone(),
            caption: self.caption.clone(),
            credit: self.credit.clone(),
            width: self.width,
            height: self.height,
            srcset: self.srcset(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(width: u32, variants: &[u32]) -> MediaItem {
        MediaItem {
            id: MediaId(7),
            storage_key: "0123456789abcdef0123456789abcdef".into(),
            file_name: "Harbour.JPG".into(),
            mime: "image/jpeg".into(),
            width,
            height: width / 2,
            bytes: 1000,
            alt: "A harbour".into(),
            caption: "Dawn".into(),
            credit: "Photo: A. B.".into(),
            variants: variants
                .iter()
                .map(|w| MediaVariant {
                    name: format!("{w}.webp"),
                    width: *w,
                    height: w / 2,
                    bytes: 10,
                })
                .collect(),
            uploaded_by: None,
            created_at: Timestamp::UNIX_EPOCH,
        }
    }

    #[test]
    fn urls_and_srcset() {
        let i = item(2000, &[320, 640, 1024, 1600]);
        let base = "/media/lib/0123456789abcdef0123456789abcdef";
        assert_eq!(i.src(), format!("{base}/1600.webp"));
        assert_eq!(i.original_url(), format!("{base}/original.jpg"));
        assert_eq!(
            i.srcset(),
            format!(
                "{base}/320.webp 320w, {base}/640.webp 640w, {base}/1024.webp 1024w, {base}/1600.webp 1600w"
            )
        );
        let cover = i.cover();
        assert_eq!((cover.width, cover.height), (2000, 1000));
        assert_eq!(cover.srcset, i.srcset());
        assert_eq!(cover.caption, "Dawn");
    }
}
