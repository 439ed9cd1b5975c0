-- The newsroom (issue 3): accounts, sessions, the audit log, and what the article
-- lifecycle needs (owner, newest revision, soft delete, revisions). Times: UTC seconds.

create table users (
    id bigserial primary key,
    email text not null,                -- as typed
    email_key text not null unique,     -- trimmed and lowercased: unique ignoring case
    display_name text not null,
    role text not null,                 -- contributor | author | editor | admin
    password_hash text not null,        -- Argon2id PHC string
    disabled boolean not null default false,
    created_at bigint not null
);

-- The cookie carries a random token; only its SHA-256 is stored, so a leaked database
-- does not hand out live sessions.
create table sessions (
    token_hash text primary key,
    user_id bigint not null references users(id) on delete cascade,
    created_at bigint not null,
    expires_at bigint not null,
    last_seen_at bigint not null
);
create index sessions_user on sessions (user_id);

create table audit_log (
    id bigserial primary key,
    actor_id bigint references users(id),  -- null: the server itself
    actor_email text not null,
    action text not null,
    entity_kind text not null,
    entity_id bigint not null,
    summary text not null,
    at bigint not null
);

create table article_revisions (
    id bigserial primary key,
    article_id bigint not null references articles(id) on delete cascade,
    author_id bigint references users(id),
    title text not null,
    subtitle text not null,
    body_markdown text not null,
    accepted boolean not null,         -- false: a stale save kept so nothing typed is lost
    based_on bigint not null,
    created_at bigint not null
);
create index article_revisions_article on article_revisions (article_id, id);

alter table articles add column owner_id bigint references users(id);
alter table articles add column revision bigint not null default 0;
alter table articles add column deleted_from text;
create index articles_owner on articles (owner_id);
