//! The newsroom in a real browser: a story from the editor to the site.

use crate::common::TestSite;
use crate::driver::{Browser, POLL};
use byline_core::ArticleStatus;
use fantoccini::Locator;
use std::time::{Duration, Instant};

impl Browser {
    /// Logs in through the real form (a fresh session: cookies of the last one go).
    pub async fn newsroom_login(&self, base: &str, email: &str, password: &str) {
        self.client.delete_all_cookies().await.unwrap();
        self.goto(&format!("{base}/newsroom/login")).await;
        self.client
            .find(Locator::Id("email"))
            .await
            .unwrap()
            .send_keys(email)
            .await
            .unwrap();
        self.client
            .find(Locator::Id("password"))
            .await
            .unwrap()
            .send_keys(password)
            .await
            .unwrap();
        self.js("document.querySelector('form.nr-form').submit(); return true")
            .await;
        self.wait_js(
            "the newsroom after logging in",
            "return !location.pathname.endsWith('/login') && document.readyState === 'complete' && !!document.querySelector('[data-testid=me]')",
        )
        .await;
    }

    /// Clicks the submit button matching `selector` and waits for the next page.
    pub async fn submit(&self, selector: &str) {
        self.js(&format!(
            "window.__leaving = true; document.querySelector({selector:?}).click(); return true"
        ))
        .await;
        self.wait_js(
            "the next page",
            "return !window.__leaving && document.readyState === 'complete'",
        )
        .await;
    }
}

const DESK_PASSWORD: &str = crate::common::EDITOR_PASSWORD;

/// An editor's account, desk@example.org with [`DESK_PASSWORD`].
pub(crate) async fn desk_editor(site: &TestSite) -> byline_core::User {
    crate::common::add_editor(site, "desk@example.org").await
}

/// An editor (desk@example.org) signed in on a served demo outlet, with one draft of
/// theirs open in the editor: where most editor tests start.
struct Desk {
    browser: Browser,
    site: TestSite,
    served: crate::common::Served,
    editor: byline_core::User,
    article: byline_core::ArticleId,
}

impl Desk {
    /// `None` (the test is skipped) without a browser.
    async fn with_draft(title: &str, body: &str) -> Option<Desk> {
        Self::with(|_| byline_content::ArticleForm {
            edition: "en".into(),
            section: "analytics".into(),
            title: title.into(),
            body: body.into(),
            ..Default::default()
        })
        .await
    }

    /// Like [`with_draft`](Self::with_draft), the draft made from the demo's catalog.
    async fn with(
        form: impl FnOnce(&byline_content::Catalog) -> byline_content::ArticleForm,
    ) -> Option<Desk> {
        let browser = Browser::start().await?;
        let site = TestSite::demo().await;
        let editor = desk_editor(&site).await;
        let form = form(&site.content().catalog());
        let (article, _) = site.content().create_draft(&editor, &form).await.unwrap();
        let served = site.serve().await;
        browser
            .newsroom_login(&served.base_url, "desk@example.org", DESK_PASSWORD)
            .await;
        browser
            .goto(&format!(
                "{}/newsroom/articles/{}",
                served.base_url, article.0
            ))
            .await;
        Some(Desk {
            browser,
            site,
            served,
            editor,
            article,
        })
    }

    async fn finish(self) {
        self.browser.close().await;
        self.served.stop().await;
    }
}

/// A JPEG of `w`×`h` pixels.
fn jpeg(w: u32, h: u32) -> Vec<u8> {
    use image::{ImageEncoder, Rgb, RgbImage};
    let img = RgbImage::from_fn(w, h, |x, y| Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
        .write_image(&img, w, h, image::ExtendedColorType::Rgb8)
        .unwrap();
    out
}

/// A whole day in the newsroom, in two browsers: a contributor writes (toolbar
/// shortcut, a picture from the library through the dialog, uploads by button, drop and
/// paste, a tag from the picker) and submits; the editor finds it through the list's
/// filters while the writer still has it open (each sees the other there), leaves a
/// note and returns it; the writer is told, fixes it and submits again; the editor
/// schedules it, and it is on the site at its time.
#[tokio::test]
async fn a_whole_newsroom_day_from_the_writer_to_the_site() {
    use byline_content::accounts::{UserInput, create_user};
    use byline_content::{Clock, ContentOptions};
    use byline_core::Role;

    let Some(browser) = Browser::start().await else {
        return;
    };
    let clock = Clock::manual(jiff::Timestamp::now());
    let site = TestSite::demo_with(ContentOptions {
        clock: clock.clone(),
        schedule_poll: Duration::from_millis(100),
        ..ContentOptions::default()
    })
    .await;
    const PASSWORD: &str = "correct horse battery";
    for (email, role) in [
        ("writer@example.org", Role::Contributor),
        ("desk@example.org", Role::Editor),
    ] {
        create_user(
            site.store().as_ref(),
            UserInput {
                email: email.into(),
                display_name: String::new(),
                role,
                password: Some(PASSWORD.into()),
            },
        )
        .await
        .unwrap();
    }
    let library = site
        .content()
        .upload_media(
            jpeg(800, 450),
            "dawn.jpg",
            byline_content::MediaMeta {
                alt: "Harbour at dawn".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let served = site.serve().await;
    let base = served.base_url.clone();

    // The contributor writes a story with a picture uploaded from the editor.
    browser
        .newsroom_login(&base, "writer@example.org", PASSWORD)
        .await;
    browser.goto(&format!("{base}/newsroom/articles/new")).await;
    browser.type_into("title", "Harbour lights return").await;
    browser
        .type_into(
            "body",
            "The lights are back on the pier.\n\nhttps://youtu.be/dQw4w9WgXcQ\n",
        )
        .await;
    // Ctrl+B on a selected word makes it bold.
    browser
        .js("var b = document.getElementById('body'); b.focus(); var i = b.value.indexOf('lights'); b.setSelectionRange(i, i + 6); return true")
        .await;
    {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        let ctrl_b = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: '\u{E009}' })
            .then(KeyAction::Down { value: 'b' })
            .then(KeyAction::Up { value: 'b' })
            .then(KeyAction::Up { value: '\u{E009}' });
        browser.client.perform_actions(ctrl_b).await.unwrap();
    }
    assert!(
        browser
            .js_string("return document.getElementById('body').value")
            .await
            .starts_with("The **lights** are back"),
    );
    // A picture from the library, through the dialog, with its alt text.
    browser
        .js("var b = document.getElementById('body'); b.setSelectionRange(b.value.length, b.value.length); document.querySelector('[data-md=image]').click(); return true")
        .await;
    browser
        .wait_js(
            "the library picture in the dialog",
            &format!(
                "return !!document.querySelector('[data-picks] .nr-pick[data-media=\"{}\"]')",
                library.id
            ),
        )
        .await;
    browser
        .js(&format!("document.querySelector('[data-picks] .nr-pick[data-media=\"{}\"]').click(); document.querySelector('[data-insert]').click(); return true", library.id))
        .await;
    assert!(
        browser
            .js_string("return document.getElementById('body').value")
            .await
            .contains(&format!("![Harbour at dawn](media:{})", library.id))
    );
    // A tag and a byline from the pickers.
    let tag = site.content().catalog().tags[0].clone();
    let author = site.content().catalog().authors[0].clone();
    for (picker, name) in [
        ("pick-tags", tag.name.get("en")),
        ("pick-authors", author.name.get("en")),
    ] {
        browser
            .client
            .find(Locator::Css(&format!("[data-testid={picker}]")))
            .await
            .unwrap()
            .send_keys(&format!("{name}\u{E007}"))
            .await
            .unwrap();
    }
    browser.type_into("upload-alt", "The pier at night").await;
    let scratch = tempfile::tempdir().unwrap();
    let picture = scratch.path().join("pier.jpg");
    std::fs::write(&picture, jpeg(1200, 800)).unwrap();
    browser
        .type_into("upload-file", picture.to_str().unwrap())
        .await;
    let body = browser
        .wait_js(
            "the uploaded picture in the text",
            "var v = document.getElementById('body').value; return v.indexOf('![The pier at night](media:') > 0 ? v : ''",
        )
        .await;
    assert!(
        body.as_str()
            .unwrap()
            .contains("![The pier at night](media:"),
        "{body}"
    );

    // Dropped on the text and pasted into it, pictures upload the same way; pasted rich
    // text becomes Markdown on the server.
    use base64::Engine;
    let encoded = base64::engine::general_purpose::STANDARD.encode(jpeg(640, 480));
    browser
        .js(&format!(
            "var bytes = Uint8Array.from(atob({encoded:?}), function (c) {{ return c.charCodeAt(0); }});
             function files(name) {{
               var d = new DataTransfer();
               d.items.add(new File([bytes], name, {{ type: 'image/jpeg' }}));
               return d;
             }}
             var body = document.getElementById('body');
             body.dispatchEvent(new DragEvent('drop', {{ dataTransfer: files('dropped.jpg'), bubbles: true, cancelable: true }}));
             body.dispatchEvent(new ClipboardEvent('paste', {{ clipboardData: files('pasted.jpg'), bubbles: true, cancelable: true }}));
             return true"
        ))
        .await;
    browser
        .wait_js(
            "four pictures in the text (library, button, drop, paste)",
            "return document.getElementById('body').value.split('](media:').length - 1 >= 4",
        )
        .await;
    browser
        .js(
            "var d = new DataTransfer();
             d.setData('text/html', '<p>Quoted from a <b>word processor</b>.</p>');
             var body = document.getElementById('body');
             body.selectionStart = body.selectionEnd = body.value.length;
             body.dispatchEvent(new ClipboardEvent('paste', { clipboardData: d, bubbles: true, cancelable: true }));
             return true",
        )
        .await;
    browser
        .wait_js(
            "pasted rich text as Markdown",
            "return document.getElementById('body').value.indexOf('**word processor**') >= 0",
        )
        .await;

    browser.submit("#article-form button[type=submit]").await;
    assert!(
        browser.url().await.contains("?saved=1"),
        "{}",
        browser.url().await
    );
    let article_url = browser.url().await.replace("?saved=1", "");
    browser.submit(".nr-move-submit").await;
    assert!(
        browser
            .js_string("return document.querySelector('[data-testid=status]').textContent")
            .await
            .contains("In review")
    );
    let id = byline_core::ArticleId(article_url.rsplit('/').next().unwrap().parse().unwrap());
    let picked = site.store().article(id).await.unwrap();
    assert_eq!(
        (picked.tags, picked.authors),
        (vec![tag.id], vec![author.id])
    );

    // The editor, in a second browser, finds it through the list's filters while the
    // writer still has it open: each sees the other there.
    let Some(desk) = Browser::start().await else {
        return;
    };
    desk.newsroom_login(&base, "desk@example.org", PASSWORD)
        .await;
    desk.goto(&format!("{base}/newsroom?q=harbour&status=in_review"))
        .await;
    let editor_path = article_url.trim_start_matches(&base).to_owned();
    assert_eq!(
        desk.js_count(&format!(
            "return document.querySelectorAll('[data-testid=articles] a[href=\"{editor_path}\"]').length"
        ))
        .await,
        1,
        "the filtered list has it"
    );
    desk.goto(&article_url).await;
    let seen = desk
        .js_string("return location.href + ' ' + document.querySelector('[data-testid=presence]').textContent")
        .await;
    assert!(
        seen.ends_with("Also here now: writer"),
        "the editor sees the writer there: {seen}"
    );
    let started = Instant::now();
    while !browser
        .js_string("return document.querySelector('[data-testid=presence]').textContent")
        .await
        .ends_with("Also here now: desk")
    {
        // A guard, not a timing claim: the page refreshes presence every 5 s.
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the writer never saw the editor"
        );
        tokio::time::sleep(POLL).await;
    }
    // A note, then back to the writer with another.
    desk.type_into("note", "Check the date of the pier's reopening.")
        .await;
    desk.submit("[data-testid=add-note]").await;
    desk.type_into("return_note", "Please add who turned the lights back on.")
        .await;
    desk.submit(".nr-move-return").await;
    assert!(
        desk.js_string("return document.querySelector('[data-testid=status]').textContent")
            .await
            .contains("Draft")
    );
    // The writer is told, fixes the text and submits again.
    browser
        .goto(&format!("{base}/newsroom/notifications"))
        .await;
    assert_eq!(
        browser
            .js_string("return Array.prototype.map.call(document.querySelectorAll('[data-kind]'), function (n) { return n.dataset.kind; }).join()")
            .await,
        "returned"
    );
    browser
        .js("document.querySelector('[data-kind=returned] a').click(); return true")
        .await;
    browser
        .wait_js(
            "the returned article with its notes",
            "return document.readyState === 'complete' && document.querySelector('[data-testid=notes]').textContent.indexOf('who turned the lights back on') >= 0",
        )
        .await;
    browser
        .js("var b = document.getElementById('body'); b.value = b.value + '\\n\\nThe harbour board turned them on.'; b.dispatchEvent(new Event('input', { bubbles: true })); return true")
        .await;
    browser.submit("#article-form button[type=submit]").await;
    browser.submit(".nr-move-submit").await;
    assert!(
        browser
            .js_string("return document.querySelector('[data-testid=status]').textContent")
            .await
            .contains("In review")
    );

    // Usable on a phone: at 360 px nothing is wider than the screen.
    browser.client.set_window_size(360, 740).await.unwrap();
    let editor_page = article_url.trim_start_matches(&base).to_owned();
    for page in ["/newsroom/articles/new", "/newsroom", editor_page.as_str()] {
        browser.goto(&format!("{base}{page}")).await;
        let overflow = browser
            .js_count(
                "return Math.max(0, document.documentElement.scrollWidth - window.innerWidth)",
            )
            .await;
        assert_eq!(overflow, 0, "{page} is wider than a 360 px phone");
    }
    browser.client.set_window_size(1280, 900).await.unwrap();

    // The editor schedules it for an hour from now (typed in the site's time zone).
    desk.goto(&article_url).await;
    let at = clock.now() + jiff::SignedDuration::from_hours(1);
    let typed = site.content().site_time(at);
    desk.js(&format!(
        "document.getElementById('publish_at').value = {typed:?}; return true"
    ))
    .await;
    desk.submit(".nr-move-schedule").await;
    assert!(
        desk.js_string("return document.querySelector('[data-testid=status]').textContent")
            .await
            .contains("Scheduled")
    );
    desk.close().await;
    let id: i64 = article_url.rsplit('/').next().unwrap().parse().unwrap();
    let article = site
        .store()
        .article(byline_core::ArticleId(id))
        .await
        .unwrap();
    let public = format!("{base}/en/{}/{}", "analytics", article.slug);
    let section = site
        .content()
        .catalog()
        .section(article.section)
        .unwrap()
        .slug
        .to_string();
    let public = public.replace("/analytics/", &format!("/{section}/"));
    browser.goto(&public).await;
    assert!(
        browser
            .js_string("return document.title")
            .await
            .contains("404")
            || !browser
                .js_string("return document.body.textContent")
                .await
                .contains("are back on the pier."),
        "not on the site before its time"
    );

    // Its time comes: the scheduler publishes it, and readers see it with the picture.
    clock.advance(jiff::SignedDuration::from_mins(61));
    let started = Instant::now();
    while site
        .store()
        .article(byline_core::ArticleId(id))
        .await
        .unwrap()
        .status
        != ArticleStatus::Published
    {
        assert!(
            // A guard against a stuck scheduler, not a timing claim: the manual clock
            // stands at the article's time + 1 min while we wait.
            started.elapsed() < Duration::from_secs(30),
            "the scheduler never published it"
        );
        tokio::time::sleep(POLL).await;
    }
    browser.goto(&public).await;
    browser
        .wait_js(
            "the story on the site",
            "return document.body.textContent.indexOf('are back on the pier.') >= 0 && document.body.textContent.indexOf('The harbour board turned them on.') >= 0",
        )
        .await;
    let img = browser
        .js_string(
            "return Array.prototype.map.call(document.querySelectorAll('[data-testid=body] img[srcset]'), function (i) { return i.getAttribute('alt') + '|' + i.getAttribute('srcset').slice(0, 11); }).slice(0, 2).join(' ')",
        )
        .await;
    assert_eq!(
        img, "Harbour at dawn|/media/lib/ The pier at night|/media/lib/",
        "the library's picture and the uploaded one, as responsive images"
    );

    // The embedded video is a link and a button: nothing was fetched from elsewhere.
    let foreign = browser
        .js_string(
            "return performance.getEntriesByType('resource').map(function (e) { return e.name; }).filter(function (n) { return n.indexOf(location.origin) !== 0; }).join(' ')",
        )
        .await;
    assert_eq!(foreign, "", "no third-party request on load");
    assert_eq!(
        browser
            .js_count(
                "return document.querySelectorAll('figure[data-embed=youtube] iframe').length"
            )
            .await,
        0
    );
    browser
        .js("document.querySelector('figure[data-embed=youtube] .embed-load').click(); return true")
        .await;
    let src = browser
        .wait_js(
            "the player after the click",
            "var f = document.querySelector('figure[data-embed=youtube] iframe'); return f ? f.src : ''",
        )
        .await;
    assert!(
        src.as_str()
            .unwrap()
            .starts_with("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        "{src}"
    );
    browser.close().await;
    served.stop().await;
}

/// Nothing typed is lost: a draft is autosaved, keeps what is typed while the network is
/// down and saves it when it is back; leaving with unsaved changes asks first; and what
/// a closed tab never saved is offered back when the editor opens again.
#[tokio::test]
async fn typed_text_survives_a_network_drop_and_a_closed_tab() {
    use byline_content::{ArticleForm, Transition};
    use serde_json::json;

    let Some(browser) = Browser::start().await else {
        return;
    };
    let site = TestSite::demo().await;
    let editor = desk_editor(&site).await;
    let form = |title: &str| ArticleForm {
        edition: "en".into(),
        section: "analytics".into(),
        title: title.into(),
        body: "The first paragraph.".into(),
        ..Default::default()
    };
    let content = site.content();
    let (draft, _) = content
        .create_draft(&editor, &form("A draft kept safe"))
        .await
        .unwrap();
    let (published, _) = content
        .create_draft(&editor, &form("A published story kept safe"))
        .await
        .unwrap();
    content
        .transition(&editor, published, Transition::Publish)
        .await
        .unwrap();
    let served = site.serve().await;
    let base = served.base_url.clone();
    browser
        .newsroom_login(&base, "desk@example.org", DESK_PASSWORD)
        .await;
    let editor = &editor;
    let stored_body = |id| async move {
        content
            .newsroom_article(editor, id)
            .await
            .unwrap()
            .0
            .body_markdown
    };
    let type_in_body = |text: &'static str| async {
        browser.type_into("body", text).await;
    };
    let status_is = |which: &'static str| {
        format!(
            "var s = document.querySelector('[data-testid=autosave]'); return s.textContent.indexOf(s.dataset.{which}) === 0"
        )
    };

    // Autosaved a few seconds after typing stops, and said so.
    browser
        .goto(&format!("{base}/newsroom/articles/{}", draft.0))
        .await;
    type_in_body(" Typed online.").await;
    browser.wait_js("the autosave", &status_is("saved")).await;
    assert!(stored_body(draft).await.contains("Typed online."));

    // The network drops: the text is kept in the browser and the state says so; when the
    // network is back, it is saved.
    browser.cdp("Network.enable", json!({})).await;
    let network = |offline: bool| json!({ "offline": offline, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1 });
    browser
        .cdp("Network.emulateNetworkConditions", network(true))
        .await;
    type_in_body(" Typed offline.").await;
    browser
        .wait_js("the offline state", &status_is("offline"))
        .await;
    let kept = browser
        .js_string(&format!(
            "return localStorage.getItem('byline-unsaved:{}:/newsroom/articles/{}') || ''",
            editor.id.0, draft.0
        ))
        .await;
    assert!(kept.contains("Typed+offline."), "{kept}");
    assert!(!stored_body(draft).await.contains("Typed offline."));
    browser
        .cdp("Network.emulateNetworkConditions", network(false))
        .await;
    browser
        .wait_js("the save once online", &status_is("saved"))
        .await;
    assert!(stored_body(draft).await.contains("Typed offline."));

    // A published story is saved by hand. Leaving with unsaved changes asks first.
    browser
        .goto(&format!("{base}/newsroom/articles/{}", published.0))
        .await;
    type_in_body(" A correction in progress.").await;
    // (WebDriver answers a real "leave this page?" question by itself, so the page's
    // answer to the event is what is checked.)
    let asks = "var e = new Event('beforeunload', { cancelable: true }); window.dispatchEvent(e); return e.defaultPrevented";
    assert_eq!(
        browser.js(asks).await,
        json!(true),
        "leaving unsaved asks first"
    );
    // The writer leaves anyway (the tab is gone): the text was kept in this browser and
    // is offered back when the editor opens again.
    browser
        .js("setTimeout(function () { location.href = '/newsroom'; }, 0); return true")
        .await;
    browser
        .wait_js("the list", "return location.pathname === '/newsroom'")
        .await;
    assert!(
        !stored_body(published)
            .await
            .contains("A correction in progress.")
    );
    browser
        .goto(&format!("{base}/newsroom/articles/{}", published.0))
        .await;
    browser
        .wait_js(
            "the offer to restore",
            "return !document.querySelector('[data-testid=keep-offer]').hidden",
        )
        .await;
    browser.click("keep-restore").await;
    let restored = browser
        .js_string("return document.getElementById('body').value")
        .await;
    assert!(
        restored.ends_with("A correction in progress."),
        "{restored}"
    );
    browser.submit("#article-form button[type=submit]").await;
    assert!(
        stored_body(published)
            .await
            .contains("A correction in progress.")
    );
    // Saved: leaving does not ask, and nothing is offered any more.
    assert_eq!(browser.js(asks).await, json!(false));
    browser.reload().await;
    assert_eq!(
        browser
            .js("return document.querySelector('[data-testid=keep-offer]').hidden")
            .await,
        json!(true)
    );
    browser.close().await;
    served.stop().await;
}

/// Someone deletes the article while its writer types: the autosave says so in the
/// newsroom's words (not "offline") and stops trying; what was typed stays kept in the
/// browser.
#[tokio::test]
async fn autosave_says_when_the_article_was_deleted_meanwhile() {
    let Some(desk) = Desk::with_draft("Soon deleted", "The first paragraph.").await else {
        return;
    };
    let browser = &desk.browser;
    desk.site
        .content()
        .transition(
            &desk.editor,
            desk.article,
            byline_content::Transition::Delete,
        )
        .await
        .unwrap();
    browser.type_into("body", " Typed after the delete.").await;
    let says_deleted = "var s = document.querySelector('[data-testid=autosave]'); \
        return !!s.dataset.deleted && s.textContent === s.dataset.deleted";
    browser.wait_js("the deleted state", says_deleted).await;
    let kept = browser
        .js_string(&format!(
            "return localStorage.getItem('byline-unsaved:{}:/newsroom/articles/{}') || ''",
            desk.editor.id.0, desk.article.0
        ))
        .await;
    assert!(kept.contains("Typed+after+the+delete."), "{kept}");
    // No more tries: more typing and the network coming back leave the state as it is.
    browser.type_into("body", " And more.").await;
    browser
        .js("window.dispatchEvent(new Event('online')); return true")
        .await;
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert_eq!(
        browser.js(says_deleted).await,
        serde_json::json!(true),
        "{}",
        browser
            .js_string("return document.querySelector('[data-testid=autosave]').textContent")
            .await
    );
    let kept = browser
        .js_string(&format!(
            "return localStorage.getItem('byline-unsaved:{}:/newsroom/articles/{}') || ''",
            desk.editor.id.0, desk.article.0
        ))
        .await;
    assert!(kept.contains("And+more."), "{kept}");
    desk.finish().await;
}

/// Tags and bylines are picked from the outlet's lists (by name, with the browser's
/// suggestions), shown as chips that can be removed, and saved as their slugs; a byline
/// that is not in the list is said so, never saved; a tag that is not, an editor adds.
#[tokio::test]
async fn tags_and_bylines_are_picked_from_the_lists() {
    let Some(desk) = Desk::with(|catalog| byline_content::ArticleForm {
        edition: "en".into(),
        section: "analytics".into(),
        title: "A story to tag".into(),
        body: "Text.".into(),
        tags: catalog.tags[1].slug.to_string(),
        ..Default::default()
    })
    .await
    else {
        return;
    };
    let (browser, site, editor, id) = (&desk.browser, &desk.site, &desk.editor, desk.article);
    let catalog = site.content().catalog();
    let (tag, other_tag) = (&catalog.tags[0], &catalog.tags[1]);
    let author = &catalog.authors[0];
    let chips = |which: &str| {
        format!(
            "return Array.prototype.map.call(document.querySelectorAll('[data-testid=chips-{which}] button'), function (b) {{ return b.textContent; }}).join('|')"
        )
    };
    let type_into = |testid: &'static str, text: String| async move {
        browser
            .client
            .find(Locator::Css(&format!("[data-testid={testid}]")))
            .await
            .unwrap()
            .send_keys(&text)
            .await
            .unwrap();
    };
    // The stored tag is a chip with its name; the slugs field is hidden.
    assert_eq!(
        browser.js_string(&chips("tags")).await,
        format!("{} ×", other_tag.name.get("en"))
    );
    assert_eq!(
        browser
            .js_string("return document.getElementById('tags').type")
            .await,
        "hidden"
    );
    // Picked by name (any case), Enter adds it.
    type_into(
        "pick-tags",
        format!("{}\u{E007}", tag.name.get("en").to_uppercase()),
    )
    .await;
    type_into("pick-authors", format!("{}\u{E007}", author.name.get("en"))).await;
    // A byline not in the list is refused with a message.
    type_into("pick-authors", "Nobody Anywhere\u{E007}".to_owned()).await;
    let message = browser
        .js_string(
            "return document.querySelector('[data-picker=authors] .nr-field-error').textContent",
        )
        .await;
    assert!(message.ends_with("Nobody Anywhere"), "{message}");
    // A tag not in the list is a new one (this is an editor), made when saved.
    type_into("pick-tags", "Night ferries\u{E007}".to_owned()).await;
    // The first chip removed.
    browser
        .js("document.querySelector('[data-testid=chips-tags] button').click(); return true")
        .await;
    assert_eq!(
        browser.js_string(&chips("tags")).await,
        format!("{} ×|Night ferries (new) ×", tag.name.get("en"))
    );
    browser.submit("#article-form button[type=submit]").await;
    let (article, _) = site.content().newsroom_article(editor, id).await.unwrap();
    let made = site
        .content()
        .catalog()
        .tag_by_slug("night-ferries")
        .expect("the new tag")
        .id;
    assert_eq!(article.tags, [tag.id, made]);
    assert_eq!(article.authors, [author.id]);
    desk.finish().await;
}

/// The writing surface: the server-rendered preview beside the text on a wide screen and
/// a toggle under it on a phone; distraction-free mode leaves only the text, its
/// toolbar, the preview and Save, and Esc brings the rest back.
#[tokio::test]
async fn the_preview_stands_beside_the_text_and_focus_mode_hides_the_rest() {
    let Some(desk) = Desk::with_draft("Side by side", "A paragraph with **strong** words.").await
    else {
        return;
    };
    let browser = &desk.browser;
    let geometry = "var t = document.getElementById('body').getBoundingClientRect(); \
         var p = document.querySelector('.nr-live-preview'); var r = p.getBoundingClientRect(); \
         return { beside: r.left >= t.right, below: r.top >= t.bottom, open: p.open }";

    browser.set_width(1440).await;
    browser.reload().await;
    browser
        .wait_js(
            "the rendered preview",
            "var p = document.querySelector('[data-testid=live-preview] strong'); return !!p && p.textContent === 'strong'",
        )
        .await;
    let wide = browser.js(geometry).await;
    assert_eq!(wide["beside"], true, "{wide}");
    assert_eq!(wide["open"], true, "{wide}");

    browser.click("focus-mode").await;
    assert_ne!(
        browser.hidden_by(".nr-header").await,
        "",
        "the menu is hidden"
    );
    assert_ne!(
        browser.hidden_by("#title").await,
        "",
        "the other fields are hidden"
    );
    assert_eq!(browser.hidden_by("#body").await, "");
    assert_eq!(browser.hidden_by("[data-testid=live-preview]").await, "");
    browser.keys("\u{E00C}").await;
    assert_eq!(browser.hidden_by(".nr-header").await, "");
    assert_eq!(browser.hidden_by("#title").await, "");

    browser.set_width(360).await;
    browser.reload().await;
    let narrow = browser.js(geometry).await;
    assert_eq!(narrow["below"], true, "{narrow}");
    assert_eq!(narrow["open"], false, "{narrow}");
    desk.finish().await;
}

/// Moves that change what readers see ask first: declined, nothing changes; accepted,
/// the move is made. The schedule time names the site's time zone.
#[tokio::test]
async fn publishing_now_asks_first() {
    let Some(desk) = Desk::with_draft("Asked before it goes out", "Text.").await else {
        return;
    };
    let (browser, site, id) = (&desk.browser, &desk.site, desk.article);
    let zone = site.content().catalog().settings.timezone.clone();
    let label = browser
        .js_string("return document.querySelector('label[for=publish_at]').textContent")
        .await;
    assert!(label.contains(&zone), "{label}");
    let status = || async { site.store().article(id).await.unwrap().status };
    let click_publish = || async {
        browser
            .client
            .find(Locator::Css(".nr-move-publish"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
    };
    click_publish().await;
    let question = browser.client.get_alert_text().await.unwrap();
    assert!(question.contains("Publish"), "{question}");
    browser.client.dismiss_alert().await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(status().await, ArticleStatus::Draft);
    click_publish().await;
    browser.client.accept_alert().await.unwrap();
    browser
        .wait_js(
            "the published article's page",
            "var s = document.querySelector('[data-testid=status]'); return document.readyState === 'complete' && !!s && s.textContent.trim().length > 0 && location.pathname.indexOf('/newsroom/articles/') === 0",
        )
        .await;
    let started = Instant::now();
    while status().await != ArticleStatus::Published {
        assert!(started.elapsed() < Duration::from_secs(10), "not published");
        tokio::time::sleep(POLL).await;
    }
    desk.finish().await;
}

/// Pictures from the library, not typed paths: the toolbar's picture button opens the
/// dialog, a search finds the picture, Insert is refused until it has alt text, then
/// the body gets `![alt](media:N)`; the cover's "Choose" fills the cover field and shows
/// the picture. In the library, a picture uploaded with the file button (progress, then
/// its page) gets its focal point from a click.
#[tokio::test]
async fn pictures_come_from_the_library_with_alt_text_and_a_focal_point() {
    let Some(desk) = Desk::with_draft("A story with pictures", "First paragraph.").await else {
        return;
    };
    let (browser, site, editor, id) = (&desk.browser, &desk.site, &desk.editor, desk.article);
    let quay = site
        .content()
        .upload_media(
            jpeg(320, 180),
            "quay.jpg",
            byline_content::MediaMeta {
                alt: String::new(),
                uploaded_by: Some(editor.id.0),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let market = site
        .content()
        .upload_media(
            jpeg(300, 200),
            "market.jpg",
            byline_content::MediaMeta {
                alt: "Stalls at the market".into(),
                uploaded_by: Some(editor.id.0),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    browser.reload().await;
    // The caret at the end of the text, then the toolbar's picture button.
    browser
        .js("var b = document.getElementById('body'); b.focus(); b.setSelectionRange(b.value.length, b.value.length); document.querySelector('[data-md=image]').click(); return true")
        .await;
    browser
        .wait_js(
            "the pictures dialog with both pictures",
            "return document.getElementById('pictures').open && document.querySelectorAll('[data-picks] .nr-pick').length === 2",
        )
        .await;
    browser.type_into("pictures-q", "quay").await;
    browser
        .wait_js(
            "the search to leave one picture",
            &format!("var p = document.querySelectorAll('[data-picks] .nr-pick'); return p.length === 1 && p[0].dataset.media === '{}'", quay.id),
        )
        .await;
    browser
        .js("document.querySelector('[data-picks] .nr-pick').click(); document.querySelector('[data-insert]').click(); return true")
        .await;
    // No alt text: refused, said beside the field, the dialog stays.
    assert_eq!(
        browser
            .js_string("return String(document.getElementById('pictures').open) + '|' + document.querySelector('[data-alt-error]').hidden + '|' + document.activeElement.id")
            .await,
        "true|false|pictures-alt"
    );
    browser.keys("Boats at the quay").await;
    browser
        .js("document.querySelector('[data-insert]').click(); return true")
        .await;
    let body = browser
        .js_string("return document.getElementById('body').value")
        .await;
    assert!(
        body.ends_with(&format!(
            "First paragraph.\n\n![Boats at the quay](media:{})\n\n",
            quay.id
        )),
        "{body:?}"
    );
    // The cover: Choose, the market picture, Use as cover.
    browser
        .js("document.querySelector('[data-choose-for=cover] [data-choose]').click(); return true")
        .await;
    browser
        .wait_js(
            "the dialog for the cover",
            &format!("return document.getElementById('pictures').open && !!document.querySelector('[data-picks] .nr-pick[data-media=\"{}\"]')", market.id),
        )
        .await;
    browser
        .js(&format!("document.querySelector('[data-picks] .nr-pick[data-media=\"{}\"]').click(); document.querySelector('[data-insert]').click(); return true", market.id))
        .await;
    assert_eq!(
        browser
            .js_string("return document.getElementById('cover').value + '|' + !!document.querySelector('[data-choose-for=cover] img:not([hidden])')")
            .await,
        format!("media:{}|true", market.id)
    );
    browser.submit("#article-form button[type=submit]").await;
    let (article, _) = site.content().newsroom_article(editor, id).await.unwrap();
    assert!(
        article
            .body_markdown
            .contains(&format!("(media:{})", quay.id))
    );
    assert_eq!(
        article.cover.map(|c| c.alt),
        Some("Stalls at the market".to_owned())
    );

    // The library: an upload with the file button lands on the picture's page.
    let base = &desk.served.base_url;
    browser.goto(&format!("{base}/newsroom/media")).await;
    let dir = tempfile::tempdir().unwrap();
    // Not a picture (whatever its name says): refused, said in the newsroom's words.
    let fake = dir.path().join("notes.jpg");
    std::fs::write(&fake, "plain text, not a picture").unwrap();
    browser
        .type_into("lib-file", &fake.display().to_string())
        .await;
    browser
        .wait_js(
            "the refusal",
            &format!(
                "return document.getElementById('upload-progress-label').textContent === {:?}",
                crate::common::fluent("en", "newsroom-upload-not-picture")
            ),
        )
        .await;
    let file = dir.path().join("harbour.jpg");
    std::fs::write(&file, jpeg(400, 300)).unwrap();
    browser
        .type_into("lib-file", &file.display().to_string())
        .await;
    browser
        .wait_js(
            "the new picture's page",
            "return /\\/newsroom\\/media\\/\\d+$/.test(location.pathname) && document.readyState === 'complete' && !!document.querySelector('[data-focal] img')",
        )
        .await;
    let url = browser.url().await;
    let uploaded = byline_core::MediaId(url.rsplit('/').next().unwrap().parse().unwrap());
    // A click a quarter in from the left, three quarters down sets the focal point.
    browser
        .js("var img = document.querySelector('[data-focal] img'); var r = img.getBoundingClientRect(); img.parentNode.dispatchEvent(new MouseEvent('click', {bubbles: true, clientX: r.left + r.width * 0.25, clientY: r.top + r.height * 0.75})); return true")
        .await;
    assert_eq!(
        browser
            .js_string("return document.getElementById('focal_x').value + ',' + document.getElementById('focal_y').value + ',' + document.querySelector('[data-crop]').style.objectPosition")
            .await,
        "25,75,25% 75%"
    );
    browser
        .submit("[data-testid=media-form] button[type=submit]")
        .await;
    let item = site.content().media(uploaded).await.unwrap();
    assert_eq!((item.focal.x, item.focal.y), (25, 75));
    assert_eq!(item.file_name, "harbour.jpg");
    desk.finish().await;
}

impl Browser {
    /// Presses `key` while holding `modifiers` (WebDriver key codes: `\u{E009}` Control,
    /// `\u{E00A}` Alt), then lets them go, as a keyboard chord would.
    async fn chord(&self, modifiers: &[char], key: char) {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        let mut actions = KeyActions::new("keyboard".into());
        for &m in modifiers {
            actions = actions.then(KeyAction::Down { value: m });
        }
        actions = actions
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key });
        for &m in modifiers.iter().rev() {
            actions = actions.then(KeyAction::Up { value: m });
        }
        self.client
            .perform_actions(actions)
            .await
            .unwrap_or_else(|e| panic!("chord {modifiers:?}+{key}: {e}"));
    }

    /// Selects the first `word` in the editor's body (focused, as a writer's selection).
    async fn select_in_body(&self, word: &str) {
        self.js(&format!(
            "var b = document.getElementById('body'); b.focus(); var i = b.value.indexOf({word:?}); \
             if (i < 0) throw new Error('no ' + {word:?}); b.setSelectionRange(i, i + {}); return true",
            word.chars().count()
        ))
        .await;
    }

    /// The editor's body as it is now.
    async fn body_text(&self) -> String {
        self.js_string("return document.getElementById('body').value")
            .await
    }

    /// Waits until the editor's word count reads `words` and `minutes` in English.
    async fn wait_word_count(&self, words: usize, minutes: usize) {
        let want = format!("{words} words · {minutes} min read");
        self.wait_js(
            &format!("the word count {want:?}"),
            &format!(
                "return document.querySelector('[data-testid=word-count]').textContent.trim() === {want:?}"
            ),
        )
        .await;
    }
}

const CTRL: char = '\u{E009}';
const ALT: char = '\u{E00A}';

/// The toolbar's shortcuts on a selection: Ctrl+I italic, Ctrl+K a link (asking the
/// address in the toolbar's words, its `data-prompt`), Ctrl+Alt+2 and 3 headings on
/// the selection's line; and the word count and reading time follow the text as one
/// types.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shortcuts_mark_up_a_selection_and_the_word_count_follows_typing() {
    let Some(desk) =
        Desk::with_draft("Shortcuts", "alpha beta\n\ngamma delta\n\nepsilon zeta").await
    else {
        return;
    };
    let browser = &desk.browser;
    browser.wait_word_count(6, 1).await;

    browser.select_in_body("beta").await;
    browser.chord(&[CTRL], 'i').await;
    assert_eq!(
        browser.body_text().await,
        "alpha _beta_\n\ngamma delta\n\nepsilon zeta"
    );

    // The link asks for its address (answered here in place of the writer).
    browser
        .js("window.prompt = function (q, d) { window.__asked = [q, d]; return ' https://example.org/gamma '; }; return true")
        .await;
    browser.select_in_body("gamma").await;
    browser.chord(&[CTRL], 'k').await;
    assert_eq!(
        browser.body_text().await,
        "alpha _beta_\n\n[gamma](https://example.org/gamma) delta\n\nepsilon zeta"
    );
    let asked = browser.js("return window.__asked").await;
    assert_eq!(
        asked[0].as_str().unwrap(),
        crate::common::fluent("en", "newsroom-tool-link-prompt"),
        "the question is the toolbar's own words"
    );
    assert_eq!(asked[1].as_str().unwrap(), "https://");
    // A prompt left as it was offered puts nothing in.
    browser
        .js("window.prompt = function (q, d) { return d; }; return true")
        .await;
    browser.select_in_body("epsilon").await;
    browser.chord(&[CTRL], 'k').await;
    assert_eq!(
        browser.body_text().await,
        "alpha _beta_\n\n[gamma](https://example.org/gamma) delta\n\nepsilon zeta"
    );

    browser.select_in_body("delta").await;
    browser.chord(&[CTRL, ALT], '2').await;
    browser.select_in_body("zeta").await;
    browser.chord(&[CTRL, ALT], '3').await;
    assert_eq!(
        browser.body_text().await,
        "alpha _beta_\n\n## [gamma](https://example.org/gamma) delta\n\n### epsilon zeta"
    );
    browser.wait_word_count(6, 1).await;

    // Typing at the end: the count follows, and past 200 words the reading time too.
    browser
        .js("var b = document.getElementById('body'); b.focus(); b.setSelectionRange(b.value.length, b.value.length); return true")
        .await;
    browser.keys(" eta theta").await;
    browser.wait_word_count(8, 1).await;
    browser.keys(&" word".repeat(200)).await;
    browser.wait_word_count(208, 2).await;
    let typed = browser.body_text().await;
    assert!(
        typed.starts_with("alpha _beta_\n\n## [gamma](https://example.org/gamma) delta\n\n### epsilon zeta eta theta word word")
            && typed.ends_with(" word word"),
        "{typed:?}"
    );
    desk.finish().await;
}

/// On a 2560 px monitor the newsroom list and the editor do not scroll sideways and the
/// editor's text keeps a readable width; and from the top of the editor page, Tab
/// reaches every visible control of its form (fields, toolbar, pickers, Save).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_editor_reads_well_on_a_wide_monitor_and_tab_reaches_every_control() {
    use fantoccini::key::Key;
    use std::collections::BTreeSet;
    let Some(desk) = Desk::with_draft("Wide and keyboard", "Some words to edit.").await else {
        return;
    };
    let browser = &desk.browser;
    let base = desk.served.base_url.clone();
    let editor_url = format!("{base}/newsroom/articles/{}", desk.article.0);
    const NO_SIDEWAYS: &str =
        "return document.documentElement.scrollWidth <= document.documentElement.clientWidth";
    browser.set_width(2560).await;
    for url in [format!("{base}/newsroom"), editor_url.clone()] {
        browser.goto(&url).await;
        assert_eq!(
            browser.js(NO_SIDEWAYS).await,
            true,
            "{url} scrolls sideways at 2560 px"
        );
    }
    // The widths of the writing surface, in CSS pixels (1rem = 16 px here).
    let width = |selector: &str| {
        format!("return document.querySelector({selector:?}).getBoundingClientRect().width")
    };
    let body = browser.js(&width("#body")).await.as_f64().unwrap();
    let title = browser.js(&width("#title")).await.as_f64().unwrap();
    assert!(
        (480.0..=960.0).contains(&body),
        "the text column is {body} px wide at 2560 px"
    );
    assert!(
        (480.0..=960.0).contains(&title),
        "the title field is {title} px wide at 2560 px"
    );
    // Distraction-free writing may be wider, still not the monitor's whole width.
    browser.click("focus-mode").await;
    let focused = browser.js(&width("#body")).await.as_f64().unwrap();
    assert!(
        (480.0..=960.0).contains(&focused),
        "in focus mode the text column is {focused} px wide"
    );

    // Keyboard: every visible, enabled control of the editor's form, from the DOM.
    browser.set_width(1440).await;
    browser.goto(&editor_url).await;
    let wanted = browser
        .js("var out = []; \
             document.querySelectorAll('#article-form a, #article-form button, #article-form input, #article-form select, #article-form textarea').forEach(function (e) { \
               if (e.type === 'hidden' || e.disabled || e.getAttribute('tabindex') === '-1') return; \
               if (!e.getClientRects().length || getComputedStyle(e).visibility === 'hidden') return; \
               var name = e.id || e.getAttribute('data-testid') || (e.dataset.md && 'tool-' + e.dataset.md) || (e.tagName.toLowerCase() + ' ' + e.textContent.trim()); \
               e.setAttribute('data-kbd', name); out.push(name); }); \
             return out")
        .await;
    let wanted: BTreeSet<String> = wanted
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    for must in [
        "title",
        "subtitle",
        "body",
        "tool-bold",
        "tool-link",
        "tags-pick",
        "authors-pick",
        "edition",
        "section",
    ] {
        assert!(
            wanted.contains(must),
            "{must} is a control of the form: {wanted:?}"
        );
    }
    assert!(
        wanted.iter().any(|w| w.starts_with("button ")),
        "Save is a control of the form: {wanted:?}"
    );
    let mut reached = BTreeSet::new();
    let mut order = Vec::new();
    for _ in 0..250 {
        browser.keys(&Key::Tab).await;
        let at = browser
            .js_string("var e = document.activeElement; return e ? (e.getAttribute('data-kbd') || '') : ''")
            .await;
        order.push(browser.focused().await);
        if !at.is_empty() {
            reached.insert(at);
        }
        if reached == wanted {
            break;
        }
    }
    let missing: Vec<_> = wanted.difference(&reached).collect();
    assert!(
        missing.is_empty(),
        "Tab never reached {missing:?}; it went: {order:?}"
    );
    desk.finish().await;
}

/// A section is named in each edition: the editor's section select shows the names in
/// the article's edition, and when the edition select changes the names follow it (the
/// chosen section stays chosen).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_section_names_follow_the_edition_select() {
    let Some(desk) = Desk::with_draft("Sections by edition", "Words.").await else {
        return;
    };
    let browser = &desk.browser;
    let catalog = desk.site.content().catalog();
    let names = |edition: &str| -> Vec<String> {
        catalog
            .sections
            .iter()
            .map(|s| s.name.get(edition).to_owned())
            .collect()
    };
    assert_ne!(
        names("en"),
        names("ru"),
        "the demo names its sections per edition"
    );
    assert_ne!(names("en"), names("hy"));
    const SHOWN: &str = "return Array.prototype.map.call(document.getElementById('section').options, function (o) { return o.textContent; })";
    let shown = |json: serde_json::Value| -> Vec<String> {
        json.as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(shown(browser.js(SHOWN).await), names("en"));
    let edition = browser.client.find(Locator::Id("edition")).await.unwrap();
    for code in ["ru", "hy", "en"] {
        edition.clone().select_by_value(code).await.unwrap();
        assert_eq!(shown(browser.js(SHOWN).await), names(code), "in {code}");
        assert_eq!(
            browser
                .js_string("return document.getElementById('section').value")
                .await,
            "analytics"
        );
    }
    desk.finish().await;
}
