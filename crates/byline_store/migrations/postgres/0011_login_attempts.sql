-- Login throttling reserves before it verifies: every attempt is recorded (under each
-- of its keys) before the password is checked, and a successful one is taken back by
-- its id. Without the id, a success could only forget whole keys.
alter table login_failures add column attempt text;
create index login_failures_attempt on login_failures (attempt);
