-- Optional search-engine overrides of an article's title and description (issue 5).
-- Null means "use the headline / subtitle". Plain ALTER TABLE ADD COLUMN: portable SQL.

alter table articles add column seo_title text;
alter table articles add column seo_description text;
