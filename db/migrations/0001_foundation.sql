-- Foundation: people, sign-in, sessions, profiles, mail outbox and delivery log.
create extension if not exists citext;
create extension if not exists pg_trgm;
create extension if not exists unaccent;
create extension if not exists fuzzystrmatch;

create table users (
  id bigint generated always as identity primary key,
  email citext not null unique,
  locale text not null default 'de' check (locale in ('de', 'en')),
  is_admin boolean not null default false,
  banned_at timestamptz,
  is_demo boolean not null default false,
  created_at timestamptz not null default now(),
  last_login_at timestamptz
);

-- Magic links: only the SHA-256 of the token is kept.
create table login_tokens (
  token_hash text primary key,
  email citext not null,
  client_ip text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz
);
create index login_tokens_email_created on login_tokens (email, created_at);
create index login_tokens_ip_created on login_tokens (client_ip, created_at);

-- Sessions: the cookie carries a random id, the table its SHA-256.
create table sessions (
  id_hash text primary key,
  user_id bigint not null references users (id) on delete cascade,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  last_seen_at timestamptz not null default now()
);
create index sessions_user on sessions (user_id);

create table profiles (
  user_id bigint primary key references users (id) on delete cascade,
  display_name text not null,
  role text not null check (role in ('startup', 'scientist', 'artist', 'craftsperson', 'initiative')),
  bio text not null default '',
  district text not null,
  remote_ok boolean not null default false,
  languages text[] not null default '{}',
  website text,
  digest_frequency text not null default 'weekly' check (digest_frequency in ('weekly', 'daily', 'off')),
  matches_seen_at timestamptz,
  is_demo boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- Every email goes through this table: written in the same transaction as the change that causes it,
-- delivered by the mail worker, and kept as the delivery log with its status.
create table email_messages (
  id bigint generated always as identity primary key,
  user_id bigint references users (id) on delete set null,
  to_address text,
  kind text not null,
  subject text not null,
  html text not null,
  text text not null,
  headers jsonb not null default '{}',
  idempotency_key text not null unique,
  status text not null default 'pending' check (status in ('pending', 'sending', 'sent', 'failed')),
  transport text,
  provider_id text,
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  last_error text,
  created_at timestamptz not null default now(),
  sent_at timestamptz
);
create index email_messages_due on email_messages (next_attempt_at) where status in ('pending', 'sending');
create index email_messages_user on email_messages (user_id);

-- The local mail transport: what would have been sent, shown at /dev/mail.
create table dev_mailbox (
  id bigint generated always as identity primary key,
  idempotency_key text not null unique,
  to_address text not null,
  subject text not null,
  html text not null,
  text text not null,
  headers jsonb not null default '{}',
  created_at timestamptz not null default now()
);
