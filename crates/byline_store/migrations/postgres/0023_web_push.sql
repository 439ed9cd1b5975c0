-- Web Push (issue 17). `push_keys` holds the outlet's one VAPID key pair (RFC 8292),
-- made by the first node that starts and read by every other: readers' subscriptions
-- are bound to its public key, so it must never change under them.
--
-- `push_subscriptions`: one row per browser and edition (a reader may follow several
-- editions with one browser subscription). `push_messages`: each notification, written
-- in the same transaction as the alert or live-blog entry it announces, together with
-- one `push_deliveries` row per subscription of its edition — a durable outbox claimed
-- with a lease by any node's sender, exactly like `alert_deliveries`. A push service's
-- 404/410 deletes the subscription and, by cascade, what was still queued for it.
-- Times are UTC unix seconds.
create table push_keys (
    id bigint primary key check (id = 1),
    public_key text not null,
    private_key text not null
);

create table push_subscriptions (
    id bigserial primary key,
    edition text not null,
    endpoint text not null,
    p256dh text not null,
    auth text not null,
    key_events boolean not null default false,
    created_at bigint not null,
    unique (endpoint, edition)
);

create index push_subscriptions_edition on push_subscriptions (edition, key_events);

create table push_messages (
    id bigserial primary key,
    kind text not null,
    edition text not null,
    title text not null,
    body text not null,
    url text not null,
    alert_id bigint references breaking_alerts(id) on delete cascade,
    entry_id bigint references live_entries(id) on delete cascade,
    created_at bigint not null,
    expires_at bigint not null
);

create index push_messages_alert on push_messages (alert_id);
create index push_messages_entry on push_messages (entry_id);

create table push_deliveries (
    id bigserial primary key,
    message_id bigint not null references push_messages(id) on delete cascade,
    subscription_id bigint not null references push_subscriptions(id) on delete cascade,
    attempts bigint not null default 0,
    next_at bigint not null,
    lease_until bigint,
    delivered_at bigint,
    failed_at bigint,
    last_error text not null default '',
    unique (message_id, subscription_id)
);

create index push_deliveries_due on push_deliveries (delivered_at, failed_at, next_at);
create index push_deliveries_subscription on push_deliveries (subscription_id);
