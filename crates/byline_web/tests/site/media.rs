//! The media library over HTTP: uploads (through a test-only router, as the newsroom
//! will mount the handler behind its login), serving variants, and library pictures in
//! articles.

use crate::common::TestSite;
use crate::common::html::{attr, testid, text, within_one};
use axum::Router;
use axum::body::Body;
use axum::http::Request;
use byline_content::{ArticleInput, MediaMeta};
use byline_core::{ArticleStatus, Localized, MediaId, PageNumber, PageRequest, Seo};
use image::{ImageEncoder, Rgb, RgbImage};

const BOUNDARY: &str = "----byline-test-boundary";

fn jpeg(w: u32, h: u32) -> Vec<u8> {
    let img = RgbImage::from_fn(w, h, |x, y| Rgb([(x % 256) as u8, (y % 256) as u8, 120]));
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
        .write_image(&img, w, h, image::ExtendedColorType::Rgb8)
        .unwrap();
    out
}

/// A 70-byte PNG declaring `w`×`h` pixels (signature, IHDR, a tiny IDAT, IEND).
fn png_header_declaring(w: u32, h: u32) -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, data: &[u8]) {
        out.extend_from_slice(&((data.len() - 4) as u32).to_be_bytes());
        out.extend_from_slice(data);
        let mut crc = 0xffff_ffff_u32;
        for &b in data {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xedb8_8320
                } else {
                    crc >> 1
                };
            }
        }
        out.extend_from_slice(&(!crc).to_be_bytes());
    }
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(&mut png, &ihdr);
    chunk(&mut png, b"IDAT\x78\x9c\x63\x60\x00\x00\x00\x02\x00\x01");
    chunk(&mut png, b"IEND");
    png
}

/// A `multipart/form-data` body as a browser sends it.
fn form(file: Option<(&str, &[u8])>, texts: &[(&str, &str)]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in texts {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    if let Some((file_name, bytes)) = file {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: image/jpeg\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

struct Answer {
    status: u16,
    content_type: String,
    json: serde_json::Value,
}

async fn upload(site: &TestSite, body: Vec<u8>) -> Answer {
    let router = Router::new()
        .route("/upload", byline_web::media::upload_route())
        .with_state(site.state.clone());
    let response = tower::ServiceExt::oneshot(
        router,
        Request::post("/upload")
            .header(
                "content-type",
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .body(Body::from(body))
            .unwrap(),
    )
    .await
    .unwrap();
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let bytes = http_body_util::BodyExt::collect(response.into_body())
        .await
        .unwrap()
        .to_bytes();
    Answer {
        status,
        content_type,
        json: serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null),
    }
}

#[tokio::test]
async fn an_upload_answers_json_and_its_variants_are_served_for_a_year() {
    let site = TestSite::with_local_media(20 * 1024 * 1024).await;
    let answer = upload(
        &site,
        form(
            Some(("C:\\Photos\\Harbour.JPG", &jpeg(1200, 600))),
            &[
                ("alt", "Boats in the harbour"),
                ("caption", "Dawn"),
                ("credit", "Photo: Meridian"),
            ],
        ),
    )
    .await;
    assert_eq!(answer.status, 201, "{}", answer.json);
    let json = &answer.json;
    assert_eq!(
        (json["width"].as_u64(), json["height"].as_u64()),
        (Some(1200), Some(600))
    );
    let url = json["url"].as_str().unwrap();
    assert!(
        url.starts_with("/media/lib/") && url.ends_with("/1200.webp"),
        "{url}"
    );
    let srcset = json["srcset"].as_str().unwrap();
    for w in [320, 640, 1024, 1200] {
        assert!(srcset.contains(&format!("/{w}.webp {w}w")), "{srcset}");
    }
    assert!(!srcset.contains("1600"), "never upscaled: {srcset}");
    let id = json["id"].as_i64().unwrap();
    assert_eq!(
        json["markdown"],
        format!("![Boats in the harbour](media:{id})")
    );

    let item = site.content().media(MediaId(id)).await.unwrap();
    assert_eq!(item.file_name, "Harbour.JPG");
    assert_eq!(
        (
            item.alt.as_str(),
            item.caption.as_str(),
            item.credit.as_str()
        ),
        ("Boats in the harbour", "Dawn", "Photo: Meridian")
    );
    let (listed, total) = site
        .content()
        .media_library("", PageRequest::new(PageNumber::FIRST, 10))
        .await
        .unwrap();
    assert_eq!((listed.len(), total), (1, 1));

    // The files are in the local folder, under the content key.
    let on_disk = site
        .data_dir()
        .join("media/lib")
        .join(&item.storage_key)
        .join("640.webp");
    assert!(on_disk.is_file(), "{}", on_disk.display());

    let served = site.get(url).await;
    assert_eq!(served.status, 200);
    assert_eq!(served.headers["content-type"], "image/webp");
    assert_eq!(
        served.headers["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(served.headers["x-content-type-options"], "nosniff");
    let etag = served.headers["etag"].to_str().unwrap().to_owned();
    assert!(etag.starts_with('"') && etag.contains(&item.storage_key));
    let again = site.get_with(url, "if-none-match", &etag).await;
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());

    let original = site.get(&item.original_url()).await;
    assert_eq!(original.status, 200);
    assert_eq!(original.headers["content-type"], "image/jpeg");
}

#[tokio::test]
async fn bad_uploads_get_a_problem_with_a_message_never_a_500() {
    let site = TestSite::with_local_media(64 * 1024).await;
    let bomb = png_header_declaring(50_000, 50_000);
    let photo = jpeg(300, 200);
    let cases: Vec<(&str, Vec<u8>, u16, &str)> = vec![
        (
            "script renamed to .jpg",
            form(Some(("cat.jpg", b"#!/bin/sh\nrm -rf ~\n")), &[]),
            400,
            "this file is not an image",
        ),
        (
            "svg",
            form(
                Some((
                    "logo.png",
                    b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>",
                )),
                &[],
            ),
            400,
            "this file is not an image",
        ),
        (
            "decompression bomb",
            form(Some(("bomb.png", &bomb)), &[]),
            400,
            "50000×50000",
        ),
        (
            "truncated",
            form(Some(("cut.jpg", &photo[..photo.len() / 2])), &[]),
            400,
            "damaged or incomplete",
        ),
        (
            "too big",
            form(Some(("huge.jpg", &vec![0xff; 100 * 1024])), &[]),
            413,
            "larger than",
        ),
        (
            "no file",
            form(None, &[("alt", "nothing")]),
            400,
            "choose a picture",
        ),
        (
            "alt text too long",
            form(Some(("ok.jpg", &photo)), &[("alt", &"a".repeat(600))]),
            400,
            "longer than 500 characters",
        ),
        (
            "not multipart at all",
            b"just text".to_vec(),
            400,
            "could not be read",
        ),
    ];
    for (what, body, status, message) in cases {
        let answer = upload(&site, body).await;
        assert_eq!(answer.status, status, "{what}: {}", answer.json);
        assert_eq!(answer.content_type, "application/problem+json", "{what}");
        let detail = answer.json["detail"].as_str().unwrap_or_default();
        assert!(detail.contains(message), "{what}: {detail}");
    }
    let (_, total) = site
        .content()
        .media_library("", PageRequest::new(PageNumber::FIRST, 10))
        .await
        .unwrap();
    assert_eq!(total, 0, "nothing refused was recorded");
}

#[tokio::test]
async fn only_library_files_are_served_from_the_library() {
    let site = TestSite::with_local_media(1024 * 1024).await;
    for path in [
        "/media/lib/0123456789abcdef0123456789abcdef/640.webp",
        "/media/lib/0123456789abcdef0123456789abcdef/original.svg",
        "/media/lib/NOTAKEY/640.webp",
        "/media/lib/..%2F..%2Fbyline.db/640.webp",
    ] {
        assert_eq!(site.get(path).await.status, 404, "{path}");
    }
    // Pictures outside the library (the demo's covers) keep their URLs.
    let covers = site.data_dir().join("media/demo/covers");
    std::fs::create_dir_all(&covers).unwrap();
    std::fs::write(covers.join("7.jpg"), jpeg(40, 20)).unwrap();
    let cover = site.get("/media/demo/covers/7.jpg").await;
    assert_eq!(cover.status, 200);
    assert_eq!(cover.headers["content-type"], "image/jpeg");
    assert_eq!(cover.headers["x-content-type-options"], "nosniff");
    assert_eq!(
        cover.headers["cache-control"], "public, max-age=31536000, immutable",
        "files under /media never change under their name"
    );
}

#[tokio::test]
async fn library_pictures_in_articles_are_responsive() {
    let site = TestSite::with_local_media(20 * 1024 * 1024).await;
    let content = site.content();
    let item = content
        .upload_media(
            jpeg(2000, 1000),
            "harbour.jpg",
            MediaMeta {
                alt: "Boats".into(),
                caption: "The harbour at dawn".into(),
                credit: "Photo: A. Petrosyan".into(),
                uploaded_by: None,
            },
        )
        .await
        .unwrap();
    content
        .put_section(
            "news",
            &Localized::from_pairs([("en", "News")]),
            &Localized::default(),
            1,
        )
        .await
        .unwrap();
    site.settle().await;
    let article = |slug: &str, body: String| ArticleInput {
        edition: "en".into(),
        section: "news".into(),
        slug: slug.into(),
        title: "Harbour".into(),
        subtitle: String::new(),
        body_markdown: body,
        cover: Some(item.cover()),
        authors: vec![],
        tags: vec![],
        status: ArticleStatus::Published,
        featured: false,
        published_at: None,
        translation_of: None,
        seo: Seo::default(),
    };
    content
        .import_article(article(
            "harbour",
            format!("Before.\n\n![](media:{})\n\nAfter.", item.id),
        ))
        .await
        .unwrap();
    site.settle().await;
    let page = site.get("/en/news/harbour").await;
    assert_eq!(page.status, 200);
    let srcset = item.srcset();
    assert!(srcset.contains("1600.webp 1600w"));
    let doc = page.html();
    // The cover…
    let cover = within_one(testid(&doc, "cover"), "img");
    assert_eq!(
        (attr(cover, "srcset"), attr(cover, "sizes")),
        (srcset.clone(), byline_render::COVER_SIZES.to_owned())
    );
    // …and the picture in the body, with its dimensions, lazily.
    let figure = within_one(testid(&doc, "body"), "img");
    assert_eq!(
        ["srcset", "sizes", "width", "height", "alt", "loading"].map(|name| attr(figure, name)),
        [
            srcset.as_str(),
            byline_render::BODY_SIZES,
            "2000",
            "1000",
            "Boats",
            "lazy"
        ]
        .map(str::to_owned)
    );
    assert_eq!(
        text(within_one(
            testid(&doc, "body"),
            "figure > figcaption .caption"
        )),
        "The harbour at dawn",
        "the library's caption, under the picture"
    );

    // A body naming a picture that is not in the library is refused, with a message.
    let e = content
        .import_article(article("ghost", "![](media:999999)".into()))
        .await
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "body: there is no picture media:999999 in the media library"
    );
}
