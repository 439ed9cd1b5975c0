//! The corpus generator: N articles in three editions, written straight into a
//! Byline store through the `Store` trait (bulk transactions), so the server and the
//! LIKE reference read exactly the same data.
//!
//! Shape: editions en 50% / ru 35% / hy 15%; six sections; short news (60%, 60–200
//! words), features (30%, 300–700) and long reads (10%, 900–2400); publish dates over
//! the last 15 years, growing towards today like a real archive; 1–2 authors and 1–4
//! tags each.

use crate::rng::Rng;
use crate::words::Vocabulary;
use byline_core::{ArticleStatus, Localized, NewArticle, SectionId, Slug};
use byline_store::Store;
use std::time::Instant;

pub const SECTIONS: &[&str] = &[
    "news",
    "analytics",
    "economy",
    "society",
    "world",
    "culture",
];
const AUTHORS: usize = 40;
const TAGS: usize = 60;
const YEARS: i64 = 15;
const BATCH: usize = 2000;

pub fn edition_of(rng: &mut Rng) -> &'static str {
    match rng.below(100) {
        0..50 => "en",
        50..85 => "ru",
        _ => "hy",
    }
}

/// A sentence of `n` words, the first capitalized.
fn sentence(vocab: &Vocabulary, rng: &mut Rng, n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        let w = vocab.draw(rng);
        if i == 0 {
            let mut c = w.chars();
            if let Some(first) = c.next() {
                s.extend(first.to_uppercase());
                s.push_str(c.as_str());
            }
        } else {
            s.push(' ');
            s.push_str(w);
        }
    }
    s
}

fn body(vocab: &Vocabulary, rng: &mut Rng) -> String {
    let words = match rng.below(100) {
        0..60 => rng.range(60, 200),
        60..90 => rng.range(300, 700),
        _ => rng.range(900, 2400),
    } as usize;
    let mut out = String::with_capacity(words * 8);
    let mut written = 0;
    while written < words {
        let para = rng.range(40, 90) as usize;
        let mut p = String::new();
        let mut in_para = 0;
        while in_para < para && written < words {
            let n = rng.range(6, 18) as usize;
            if !p.is_empty() {
                p.push(' ');
            }
            p.push_str(&sentence(vocab, rng, n));
            p.push('.');
            in_para += n;
            written += n;
        }
        out.push_str(&p);
        out.push_str("\n\n");
    }
    out
}

/// A publish time in the last 15 years, more of them recent (an archive that grows).
fn published(rng: &mut Rng, now: i64) -> i64 {
    let span = YEARS * 365 * 86_400;
    // sqrt of a uniform: density grows linearly towards now.
    let back = (1.0 - rng.unit().sqrt()) * span as f64;
    now - back as i64
}

pub async fn generate(store: &dyn Store, n: usize, seed: u64) -> anyhow::Result<()> {
    let started = Instant::now();
    let mut sections = Vec::new();
    for (i, slug) in SECTIONS.iter().enumerate() {
        let name = Localized::from_pairs([("en", *slug)]);
        sections.push(
            store
                .upsert_section(&Slug::parse(slug)?, &name, &Localized::default(), i as i64)
                .await?,
        );
    }
    let mut authors = Vec::new();
    for i in 0..AUTHORS {
        let name = format!("Author {i}");
        authors.push(
            store
                .upsert_author(
                    &Slug::parse(&format!("author-{i}"))?,
                    &Localized::from_pairs([("en", name.as_str())]),
                    &Localized::default(),
                )
                .await?,
        );
    }
    let vocabs = [
        ("en", Vocabulary::new("en")),
        ("ru", Vocabulary::new("ru")),
        ("hy", Vocabulary::new("hy")),
    ];
    let mut tags = Vec::new();
    for i in 0..TAGS {
        let word = vocabs[0].1.rank(Vocabulary::function_words("en") + 20 + i);
        tags.push(
            store
                .upsert_tag(
                    &Slug::parse(&format!("tag-{i}"))?,
                    &Localized::from_pairs([("en", word)]),
                )
                .await?,
        );
    }
    let now = jiff::Timestamp::now().as_second();
    let mut rng = Rng::new(seed);
    let mut batch = Vec::with_capacity(BATCH);
    for i in 0..n {
        let edition = edition_of(&mut rng);
        let vocab = &vocabs.iter().find(|(l, _)| *l == edition).unwrap().1;
        let title_words = rng.range(5, 12) as usize;
        let title = sentence(vocab, &mut rng, title_words);
        let subtitle_words = rng.range(10, 22) as usize;
        let subtitle = sentence(vocab, &mut rng, subtitle_words);
        let text = body(vocab, &mut rng);
        let body_html: String = text
            .split("\n\n")
            .filter(|p| !p.is_empty())
            .map(|p| format!("<p>{p}</p>"))
            .collect();
        let section: SectionId = sections[rng.below(sections.len() as u64) as usize];
        let n_authors = rng.range(1, 3) as usize;
        let n_tags = rng.range(1, 5) as usize;
        let mut a: Vec<_> = (0..n_authors)
            .map(|_| authors[rng.below(AUTHORS as u64) as usize])
            .collect();
        a.sort();
        a.dedup();
        let mut t: Vec<_> = (0..n_tags)
            .map(|_| tags[rng.below(TAGS as u64) as usize])
            .collect();
        t.sort();
        t.dedup();
        batch.push(NewArticle {
            edition: edition.into(),
            section,
            slug: Slug::parse(&format!("story-{i}"))?,
            title,
            subtitle,
            body_markdown: text,
            body_html,
            // The old substring search's column is not needed: the LIKE reference reads
            // title and body like WordPress does.
            search_text: String::new(),
            cover: None,
            media: vec![],
            authors: a,
            tags: t,
            status: ArticleStatus::Published,
            featured: false,
            published_at: Some(jiff::Timestamp::from_second(published(&mut rng, now))?),
            translation_group: None,
            seo: Default::default(),
        });
        if batch.len() == BATCH || i + 1 == n {
            store.create_articles(&batch).await?;
            batch.clear();
            if (i + 1) % 50_000 < BATCH || i + 1 == n {
                eprintln!(
                    "  generated {}/{} articles ({:.0} s)",
                    i + 1,
                    n,
                    started.elapsed().as_secs_f64()
                );
            }
        }
    }
    Ok(())
}
