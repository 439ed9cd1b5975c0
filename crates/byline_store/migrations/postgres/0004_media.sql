-- The media library (issue 3), in step with migrations/sqlite/0004_media.sql: one row
-- per uploaded picture; its files live in media storage under `storage_key`.
-- `uploaded_by` has no foreign key on purpose (users arrive in another migration).

create table media (
    id bigserial primary key,
    storage_key text not null,
    file_name text not null,
    mime text not null,
    width bigint not null,
    height bigint not null,
    bytes bigint not null,
    alt text not null default '',
    caption text not null default '',
    credit text not null default '',
    variants text not null,
    uploaded_by bigint,
    created_at bigint not null
);

create index media_storage_key on media (storage_key);
