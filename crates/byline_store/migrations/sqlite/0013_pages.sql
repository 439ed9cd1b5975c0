-- Static pages (About, Contacts, Privacy, …; issue 15), in step with the other
-- backend's 0013. One edition each; never in the change-feed followers' article
-- paths (their change kind is `page`), so they stay out of feeds, lists and search.
-- `footer_position`: place in the footer's list (smallest first); null keeps the page
-- out of the footer. Times are UTC unix seconds.
create table pages (
    id integer primary key,
    edition text not null,
    slug text not null,
    title text not null,
    body_markdown text not null,
    body_html text not null,
    description text,
    status text not null,
    footer_position bigint,
    created_at bigint not null,
    updated_at bigint not null,
    unique (edition, slug)
);
