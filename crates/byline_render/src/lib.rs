//! Rendering: Markdown bodies to sanitized HTML, UI strings (Fluent), dates (ICU4X),
//! and the minijinja theme that turns view models into pages.

pub mod context;
pub mod dates;
pub mod escape;
pub mod html_depth;
pub mod i18n;
pub mod locale;
pub mod markdown;
pub mod media;
pub mod paste;
pub mod theme;

pub use context::layered;
pub use dates::{DateError, DateFormatter};
pub use i18n::Strings;
pub use locale::og_locale;
pub use markdown::{
    BodyError, MediaLookup, RenderedBody, media_refs, plain_text, render_markdown,
    render_markdown_with_media,
};
pub use media::{BODY_SIZES, COVER_SIZES, media_figure, media_img};
pub use paste::{PasteError, html_to_markdown};
pub use theme::{Asset, RenderError, Theme};
