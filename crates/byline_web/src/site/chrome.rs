//! The chrome: the parts of every reader page that are the same on all pages of an
//! edition (the masthead, the footer's brand and sections, the legal lines, the search
//! overlay), rendered once per edition from the theme's `templates/chrome/` and written
//! by `base.html` as `chrome.<name>`.
//!
//! Why: every render wrote these parts again (the social and app links, some forty UI
//! strings, the sections: 8 % of an uncached article's instructions), and they change
//! only with the outlet's settings, sections and static pages, i.e. a new catalog, or
//! when the year turns. Each edition's chrome is kept with the catalog and year it was
//! made from and made again when either differs. (The Web Push key it shows is fixed
//! for the process's life: `Content::start`.)

use super::urls;
use super::view::{NavItem, SiteView};
use crate::state::AppState;
use byline_content::Catalog;
use byline_render::RenderError;
use minijinja::Value;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, RwLock, Weak};

/// Each edition's chrome, as last made. Editions are the outlet's (`lang` is checked
/// before a page is made), so the map stays as small as their number.
#[derive(Default)]
pub struct ChromeCache {
    by_edition: RwLock<HashMap<String, Chrome>>,
}

/// One edition's chrome and what it was made from.
struct Chrome {
    /// The catalog is replaced whole when the settings, sections or pages change. A weak
    /// reference keeps its address from being reused by a later one without keeping its
    /// authors and tags alive.
    catalog: Weak<Catalog>,
    year: i16,
    /// `chrome` in a page's context: a map of file stem to rendered (safe) HTML.
    fragments: Value,
}

impl Chrome {
    fn made_from(&self, catalog: &Arc<Catalog>, year: i16) -> bool {
        std::ptr::eq(self.catalog.as_ptr(), Arc::as_ptr(catalog)) && self.year == year
    }
}

/// What the chrome's templates receive: the page-independent members of a page's
/// context (CONTEXT.md, "Chrome"). `nav` marks no section as current.
#[derive(Serialize)]
struct ChromeView<'a> {
    lang: &'a str,
    t: Value,
    site: SiteView<'a>,
    year: i16,
    home_url: String,
    search_url: String,
    nav: Vec<NavItem<'a>>,
    push_key: Option<&'a str>,
}

impl ChromeCache {
    /// The `chrome` of a page of edition `lang`: made now if the edition has none yet or
    /// it was made from another catalog or year.
    pub fn for_page(
        &self,
        state: &AppState,
        catalog: &Arc<Catalog>,
        lang: &str,
        year: i16,
    ) -> Result<Value, RenderError> {
        if let Some(chrome) = self
            .by_edition
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(lang)
            .filter(|c| c.made_from(catalog, year))
        {
            return Ok(chrome.fragments.clone());
        }
        // Two requests may make the same chrome at once; both results are the same.
        let fragments = make(state, catalog, lang, year)?;
        // A request that began before the catalog changed keeps what it made to itself.
        if Arc::ptr_eq(catalog, &state.content.catalog()) {
            self.by_edition
                .write()
                .unwrap_or_else(|p| p.into_inner())
                .insert(
                    lang.to_owned(),
                    Chrome {
                        catalog: Arc::downgrade(catalog),
                        year,
                        fragments: fragments.clone(),
                    },
                );
        }
        Ok(fragments)
    }
}

fn make(state: &AppState, catalog: &Catalog, lang: &str, year: i16) -> Result<Value, RenderError> {
    let view = ChromeView {
        lang,
        t: state.theme.translator(lang),
        site: SiteView::new(&catalog.settings, lang),
        year,
        home_url: urls::front(lang),
        search_url: urls::search(lang),
        nav: NavItem::all(catalog, lang, None),
        push_key: state.content.push_public_key(),
    };
    let ctx = Value::from_serialize(&view);
    let mut fragments = BTreeMap::new();
    for (stem, template) in state.theme.chrome_templates() {
        let html = state.theme.render(template, &ctx)?;
        fragments.insert(stem.to_owned(), Value::from_safe_string(html));
    }
    Ok(Value::from(fragments))
}
