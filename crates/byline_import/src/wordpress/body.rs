//! A WordPress body as WordPress would have shown it, as HTML for the converter:
//! block comments dropped, shortcodes and embed URLs made into figures and embeds,
//! and classic-editor text given paragraphs the way `wpautop` does.

use super::{autop, shortcodes};
use crate::model::Attachment;
use byline_render::markdown::embed_of;
use std::collections::HashMap;

/// What a body refers to that the converter needs from the rest of the export.
pub struct Context<'a> {
    pub attachments: &'a HashMap<u64, Attachment>,
    /// Attachments by the post they were uploaded to (for `[gallery]` without ids).
    pub children: &'a HashMap<u64, Vec<u64>>,
    pub post_id: u64,
}

/// Prepares `content` for [`crate::html::to_markdown`]; what it could not translate
/// is pushed to `untranslated`.
pub fn prepare(content: &str, cx: &Context<'_>, untranslated: &mut Vec<String>) -> String {
    let has_blocks = content.contains("<!-- wp:");
    let content = if has_blocks {
        drop_block_comments(content, untranslated)
    } else {
        embed_lines(content)
    };
    let content = shortcodes::translate_all(&content, cx, untranslated);
    if has_blocks {
        content
    } else {
        autop::autop(&content)
    }
}

/// Removes `<!-- wp:… -->` and `<!-- /wp:… -->`; a self-closing block with no HTML of
/// its own (latest posts, a search form, …) rendered on the old server, so it is gone
/// and listed.
fn drop_block_comments(content: &str, untranslated: &mut Vec<String>) -> String {
    let mut out = String::with_capacity(content.len());
    let mut rest = content;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        let Some(len) = rest[start..].find("-->") else {
            rest = "";
            break;
        };
        let comment = &rest[start + 4..start + len];
        let body = comment.trim();
        if let Some(block) = body.strip_prefix("wp:")
            && body.ends_with('/')
        {
            let name = block
                .split_whitespace()
                .next()
                .unwrap_or("")
                .trim_end_matches('/');
            if !matches!(name, "more" | "nextpage" | "spacer" | "separator") {
                untranslated.push(format!("block wp:{name}"));
            }
        }
        rest = &rest[start + len + 3..];
    }
    out.push_str(rest);
    out
}

/// A line that is only an embeddable URL becomes an embed figure (WordPress embeds
/// such URLs on their own line).
fn embed_lines(content: &str) -> String {
    if !content.contains("http") {
        return content.to_owned();
    }
    let mut out = String::with_capacity(content.len());
    for line in content.split_inclusive('\n') {
        let url = line.trim();
        if (url.starts_with("https://") || url.starts_with("http://"))
            && !url.contains(char::is_whitespace)
            && !url.contains('<')
            && (embed_of(url).is_some() || oembed_host(url))
        {
            out.push_str(&embed_figure(url));
            out.push('\n');
        } else {
            out.push_str(line);
        }
    }
    out
}

/// Hosts WordPress embeds from a URL on its own line that Byline has no player for:
/// they become a link (and are listed) rather than a bare address in the text.
const OEMBED_HOSTS: [&str; 15] = [
    "vimeo.com",
    "soundcloud.com",
    "open.spotify.com",
    "tiktok.com",
    "flickr.com",
    "dailymotion.com",
    "reddit.com",
    "tumblr.com",
    "imgur.com",
    "ted.com",
    "mixcloud.com",
    "slideshare.net",
    "pinterest.com",
    "instagram.com",
    "facebook.com",
];

fn oembed_host(url: &str) -> bool {
    crate::links::host_of(url).is_some_and(|h| {
        let h = h.strip_prefix("www.").unwrap_or(&h);
        OEMBED_HOSTS.contains(&h)
    })
}

pub(super) fn embed_figure(url: &str) -> String {
    format!(
        "<figure class=\"wp-block-embed\"><div class=\"wp-block-embed__wrapper\">{}</div></figure>",
        escape(url)
    )
}

pub(super) fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
