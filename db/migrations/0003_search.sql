-- The embedded search engine: one precomputed document per visible post and person, derived from the tables
-- by the search worker (outbox topic 'search') and rebuilt by `npm run search:reindex`.

-- German and English stemming that ignores accents ("Werkstätten" → werkstatt, "Café" → cafe).
create text search configuration nl_german (copy = german);
alter text search configuration nl_german
  alter mapping for word, hword, hword_part, asciiword, asciihword, hword_asciipart with unaccent, german_stem;
create text search configuration nl_english (copy = english);
alter text search configuration nl_english
  alter mapping for word, hword, hword_part, asciiword, asciihword, hword_asciipart with unaccent, english_stem;

-- One query word as a tsquery in both languages; words of 3+ letters also match as a prefix (as you type,
-- and "Holz" finds "Holzbau"). Callers pass words of letters and digits only; the regexp is a second guard.
create function search_word_tsquery(word text) returns tsquery
language sql immutable parallel safe as $$
  select case
    when length(w) = 0 then ''::tsquery
    when length(w) >= 3 then to_tsquery('nl_german', quote_literal(w) || ':*') || to_tsquery('nl_english', quote_literal(w) || ':*')
    else to_tsquery('nl_german', quote_literal(w)) || to_tsquery('nl_english', quote_literal(w))
  end
  from (select regexp_replace(lower(word), '[^[:alnum:]]', '', 'g') as w) cleaned
$$;

-- A post document. Rows exist only for posts that are open, not hidden and by someone not banned; expiry is
-- checked at query time so an expired post disappears without a reindex.
create table search_posts (
  id bigint primary key references posts (id) on delete cascade,
  author_id bigint not null,
  kind text not null,
  category text not null,
  district text,
  borough text,
  is_remote boolean not null,
  exchange_mode text not null,
  status text not null,
  author_name text,
  author_role text,
  title text not null,
  description text not null,
  skill_ids bigint[] not null default '{}',
  -- [{id, slug, label_de, label_en}] in the post's order, for display without a join.
  skills jsonb not null default '[]',
  -- normalizeSkillLabel() keys of every label of the tagged skills, and title words with symbols (C#, C++).
  keys text[] not null default '{}',
  tsv tsvector not null,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  indexed_at timestamptz not null default now()
);
create index search_posts_tsv on search_posts using gin (tsv);
create index search_posts_skill_ids on search_posts using gin (skill_ids);
create index search_posts_keys on search_posts using gin (keys);
create index search_posts_newest on search_posts (created_at desc, id desc);
create index search_posts_author on search_posts (author_id);

-- A person document: everyone with a profile who is not banned.
create table search_people (
  id bigint primary key references users (id) on delete cascade,
  display_name text not null,
  role text not null,
  bio text not null,
  district text not null,
  borough text,
  remote_ok boolean not null,
  skill_ids bigint[] not null default '{}',
  offered_skill_ids bigint[] not null default '{}',
  sought_skill_ids bigint[] not null default '{}',
  skills jsonb not null default '[]',
  keys text[] not null default '{}',
  tsv tsvector not null,
  created_at timestamptz not null,
  indexed_at timestamptz not null default now()
);
create index search_people_tsv on search_people using gin (tsv);
create index search_people_skill_ids on search_people using gin (skill_ids);
create index search_people_keys on search_people using gin (keys);
create index search_people_newest on search_people (created_at desc, id desc);
