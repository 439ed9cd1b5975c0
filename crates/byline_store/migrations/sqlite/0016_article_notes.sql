-- Internal notes on articles (issue 16): staff talking about a story ("source to
-- confirm", "returned: the second paragraph needs a date"). Never on the site, in feeds
-- or in either API for readers; not in the change feed (nothing readers see changes).
-- A note stays when its author's account is disabled; it goes with its article.
-- Times are UTC unix seconds.
create table article_notes (
    id integer primary key,
    article_id integer not null references articles(id) on delete cascade,
    author_id integer references users(id),
    body text not null,
    created_at integer not null
);

create index article_notes_article on article_notes (article_id, id);
