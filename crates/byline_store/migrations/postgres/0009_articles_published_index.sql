-- Newest-first lists across all editions (the apps' API without an edition filter, the
-- search indexer's count) sorted every published row without an index on
-- (status, published_at): seconds at a million articles. The per-edition index
-- `articles_listing` cannot serve them.
create index articles_published on articles (status, published_at desc, id desc);
