-- Contact requests and their threads, abuse reports.
create table contact_requests (
  id bigint generated always as identity primary key,
  sender_id bigint not null references users (id) on delete cascade,
  recipient_id bigint not null references users (id) on delete cascade,
  post_id bigint references posts (id) on delete set null,
  message text not null,
  status text not null default 'pending' check (status in ('pending', 'accepted', 'declined')),
  created_at timestamptz not null default now(),
  responded_at timestamptz,
  check (sender_id <> recipient_id)
);
-- One open request per pair and post.
create unique index contact_requests_one_open
  on contact_requests (sender_id, recipient_id, coalesce(post_id, 0)) where status = 'pending';
create index contact_requests_recipient on contact_requests (recipient_id, created_at desc);
create index contact_requests_sender on contact_requests (sender_id, created_at desc);

create table contact_messages (
  id bigint generated always as identity primary key,
  request_id bigint not null references contact_requests (id) on delete cascade,
  author_id bigint not null references users (id) on delete cascade,
  body text not null,
  created_at timestamptz not null default now()
);
create index contact_messages_request on contact_messages (request_id, id);

create table reports (
  id bigint generated always as identity primary key,
  reporter_id bigint references users (id) on delete set null,
  target_type text not null check (target_type in ('post', 'person')),
  target_id bigint not null,
  reason text not null,
  created_at timestamptz not null default now(),
  resolved_at timestamptz,
  resolution text check (resolution in ('hidden', 'restored', 'banned', 'dismissed'))
);
create unique index reports_one_open_per_reporter
  on reports (reporter_id, target_type, target_id) where resolved_at is null;
create index reports_open on reports (created_at) where resolved_at is null;
