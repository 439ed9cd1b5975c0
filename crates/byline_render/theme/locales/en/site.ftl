# Byline reader site: English strings.
# Keys are shared by en, ru and hy; keep the three files in step.

## Page titles and headings (also used by the Rust side)

front-title = News and analysis
search-page-title = Search
tag-title = Tag: { $name }
author-title = Author: { $name }
page-n = Page { $page } of { $pages }

## Header and navigation

skip-to-content = Skip to content
nav-sections = Sections
footer-sections = All sections
footer-pages = The outlet
nav-follow = Follow us
nav-apps = Our apps
editions = Editions
language = Language
social-x = X (Twitter)
social-youtube = YouTube
social-instagram = Instagram
social-facebook = Facebook
social-telegram = Telegram
app-ios = Download on the App Store
app-ios-short = App Store
app-android = Get it on Google Play
app-android-short = Google Play
theme-toggle = Night mode

## Search

search-open = Search
search-title = What are you looking for?
search-placeholder = Type a word or a phrase
search-query-label = Search query
search-submit = Search
search-close = Close
search-esc = Press Esc to close
search-hint = Type a word or a phrase in the box above and press Enter.
search-results =
    { $count ->
        [one] { $count } result
       *[other] { $count } results
    }
search-empty = Nothing was found. Try other words.
search-sort = Order
search-sort-relevance = Most relevant
search-sort-newest = Newest first
search-scope-edition = In this edition
search-scope-all = In all editions
search-sections = Sections
search-all-sections = All sections
search-filter-author = Author
search-filter-tag = Tag
search-filter-from = From
search-filter-to = To
search-remove-filter = Remove filter
search-did-you-mean = Did you mean
search-relaxed = No story has all of these words; these have some of them.
search-empty-query = There is nothing to search for in that query (only punctuation or very common words). Try other words.
search-beyond-limit = Only the first 1000 results can be shown. Add a word or a filter to narrow the search.
search-suggestions = Suggestions
search-bad-date = Dates in a search look like 2024-03-01, and “from” must not be after “to”.
search-bad-filter = A filter in this search names a section, author, tag or order that does not exist. Remove it and try again.

## Lists

latest = Latest
most-read = Most read
read-more = Read more
stories = Stories
no-stories = There are no stories here yet.
front-empty = No stories have been published yet.
all-in-section = All stories in { $section }
tag-kicker = Tag
author-kicker = Author
loading = Loading…
load-more = Load more
pagination = Pages
prev-page = Previous page
next-page = Next page

## Article

font-size = Text size
font-larger = Larger text
font-smaller = Smaller text
updated = Updated { $date }
byline-prefix = By
views-label = Views:
views = Views: { $count }
tags = Tags
share-title = Liked the story? Share it:
share-x = Share on X
share-facebook = Share on Facebook
share-telegram = Share on Telegram
share-whatsapp = Share on WhatsApp
share-email = Send by e-mail
print = Print
copy-link = Copy link
link-copied = Link copied
copy-failed = Could not copy the link

## Errors

error-label = Error
back-home = Go to the front page
error-search = Or try a search:
error-404-heading = Page not found
error-404-message = The page may have been moved or deleted, or there may be a typo in the address.
error-400-heading = Bad request
error-400-message = The request could not be understood. Check the address, for example the page number, and try again.
error-413-heading = Request too large
error-413-message = The request is larger than the server accepts.
error-500-heading = Something went wrong
error-500-message = An error occurred on our side. Please try again in a minute.

error-bad-page = The page number must be a whole number from 1 upwards, for example ?page=2.
error-403-heading = Not allowed
error-403-message = Your account may not do this. Ask an editor or an admin if you think it should.
error-csrf = This form has expired or was sent from another page. Go back, reload the page and send it again.
error-deleted = This article was deleted. An admin can restore it.

# Corrections and takedowns
error-410-heading = Removed
error-410-message = This page has been removed.
error-taken-down = This article has been removed from the site.
article-corrected = This article has been corrected or updated since it was published.
article-corrected-link = See the notes
article-corrections = Corrections and updates
article-correction-kind-correction = Correction
article-correction-kind-update = Update
article-correction-kind-clarification = Clarification

breaking-label = Breaking
breaking-dismiss = Dismiss this alert

## Live blogs
live-now = Live
live-ended = Live coverage ended { $date }
live-ended-now = Live coverage has ended
live-key-events = Key events
live-show-new = Show new updates
live-new-arrived = New updates:
live-refresh = Refresh the page for the latest updates
live-pinned = Pinned
live-key-event = Key event

# Web Push alerts (footer; shown only where the browser can receive them)
push-heading = Alerts
push-note = Breaking news as notifications on this device.
push-key-events = Also key moments of live coverage
push-start = Turn on alerts
push-stop = Turn off alerts
push-on = Alerts are on for this edition.
push-off = Alerts are off.
push-denied = Notifications from this site are blocked in your browser's settings.
push-failed = Alerts could not be turned on. Please try again later.
push-failed-off = Alerts could not be turned off. Please try again later.
