-- Deliveries of breaking-news alerts to the outlet's app relay (issue 17): a durable
-- outbox. A row is written in the same transaction as its alert, so an alert is never
-- raised without its deliveries; any node's sender claims due rows with a lease (a
-- crashed sender's rows come due again when the lease runs out), marks them delivered,
-- or schedules a retry with back-off, and gives up after a number of attempts or on a
-- refusal. Times are UTC unix seconds.
create table alert_deliveries (
    id bigserial primary key,
    alert_id bigint not null references breaking_alerts(id) on delete cascade,
    channel text not null,
    attempts bigint not null default 0,
    next_at bigint not null,
    lease_until bigint,
    delivered_at bigint,
    failed_at bigint,
    last_error text not null default '',
    unique (alert_id, channel)
);

create index alert_deliveries_due on alert_deliveries (delivered_at, failed_at, next_at);
