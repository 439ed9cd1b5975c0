-- The news desk (issue 17): public correction notes and takedowns.
--
-- `corrections` holds an article's public notes as a JSON array of
-- {kind, text, at (unix seconds)}, oldest first. Notes are only ever appended, are read
-- with the article on every page render, and are few: a column on the row keeps the
-- article page at one query, which a table would cost a second (or a per-dialect
-- aggregate). Who added a note is in the audit log.
--
-- `takedown_reason` is set while an article is `taken_down` (removed for legal or
-- safety reasons): its address answers 410 Gone and only an admin reinstates it.
alter table articles add column corrections text not null default '[]';
alter table articles add column takedown_reason text;
