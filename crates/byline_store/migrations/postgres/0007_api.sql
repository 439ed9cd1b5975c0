-- The API (issue 7): read keys for apps, write tokens for users, idempotency keys.
-- Keys and tokens are high-entropy random values: only their SHA-256 is stored.
-- Times: UTC seconds.

create table api_keys (
    id bigserial primary key,
    name text not null,
    key_hash text not null unique,
    created_at bigint not null,
    revoked_at bigint
);

create table api_tokens (
    id bigserial primary key,
    user_id bigint not null references users(id) on delete cascade,
    name text not null,
    token_hash text not null unique,
    created_at bigint not null,
    revoked_at bigint
);
create index api_tokens_user on api_tokens (user_id);

-- One row per (user, Idempotency-Key): the request's hash and, once done, the answer.
create table idempotency_keys (
    user_id bigint not null references users(id) on delete cascade,
    key text not null,
    request_hash text not null,
    status bigint,                    -- null while the first request runs
    body text,
    created_at bigint not null,
    primary key (user_id, key)
);
