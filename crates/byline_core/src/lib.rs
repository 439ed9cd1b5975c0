//! Byline's domain types. No I/O lives here, so the store backends, the content
//! service and the web fronts can all share these types without a dependency cycle.

pub mod account;
pub mod alert;
pub mod article;
pub mod desk;
pub mod ids;
pub mod limits;
pub mod live;
pub mod localized;
pub mod media;
pub mod page;
pub mod paging;
pub mod push;
pub mod roles;
pub mod site;
pub mod slug;

pub use account::{
    ArticleMeta, ArticleNote, AuditEntry, Credentials, NewAuditEntry, NewUser, NewsroomArticle,
    Revision, Session, User,
};
pub use alert::{
    Alert, DEFAULT_ALERT_MINUTES, MAX_ALERT_MINUTES, MAX_ALERT_TEXT, MAX_ALERT_URL, NewAlert,
};
pub use article::{
    Article, ArticleStatus, ArticleSummary, Correction, CorrectionKind, Cover, CoverCrops,
    NewArticle, Seo,
};
pub use desk::{Assignment, NewNotice, Notice, NoticeKind, Presence};
pub use ids::{ArticleId, AuthorId, MediaId, PageId, SectionId, TagId, UserId};
pub use live::{
    EntryRevision, EntryText, LiveCoverage, LiveEntry, MAX_ENTRY_BODY, MAX_ENTRY_TITLE,
    PAGE_ENTRIES,
};
pub use localized::Localized;
pub use media::{
    Focal, MEDIA_URL_PREFIX, MediaItem, MediaUse, MediaVariant, NewMedia, storage_key_of,
};
pub use page::{NewPage, PageStatus, StaticPage, UnknownPageStatus};
pub use paging::{PageNumber, PageRequest};
pub use push::{
    MAX_PUSH_ENDPOINT, MAX_PUSH_PAYLOAD, NewPushSubscription, PushDelivery, PushKeys, PushKind,
    PushNotice, PushTally,
};
pub use roles::{Action, Ownership, Role, allowed};
pub use site::{
    Author, Edition, FeedContent, FeedSettings, RobotsSettings, Section, SiteSettings, Tag,
};
pub use slug::{Slug, SlugError};
