//! The theme: minijinja templates, static assets and Fluent strings, embedded in the
//! binary and overridable file by file from a folder on disk.

use crate::i18n::{FixedMessages, Strings, StringsError};
use fluent_bundle::{FluentArgs, FluentValue};
use include_dir::{Dir, include_dir};
use minijinja::value::{Kwargs, Object, ObjectRepr, Value, ValueKind};
use minijinja::{Environment, Error, ErrorKind, State, UndefinedBehavior};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/theme");

/// Where the chrome's templates are, under `templates/` ([`Theme::chrome_templates`]).
const CHROME_DIR: &str = "chrome/";

/// A static file of the theme, with its fingerprint for cache-busting URLs.
pub struct Asset {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
    /// First 12 hex digits of the SHA-256 of `bytes`.
    pub hash: String,
}

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("template {name}: {source}")]
    Template {
        name: String,
        #[source]
        source: minijinja::Error,
    },
    #[error(transparent)]
    Strings(#[from] StringsError),
    #[error("reading theme file {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Templates + strings + assets, ready to render. Share it in an `Arc`.
pub struct Theme {
    env: Environment<'static>,
    strings: Arc<Strings>,
    assets: HashMap<String, Asset>,
    /// CSP source expressions (`'sha256-…'`) of the inline scripts in the templates.
    inline_script_hashes: Vec<String>,
    /// Per language of the strings, `t` bound to it (see [`Theme::translator`]).
    translators: HashMap<String, Value>,
    /// The templates under `chrome/`, by name (see [`Theme::chrome_templates`]).
    chrome: Vec<String>,
    /// Per template, how large an output buffer to start its next render with (see
    /// [`Theme::render_bytes`]).
    size_hints: HashMap<String, AtomicUsize>,
}

/// The first render of a template starts with this much room.
const FIRST_SIZE_HINT: usize = 16 * 1024;
/// No render starts with more room than this, whatever one page once needed.
const MAX_SIZE_HINT: usize = 1024 * 1024;
/// Room a rendered page may keep unused (above a quarter of its length it is freed).
const SPARE_KEPT: usize = 4096;

/// The room to start the next render of a template with after one of `len` bytes: an
/// eighth more, for the next page of the kind to fit without growing.
fn next_size_hint(len: usize) -> usize {
    (len + len / 8).clamp(1024, MAX_SIZE_HINT)
}

impl Theme {
    /// The embedded default theme, with files from `overrides` (if given) taking precedence.
    pub fn load(overrides: Option<&Path>) -> Result<Self, RenderError> {
        let files = collect_files(overrides)?;

        let mut ftl = Vec::new();
        let mut templates = Vec::new();
        let mut assets = HashMap::new();
        let mut statics = HashMap::new();
        for (path, bytes) in files {
            if let Some(rest) = path.strip_prefix("templates/") {
                let text = String::from_utf8_lossy(&bytes).into_owned();
                templates.push((rest.to_owned(), text));
            } else if let Some((lang, file)) = path
                .strip_prefix("locales/")
                .and_then(|rest| rest.split_once('/'))
                .filter(|(_, file)| file.ends_with(".ftl"))
            {
                ftl.push((
                    lang.to_owned(),
                    file.to_owned(),
                    String::from_utf8_lossy(&bytes).into_owned(),
                ));
            } else if let Some(rest) = path.strip_prefix("static/") {
                statics.insert(rest.to_owned(), bytes);
            }
        }
        for (name, bytes) in &statics {
            let bytes = if name.ends_with(".css") {
                inline_css_imports(bytes, &statics)
            } else {
                bytes.clone()
            };
            assets.insert(
                name.clone(),
                Asset {
                    content_type: content_type(name),
                    hash: hex12(&bytes),
                    bytes,
                },
            );
        }
        // Embedded files come first, overrides after, so overriding messages win.
        let strings = Arc::new(Strings::from_sources(
            ftl.iter()
                .map(|(l, f, s)| (l.as_str(), f.as_str(), s.as_str())),
            "en",
        )?);

        let inline_script_hashes = inline_script_hashes(&templates);
        // Only the folder's own files: a theme may keep partials of its chrome in a
        // subfolder, included by them and not rendered alone.
        let mut chrome: Vec<String> = templates
            .iter()
            .map(|(name, _)| name)
            .filter(|name| {
                name.strip_prefix(CHROME_DIR)
                    .is_some_and(|rest| !rest.contains('/') && rest.ends_with(".html"))
            })
            .cloned()
            .collect();
        chrome.sort();
        let size_hints = templates
            .iter()
            .map(|(name, _)| (name.clone(), AtomicUsize::new(FIRST_SIZE_HINT)))
            .collect();
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        env.set_formatter(html_formatter);
        for (name, source) in templates {
            env.add_template_owned(name.clone(), source)
                .map_err(|source| RenderError::Template { name, source })?;
        }
        let t_strings = strings.clone();
        env.add_function("t", move |state: &State, key: &str, kwargs: Kwargs| {
            translate(&t_strings, state, key, kwargs)
        });
        let asset_urls: HashMap<String, String> = assets
            .iter()
            .map(|(name, a)| (name.clone(), format!("/static/{name}?v={}", a.hash)))
            .collect();
        env.add_function("asset", move |name: &str| {
            asset_urls.get(name).cloned().ok_or_else(|| {
                Error::new(
                    ErrorKind::InvalidOperation,
                    format!("no theme asset named {name:?}"),
                )
            })
        });
        let translators = strings
            .languages()
            .map(|lang| (lang.to_owned(), bound_translator(&strings, lang)))
            .collect();
        Ok(Self {
            env,
            strings,
            assets,
            inline_script_hashes,
            translators,
            chrome,
            size_hints,
        })
    }

    /// The theme's chrome: the templates in `templates/chrome/` (not its subfolders),
    /// each the part of every reader page that is the same on all pages of an edition
    /// (the masthead, the footer's brand, the search overlay …). The site renders each
    /// once per edition and settings, and pages write them as `chrome.<file stem>`
    /// (CONTEXT.md, "Chrome"). Yields `(stem, template name)`.
    pub fn chrome_templates(&self) -> impl Iterator<Item = (&str, &str)> {
        self.chrome.iter().map(|name| {
            let stem = name[CHROME_DIR.len()..].trim_end_matches(".html");
            (stem, name.as_str())
        })
    }

    /// Renders template `name` with `ctx` (which must hold `lang`).
    pub fn render(&self, name: &str, ctx: &Value) -> Result<String, RenderError> {
        let out = self.render_bytes(name, ctx)?;
        // minijinja writes `str`s only; a failure here would be a bug of its own.
        String::from_utf8(out).map_err(|e| RenderError::Template {
            name: name.to_owned(),
            source: Error::new(
                ErrorKind::WriteFailure,
                format!("the output is not UTF-8: {e}"),
            ),
        })
    }

    /// [`render`](Self::render) as the bytes of UTF-8 text, for a page that goes out as
    /// it is: no second pass over it to check what minijinja wrote from `str`s.
    ///
    /// Why into a buffer sized from the template's last page: a page grows its output
    /// from a few kilobytes by doubling, copying what it has each time (an article's
    /// 40 KB took some ten such steps, 4 % of an uncached render's instructions).
    pub fn render_bytes(&self, name: &str, ctx: &Value) -> Result<Vec<u8>, RenderError> {
        let hint = self.size_hints.get(name);
        let mut out =
            Vec::with_capacity(hint.map_or(FIRST_SIZE_HINT, |h| h.load(Ordering::Relaxed)));
        self.env
            .get_template(name)
            .and_then(|t| t.render_captured_to(ctx, &mut out).map(drop))
            .map_err(|source| RenderError::Template {
                name: name.to_owned(),
                source,
            })?;
        if let Some(hint) = hint {
            hint.store(next_size_hint(out.len()), Ordering::Relaxed);
        }
        // A small page after a large one of the same template: the page cache weighs a
        // page by its length, so it must not keep the large one's room (a few KB spare
        // are not worth a reallocation).
        if out.capacity() - out.len() > (out.len() / 4).max(SPARE_KEPT) {
            out.shrink_to_fit();
        }
        Ok(out)
    }

    pub fn strings(&self) -> &Strings {
        &self.strings
    }

    /// The template function `t` bound to `lang`, for a page's context to carry as `t`.
    ///
    /// Why: the global `t` reads `lang` from the context on every call, and a template
    /// reaches a global only after searching every frame and the root context for a
    /// variable of that name; a page calls `t` some hundred times per render. Found in
    /// the root context, `t` is one lookup and needs no `lang`. Templates without it in
    /// their context (the newsroom's pages, a live blog's entry rendered on its own)
    /// keep the global one, which answers the same.
    pub fn translator(&self, lang: &str) -> Value {
        self.translators
            .get(lang)
            .cloned()
            .unwrap_or_else(|| bound_translator(&self.strings, lang))
    }

    /// A UI string outside templates (page titles, error messages).
    pub fn t(&self, lang: &str, key: &str) -> String {
        self.strings.get(lang, key, None)
    }

    /// A UI string with arguments.
    pub fn t_args(&self, lang: &str, key: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let mut fa = FluentArgs::new();
        for (k, v) in args {
            fa.set(*k, v.clone());
        }
        self.strings.get(lang, key, Some(&fa))
    }

    pub fn asset(&self, name: &str) -> Option<&Asset> {
        self.assets.get(name)
    }

    /// The site's name for itself in `manifest.webmanifest` comes from the settings; the
    /// theme supplies the files. Every asset, by name.
    pub fn assets(&self) -> impl Iterator<Item = (&str, &Asset)> {
        self.assets
            .iter()
            .map(|(name, asset)| (name.as_str(), asset))
    }

    /// The `'sha256-…'` sources a Content-Security-Policy needs so that the inline
    /// scripts the templates carry (the theme snippet that sets the night theme before
    /// first paint) run, and no other inline script does.
    pub fn inline_script_hashes(&self) -> &[String] {
        &self.inline_script_hashes
    }
}

/// Hashes of every executable inline `<script>` in `templates` (not `src=`, not a data
/// block such as JSON-LD). One that holds template syntax differs per page and cannot
/// be allowed by hash: it is reported, and browsers will refuse to run it.
fn inline_script_hashes(templates: &[(String, String)]) -> Vec<String> {
    use base64::Engine;
    let mut hashes = Vec::new();
    for (name, source) in templates {
        let mut rest = source.as_str();
        while let Some(start) = rest.find("<script") {
            rest = &rest[start + "<script".len()..];
            let Some(open_end) = rest.find('>') else {
                break;
            };
            let attributes = rest[..open_end].to_ascii_lowercase();
            rest = &rest[open_end + 1..];
            let Some(close) = rest.find("</script>") else {
                break;
            };
            let body = &rest[..close];
            rest = &rest[close..];
            let data_block = attributes.contains("type=")
                && !attributes.contains("javascript")
                && !attributes.contains("module");
            if attributes.contains("src=") || data_block || body.trim().is_empty() {
                continue;
            }
            if body.contains("{{") || body.contains("{%") {
                tracing::warn!(template = %name, "an inline script with template syntax cannot be allowed by the Content-Security-Policy; move it to a static file");
                continue;
            }
            let digest = Sha256::digest(body.as_bytes());
            let source = format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            );
            if !hashes.contains(&source) {
                hashes.push(source);
            }
        }
    }
    hashes.sort();
    hashes
}

/// minijinja's HTML escaping also escapes `/` (as `&#x2f;`), which bloats every URL in
/// our pages for no safety gain inside quoted attributes and text. This escapes the five
/// characters that matter and defers everything else to the default formatter.
fn html_formatter(out: &mut minijinja::Output, state: &State, value: &Value) -> Result<(), Error> {
    let plain_text = matches!(
        value.kind(),
        ValueKind::String | ValueKind::Number | ValueKind::Bool
    );
    if state.auto_escape() != minijinja::AutoEscape::Html || value.is_safe() || !plain_text {
        return minijinja::escape_formatter(out, state, value);
    }
    // Strings are written from where they are (most of a page's values): no copy.
    let owned;
    let text = match value.as_str() {
        Some(text) => text,
        None => {
            owned = value.to_string();
            &owned
        }
    };
    crate::escape::write_html(out, text).map_err(Error::from)
}

fn translate(strings: &Strings, state: &State, key: &str, kwargs: Kwargs) -> Result<Value, Error> {
    let lang = state.lookup("lang");
    let lang = lang.as_ref().and_then(Value::as_str).ok_or_else(|| {
        Error::new(
            ErrorKind::UndefinedError,
            "t() needs `lang` in the template context",
        )
    })?;
    translate_in(strings, lang, key, kwargs)
}

/// `t` as a function value that translates into `lang` whatever the context holds.
fn bound_translator(strings: &Arc<Strings>, lang: &str) -> Value {
    Value::from_object(Translator {
        fixed: strings.fixed_messages(lang),
        strings: strings.clone(),
        lang: lang.to_owned(),
    })
}

/// [`bound_translator`]'s object: it holds the language's formatted-once messages, so
/// `t("key")` is one lookup, read from the call's arguments as they are (a function
/// taking `Kwargs` would allocate an empty set of them for every call).
struct Translator {
    strings: Arc<Strings>,
    lang: String,
    fixed: Option<Arc<FixedMessages>>,
}

impl std::fmt::Debug for Translator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "t bound to {:?}", self.lang)
    }
}

impl Object for Translator {
    /// A function, as the global `t` is (not a map: `{{ t }}` must not print `{}`).
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Plain
    }

    fn call(self: &Arc<Self>, _state: &State<'_, '_>, args: &[Value]) -> Result<Value, Error> {
        if let [key] = args
            && let Some(text) = key.as_str().and_then(|key| self.fixed.as_ref()?.get(key))
        {
            return Ok(Value::from(text.clone()));
        }
        let (key, kwargs): (&str, Kwargs) = minijinja::value::from_args(args)?;
        translate_in(&self.strings, &self.lang, key, kwargs)
    }
}

fn translate_in(strings: &Strings, lang: &str, key: &str, kwargs: Kwargs) -> Result<Value, Error> {
    if kwargs.args().next().is_none()
        && let Some(text) = strings.fixed(lang, key)
    {
        return Ok(Value::from(text.clone()));
    }
    let mut args = FluentArgs::new();
    for name in kwargs.args() {
        let value: Value = kwargs.get(name)?;
        let fluent = match value.kind() {
            ValueKind::Number => match i64::try_from(value.clone()) {
                Ok(i) => FluentValue::from(i),
                Err(_) => FluentValue::from(f64::try_from(value).unwrap_or(0.0)),
            },
            _ => FluentValue::from(value.to_string()),
        };
        args.set(name.to_owned(), fluent);
    }
    Ok(Value::from(strings.get(lang, key, Some(&args))))
}

/// Embedded files, then the override folder's files on top (same relative paths).
fn collect_files(overrides: Option<&Path>) -> Result<Vec<(String, Vec<u8>)>, RenderError> {
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut stack = vec![&DEFAULT_THEME];
    while let Some(dir) = stack.pop() {
        for entry in dir.entries() {
            match entry {
                include_dir::DirEntry::Dir(d) => stack.push(d),
                include_dir::DirEntry::File(f) => {
                    files.push((
                        f.path().to_string_lossy().replace('\\', "/"),
                        f.contents().to_vec(),
                    ));
                }
            }
        }
    }
    if let Some(root) = overrides.filter(|p| p.is_dir()) {
        let mut stack = vec![root.to_path_buf()];
        while let Some(dir) = stack.pop() {
            let read = std::fs::read_dir(&dir).map_err(|source| RenderError::Io {
                path: dir.clone(),
                source,
            })?;
            for entry in read.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if let Ok(rel) = path.strip_prefix(root) {
                    let rel = rel.to_string_lossy().replace('\\', "/");
                    let bytes = std::fs::read(&path).map_err(|source| RenderError::Io {
                        path: path.clone(),
                        source,
                    })?;
                    files.retain(|(p, _)| p != &rel || p.starts_with("locales/"));
                    files.push((rel, bytes));
                }
            }
        }
    }
    Ok(files)
}

fn hex12(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().take(6).map(|b| format!("{b:02x}")).collect()
}

/// A stylesheet with its `@import "name.css";` lines replaced by those theme files'
/// text, so the design tokens (`tokens.css`) are written once and shared by the reader
/// theme and the newsroom while each page still loads a single stylesheet. Only lines
/// that are exactly such an import of another theme stylesheet are replaced (one
/// level deep); anything else, a URL to elsewhere included, is left to the browser.
fn inline_css_imports<B: AsRef<[u8]>>(css: &[u8], statics: &HashMap<String, B>) -> Vec<u8> {
    let text = String::from_utf8_lossy(css);
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let imported = line
            .trim()
            .strip_prefix("@import \"")
            .and_then(|rest| rest.strip_suffix("\";"))
            .filter(|name| name.ends_with(".css") && !name.contains('/'))
            .and_then(|name| statics.get(name));
        match imported {
            Some(body) => {
                out.push_str(&String::from_utf8_lossy(body.as_ref()));
                if !out.ends_with('\n') {
                    out.push('\n');
                }
            }
            None => out.push_str(line),
        }
    }
    out.into_bytes()
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or("") {
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "webmanifest" => "application/manifest+json",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};

    /// The theme's formatter: plain values escaped (`escape::write_html`, whose tests
    /// cover every position), safe ones as they are, `/` never.
    #[test]
    fn templates_escape_plain_values_only() {
        let mut env = Environment::new();
        env.set_formatter(html_formatter);
        env.add_template("t.html", "{{ text }}|{{ safe }}|{{ n }}")
            .unwrap();
        let out = env
            .get_template("t.html")
            .unwrap()
            .render(minijinja::context! {
                text => "</a href=\"/x?a=1&b='2'\">",
                safe => Value::from_safe_string("<b>".into()),
                n => 7,
            })
            .unwrap();
        assert_eq!(
            out,
            "&lt;/a href=&quot;/x?a=1&amp;b=&#39;2&#39;&quot;&gt;|<b>|7"
        );
    }

    /// The chrome is every template in `templates/chrome/`: the bundled ones, an
    /// operator's override of one of them (listed once, rendering the override), and a
    /// file an operator adds; not a file in a subfolder (a partial of the chrome's, which
    /// rendered alone would fail here for want of `page`).
    #[test]
    fn chrome_templates_include_overrides_and_additions() {
        let bundled: Vec<(String, String)> = Theme::load(None)
            .unwrap()
            .chrome_templates()
            .map(|(stem, name)| (stem.to_owned(), name.to_owned()))
            .collect();
        assert!(
            bundled.contains(&("masthead".into(), "chrome/masthead.html".into())),
            "{bundled:?}"
        );

        let dir = tempfile::tempdir().unwrap();
        let chrome = dir.path().join("templates/chrome");
        std::fs::create_dir_all(&chrome).unwrap();
        std::fs::write(chrome.join("masthead.html"), "<p>{{ site.name }}</p>").unwrap();
        std::fs::write(chrome.join("notice.html"), "<p>{{ lang }}</p>").unwrap();
        std::fs::write(chrome.join("notes.txt"), "not a template").unwrap();
        std::fs::create_dir_all(chrome.join("parts")).unwrap();
        std::fs::write(chrome.join("parts/item.html"), "{{ page.title }}").unwrap();
        let theme = Theme::load(Some(dir.path())).unwrap();
        let listed: Vec<(&str, &str)> = theme.chrome_templates().collect();
        let mut expected: Vec<(String, String)> = bundled.clone();
        expected.push(("notice".into(), "chrome/notice.html".into()));
        expected.sort();
        assert_eq!(
            listed,
            expected
                .iter()
                .map(|(s, n)| (s.as_str(), n.as_str()))
                .collect::<Vec<_>>()
        );
        let ctx =
            minijinja::context! { lang => "en", site => minijinja::context! { name => "A & B" } };
        assert_eq!(
            theme.render("chrome/masthead.html", &ctx).unwrap(),
            "<p>A &amp; B</p>"
        );
    }

    /// A page larger than its template's last one renders whole, and the next render
    /// of that template starts with room for it; a template's small page does not keep
    /// a large buffer's room for ever.
    #[test]
    fn renders_start_with_room_for_the_templates_last_page() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("templates")).unwrap();
        std::fs::write(
            dir.path().join("templates/big.html"),
            "{% for i in range(n) %}<p>{{ i }} &amp; {{ text }}</p>{% endfor %}",
        )
        .unwrap();
        let theme = Theme::load(Some(dir.path())).unwrap();
        let hint = |name: &str| theme.size_hints[name].load(Ordering::Relaxed);
        assert_eq!(hint("big.html"), FIRST_SIZE_HINT);
        let render = |n: u32| {
            let ctx = minijinja::context! { lang => "en", n => n, text => "<é>" };
            theme.render("big.html", &ctx).unwrap()
        };
        let large = render(5000);
        assert_eq!(large.matches("&lt;é&gt;").count(), 5000);
        assert!(large.len() > FIRST_SIZE_HINT * 4);
        assert!(large.ends_with("<p>4999 &amp; &lt;é&gt;</p>"));
        assert_eq!(hint("big.html"), large.len() + large.len() / 8);
        let hint_after_large = hint("big.html");
        // A template that fails half-way (`text` is undefined, and undefined is an
        // error) gives an error, not a partial page, and leaves the hint as it was.
        let failed = theme.render_bytes("big.html", &minijinja::context! { lang => "en", n => 3 });
        assert!(matches!(failed, Err(RenderError::Template { .. })));
        assert_eq!(hint("big.html"), hint_after_large);
        assert!(matches!(
            theme.render("missing.html", &minijinja::context! { lang => "en" }),
            Err(RenderError::Template { .. })
        ));
        // A small page right after the large one does not keep the large one's room
        // (the page cache weighs pages by their length).
        let small = theme
            .render_bytes(
                "big.html",
                &minijinja::context! { lang => "en", n => 2, text => "<é>" },
            )
            .unwrap();
        assert_eq!(
            small,
            "<p>0 &amp; &lt;é&gt;</p><p>1 &amp; &lt;é&gt;</p>".as_bytes()
        );
        assert!(small.capacity() <= small.len() + SPARE_KEPT);
        assert_eq!(
            hint("big.html"),
            1024,
            "the floor, not the large page's room"
        );
        assert_eq!(next_size_hint(100 * MAX_SIZE_HINT), MAX_SIZE_HINT);
    }

    #[test]
    fn both_stylesheets_carry_the_shared_tokens_inlined() {
        let theme = Theme::load(None).unwrap();
        let tokens = String::from_utf8(theme.asset("tokens.css").unwrap().bytes.clone()).unwrap();
        for sheet in ["byline.css", "newsroom.css"] {
            let css = String::from_utf8(theme.asset(sheet).unwrap().bytes.clone()).unwrap();
            assert!(
                !css.lines().any(|l| l.trim() == "@import \"tokens.css\";"),
                "{sheet} still imports"
            );
            assert!(css.contains(tokens.trim()), "{sheet} lacks the tokens");
        }
    }

    /// The message ids a Fluent file defines (messages and terms), or its syntax errors.
    fn message_ids(source: &str) -> Result<BTreeSet<String>, String> {
        use fluent_syntax::ast::Entry;
        let resource =
            fluent_syntax::parser::parse(source).map_err(|(_, errors)| format!("{errors:?}"))?;
        Ok(resource
            .body
            .iter()
            .filter_map(|entry| match entry {
                Entry::Message(m) => Some(m.id.name.to_owned()),
                Entry::Term(t) => Some(format!("-{}", t.id.name)),
                _ => None,
            })
            .collect())
    }

    /// In the bundled theme, `{{ t(key) }}` in a template (and `Strings::get`) reads,
    /// for every message of every language, exactly as Fluent formats it on demand
    /// (`Strings::format`, which never reads the formatted-once map: the map could be
    /// built under the wrong key, language or override), and most messages are served
    /// from that map.
    #[test]
    fn formatted_once_strings_read_as_formatted_on_demand() {
        let theme = Theme::load(None).unwrap();
        let strings = theme.strings();
        let english = DEFAULT_THEME.get_dir("locales/en").expect("English locale");
        let ids: BTreeSet<String> = english
            .files()
            .filter_map(|f| f.contents_utf8())
            .flat_map(|source| message_ids(source).unwrap())
            .filter(|id| !id.starts_with('-'))
            .collect();
        assert!(ids.len() > 300, "only {} messages", ids.len());
        let template = theme.env.template_from_str("{{ t(key) }}").unwrap();
        for lang in strings.languages() {
            let mut fixed = 0;
            for id in &ids {
                let rendered = template
                    .render(minijinja::context! { lang, key => id })
                    .unwrap();
                let on_demand = match strings.format(lang, id, Some(&FluentArgs::new())) {
                    Some(Ok(text) | Err((text, _))) => text,
                    None => panic!("{lang}: no message {id}"),
                };
                assert_eq!(rendered, on_demand, "{lang} {id}");
                // `t` bound to the language answers the same, with no `lang` around.
                let bound = template
                    .render(minijinja::context! { t => theme.translator(lang), key => id })
                    .unwrap();
                assert_eq!(bound, on_demand, "{lang} {id}, bound");
                assert_eq!(strings.get(lang, id, None), on_demand, "{lang} {id}");
                fixed += usize::from(strings.fixed(lang, id).is_some());
            }
            assert!(
                fixed * 10 > ids.len() * 9,
                "{lang}: only {fixed} of {} strings formatted once",
                ids.len()
            );
        }
    }

    /// A page's bound `t` wins over the global one and translates into its own language
    /// (arguments too); a language the theme has no strings for falls back to English
    /// as the global `t` does.
    #[test]
    fn a_bound_translator_speaks_its_language_with_arguments_and_fallback() {
        let theme = Theme::load(None).unwrap();
        let template = theme
            .env
            .template_from_str("{{ t('search-results', count=n) }}")
            .unwrap();
        for (lang, n) in [
            ("en", 1),
            ("en", 5),
            ("ru", 2),
            ("ru", 5),
            ("hy", 3),
            ("xx", 4),
        ] {
            let mut args = FluentArgs::new();
            args.set("count", n);
            let expected = theme.strings.get(lang, "search-results", Some(&args));
            assert!(expected.contains(&n.to_string()), "{lang}: {expected}");
            // `lang` in the context says otherwise: the bound `t` does not read it.
            let rendered = template
                .render(minijinja::context! { lang => "en", t => theme.translator(lang), n })
                .unwrap();
            assert_eq!(rendered, expected, "{lang} {n}");
        }
        assert_eq!(
            theme
                .translator("xx")
                .call(&theme.env.empty_state(), &["nav-follow".into()])
                .unwrap()
                .to_string(),
            theme.t("en", "nav-follow")
        );
        // A function, as the global `t` is, not a map.
        let kind = theme
            .env
            .template_from_str("{{ t is mapping }}")
            .unwrap()
            .render(minijinja::context! { t => theme.translator("hy") })
            .unwrap();
        assert_eq!(kind, "False");
    }

    #[test]
    fn every_locale_defines_exactly_the_english_message_ids() {
        let locales = DEFAULT_THEME
            .get_dir("locales")
            .expect("theme has locales/");
        // language → file name → source
        let mut files: BTreeMap<String, BTreeMap<String, &str>> = BTreeMap::new();
        for dir in locales.dirs() {
            let lang = dir
                .path()
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            for file in dir.files() {
                let name = file
                    .path()
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                if name.ends_with(".ftl") {
                    let text = file.contents_utf8().expect("a .ftl file is UTF-8");
                    files.entry(lang.clone()).or_default().insert(name, text);
                }
            }
        }
        let english = files.get("en").expect("English locale").clone();
        assert!(
            files.len() >= 3,
            "en, ru and hy at least: {:?}",
            files.keys()
        );
        let mut problems = Vec::new();
        for (lang, by_file) in &files {
            let names: BTreeSet<_> = by_file.keys().collect();
            let en_names: BTreeSet<_> = english.keys().collect();
            if names != en_names {
                problems.push(format!("{lang}: files {names:?}, English has {en_names:?}"));
            }
            for (name, en_source) in &english {
                let Some(source) = by_file.get(name) else {
                    continue;
                };
                let en_ids = message_ids(en_source).unwrap();
                let ids = match message_ids(source) {
                    Ok(ids) => ids,
                    Err(e) => {
                        problems.push(format!("{lang}/{name}: syntax errors {e}"));
                        continue;
                    }
                };
                let missing: Vec<_> = en_ids.difference(&ids).collect();
                let extra: Vec<_> = ids.difference(&en_ids).collect();
                if !missing.is_empty() {
                    problems.push(format!("{lang}/{name} lacks {missing:?}"));
                }
                if !extra.is_empty() {
                    problems.push(format!("{lang}/{name} has ids English lacks: {extra:?}"));
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn only_whole_line_imports_of_theme_stylesheets_are_inlined() {
        let statics = HashMap::from([("a.css".to_owned(), b":root{--x:1}".to_vec())]);
        let css = b"@import \"a.css\";\n@import \"https://example.org/b.css\";\n@import \"../a.css\";\nbody{}\n";
        let out = String::from_utf8(inline_css_imports(css, &statics)).unwrap();
        assert_eq!(
            out,
            ":root{--x:1}\n@import \"https://example.org/b.css\";\n@import \"../a.css\";\nbody{}\n"
        );
    }
}
