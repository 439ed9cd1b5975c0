-- Working together in the newsroom (issue 16), in step with migrations/sqlite/0018.
-- Times are UTC unix seconds.
--
-- `article_assignments`: the writer and the editor an article is assigned to. The
-- assigned writer works on the article as its owner does.
-- `notifications`: what each person is told ("returned to you with a note", "assigned
-- to you", "scheduled", "published"), unread until they open their list.
-- `article_presence`: who has which article open, refreshed every few seconds by the
-- editor page; a row older than a few refreshes means the person left.
create table article_assignments (
    article_id bigint primary key references articles(id) on delete cascade,
    writer_id bigint references users(id) on delete set null,
    editor_id bigint references users(id) on delete set null
);

create index article_assignments_writer on article_assignments (writer_id);

create table notifications (
    id bigserial primary key,
    user_id bigint not null references users(id) on delete cascade,
    article_id bigint not null references articles(id) on delete cascade,
    kind text not null,
    actor_id bigint references users(id) on delete set null,
    created_at bigint not null,
    read_at bigint
);

create index notifications_user on notifications (user_id, id);

create table article_presence (
    article_id bigint not null references articles(id) on delete cascade,
    user_id bigint not null references users(id) on delete cascade,
    seen_at bigint not null,
    primary key (article_id, user_id)
);
