//! Writes a synthetic WXR export for measuring the importer:
//! `cargo run --release -p byline_import --example generate_wxr -- OUT.xml [POSTS] [PICTURES]`.
//! Half the posts are classic-editor text, half block-editor markup; each has a
//! caption, a link to an earlier post, an embed and a featured picture.

use std::io::{BufWriter, Write};

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let out = args.next().unwrap_or_else(|| "synthetic.xml".into());
    let posts: u64 = args.next().and_then(|n| n.parse().ok()).unwrap_or(100_000);
    let pictures: u64 = args.next().and_then(|n| n.parse().ok()).unwrap_or(20_000);
    let mut w = BufWriter::new(std::fs::File::create(out)?);
    writeln!(
        w,
        r#"<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Synthetic</title><link>https://synthetic.example</link><wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://synthetic.example</wp:base_site_url><wp:base_blog_url>https://synthetic.example</wp:base_blog_url>"#
    )?;
    for a in 0..20 {
        writeln!(
            w,
            "<wp:author><wp:author_login><![CDATA[writer{a}]]></wp:author_login><wp:author_display_name><![CDATA[Writer {a}]]></wp:author_display_name></wp:author>"
        )?;
    }
    for c in 0..30 {
        let parent = if c >= 10 {
            format!("section{}", c % 10)
        } else {
            String::new()
        };
        writeln!(
            w,
            "<wp:category><wp:term_id>{c}</wp:term_id><wp:category_nicename><![CDATA[section{c}]]></wp:category_nicename><wp:category_parent><![CDATA[{parent}]]></wp:category_parent><wp:cat_name><![CDATA[Section {c}]]></wp:cat_name></wp:category>"
        )?;
    }
    for p in 0..pictures {
        let id = 1_000_000 + p;
        writeln!(
            w,
            "<item><title><![CDATA[Picture {p}]]></title><link>https://synthetic.example/?attachment_id={id}</link><wp:post_id>{id}</wp:post_id><wp:post_date><![CDATA[2020-01-01 00:00:00]]></wp:post_date><wp:post_name><![CDATA[picture-{p}]]></wp:post_name><wp:status><![CDATA[inherit]]></wp:status><wp:post_parent>{}</wp:post_parent><wp:post_type><![CDATA[attachment]]></wp:post_type><excerpt:encoded><![CDATA[Caption of picture {p}]]></excerpt:encoded><wp:attachment_url><![CDATA[https://synthetic.example/wp-content/uploads/2020/01/picture-{p}.jpg]]></wp:attachment_url><wp:postmeta><wp:meta_key><![CDATA[_wp_attached_file]]></wp:meta_key><wp:meta_value><![CDATA[2020/01/picture-{p}.jpg]]></wp:meta_value></wp:postmeta><wp:postmeta><wp:meta_key><![CDATA[_wp_attachment_image_alt]]></wp:meta_key><wp:meta_value><![CDATA[Alt {p}]]></wp:meta_value></wp:postmeta></item>",
            p % posts.max(1)
        )?;
    }
    let sentence = "The harbour authority said on Tuesday that the berths would be dredged before the summer season, and that the ferry timetable would follow. ";
    for p in 0..posts {
        let pic = 1_000_000 + p % pictures.max(1);
        let para = sentence.repeat(4);
        let body = if p % 2 == 0 {
            format!(
                "{para}\nA second line.\n\n{para} See <a href=\"https://synthetic.example/?p={}\">the earlier story</a>.\n\n[caption id=\"attachment_{pic}\" width=\"800\"]<img src=\"https://synthetic.example/wp-content/uploads/2020/01/picture-{}-800x600.jpg\" alt=\"Alt\" /> A caption[/caption]\n\nhttps://www.youtube.com/watch?v=AbCdEfGhIjK\n\n{para}\n\n{para}",
                p.saturating_sub(1),
                p % pictures.max(1)
            )
        } else {
            format!(
                "<!-- wp:paragraph -->\n<p>{para}</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:heading -->\n<h2>Subheading</h2>\n<!-- /wp:heading -->\n\n<!-- wp:image {{\"id\":{pic}}} -->\n<figure class=\"wp-block-image\"><img src=\"https://synthetic.example/wp-content/uploads/2020/01/picture-{}.jpg\" alt=\"Alt\"/><figcaption>Caption</figcaption></figure>\n<!-- /wp:image -->\n\n<!-- wp:list -->\n<ul><li>One</li><li>Two</li></ul>\n<!-- /wp:list -->\n\n<!-- wp:paragraph -->\n<p>{para} <a href=\"/2020/01/02/story-{}/\">earlier</a></p>\n<!-- /wp:paragraph -->",
                p % pictures.max(1),
                p.saturating_sub(1)
            )
        };
        let day = 1 + p % 28;
        writeln!(
            w,
            "<item><title><![CDATA[Story number {p} about the harbour]]></title><link>https://synthetic.example/2020/01/{day:02}/story-{p}/</link><dc:creator><![CDATA[writer{}]]></dc:creator><content:encoded><![CDATA[{body}]]></content:encoded><excerpt:encoded><![CDATA[Short summary {p}]]></excerpt:encoded><wp:post_id>{p}</wp:post_id><wp:post_date><![CDATA[2020-01-{day:02} 10:00:00]]></wp:post_date><wp:post_date_gmt><![CDATA[2020-01-{day:02} 09:00:00]]></wp:post_date_gmt><wp:post_modified_gmt><![CDATA[2020-02-01 09:00:00]]></wp:post_modified_gmt><wp:post_name><![CDATA[story-{p}]]></wp:post_name><wp:status><![CDATA[publish]]></wp:status><wp:post_type><![CDATA[post]]></wp:post_type><category domain=\"category\" nicename=\"section{}\"><![CDATA[Section]]></category><wp:postmeta><wp:meta_key><![CDATA[_thumbnail_id]]></wp:meta_key><wp:meta_value><![CDATA[{pic}]]></wp:meta_value></wp:postmeta><wp:comment><wp:comment_id>{p}</wp:comment_id><wp:comment_content><![CDATA[A comment]]></wp:comment_content></wp:comment></item>",
            p % 20,
            p % 30
        )?;
    }
    writeln!(w, "</channel></rss>")?;
    w.flush()
}
