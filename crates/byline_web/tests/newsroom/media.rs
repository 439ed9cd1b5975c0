//! Picture uploads from the editor: `POST /newsroom/media`, behind the login and the
//! CSRF check, outside the app-wide body limit, with its own (`media_max_bytes`).

use crate::client::{Client, login_as};
use crate::common::html::{attr, select_one, testid, text};
use crate::common::{TestResponse, TestSite};
use axum::body::Body;
use axum::http::Request;
use byline_content::ContentOptions;
use byline_core::Role;
use image::{ImageEncoder, Rgb, RgbImage};

const BOUNDARY: &str = "----byline-newsroom-boundary";
/// The media limit of these tests: above the tests' app-wide body limit (64 KiB).
const MEDIA_MAX: u64 = 400 * 1024;

/// A JPEG that compresses badly (noise), so it is bigger than the app-wide limit.
pub(crate) fn noisy_jpeg(w: u32, h: u32) -> Vec<u8> {
    let mut seed = 0x2545_f491_u32;
    let img = RgbImage::from_fn(w, h, |_, _| {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let [a, b, c, _] = seed.to_le_bytes();
        Rgb([a, b, c])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .write_image(&img, w, h, image::ExtendedColorType::Rgb8)
        .unwrap();
    out
}

pub(crate) fn multipart(file_name: &str, bytes: &[u8], texts: &[(&str, &str)]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in texts {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: image/jpeg\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn site() -> TestSite {
    TestSite::demo_with(ContentOptions {
        media_limits: byline_media::Limits {
            max_bytes: MEDIA_MAX,
            ..Default::default()
        },
        ..ContentOptions::default()
    })
    .await
}

pub(crate) async fn upload(
    site: &TestSite,
    client: &Client,
    csrf: Option<&str>,
    body: Vec<u8>,
    declare_length: bool,
) -> (TestResponse, serde_json::Value) {
    let mut request = Request::post("/newsroom/media")
        .header("cookie", format!("byline_session={}", client.session))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        );
    if declare_length {
        request = request.header("content-length", body.len());
    }
    if let Some(token) = csrf {
        request = request.header("x-csrf-token", token);
    }
    let body = if declare_length {
        Body::from(body)
    } else {
        // Streamed in pieces without a declared length, as a chunked upload.
        let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
            body.chunks(16 * 1024).map(|c| Ok(c.to_vec())).collect();
        Body::from_stream(futures::stream::iter(chunks))
    };
    let r = site.request(request.body(body).unwrap()).await;
    let json = serde_json::from_str(&r.body).unwrap_or(serde_json::Value::Null);
    (r, json)
}

#[tokio::test]
async fn a_contributor_uploads_a_picture_bigger_than_the_form_limit() {
    let site = site().await;
    let (user, client) = login_as(&site, "writer@example.org", Role::Contributor).await;
    let jpeg = noisy_jpeg(300, 300);
    assert!(jpeg.len() > 64 * 1024 && (jpeg.len() as u64) < MEDIA_MAX);
    let (r, json) = upload(
        &site,
        &client,
        Some(&client.csrf),
        multipart(
            "harbour.jpg",
            &jpeg,
            &[
                ("alt", "Boats"),
                ("caption", "Dawn"),
                ("credit", "Meridian"),
            ],
        ),
        true,
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.header("cache-control"), Some("no-store"));
    let id = json["id"].as_i64().unwrap();
    assert_eq!(json["markdown"], format!("![Boats](media:{id})"));
    let item = site
        .content()
        .media(byline_core::MediaId(id))
        .await
        .unwrap();
    assert_eq!(
        (item.caption.as_str(), item.credit.as_str()),
        ("Dawn", "Meridian")
    );
    assert_eq!(
        item.uploaded_by,
        Some(user.id.0),
        "the uploader is recorded"
    );
    // The picture is served.
    site.get(json["url"].as_str().unwrap()).await.assert_ok();
}

#[tokio::test]
async fn an_upload_needs_a_session_and_the_csrf_header() {
    let site = site().await;
    let (_, client) = login_as(&site, "writer@example.org", Role::Contributor).await;
    let body = multipart("a.jpg", &noisy_jpeg(40, 40), &[]);
    let (r, _) = upload(&site, &client, None, body.clone(), true).await;
    assert_eq!(r.status, 403, "no token");
    assert!(r.body.contains("This form has expired"), "{}", r.body);
    let (r, _) = upload(&site, &client, Some(&"0".repeat(64)), body.clone(), true).await;
    assert_eq!(r.status, 403, "wrong token");
    let stranger = Client {
        user: None,
        session: "f".repeat(64),
        csrf: crate::client::PASSWORD.into(),
    };
    let (r, _) = upload(&site, &stranger, Some(&"0".repeat(64)), body, true).await;
    assert_eq!(r.status, 403, "a made-up session's token is wrong too");
    let (_, stored) = site
        .content()
        .media_library(
            "",
            byline_core::PageRequest::new(byline_core::PageNumber::FIRST, 10),
        )
        .await
        .unwrap();
    assert_eq!(stored, 0, "nothing was stored");
}

#[tokio::test]
async fn an_oversized_upload_is_a_413_that_says_the_limit() {
    let site = site().await;
    let (_, client) = login_as(&site, "writer@example.org", Role::Contributor).await;
    let big = noisy_jpeg(700, 700);
    assert!(big.len() as u64 > MEDIA_MAX);
    for declared in [true, false] {
        let (r, json) = upload(
            &site,
            &client,
            Some(&client.csrf),
            multipart("big.jpg", &big, &[]),
            declared,
        )
        .await;
        assert_eq!(r.status, 413, "declared length {declared}: {}", r.body);
        assert_eq!(json["field"], "file");
        assert_eq!(
            json["detail"], "the file is larger than 400 KB, the largest accepted",
            "declared length {declared}"
        );
    }
}

#[tokio::test]
async fn a_file_that_is_not_a_picture_is_refused_on_its_field() {
    let site = site().await;
    let (_, client) = login_as(&site, "writer@example.org", Role::Contributor).await;
    let (r, json) = upload(
        &site,
        &client,
        Some(&client.csrf),
        multipart("photo.jpg", b"#!/bin/sh\nrm -rf /\n", &[]),
        true,
    )
    .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(json["field"], "file");
    assert!(!json["detail"].as_str().unwrap().is_empty());
}

#[tokio::test]
async fn the_cover_field_takes_a_library_picture_and_refuses_unknown_ones() {
    let site = site().await;
    let (_, client) = login_as(&site, "writer@example.org", Role::Contributor).await;
    let (_, json) = upload(
        &site,
        &client,
        Some(&client.csrf),
        multipart("c.jpg", &noisy_jpeg(200, 100), &[("alt", "A cover")]),
        true,
    )
    .await;
    let media = json["id"].as_i64().unwrap();
    let fields = |cover: String| {
        vec![
            ("edition".to_owned(), "en".to_owned()),
            ("section".to_owned(), "analytics".to_owned()),
            ("title".to_owned(), "With a cover".to_owned()),
            (
                "body".to_owned(),
                format!("Text.\n\n![A cover](media:{media})\n"),
            ),
            ("cover".to_owned(), cover),
        ]
    };
    let send = |f: Vec<(String, String)>| {
        let borrowed: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        crate::client::encode(&[("csrf", client.csrf.as_str())])
            + "&"
            + &crate::client::encode(&borrowed)
    };
    let r = client
        .post_raw(
            &site,
            "/newsroom/articles/new",
            &send(fields("media:999999".into())),
        )
        .await;
    assert_eq!(r.status, 400);
    let doc = r.html();
    assert_eq!(
        text(testid(&doc, "error-cover")),
        "there is no picture media:999999 in the library"
    );
    assert_eq!(
        attr(select_one(&doc, "input[name=title]"), "value"),
        "With a cover",
        "what was typed is kept"
    );
    let r = client
        .post_raw(
            &site,
            "/newsroom/articles/new",
            &send(fields(format!("media:{media}"))),
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let id: i64 = r
        .location()
        .unwrap()
        .trim_start_matches("/newsroom/articles/")
        .trim_end_matches("?saved=1")
        .parse()
        .unwrap();
    let article = site
        .store()
        .article(byline_core::ArticleId(id))
        .await
        .unwrap();
    let cover = article.cover.expect("the cover is set");
    assert_eq!((cover.alt.as_str(), cover.width), ("A cover", 200));
    // The edit form shows it, and saving it unchanged keeps it; the SEO fields and a
    // separate social card picture are saved too.
    let page = client.get(&site, &format!("/newsroom/articles/{id}")).await;
    assert_eq!(
        attr(select_one(&page.html(), "input[name=cover]"), "value"),
        cover.url
    );
    let (_, card) = upload(
        &site,
        &client,
        Some(&client.csrf),
        multipart("card.jpg", &noisy_jpeg(240, 126), &[("alt", "Card")]),
        true,
    )
    .await;
    let card_id = card["id"].as_i64().unwrap();
    let revision = site
        .store()
        .article_meta(byline_core::ArticleId(id))
        .await
        .unwrap()
        .revision
        .to_string();
    let mut f = fields(cover.url.clone());
    f.extend([
        ("revision".to_owned(), revision),
        ("seo_title".to_owned(), "Search headline".to_owned()),
        (
            "seo_description".to_owned(),
            "For search engines".to_owned(),
        ),
        ("social_image".to_owned(), format!("media:{card_id}")),
    ]);
    let r = client
        .post_raw(&site, &format!("/newsroom/articles/{id}"), &send(f))
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let article = site
        .store()
        .article(byline_core::ArticleId(id))
        .await
        .unwrap();
    assert_eq!(
        article.cover.as_ref().map(|c| c.url.as_str()),
        Some(cover.url.as_str())
    );
    assert_eq!(article.seo.title.as_deref(), Some("Search headline"));
    assert_eq!(
        article.seo.description.as_deref(),
        Some("For search engines")
    );
    let social = article.seo.image.expect("the social picture is set");
    assert_eq!((social.alt.as_str(), social.width), ("Card", 240));
    // The reader page's card uses it once published.
    let editor = crate::client::login_as(&site, "desk@example.org", Role::Editor)
        .await
        .1;
    let r = editor
        .post(
            &site,
            &format!("/newsroom/articles/{id}/status"),
            &[("action", "publish")],
        )
        .await;
    assert_eq!(r.status, 303);
    let slug = site
        .store()
        .article(byline_core::ArticleId(id))
        .await
        .unwrap()
        .slug;
    let page = site.get(&format!("/en/analytics/{slug}")).await;
    page.assert_ok();
    assert!(
        page.body.contains(&format!(
            "content=\"http://127.0.0.1:8080{}\"",
            social
                .crops
                .as_ref()
                .expect("a library picture's crops")
                .social
        )),
        "og:image is the social picture, cut to 1200×630 around its focal point"
    );
    assert!(page.body.contains("Search headline"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_graceful_stop_finishes_an_upload_in_flight() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let site = site().await;
    let (_, client) = login_as(&site, "writer@example.org", Role::Contributor).await;
    let served = site.serve().await;
    let address = served.base_url.trim_start_matches("http://").to_owned();
    let body = multipart("late.jpg", &noisy_jpeg(200, 200), &[("alt", "Late")]);
    let (first, rest) = body.split_at(body.len() / 2);
    let mut conn = tokio::net::TcpStream::connect(&address).await.unwrap();
    conn.write_all(
        format!(
            "POST /newsroom/media HTTP/1.1\r\nHost: {address}\r\nCookie: byline_session={}\r\nX-CSRF-Token: {}\r\nContent-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {}\r\n\r\n",
            client.session,
            client.csrf,
            body.len()
        )
        .as_bytes(),
    )
    .await
    .unwrap();
    conn.write_all(first).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;

    // The stop (SIGTERM's path) begins while half the picture is still to come.
    let stopping = tokio::spawn(served.stop());
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(
        !stopping.is_finished(),
        "the stop waits for the request in flight"
    );
    conn.write_all(rest).await.unwrap();
    let mut answer = Vec::new();
    conn.read_to_end(&mut answer).await.unwrap();
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    stopping.await.unwrap();
    // And what it saved is there.
    assert!(answer.contains("media:"), "{answer}");
}
