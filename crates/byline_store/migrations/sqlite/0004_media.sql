-- The media library (issue 3): one row per uploaded picture. Its files — the sanitized
-- original and the WebP variants — live in media storage under `storage_key` (a
-- content hash, so two rows may share it); `variants` lists them as JSON. Width,
-- height, mime and bytes describe the sanitized original. `uploaded_by` is a user id
-- once users exist; deliberately no foreign key, so this migration needs only 0001.

create table media (
    id integer primary key,
    storage_key text not null,
    file_name text not null,
    mime text not null,
    width integer not null,
    height integer not null,
    bytes integer not null,
    alt text not null default '',
    caption text not null default '',
    credit text not null default '',
    variants text not null,          -- [MediaVariant] as JSON
    uploaded_by integer,
    created_at integer not null      -- UTC unix seconds
);

create index media_storage_key on media (storage_key);
