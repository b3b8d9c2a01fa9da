-- Skills taxonomy (ESCO + curated + occupations + user-defined) and posts.
create table skill_groups (
  uri text primary key,
  code text not null,
  level smallint not null,
  parent_uri text references skill_groups (uri),
  label_de text not null,
  label_en text not null
);

create table skills (
  id bigint generated always as identity primary key,
  slug text not null unique,
  uri text unique,
  source text not null check (source in ('esco', 'curated', 'occupation', 'user')),
  label_de text not null,
  label_en text not null,
  description_de text,
  description_en text,
  merged_into_id bigint references skills (id),
  created_by bigint references users (id) on delete set null,
  created_at timestamptz not null default now()
);

create table skill_broader (
  skill_id bigint not null references skills (id) on delete cascade,
  group_uri text not null references skill_groups (uri),
  primary key (skill_id, group_uri)
);
create index skill_broader_group on skill_broader (group_uri);

-- Every label of a skill in both languages; "normalized" ignores case, accents, hyphens and spaces.
create table skill_labels (
  skill_id bigint not null references skills (id) on delete cascade,
  lang text not null check (lang in ('de', 'en')),
  label text not null,
  normalized text not null,
  is_preferred boolean not null default false,
  primary key (normalized, skill_id, lang)
);
create index skill_labels_skill on skill_labels (skill_id);
create index skill_labels_trgm on skill_labels using gin (normalized gin_trgm_ops);

-- Which seed files were loaded (the taxonomy is loaded once per checksum).
create table seed_runs (
  name text primary key,
  checksum text not null,
  loaded_at timestamptz not null default now()
);

create table profile_skills (
  user_id bigint not null references users (id) on delete cascade,
  direction text not null check (direction in ('offer', 'seek')),
  skill_id bigint not null references skills (id),
  primary key (user_id, direction, skill_id)
);
create index profile_skills_skill on profile_skills (skill_id, direction);

create table posts (
  id bigint generated always as identity primary key,
  author_id bigint not null references users (id) on delete cascade,
  kind text not null check (kind in ('offer', 'need')),
  title text not null,
  description text not null,
  category text not null check (category in ('knowhow', 'space', 'equipment', 'materials', 'funding', 'project')),
  district text,
  is_remote boolean not null default false,
  exchange_mode text not null check (exchange_mode in ('paid', 'volunteer', 'barter', 'time_credits', 'coop_share', 'open')),
  status text not null default 'open' check (status in ('open', 'fulfilled', 'closed')),
  expires_at timestamptz not null,
  hidden_at timestamptz,
  is_demo boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (district is not null or is_remote)
);
create index posts_author on posts (author_id);
create index posts_open_newest on posts (created_at desc) where status = 'open' and hidden_at is null;

create table post_skills (
  post_id bigint not null references posts (id) on delete cascade,
  skill_id bigint not null references skills (id),
  position smallint not null,
  primary key (post_id, skill_id)
);
create index post_skills_skill on post_skills (skill_id);

-- Side effects of a change (search index, matches) written in the change's transaction and applied by workers.
create table outbox_events (
  id bigint generated always as identity primary key,
  topic text not null check (topic in ('search', 'match')),
  entity text not null check (entity in ('post', 'person', 'skill')),
  entity_id bigint not null,
  attempts integer not null default 0,
  available_at timestamptz not null default now(),
  last_error text,
  created_at timestamptz not null default now()
);
create index outbox_events_topic on outbox_events (topic, id);
