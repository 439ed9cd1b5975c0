-- Imports from another CMS (issue 15), in step with the other backend's 0012.
--
-- `import_sources`: what each item of an export became, keyed by the system it came
-- from (`wordpress`, `ghost`), the Byline kind (`article`, `section`, `tag`,
-- `author`, `media`) and its id there, so a second run of the same export updates
-- the same rows instead of adding new ones. `fingerprint` is a hash of what was last
-- written: an unchanged item is not written again (no correction notice, no feed row).
create table import_sources (
    source text not null,
    kind text not null,
    source_id text not null,
    target_id bigint not null,
    fingerprint text not null default '',
    imported_at bigint not null,
    primary key (source, kind, source_id)
);

-- Old addresses and where they lead now: the reader site answers them with a 301,
-- consulted only where a request would otherwise be a 404. `path` is normalized
-- (decoded, lowercase, no trailing slash) and may carry the query that addressed an
-- item (`/?p=42`). `origin` is `import` or `admin`; an import never overwrites an
-- admin's redirect.
create table redirects (
    path text primary key,
    target text not null,
    origin text not null,
    created_at bigint not null
);
