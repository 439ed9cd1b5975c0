-- Breaking-news alerts (issue 17): a line over every reader page of one edition for a
-- while (two hours unless said otherwise), then gone by itself. Times are UTC unix
-- seconds. `ended_at` is set once: when the alert expires (the scheduler, exactly once
-- across nodes) or an editor ends it early. Every write is in the change feed (kind
-- `alert`), so every node's pages follow within its poll.
create table breaking_alerts (
    id bigserial primary key,
    edition text not null,
    body text not null,
    url text not null default '',
    article_id bigint references articles(id) on delete set null,
    starts_at bigint not null,
    ends_at bigint not null,
    ended_at bigint,
    created_by bigint references users(id) on delete set null
);

create index breaking_alerts_open on breaking_alerts (ended_at, ends_at);
