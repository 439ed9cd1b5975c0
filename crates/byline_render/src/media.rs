//! Library pictures as HTML: an `<img>` with `srcset`, `sizes`, intrinsic dimensions
//! and lazy loading, for article bodies (`![alt](media:42)`) and templates.

use byline_core::MediaItem;

/// `sizes` of a picture in an article body (the text column is at most 46rem).
pub const BODY_SIZES: &str = "(min-width: 46rem) 46rem, 100vw";
/// `sizes` of an article's cover (the wide column is at most 60rem).
pub const COVER_SIZES: &str = "(min-width: 60rem) 60rem, 100vw";

/// The `<img>` of a library picture. `alt` overrides the library's alt text when
/// given and not blank. Width and height are the picture's own, so the browser
/// reserves its box before any variant arrives.
pub fn media_img(item: &MediaItem, alt: Option<&str>, sizes: &str) -> String {
    let alt = alt.filter(|a| !a.trim().is_empty()).unwrap_or(&item.alt);
    let srcset = item.srcset();
    let mut html = format!("<img src=\"{}\"", escape(&item.src()));
    if !srcset.is_empty() {
        html.push_str(&format!(
            " srcset=\"{}\" sizes=\"{}\"",
            escape(&srcset),
            escape(sizes)
        ));
    }
    html.push_str(&format!(
        " width=\"{}\" height=\"{}\" alt=\"{}\" loading=\"lazy\" decoding=\"async\">",
        item.width,
        item.height,
        escape(alt)
    ));
    html
}

/// A `<figure>` with the picture and, when there is one, a caption and credit.
pub fn media_figure(item: &MediaItem, alt: Option<&str>, caption: Option<&str>) -> String {
    let caption = caption
        .filter(|c| !c.trim().is_empty())
        .unwrap_or(&item.caption);
    let mut html = format!("<figure>{}", media_img(item, alt, BODY_SIZES));
    if !caption.is_empty() || !item.credit.is_empty() {
        html.push_str("<figcaption>");
        if !caption.is_empty() {
            html.push_str(&format!(
                "<span class=\"caption\">{}</span>",
                escape(caption)
            ));
        }
        if !item.credit.is_empty() {
            if !caption.is_empty() {
                html.push(' ');
            }
            html.push_str(&format!(
                "<span class=\"credit\">{}</span>",
                escape(&item.credit)
            ));
        }
        html.push_str("</figcaption>");
    }
    html.push_str("</figure>\n");
    html
}

fn escape(s: &str) -> String {
    crate::markdown::escape(s)
}
