-- The view counter loads every published article's count at start-up. A covering
-- index answers that from the index alone; without it, a 1M-article outlet read its
-- whole table (bodies included) and took 13 s to start.
create index articles_view_counts on articles (status, id, views);
