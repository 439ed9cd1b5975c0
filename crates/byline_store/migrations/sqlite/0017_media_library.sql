-- The media library page (issue 16), in step with the other backend's 0017.
--
-- `focal_x`/`focal_y`: where the subject of a picture is, in percent of its width and
-- height from the top left, so every crop (cards, the social image, squares) keeps it.
-- `search_text`: file name, alt text, caption and credit lowercased by the store (in
-- Rust, so Cyrillic and Armenian fold too), for the library's search.
-- `article_media`: which library pictures each article shows (body, cover, social
-- image), written with every article save, so "where used" and "delete refused while
-- used" are one indexed lookup. A picture cannot go while a row names it (no cascade
-- from media); the row goes with its article.
-- `store_chores`: work a migration leaves for the store's Rust code (here: filling
-- `search_text` and `article_media` for what existed before), done once, in one
-- transaction, the next time the store is opened.
alter table media add column focal_x integer not null default 50;
alter table media add column focal_y integer not null default 50;
alter table media add column search_text text not null default '';

create table article_media (
    article_id integer not null references articles(id) on delete cascade,
    media_id integer not null references media(id),
    primary key (article_id, media_id)
);

create index article_media_media on article_media (media_id);

create table store_chores (
    name text primary key
);

insert into store_chores (name) values ('media_library_backfill');
