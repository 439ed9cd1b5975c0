-- Failed newsroom logins, for throttling that holds across every node of an outlet (it
-- was counted in each node's memory: N nodes gave an attacker N times the attempts).
-- Keys are "ip:<address>" and "account:<e-mail>"; times are UTC seconds.
create table login_failures (
    key text not null,
    at integer not null
);
create index login_failures_key_at on login_failures (key, at);
