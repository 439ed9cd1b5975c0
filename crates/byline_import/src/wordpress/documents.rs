//! Pass 2 over a WXR export: each post and page converted and handed to the sink.

use super::body::{self, Context};
use super::scan::{Catalog, PostInfo, edition_of};
use super::xml::{Keep, Record, RecordKind, WxrReader};
use super::{parse_date, seo_text, status_of};
use crate::error::ImportError;
use crate::html;
use crate::model::{Cover, Document, DocumentKind, Planned, Source, slugify};
use crate::report::{Counted, Report};
use crate::sink::{Resolve, Sink, SinkError};
use std::io::{self, BufRead};

impl<F> Catalog<F> {
    /// Where the post or page with this WordPress id will live.
    pub fn planned(&self, source_id: &str) -> Option<Planned> {
        let info = self.posts.get(&source_id.parse().ok()?)?;
        Some(Planned {
            kind: info.kind,
            slug: info.slug.clone(),
            edition: info.edition.clone(),
            section: info.section.clone(),
        })
    }
}

impl<F, R> Catalog<F>
where
    F: Fn() -> io::Result<R>,
    R: BufRead,
{
    /// Pass 2: converts every post and page in the export's order and hands each to
    /// `sink`. Body links to the old site are rewritten with `resolve`. The report
    /// holds pass 1's findings and this pass's.
    pub fn documents(
        &self,
        sink: &mut dyn Sink,
        resolve: &dyn Resolve,
    ) -> Result<Report, ImportError> {
        let mut report = self.report.clone();
        let mut reader = WxrReader::open((self.open)()?, Keep { bodies: true })?;
        while let Some(rec) = reader.next_record()? {
            if rec.kind != RecordKind::Item || !matches!(rec.get("wp:post_type"), "post" | "page") {
                continue;
            }
            let id: u64 = rec.get("wp:post_id").parse().unwrap_or(0);
            let what = format!("{} {id}", rec.get("wp:post_type"));
            let status = rec.get("wp:status");
            if matches!(status, "trash" | "auto-draft" | "inherit") {
                report.skip_bulk(&format!("post in {status}"), 1);
                continue;
            }
            let Some(info) = self.posts.get(&id) else {
                return Err(ImportError::Changed);
            };
            if let Some(why) = &rec.broken {
                report.error(what, why.clone());
                continue;
            }
            let document = match self.document(&rec, id, info, resolve, &mut report) {
                Ok(d) => d,
                Err(message) => {
                    report.error(what, message);
                    continue;
                }
            };
            let mut document = document;
            for field in document.cap_fields() {
                report.skip(
                    what.clone(),
                    format!("its {field} was too long and was cut"),
                );
            }
            let kind = document.kind;
            match sink.document(document) {
                Ok(()) => report.count(
                    if kind == DocumentKind::Page {
                        Counted::Pages
                    } else {
                        Counted::Articles
                    },
                    1,
                ),
                Err(SinkError::Item(message)) => report.error(what, message),
                Err(SinkError::Stop(message)) => return Err(ImportError::Sink(message)),
            }
        }
        Ok(report)
    }

    fn document(
        &self,
        rec: &Record,
        id: u64,
        info: &PostInfo,
        resolve: &dyn Resolve,
        report: &mut Report,
    ) -> Result<Document, String> {
        let date_gmt =
            parse_date(rec.get("wp:post_date_gmt")).or_else(|| parse_date(rec.get("wp:post_date")));
        let status = status_of(rec.get("wp:status"), rec.get("wp:post_password"), date_gmt)
            .ok_or_else(|| format!("unknown status {}", rec.get("wp:status")))?;
        let mut title: String = rec.get("title").trim().to_owned();
        if title.is_empty() {
            title = format!("Untitled ({})", info.slug);
        }
        let (edition, translation_group) = edition_of(rec, &self.options);

        let mut untranslated = Vec::new();
        let cx = Context {
            attachments: &self.attachments,
            children: &self.children,
            post_id: id,
        };
        let prepared = body::prepare(rec.get("content:encoded"), &cx, &mut untranslated);
        let rewritten = html::rewrite_links(&prepared, &|url| {
            self.links.lookup(url).and_then(|t| resolve.address(t))
        });
        let converted = html::to_markdown(&rewritten).map_err(|e| e.to_string())?;
        for what in untranslated.iter().chain(&converted.untranslated) {
            report.untranslated(what);
        }

        let mut section = None;
        let mut tags = Vec::new();
        for t in &rec.terms {
            match t.domain.as_str() {
                "category" => {
                    if let Some((s, tag)) = self.category_terms.get(&t.nicename) {
                        section.get_or_insert_with(|| s.clone());
                        if let Some(tag) = tag
                            && !tags.contains(tag)
                        {
                            tags.push(tag.clone());
                        }
                    }
                }
                "post_tag" => {
                    let slug = slugify(&t.nicename);
                    if !slug.is_empty() && !tags.contains(&slug) {
                        tags.push(slug);
                    }
                }
                _ => {}
            }
        }
        let creator = rec.get("dc:creator");
        let authors = self
            .author_slugs
            .get(creator)
            .cloned()
            .or_else(|| Some(slugify(creator)).filter(|s| !s.is_empty()))
            .into_iter()
            .collect();
        let cover = rec
            .meta("_thumbnail_id")
            .and_then(|t| t.trim().parse::<u64>().ok())
            .and_then(|t| self.attachments.get(&t))
            .map(|a| Cover {
                url: a.url.clone(),
                alt: a.alt.clone(),
                caption: a.caption.clone(),
                attachment_id: Some(a.id),
            });
        let seo_title = rec
            .meta("_yoast_wpseo_title")
            .or_else(|| rec.meta("rank_math_title"))
            .and_then(|t| seo_text(t, &title));
        let seo_description = rec
            .meta("_yoast_wpseo_metadesc")
            .or_else(|| rec.meta("rank_math_description"))
            .and_then(|t| seo_text(t, &title));
        // A subtitle is plain text.
        let subtitle = html::to_markdown(rec.get("excerpt:encoded"))
            .map(|c| byline_render::markdown::plain_text(&c.markdown))
            .unwrap_or_default();
        Ok(Document {
            source: Source::WordPress,
            source_id: id.to_string(),
            kind: info.kind,
            title,
            slug: info.slug.clone(),
            subtitle,
            body_markdown: converted.markdown,
            status,
            edition,
            translation_group,
            section: (info.kind == DocumentKind::Article)
                .then_some(section)
                .flatten(),
            tags,
            authors,
            cover,
            seo_title,
            seo_description,
            canonical_url: rec
                .meta("_yoast_wpseo_canonical")
                .or_else(|| rec.meta("rank_math_canonical_url"))
                .filter(|c| c.starts_with("http"))
                .map(str::to_owned),
            published_at: date_gmt,
            updated_at: parse_date(rec.get("wp:post_modified_gmt")),
        })
    }
}
