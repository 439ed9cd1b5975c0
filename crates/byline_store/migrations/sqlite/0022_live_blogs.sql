-- Live blogs (issue 17): an article made live gets timestamped entries until an editor
-- ends it. `live_since`/`live_until` (UTC unix seconds) are the coverage times
-- (LiveBlogPosting's coverageStartTime/EndTime); live while `live_since` is set and
-- `live_until` is not.
--
-- An entry's `seq` is the change-feed position of its last write (made in the same
-- transaction), so "entries of article A with seq > N" is exactly what a reader who saw
-- event N missed: the event stream's Last-Event-ID and the Content API's cursor. A
-- deleted entry keeps its row with `deleted_at` so that question still tells readers
-- it went. Earlier versions of edited or deleted entries go to `live_entry_revisions`.
alter table articles add column live_since integer;
alter table articles add column live_until integer;

create table live_entries (
    id integer primary key,
    article_id integer not null references articles(id) on delete cascade,
    title text not null default '',
    body_markdown text not null,
    body_html text not null,
    author_id integer references authors(id) on delete set null,
    key_event integer not null default 0,
    pinned integer not null default 0,
    created_at integer not null,
    updated_at integer not null,
    deleted_at integer,
    seq integer not null,
    created_by integer references users(id) on delete set null
);

create index live_entries_article_seq on live_entries (article_id, seq);
create index live_entries_article_created on live_entries (article_id, created_at);

create table live_entry_revisions (
    id integer primary key,
    entry_id integer not null references live_entries(id) on delete cascade,
    title text not null,
    body_markdown text not null,
    key_event integer not null,
    pinned integer not null,
    replaced_at integer not null,
    replaced_by integer references users(id) on delete set null
);

create index live_entry_revisions_entry on live_entry_revisions (entry_id);
