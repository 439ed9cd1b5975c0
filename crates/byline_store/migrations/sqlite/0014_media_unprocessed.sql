-- Pictures taken in whose files are still to be made (issue 15), in step with the
-- other backend's 0014. An import checks each picture's header and keeps the upload as
-- it came; its `media` rows already name the sanitized original and the variants to
-- come. A server's media processor (or the first request for one of the files) makes
-- them, updates the rows' sizes and deletes the line here. One line per storage key:
-- rows sharing a key share the files. `claimed_until` (UTC unix seconds, 0 for never):
-- a node making the files holds the line until then, so several nodes share the
-- queue instead of each making every picture; a node that dies lets its claim lapse.
create table media_unprocessed (
    storage_key text primary key,
    queued_at bigint not null,
    claimed_until bigint not null default 0
);

create index media_unprocessed_queue on media_unprocessed (queued_at, storage_key);
