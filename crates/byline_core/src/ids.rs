//! Typed ids: an `ArticleId` can never be passed where a `SectionId` is meant.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// Id of one article (one edition of a story).
    ArticleId
);
id_type!(
    /// Id of a section.
    SectionId
);
id_type!(
    /// Id of an author.
    AuthorId
);
id_type!(
    /// Id of a tag.
    TagId
);
id_type!(
    /// Id of a picture in the media library.
    MediaId
);
id_type!(
    /// Id of a static page (About, Contacts, …).
    PageId
);
id_type!(
    /// Id of a newsroom account.
    UserId
);
