-- The newsroom (issue 3): accounts, sessions, the audit log, and what the article
-- lifecycle needs (owner, newest revision, soft delete, revisions). Times: UTC seconds.

create table users (
    id integer primary key,
    email text not null,                -- as typed
    email_key text not null unique,     -- trimmed and lowercased: unique ignoring case
    display_name text not null,
    role text not null,                 -- contributor | author | editor | admin
    password_hash text not null,        -- Argon2id PHC string
    disabled integer not null default 0,
    created_at integer not null
);

-- The cookie carries a random token; only its SHA-256 is stored, so a leaked database
-- does not hand out live sessions.
create table sessions (
    token_hash text primary key,
    user_id integer not null references users(id) on delete cascade,
    created_at integer not null,
    expires_at integer not null,
    last_seen_at integer not null
);
create index sessions_user on sessions (user_id);

create table audit_log (
    id integer primary key,
    actor_id integer references users(id),  -- null: the server itself
    actor_email text not null,
    action text not null,
    entity_kind text not null,
    entity_id integer not null,
    summary text not null,
    at integer not null
);

create table article_revisions (
    id integer primary key,
    article_id integer not null references articles(id) on delete cascade,
    author_id integer references users(id),
    title text not null,
    subtitle text not null,
    body_markdown text not null,
    accepted integer not null,          -- 0: a stale save kept so nothing typed is lost
    based_on integer not null,
    created_at integer not null
);
create index article_revisions_article on article_revisions (article_id, id);

alter table articles add column owner_id integer references users(id);
alter table articles add column revision integer not null default 0;
alter table articles add column deleted_from text;
create index articles_owner on articles (owner_id);
