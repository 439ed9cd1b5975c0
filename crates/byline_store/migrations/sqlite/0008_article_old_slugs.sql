-- Addresses an article had before its slug (or edition) changed, so old links keep
-- working: the reader site answers them with a 301 to the current address. One row
-- per (edition, slug): if another article later gives up the same slug, the newest
-- owner wins. A current slug always wins over an old one.
create table article_old_slugs (
    edition text not null,
    slug text not null,
    article_id integer not null references articles (id) on delete cascade,
    primary key (edition, slug)
);
create index article_old_slugs_article on article_old_slugs (article_id);

-- The social card picture (`og:image`) when it should not be the cover: JSON like
-- `cover`, null for "use the cover".
alter table articles add column seo_image text;
