-- The articles' three large columns move to the end of the row (issue 18).
--
-- SQLite stores a row's columns in order and spills what does not fit in the page to a
-- chain of overflow pages. A column stored after the bodies can only be read by walking
-- that chain, and every list reads such columns (cover, status, published_at, views, and
-- every column added since, all stored after the bodies): a section's "more" list of
-- seven stories walked some hundred overflow pages on each render. After this, a list
-- reads a story's first page and stops. A column added to `articles` later is appended
-- after the bodies again: keep it small, or move the bodies last once more (the test
-- `article_bodies_move_to_the_end_of_the_row_with_nothing_lost` fails until then).
--
-- It rewrites the table (once for the UPDATE, once per DROP COLUMN) in the start-up's
-- migration transaction: seconds on a demo or a few thousand stories, longer on a large
-- archive, and the file keeps the freed pages until a VACUUM (docs/DEPLOYMENT.md).
-- PostgreSQL keeps large values out of line (TOAST), so its tables stay as they are.
--
-- ADD COLUMN appends, DROP COLUMN removes, RENAME COLUMN gives the old name back; no
-- index, trigger or view names these columns. body_markdown and body_html gain a default
-- of '' (ADD COLUMN needs one for NOT NULL); every insert names them.
alter table articles add column body_markdown_last text not null default '';
alter table articles add column body_html_last text not null default '';
alter table articles add column search_text_last text not null default '';
update articles
   set body_markdown_last = body_markdown,
       body_html_last = body_html,
       search_text_last = search_text;
alter table articles drop column body_markdown;
alter table articles drop column body_html;
alter table articles drop column search_text;
alter table articles rename column body_markdown_last to body_markdown;
alter table articles rename column body_html_last to body_html;
alter table articles rename column search_text_last to search_text;
