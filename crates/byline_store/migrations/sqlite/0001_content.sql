-- Byline content schema (SQLite dialect). Times are UTC unix seconds.

create table settings (
    id integer primary key check (id = 1),
    body text not null              -- SiteSettings as JSON
);

create table sections (
    id integer primary key,
    slug text not null unique,
    names text not null,            -- Localized as JSON
    descriptions text not null,
    position integer not null default 0
);

create table authors (
    id integer primary key,
    slug text not null unique,
    names text not null,
    bios text not null
);

create table tags (
    id integer primary key,
    slug text not null unique,
    names text not null
);

create table articles (
    id integer primary key,
    edition text not null,
    section_id integer not null references sections(id),
    slug text not null,
    title text not null,
    subtitle text not null default '',
    body_markdown text not null,
    body_html text not null,
    search_text text not null default '',
    cover text,                     -- Cover as JSON, or null
    status text not null,
    featured integer not null default 0,
    published_at integer,
    updated_at integer,
    created_at integer not null,
    views integer not null default 0,
    translation_group integer not null,
    unique (edition, slug)
);

create index articles_listing on articles (status, edition, published_at desc);
create index articles_section on articles (section_id, status, published_at desc);
create index articles_group on articles (translation_group);

create table article_authors (
    article_id integer not null references articles(id) on delete cascade,
    author_id integer not null references authors(id),
    position integer not null,
    primary key (article_id, author_id)
);
create index article_authors_author on article_authors (author_id);

create table article_tags (
    article_id integer not null references articles(id) on delete cascade,
    tag_id integer not null references tags(id),
    primary key (article_id, tag_id)
);
create index article_tags_tag on article_tags (tag_id);

-- Views per article per UTC day, for the newsroom's charts.
create table article_views_daily (
    article_id integer not null references articles(id) on delete cascade,
    day text not null,
    views integer not null,
    primary key (article_id, day)
);

-- The change feed: one row per committed content change, written in the same transaction.
create table changes (
    seq integer primary key autoincrement,
    kind text not null,
    entity_id integer not null,
    action text not null,
    at integer not null
);
