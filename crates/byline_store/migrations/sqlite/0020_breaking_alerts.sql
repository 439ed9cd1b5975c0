-- Breaking-news alerts (issue 17): a line over every reader page of one edition for a
-- while (two hours unless said otherwise), then gone by itself. Times are UTC unix
-- seconds. `ended_at` is set once: when the alert expires (the scheduler, exactly once
-- across nodes) or an editor ends it early. Every write is in the change feed (kind
-- `alert`), so every node's pages follow within its poll.
create table breaking_alerts (
    id integer primary key,
    edition text not null,
    body text not null,
    url text not null default '',
    article_id integer references articles(id) on delete set null,
    starts_at integer not null,
    ends_at integer not null,
    ended_at integer,
    created_by integer references users(id) on delete set null
);

create index breaking_alerts_open on breaking_alerts (ended_at, ends_at);
