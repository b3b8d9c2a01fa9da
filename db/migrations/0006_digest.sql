-- Match digests: one row per person and period is the exactly-once key; runs are kept for the admin page.
create table digest_runs (
  id bigint generated always as identity primary key,
  trigger text not null check (trigger in ('scheduler', 'cli', 'admin', 'bench', 'test')),
  frequencies text[] not null,
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  planned integer not null default 0,
  sent integer not null default 0,
  skipped integer not null default 0,
  failed integer not null default 0,
  error text
);

create table digests (
  id bigint generated always as identity primary key,
  user_id bigint not null references users (id) on delete cascade,
  period text not null,
  frequency text not null check (frequency in ('weekly', 'daily')),
  run_id bigint references digest_runs (id) on delete set null,
  -- matches first seen in (since, until] are this digest's
  since timestamptz,
  until timestamptz not null,
  -- planned → ready (rendered) | skipped (nothing new) → sending (claimed in a batch) → sent | failed
  status text not null default 'planned' check (status in ('planned', 'ready', 'skipped', 'sending', 'sent', 'failed')),
  match_count integer,
  to_address text,
  subject text,
  html text,
  text text,
  headers jsonb,
  batch_key text,
  provider_id text,
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  last_error text,
  created_at timestamptz not null default now(),
  sent_at timestamptz,
  unique (user_id, period)
);
create index digests_status on digests (status, next_attempt_at, id);
create index digests_batch on digests (batch_key) where status = 'sending';
create index digests_user_until on digests (user_id, until desc) where status in ('sent', 'skipped');

-- What the mail provider told us (bounces, complaints), kept as a log.
create table email_events (
  id bigint generated always as identity primary key,
  provider_event_id text unique,
  type text not null,
  email text,
  detail jsonb not null default '{}',
  created_at timestamptz not null default now()
);
