-- Byline content schema (PostgreSQL dialect), in step with migrations/sqlite.
-- Times are UTC unix seconds (bigint), as on SQLite, so both stores hold the same values.

create table settings (
    id integer primary key check (id = 1),
    body text not null
);

create table sections (
    id bigserial primary key,
    slug text not null unique,
    names text not null,
    descriptions text not null,
    position bigint not null default 0
);

create table authors (
    id bigserial primary key,
    slug text not null unique,
    names text not null,
    bios text not null
);

create table tags (
    id bigserial primary key,
    slug text not null unique,
    names text not null
);

create table articles (
    id bigserial primary key,
    edition text not null,
    section_id bigint not null references sections(id),
    slug text not null,
    title text not null,
    subtitle text not null default '',
    body_markdown text not null,
    body_html text not null,
    search_text text not null default '',
    cover text,
    status text not null,
    featured boolean not null default false,
    published_at bigint,
    updated_at bigint,
    created_at bigint not null,
    views bigint not null default 0,
    translation_group bigint not null,
    unique (edition, slug)
);

create index articles_listing on articles (status, edition, published_at desc);
create index articles_section on articles (section_id, status, published_at desc);
create index articles_group on articles (translation_group);

create table article_authors (
    article_id bigint not null references articles(id) on delete cascade,
    author_id bigint not null references authors(id),
    position bigint not null,
    primary key (article_id, author_id)
);
create index article_authors_author on article_authors (author_id);

create table article_tags (
    article_id bigint not null references articles(id) on delete cascade,
    tag_id bigint not null references tags(id),
    primary key (article_id, tag_id)
);
create index article_tags_tag on article_tags (tag_id);

create table article_views_daily (
    article_id bigint not null references articles(id) on delete cascade,
    day text not null,
    views bigint not null,
    primary key (article_id, day)
);

create table changes (
    seq bigserial primary key,
    kind text not null,
    entity_id bigint not null,
    action text not null,
    at bigint not null
);
