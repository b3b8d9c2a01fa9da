-- The embedded search engine: one precomputed document per visible post and person, derived from the tables
-- by the search worker (outbox topic 'search') and rebuilt by `npm run search:reindex`.

-- German and English stemming that ignores accents ("Werkstätten" → werkstatt, "Café" → cafe).
create text search configuration nl_german (copy = german);
alter text search configuration nl_german
  alter mapping for word, hword, hword_part, asciiword, asciihword, hword_asciipart with unaccent, german_stem;
create text search configuration nl_english (copy = english);
alter text search configuration nl_english
  alter mapping for word, hword, hword_part, asciiword, asciihword, hword_asciipart with unaccent, english_stem;

-- Query building blocks. Callers pass words of letters and digits and keys from normalizeSkillLabel();
-- stripping quotes, backslashes, spaces and tsquery operators here is a second guard.

-- One query word in German or English. As in Meilisearch, the last word of a query also matches as a prefix
-- when it has 3+ letters (as you type; "Holz" finds "Holzbau").
create function search_word_tsquery(word text, prefix boolean) returns tsquery
language sql immutable parallel safe as $$
  select case
    when length(w) = 0 then ''::tsquery
    when prefix and length(w) >= 3 then to_tsquery('nl_german', '''' || w || ''':*') || to_tsquery('nl_english', '''' || w || ''':*')
    else to_tsquery('nl_german', '''' || w || '''') || to_tsquery('nl_english', '''' || w || '''')
  end
  from (select regexp_replace(lower(word), '[[:space:]''\\:&|!()<>*]', '', 'g') as w) cleaned
$$;

-- Lexemes that are not words: a skill label key ('k:c#', 'k:3ddruck', 'k:timberconstruction') and a skill
-- id ('s:42'). Documents carry them (see rank_tsv below), so symbols and synonyms match through the index.
create function search_key_tsquery(key text) returns tsquery
language sql immutable parallel safe as $$
  select case when k = '' then ''::tsquery else ('''k:' || k || '''')::tsquery end
  from (select regexp_replace(coalesce(key, ''), '[[:space:]''\\:&|!()<>*]', '', 'g') as k) cleaned
$$;

create function search_skills_tsquery(skill_ids bigint[]) returns tsquery
language sql immutable parallel safe as $$
  select coalesce(string_agg('''s:' || id || '''', ' | ')::tsquery, ''::tsquery) from unnest(skill_ids) as id
$$;

-- One query token: all its words (each in German or English), or its skill key, or one of the skills it
-- looks like (typo correction). A token of stop words only ("und") is neutral, since '' && q = q.
create function search_token_tsquery(words text[], key text, prefix boolean, similar_skill_ids bigint[]) returns tsquery
language sql immutable parallel safe as $$
  select case
    when cardinality(words) > 0 and numnode(w.q) = 0 then ''::tsquery
    else w.q || search_key_tsquery(key) || search_skills_tsquery(similar_skill_ids)
  end
  from (
    select coalesce(
      (select string_agg('(' || q::text || ')', ' & ')
       from (select search_word_tsquery(word, prefix and position = cardinality(words)) as q
             from unnest(words) with ordinality as t (word, position)) per_word
       where numnode(q) > 0)::tsquery,
      ''::tsquery) as q
  ) w
$$;

-- A document's non-word lexemes (see search_key_tsquery).
create function search_key_lexemes(keys text[], skill_ids bigint[]) returns tsvector
language sql immutable parallel safe as $$
  select array_to_tsvector(array(
    select distinct lexeme from (
      select 'k:' || key as lexeme from unnest(keys) as key where key <> ''
      union all select 's:' || id from unnest(skill_ids) as id
    ) all_lexemes))
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
  -- Title, skill labels (weight A), alternative labels (B) in German and English, and the key lexemes:
  -- small enough to stay inline, so ranking thousands of matches is cheap.
  rank_tsv tsvector not null,
  -- rank_tsv plus the description (C): what a query matches against, through one GIN index.
  tsv tsvector not null,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  indexed_at timestamptz not null default now()
);
create index search_posts_tsv on search_posts using gin (tsv);
create index search_posts_skill_ids on search_posts using gin (skill_ids);
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
  rank_tsv tsvector not null,
  tsv tsvector not null,
  created_at timestamptz not null,
  indexed_at timestamptz not null default now()
);
create index search_people_tsv on search_people using gin (tsv);
create index search_people_skill_ids on search_people using gin (skill_ids);
create index search_people_newest on search_people (created_at desc, id desc);

-- Typo candidates for a query key are the labels with the same first two characters and about the same
-- length; pg_trgm similarity then ranks those few hundred. (The trigram index alone costs tens of ms per key
-- on PGlite, and its planner estimates make it fall back to comparing all 70,000 labels.)
create index skill_labels_typo_bucket on skill_labels (left(normalized, 2), length(normalized));
