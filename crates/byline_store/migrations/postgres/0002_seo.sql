-- Optional search-engine overrides of an article's title and description (issue 5).
-- Null means "use the headline / subtitle". In step with migrations/sqlite/0002_seo.sql.

alter table articles add column seo_title text;
alter table articles add column seo_description text;
