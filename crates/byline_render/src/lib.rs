//! Rendering: Markdown bodies to sanitized HTML, UI strings (Fluent), dates (ICU4X),
//! and the minijinja theme that turns view models into pages.

pub mod dates;
pub mod i18n;
pub mod locale;
pub mod markdown;
pub mod theme;

pub use dates::{DateError, DateFormatter};
pub use i18n::Strings;
pub use locale::og_locale;
pub use markdown::{RenderedBody, plain_text, render_markdown};
pub use theme::{RenderError, Theme};
