-- When each article last changed (issue 16): the newsroom's list sorts and filters by
-- it ("updated"). Set with every change-feed row about the article (saves, status
-- moves, scheduling, deletes), so it is the time of the article's newest change.
-- Existing articles take their newest accepted revision, else their correction,
-- publish or creation time.
alter table articles add column edited_at integer;
update articles set edited_at = coalesce(
    (select max(r.created_at) from article_revisions r where r.article_id = articles.id and r.accepted <> 0),
    updated_at, published_at, created_at);
create index articles_edited on articles (edited_at desc, id desc);
