//! The media library page (`/newsroom/media`): the grid and its search, one picture's
//! page (words, focal point, where used, delete refused while used), the pictures
//! dialog's JSON, and the upload form that works without a script.

use crate::articles::create;
use crate::client::{Client, login_as};
use crate::common::html::{attr, select, testid, text};
use crate::common::{TestSite, fluent};
use crate::media::{multipart, noisy_jpeg, upload};
use axum::body::Body;
use axum::http::Request;
use byline_core::{MediaId, Role};

const BOUNDARY: &str = "----byline-newsroom-boundary";

/// Uploads a picture whose bytes differ with its name's length (the same bytes twice
/// share their files, and a cover is matched to the library by those files).
async fn put(site: &TestSite, client: &Client, name: &str, texts: &[(&str, &str)]) -> i64 {
    let width = 40 + name.len() as u32;
    let (r, json) = upload(
        site,
        client,
        Some(&client.csrf),
        multipart(name, &noisy_jpeg(width, 30), texts),
        true,
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    json["id"].as_i64().unwrap()
}

fn grid_ids(body: &str) -> Vec<i64> {
    let html = scraper::Html::parse_document(body);
    select(&html, "[data-media]")
        .iter()
        .map(|e| attr(*e, "data-media").parse().unwrap())
        .collect()
}

#[tokio::test]
async fn the_grid_searches_words_file_names_and_credits_in_any_script() {
    let site = TestSite::demo().await;
    let (_, me) = login_as(&site, "photo@example.org", Role::Contributor).await;
    let quay = put(&site, &me, "quay.jpg", &[("alt", "Рыбаки на ПРИЧАЛЕ")]).await;
    let market = put(&site, &me, "Market-Day.JPG", &[("alt", "Stalls")]).await;
    let credited = put(
        &site,
        &me,
        "c.jpg",
        &[("alt", "Hills"), ("credit", "Լուսանկարը՝ Արամ")],
    )
    .await;

    let r = me.get(&site, "/newsroom/media").await;
    r.assert_ok();
    assert_eq!(
        grid_ids(&r.body),
        vec![credited, market, quay],
        "newest first"
    );
    for (q, want) in [
        ("причале", quay),
        ("market-day", market),
        ("արամ", credited),
    ] {
        let r = me
            .get(&site, &format!("/newsroom/media?q={}", urlencoding(q)))
            .await;
        r.assert_ok();
        assert_eq!(grid_ids(&r.body), vec![want], "{q}");
    }
    let r = me.get(&site, "/newsroom/media?q=nothing-like-it").await;
    assert!(grid_ids(&r.body).is_empty());

    // Bad parameters: 400, the page with a message in the user's language.
    let r = me.get_lang(&site, "/newsroom/media?page=zero", "ru").await;
    assert_eq!(r.status, 400);
    assert_eq!(
        text(testid(&r.html(), "error-page")),
        fluent("ru", "newsroom-list-error-page")
    );
    let long = "a".repeat(201);
    let r = me.get(&site, &format!("/newsroom/media?q={long}")).await;
    assert_eq!(r.status, 400);
    assert_eq!(
        text(testid(&r.html(), "error-q")),
        fluent("en", "newsroom-media-error-q")
    );

    // The dialog's JSON: the same search, a page at a time.
    let r = me.get(&site, "/newsroom/media/pick?q=stalls").await;
    r.assert_ok();
    let json: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(json["total"], 1);
    assert_eq!(json["items"][0]["id"], market);
    assert_eq!(
        json["items"][0]["markdown"],
        format!("![Stalls](media:{market})")
    );
    let r = me.get(&site, "/newsroom/media/pick?page=-1").await;
    assert_eq!(r.status, 400);
    assert_eq!(r.header("content-type"), Some("application/problem+json"));

    // Signed out: the login form.
    let r = site.get("/newsroom/media").await;
    assert_eq!(r.status, 303);
}

fn urlencoding(s: &str) -> String {
    serde_urlencoded::to_string([("q", s)]).unwrap()[2..].to_owned()
}

#[tokio::test]
async fn words_and_focal_point_are_kept_and_bad_ones_shown_again_as_typed() {
    let site = TestSite::demo().await;
    let (_, me) = login_as(&site, "photo@example.org", Role::Contributor).await;
    let id = put(&site, &me, "harbour.jpg", &[("alt", "Boats")]).await;
    let path = format!("/newsroom/media/{id}");
    let r = me.get(&site, &path).await;
    r.assert_ok();
    assert!(r.body.contains("name=\"focal_x\""), "the focal fields");

    let r = me
        .post(
            &site,
            &path,
            &[
                ("alt", "Fishing boats at the quay"),
                ("caption", "Before the storm"),
                ("credit", "Photo: Meridian"),
                ("focal_x", "20"),
                ("focal_y", "70"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.location(), Some(format!("{path}?saved=1").as_str()));
    let item = site.content().media(MediaId(id)).await.unwrap();
    assert_eq!(item.alt, "Fishing boats at the quay");
    assert_eq!(item.caption, "Before the storm");
    assert_eq!((item.focal.x, item.focal.y), (20, 70));

    // A focal point off the picture and an alt text past the limit: 400, as typed.
    let long_alt = "x".repeat(501);
    let r = me
        .post_lang(
            &site,
            &path,
            &[
                ("alt", long_alt.as_str()),
                ("caption", "Kept"),
                ("credit", ""),
                ("focal_x", "101"),
                ("focal_y", "abc"),
            ],
            "hy",
        )
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(
        text(testid(&r.html(), "error-focal_x")),
        fluent("hy", "newsroom-media-error-focal")
    );
    assert!(r.body.contains("value=\"abc\""), "kept as typed");
    assert!(r.body.contains(">Kept</textarea>"));
    let r = me
        .post(
            &site,
            &path,
            &[
                ("alt", long_alt.as_str()),
                ("focal_x", "50"),
                ("focal_y", "50"),
            ],
        )
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(
        text(testid(&r.html(), "error-alt")),
        fluent("en", "newsroom-media-error-long")
    );
    let kept = site.content().media(MediaId(id)).await.unwrap();
    assert_eq!(kept.alt, "Fishing boats at the quay", "nothing half-saved");

    // Someone else's picture: a contributor reads it, may not change or delete it; an
    // editor may.
    let (_, other) = login_as(&site, "other@example.org", Role::Contributor).await;
    let r = other.get(&site, &path).await;
    r.assert_ok();
    assert!(!r.body.contains("name=\"focal_x\""), "no form for them");
    let change = [("alt", "Mine now"), ("focal_x", "1"), ("focal_y", "1")];
    assert_eq!(other.post(&site, &path, &change).await.status, 403);
    let delete = format!("{path}/delete");
    assert_eq!(other.post(&site, &delete, &[]).await.status, 403);
    let (_, editor) = login_as(&site, "desk@example.org", Role::Editor).await;
    assert_eq!(editor.post(&site, &path, &change).await.status, 303);

    // Unknown and malformed ids: 404.
    assert_eq!(me.get(&site, "/newsroom/media/999999").await.status, 404);
    assert_eq!(me.get(&site, "/newsroom/media/x1").await.status, 404);
    assert_eq!(
        me.post(&site, "/newsroom/media/999999", &change)
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn a_picture_in_use_is_listed_where_used_and_not_deleted() {
    let site = TestSite::demo().await;
    let (_, writer) = login_as(&site, "writer@example.org", Role::Author).await;
    let (_, editor) = login_as(&site, "desk@example.org", Role::Editor).await;
    let in_body = put(&site, &writer, "body.jpg", &[("alt", "Quay")]).await;
    let as_cover = put(&site, &writer, "cover.jpg", &[("alt", "Market")]).await;
    let body = format!("Text.\n\n![Quay](media:{in_body})\n\nMore.");
    let cover = format!("media:{as_cover}");
    let article = create(
        &site,
        &writer,
        &[
            ("edition", "en"),
            ("section", "analytics"),
            ("title", "Pictures of the port"),
            ("body", body.as_str()),
            ("cover", cover.as_str()),
        ],
    )
    .await;
    for id in [in_body, as_cover] {
        let r = writer.get(&site, &format!("/newsroom/media/{id}")).await;
        let html = r.html();
        let uses = testid(&html, "uses");
        assert!(text(uses).contains("Pictures of the port"), "media {id}");
        assert!(
            r.body
                .contains(&format!("href=\"/newsroom/articles/{}\"", article.0)),
        );
        // Delete: refused, 409, the page says why.
        let r = writer
            .post(&site, &format!("/newsroom/media/{id}/delete"), &[])
            .await;
        assert_eq!(r.status, 409, "media {id}");
        assert_eq!(
            text(testid(&r.html(), "in-use")),
            fluent("en", "newsroom-media-in-use")
        );
        site.content()
            .media(MediaId(id))
            .await
            .expect("still there");
    }

    // A contributor sees that it is used, not the title of a draft they cannot open.
    let (_, stranger) = login_as(&site, "new@example.org", Role::Contributor).await;
    let r = stranger
        .get(&site, &format!("/newsroom/media/{in_body}"))
        .await;
    assert!(!r.body.contains("Pictures of the port"));
    assert!(r.testid("hidden-uses").is_some());

    // Out of the article (the cover stays): the body's picture can go, with its files.
    let item = site.content().media(MediaId(in_body)).await.unwrap();
    let r = editor
        .get(&site, &format!("/newsroom/articles/{}", article.0))
        .await;
    let revision = attr(
        crate::common::html::select_one(&r.html(), "input[name=revision]"),
        "value",
    );
    let r = writer
        .post(
            &site,
            &format!("/newsroom/articles/{}", article.0),
            &[
                ("edition", "en"),
                ("section", "analytics"),
                ("title", "Pictures of the port"),
                ("body", "Text without the picture."),
                ("cover", cover.as_str()),
                ("revision", revision.as_str()),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        r.location(),
        Some(format!("/newsroom/articles/{}?saved=1", article.0).as_str())
    );
    let r = writer
        .get(&site, &format!("/newsroom/media/{in_body}"))
        .await;
    assert!(!text(testid(&r.html(), "uses")).contains("Pictures of the port"));
    site.get(&item.src()).await.assert_ok();
    let r = writer
        .post(&site, &format!("/newsroom/media/{in_body}/delete"), &[])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.location(), Some("/newsroom/media?deleted=1"));
    assert_eq!(site.get(&item.src()).await.status, 404, "files gone");
    assert_eq!(
        writer
            .get(&site, &format!("/newsroom/media/{in_body}"))
            .await
            .status,
        404
    );
    let r = writer.get(&site, "/newsroom/media?deleted=1").await;
    assert!(r.testid("deleted").is_some());
    assert_eq!(
        writer
            .post(&site, &format!("/newsroom/media/{as_cover}/delete"), &[])
            .await
            .status,
        409,
        "the cover is still used"
    );
}

/// The library's upload form without a script: the token in its address (a browser
/// cannot add the header), the picture's page after, the library with the reason when
/// refused.
#[tokio::test]
async fn the_upload_form_works_without_a_script() {
    let site = TestSite::demo().await;
    let (_, me) = login_as(&site, "photo@example.org", Role::Contributor).await;
    let r = me.get(&site, "/newsroom/media").await;
    let html = r.html();
    let form = testid(&html, "library-upload");
    let action = attr(form, "action");
    // An upload token of its own in the address, not the session's form token.
    assert!(
        action.starts_with("/newsroom/media?form=1&csrf="),
        "{action}"
    );
    assert!(!action.contains(&me.csrf));

    let send = |uri: String, body: Vec<u8>| {
        Request::post(uri)
            .header("cookie", format!("byline_session={}", me.session))
            .header(
                "content-type",
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .body(Body::from(body))
            .unwrap()
    };
    let jpeg = noisy_jpeg(40, 30);
    let r = site
        .request(send(
            action.clone(),
            multipart("form.jpg", &jpeg, &[("alt", "From the form")]),
        ))
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let location = r.location().unwrap().to_owned();
    assert!(location.starts_with("/newsroom/media/"), "{location}");
    let r = me.get(&site, &location).await;
    r.assert_ok();
    assert!(r.body.contains("From the form"));

    // No token, or someone else's: refused before the body is read.
    let (expiry, mac) = action.rsplit_once('=').unwrap().1.split_once('.').unwrap();
    let later: i64 = expiry.parse::<i64>().unwrap() + 86_400;
    for uri in [
        "/newsroom/media?form=1".to_owned(),
        "/newsroom/media?form=1&csrf=0000".to_owned(),
        // The long-lived form token does not open the address way.
        format!("/newsroom/media?form=1&csrf={}", me.csrf),
        // An expiry moved later breaks the token.
        format!("/newsroom/media?form=1&csrf={later}.{mac}"),
    ] {
        let r = site
            .request(send(uri, multipart("x.jpg", &jpeg, &[])))
            .await;
        assert_eq!(r.status, 403);
    }
    // Not a picture: the library again, 400, the reason shown.
    let r = site
        .request(send(
            action.clone(),
            multipart("notes.jpg", b"plain text, not a picture", &[]),
        ))
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(
        text(testid(&r.html(), "upload-error")),
        fluent("en", "newsroom-upload-not-picture")
    );
    assert!(r.testid("media-grid").is_some(), "the grid is still there");
}

/// The focal point on the site: a library cover's card, social image and square are cut
/// around it (made on their first request, served as immutable files), and moving it
/// recrops the covers of the articles that show the picture and makes their pages again.
#[tokio::test]
async fn covers_are_cropped_around_the_focal_point() {
    let site = TestSite::demo().await;
    let (_, editor) = login_as(&site, "desk@example.org", Role::Editor).await;
    // A 400×300 picture: dark on the left, light on the right.
    let img = image::RgbImage::from_fn(400, 300, |x, _| {
        let v = if x < 200 { 20 } else { 235 };
        image::Rgb([v, v, v])
    });
    let mut png = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let item = site
        .content()
        .upload_media(
            png,
            "halves.png",
            byline_content::MediaMeta {
                alt: "Two halves".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let cover = format!("media:{}", item.id);
    let id = create(
        &site,
        &editor,
        &[
            ("edition", "en"),
            ("section", "analytics"),
            ("title", "A story with a cropped cover"),
            ("body", "Text."),
            ("cover", cover.as_str()),
        ],
    )
    .await;
    let r = editor
        .post(
            &site,
            &format!("/newsroom/articles/{}/status", id.0),
            &[("action", "publish")],
        )
        .await;
    assert_eq!(r.status, 303);
    site.settle().await;
    // A published article's save button says it updates what readers see.
    let r = editor
        .get(&site, &format!("/newsroom/articles/{}", id.0))
        .await;
    assert!(
        r.body
            .contains(&format!(">{}</button>", fluent("en", "newsroom-update")))
    );
    let crops = site
        .store()
        .article(id)
        .await
        .unwrap()
        .cover
        .and_then(|c| c.crops)
        .expect("a library cover has crops");
    assert!(
        crops.card.ends_with("/c640x360-50-50.webp"),
        "{}",
        crops.card
    );

    // The crops are served: their shapes, never upscaled, immutable.
    let r = site.get(&crops.social).await;
    r.assert_ok();
    assert_eq!(r.header("content-type"), Some("image/jpeg"));
    assert_eq!(
        r.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    let social = get_bytes(&site, &crops.social).await;
    let decoded = image::load_from_memory(&social).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (400, 210));
    let square = |body: &[u8]| {
        let d = image::load_from_memory(body).unwrap().to_rgb8();
        assert_eq!(d.width(), d.height());
        d.get_pixel(d.width() / 2, d.height() / 2)[0]
    };
    // Around the middle: the square's centre is where the halves meet.
    square(&get_bytes(&site, &crops.square).await);
    // Names the pipeline does not make: 404.
    let base = crops.card.rsplit_once('/').unwrap().0.to_owned();
    for bad in [
        "c641x360-50-50.webp",
        "c640x360-50-50.jpg",
        "c640x360-150-50.webp",
        // A size there is, around a point the picture does not have: no work on demand.
        "c600x600-13-77.webp",
    ] {
        assert_eq!(
            site.get(&format!("{base}/{bad}")).await.status,
            404,
            "{bad}"
        );
    }

    // The reader's pages use them.
    let article = site.store().article(id).await.unwrap();
    let page = site.get(&format!("/en/analytics/{}", article.slug)).await;
    page.assert_ok();
    assert!(
        page.body
            .contains("<meta property=\"og:image\" content=\"http"),
        "an absolute og:image"
    );
    assert!(
        page.body.contains(&crops.social),
        "og:image is the 1200×630 crop"
    );
    assert!(
        page.body.contains(&crops.square),
        "the square in the structured data"
    );
    let section = site.get("/en/analytics").await;
    assert!(
        section.body.contains(&crops.card),
        "the card is the 16:9 crop"
    );

    // The subject is on the right: the focal point moves there, the covers follow.
    let r = editor
        .post(
            &site,
            &format!("/newsroom/media/{}", item.id),
            &[("alt", "Two halves"), ("focal_x", "90"), ("focal_y", "50")],
        )
        .await;
    assert_eq!(r.status, 303);
    site.settle().await;
    let moved = site
        .store()
        .article(id)
        .await
        .unwrap()
        .cover
        .and_then(|c| c.crops)
        .unwrap();
    assert!(
        moved.square.ends_with("/c1200x1200-90-50.jpg"),
        "{}",
        moved.square
    );
    let right = square(&get_bytes(&site, &moved.square).await);
    assert!(right > 200, "the square now shows the light half ({right})");
    let left = {
        let d = image::load_from_memory(&get_bytes(&site, &crops.square).await)
            .unwrap()
            .to_rgb8();
        d.get_pixel(d.width() / 4, d.height() / 2)[0]
    };
    assert!(
        left < 50,
        "the old square (still served: its URL never changes) starts dark"
    );
    let old_wide_card = crops.card_srcset.split(' ').nth(2).unwrap().to_owned();
    assert_eq!(
        site.get(&old_wide_card).await.status,
        404,
        "a crop at the old point never made before is not made now"
    );
    let page = site.get(&format!("/en/analytics/{}", article.slug)).await;
    assert!(page.body.contains(&moved.social), "the page was made again");
    assert!(!page.body.contains(&crops.social));
}

async fn get_bytes(site: &TestSite, uri: &str) -> Vec<u8> {
    use crate::common::OneshotBytes;
    site.router
        .clone()
        .oneshot_bytes(Request::get(uri).body(Body::empty()).unwrap())
        .await
}

/// A static page shows a picture however its text refers to it (here a reference-style
/// picture): the picture is not deleted; the page is named to those who manage pages,
/// counted for the others.
#[tokio::test]
async fn a_picture_on_a_static_page_is_kept() {
    let site = TestSite::demo().await;
    let (_, editor) = login_as(&site, "desk@example.org", Role::Editor).await;
    let (_, writer) = login_as(&site, "writer@example.org", Role::Contributor).await;
    let id = put(&site, &writer, "map.jpg", &[("alt", "Map")]).await;
    let body = format!("Where we are:\n\n![Our office][map]\n\n[map]: <media:+0{id}>");
    let r = editor
        .post(
            &site,
            "/newsroom/pages/new",
            &[
                ("edition", "en"),
                ("title", "Where to find us"),
                ("slug", "where-to-find-us"),
                ("body", body.as_str()),
                ("status", "draft"),
                ("footer_position", ""),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let path = format!("/newsroom/media/{id}");
    let r = editor.get(&site, &path).await;
    assert!(text(testid(&r.html(), "uses")).contains("Where to find us"));
    let r = writer.get(&site, &path).await;
    assert!(
        !r.body.contains("Where to find us"),
        "a draft page, not theirs to see"
    );
    assert!(r.testid("hidden-uses").is_some());
    assert_eq!(
        writer
            .post(&site, &format!("{path}/delete"), &[])
            .await
            .status,
        409
    );
    site.content().media(MediaId(id)).await.expect("kept");
}
