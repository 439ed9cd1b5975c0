//! Pass 2 over a Ghost export: each post and page converted as it is read.

use super::stream::Tables;
use super::{Catalog, GHOST_URL, id_of, lexical, mobiledoc, str_of, time_of, walk};
use crate::error::ImportError;
use crate::html;
use crate::model::{Cover, Document, DocumentKind, ImportStatus, Planned, Source, Target};
use crate::report::{Counted, Report};
use crate::sink::{Resolve, Sink, SinkError};
use serde_json::Value;
use std::io::{self, BufRead};

/// Pass 2's collector: converts each post as it is read.
struct Convert<'c, F> {
    catalog: &'c Catalog<F>,
    sink: &'c mut dyn Sink,
    resolve: &'c dyn Resolve,
    report: Report,
    stop: Option<String>,
}

impl<F> Tables for Convert<'_, F> {
    fn wants(&self, table: &str) -> bool {
        table == "posts"
    }

    fn row(&mut self, _: &str, row: Value) {
        if self.stop.is_some() {
            return;
        }
        let id = id_of(&row, "id");
        let what = format!(
            "{} {id}",
            if str_of(&row, "type") == "page" {
                "page"
            } else {
                "post"
            }
        );
        match self
            .catalog
            .document(&row, &id, self.resolve, &mut self.report)
        {
            Ok(None) => {}
            Ok(Some(mut document)) => {
                for field in document.cap_fields() {
                    self.report.skip(
                        what.clone(),
                        format!("its {field} was too long and was cut"),
                    );
                }
                let counted = if document.kind == DocumentKind::Page {
                    Counted::Pages
                } else {
                    Counted::Articles
                };
                match self.sink.document(document) {
                    Ok(()) => self.report.count(counted, 1),
                    Err(SinkError::Item(m)) => self.report.error(what, m),
                    Err(SinkError::Stop(m)) => self.stop = Some(m),
                }
            }
            Err(message) => self.report.error(what, message),
        }
    }
}

/// Where a Ghost address points: its own site's files and pages by path.
fn local(url: &str) -> String {
    url.replace(GHOST_URL, "")
}

impl<F, R> Catalog<F>
where
    F: Fn() -> io::Result<R>,
    R: BufRead,
{
    /// Pass 2: converts every post and page and hands each to `sink`; body links to
    /// the old site are rewritten with `resolve`.
    pub fn documents(
        &self,
        sink: &mut dyn Sink,
        resolve: &dyn Resolve,
    ) -> Result<Report, ImportError> {
        let mut convert = Convert {
            catalog: self,
            sink,
            resolve,
            report: self.report.clone(),
            stop: None,
        };
        walk((self.open)()?, &mut convert)?;
        if let Some(m) = convert.stop {
            return Err(ImportError::Sink(m));
        }
        Ok(convert.report)
    }
}

impl<F> Catalog<F> {
    /// Where the post or page with this Ghost id will live.
    pub fn planned(&self, source_id: &str) -> Option<Planned> {
        let (slug, kind) = self.slugs.get(source_id)?.clone();
        Some(Planned {
            kind,
            slug,
            edition: self.options.edition.clone(),
            section: None,
        })
    }

    /// What an old address (or an upload path) in a Ghost body stands for.
    fn target_of(&self, url: &str) -> Option<Target> {
        let path = crate::links::path_of(url);
        let path = if url.starts_with('/') {
            url.split(['?', '#']).next().unwrap_or(url).to_owned()
        } else {
            path
        };
        if let Some(file) = path.strip_prefix("/content/images/") {
            // Resized copies (`size/w600/2024/05/a.jpg`) stand for the original.
            let file = match file.strip_prefix("size/") {
                Some(rest) => rest.split_once('/').map(|(_, f)| f).unwrap_or(rest),
                None => file,
            };
            if self.links.is_own(url) {
                return Some(Target::File(file.to_owned()));
            }
        }
        self.links.lookup(url).cloned()
    }

    fn document(
        &self,
        row: &Value,
        id: &str,
        resolve: &dyn Resolve,
        report: &mut Report,
    ) -> Result<Option<Document>, String> {
        let kind = if str_of(row, "type") == "page" || row.get("page") == Some(&Value::Bool(true)) {
            DocumentKind::Page
        } else {
            DocumentKind::Article
        };
        let published_at = time_of(row, "published_at");
        let public = matches!(str_of(row, "visibility"), "" | "public");
        let status = match str_of(row, "status") {
            "published" if public => ImportStatus::Published,
            "published" => {
                report.skip(
                    format!("post {id}"),
                    "members-only in Ghost: imported as a draft",
                );
                ImportStatus::Draft
            }
            "scheduled" => published_at
                .map(ImportStatus::Scheduled)
                .unwrap_or(ImportStatus::Draft),
            "draft" | "sent" => ImportStatus::Draft,
            other => {
                report.skip(format!("post {id}"), format!("unknown status {other}"));
                return Ok(None);
            }
        };
        let (slug, _) = self
            .slugs
            .get(id)
            .cloned()
            .ok_or("the export changed between the two passes")?;
        let mut title = str_of(row, "title").trim().to_owned();
        if title.is_empty() {
            title = format!("Untitled ({slug})");
        }

        let mut untranslated = Vec::new();
        let body_html = match row
            .get("html")
            .and_then(Value::as_str)
            .filter(|h| !h.is_empty())
        {
            Some(html) => html.to_owned(),
            None => match (
                row.get("lexical").and_then(Value::as_str),
                row.get("mobiledoc").and_then(Value::as_str),
            ) {
                (Some(lexical), _) if !lexical.is_empty() => {
                    lexical::to_html(lexical, &mut untranslated)?
                }
                (_, Some(mobiledoc)) if !mobiledoc.is_empty() => {
                    mobiledoc::to_html(mobiledoc, &mut untranslated)?
                }
                _ => String::new(),
            },
        };
        let body_html = local(&body_html);
        let rewritten = html::rewrite_links(&body_html, &|url| {
            self.target_of(url).and_then(|t| resolve.address(&t))
        });
        let converted = html::to_markdown(&rewritten).map_err(|e| e.to_string())?;
        for what in untranslated.iter().chain(&converted.untranslated) {
            report.untranslated(what);
        }

        let sorted = |rel: Option<&Vec<(i64, String)>>| {
            let mut v = rel.cloned().unwrap_or_default();
            v.sort_by_key(|(order, _)| *order);
            v.into_iter().map(|(_, id)| id).collect::<Vec<_>>()
        };
        let tags: Vec<String> = sorted(self.shape.post_tags.get(id))
            .iter()
            .filter_map(|t| self.shape.tags.get(t))
            .filter(|(_, internal)| !internal)
            .map(|(t, _)| t.slug.clone())
            .collect();
        let authors = sorted(self.shape.post_authors.get(id))
            .iter()
            .filter_map(|a| self.shape.users.get(a))
            .map(|a| a.slug.clone())
            .collect::<Vec<_>>();
        let authors = if authors.is_empty() {
            self.shape
                .users
                .get(&id_of(row, "author_id"))
                .map(|a| vec![a.slug.clone()])
                .unwrap_or_default()
        } else {
            authors
        };
        let meta = self.shape.meta.get(id).cloned().unwrap_or_default();
        let or_post = |meta: String, key: &str| {
            Some(meta)
                .filter(|m| !m.is_empty())
                .or_else(|| Some(str_of(row, key).to_owned()).filter(|m| !m.is_empty()))
        };
        let cover = Some(local(str_of(row, "feature_image")))
            .filter(|u| !u.is_empty())
            .map(|url| Cover {
                url,
                alt: or_post(meta.image_alt.clone(), "feature_image_alt").unwrap_or_default(),
                caption: or_post(meta.image_caption.clone(), "feature_image_caption")
                    .map(|c| {
                        html::to_markdown(&c)
                            .map(|c| byline_render::markdown::plain_text(&c.markdown))
                            .unwrap_or_default()
                    })
                    .unwrap_or_default(),
                attachment_id: None,
            });
        let section = tags
            .first()
            .and_then(|t| self.options.section_map.get(t))
            .cloned();
        Ok(Some(Document {
            source: Source::Ghost,
            source_id: id.to_owned(),
            kind,
            title,
            slug,
            subtitle: str_of(row, "custom_excerpt").trim().to_owned(),
            body_markdown: converted.markdown,
            status,
            edition: self.options.edition.clone(),
            translation_group: None,
            section: (kind == DocumentKind::Article).then_some(section).flatten(),
            tags,
            authors,
            cover,
            seo_title: or_post(meta.title, "meta_title"),
            seo_description: or_post(meta.description, "meta_description"),
            canonical_url: Some(str_of(row, "canonical_url").to_owned()).filter(|c| !c.is_empty()),
            published_at,
            updated_at: time_of(row, "updated_at"),
        }))
    }
}
