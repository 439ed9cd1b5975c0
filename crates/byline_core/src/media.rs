//! The media library: uploaded pictures, their responsive variants and their words.

use crate::account::User;
use crate::article::{ArticleStatus, Cover, CoverCrops};
use crate::ids::{ArticleId, MediaId};
use crate::roles::{Action, Ownership, allowed};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// Where library files are served: `/media/lib/<key>/<file>`.
pub const MEDIA_URL_PREFIX: &str = "/media/lib";

/// The storage key of a library file's URL path (`/media/lib/<key>/<file>`); `None` for
/// a picture from elsewhere (the demo's covers).
pub fn storage_key_of(url: &str) -> Option<&str> {
    let rest = url.strip_prefix(MEDIA_URL_PREFIX)?.strip_prefix('/')?;
    let (key, _) = rest.split_once('/')?;
    Some(key)
}

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

/// Where the subject of a picture is, in percent of its width and height from the top
/// left: crops keep this point in the frame. The middle unless an editor moved it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Focal {
    pub x: u8,
    pub y: u8,
}

impl Focal {
    pub const MIDDLE: Focal = Focal { x: 50, y: 50 };

    /// `None` when either coordinate is past 100.
    pub fn new(x: u8, y: u8) -> Option<Focal> {
        (x <= 100 && y <= 100).then_some(Focal { x, y })
    }
}

impl Default for Focal {
    fn default() -> Self {
        Self::MIDDLE
    }
}

/// Something that shows a library picture: the library's "where used".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum MediaUse {
    /// An article (any status, deleted ones too: they can be restored).
    Article {
        id: ArticleId,
        title: String,
        edition: String,
        status: ArticleStatus,
    },
    /// A static page (About, Contacts, …).
    Page {
        id: i64,
        title: String,
        edition: String,
    },
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
    pub focal: Focal,
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
            focal: Focal::MIDDLE,
            variants: new.variants,
            uploaded_by: new.uploaded_by,
            created_at,
        }
    }

    /// Whether `user` may change the item's words and focal point and delete it
    /// (`manage_media`: their own upload, or editors).
    pub fn managed_by(&self, user: &User) -> bool {
        let ownership = if self.uploaded_by == Some(user.id.0) {
            Ownership::Own
        } else {
            Ownership::Others
        };
        allowed(user.role, Action::ManageMedia, ownership)
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

    /// The narrowest file at least `width` pixels wide (the widest there is when none
    /// is): thumbnails in the library and the pictures dialog.
    pub fn url_at_least(&self, width: u32) -> String {
        match self.variants.iter().find(|v| v.width >= width) {
            Some(v) => self.file_url(&v.name),
            None => self.src(),
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

    /// A crop's file URL (`c{w}x{h}-{x}-{y}.{ext}`, the media pipeline's name for it)
    /// around the item's focal point.
    fn crop_url(&self, width: u32, height: u32, ext: &str) -> String {
        self.file_url(&format!(
            "c{width}x{height}-{}-{}.{ext}",
            self.focal.x, self.focal.y
        ))
    }

    /// The crops pages use, around the focal point.
    pub fn crops(&self) -> CoverCrops {
        let card = self.crop_url(640, 360, "webp");
        CoverCrops {
            card_srcset: format!("{card} 640w, {} 1280w", self.crop_url(1280, 720, "webp")),
            card,
            social: self.crop_url(1200, 630, "jpg"),
            square: self.crop_url(1200, 1200, "jpg"),
        }
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
            crops: Some(self.crops()),
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
            focal: Focal::MIDDLE,
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
        assert_eq!(i.url_at_least(400), format!("{base}/640.webp"));
        assert_eq!(
            storage_key_of(&i.src()),
            Some("0123456789abcdef0123456789abcdef")
        );
        assert_eq!(storage_key_of("/media/demo/covers/7.jpg"), None);
        assert_eq!(i.url_at_least(5000), format!("{base}/1600.webp"));
        let cover = i.cover();
        assert_eq!((cover.width, cover.height), (2000, 1000));
        assert_eq!(cover.srcset, i.srcset());
        assert_eq!(cover.caption, "Dawn");
        let crops = cover.crops.expect("a library cover has crops");
        assert_eq!(crops.card, format!("{base}/c640x360-50-50.webp"));
        assert_eq!(
            crops.card_srcset,
            format!("{base}/c640x360-50-50.webp 640w, {base}/c1280x720-50-50.webp 1280w")
        );
        assert_eq!(crops.social, format!("{base}/c1200x630-50-50.jpg"));
        assert_eq!(crops.square, format!("{base}/c1200x1200-50-50.jpg"));
    }
}
