-- Matching: who fits whom, stored so pages and the digest read it cheaply (see app/modules/matching).

-- Leipzig's Ortsteile and their Stadtbezirk, so SQL can tell "same Stadtbezirk" (mirrors app/lib/reference.ts;
-- tests/matching.test.ts checks they agree).
create table districts (
  name text primary key,
  borough text not null
);
insert into districts (name, borough) values
  ('Zentrum', 'Mitte'),
  ('Zentrum-Ost', 'Mitte'),
  ('Zentrum-Südost', 'Mitte'),
  ('Zentrum-Süd', 'Mitte'),
  ('Zentrum-West', 'Mitte'),
  ('Zentrum-Nordwest', 'Mitte'),
  ('Zentrum-Nord', 'Mitte'),
  ('Schönefeld-Abtnaundorf', 'Nordost'),
  ('Schönefeld-Ost', 'Nordost'),
  ('Mockau-Süd', 'Nordost'),
  ('Mockau-Nord', 'Nordost'),
  ('Thekla', 'Nordost'),
  ('Plaußig-Portitz', 'Nordost'),
  ('Neustadt-Neuschönefeld', 'Ost'),
  ('Volkmarsdorf', 'Ost'),
  ('Anger-Crottendorf', 'Ost'),
  ('Sellerhausen-Stünz', 'Ost'),
  ('Paunsdorf', 'Ost'),
  ('Heiterblick', 'Ost'),
  ('Mölkau', 'Ost'),
  ('Engelsdorf', 'Ost'),
  ('Baalsdorf', 'Ost'),
  ('Althen-Kleinpösna', 'Ost'),
  ('Reudnitz-Thonberg', 'Südost'),
  ('Stötteritz', 'Südost'),
  ('Probstheida', 'Südost'),
  ('Meusdorf', 'Südost'),
  ('Liebertwolkwitz', 'Südost'),
  ('Holzhausen', 'Südost'),
  ('Südvorstadt', 'Süd'),
  ('Connewitz', 'Süd'),
  ('Marienbrunn', 'Süd'),
  ('Lößnig', 'Süd'),
  ('Dölitz-Dösen', 'Süd'),
  ('Schleußig', 'Südwest'),
  ('Plagwitz', 'Südwest'),
  ('Kleinzschocher', 'Südwest'),
  ('Großzschocher', 'Südwest'),
  ('Knautkleeberg-Knauthain', 'Südwest'),
  ('Hartmannsdorf-Knautnaundorf', 'Südwest'),
  ('Schönau', 'West'),
  ('Grünau-Ost', 'West'),
  ('Grünau-Mitte', 'West'),
  ('Grünau-Siedlung', 'West'),
  ('Lausen-Grünau', 'West'),
  ('Grünau-Nord', 'West'),
  ('Miltitz', 'West'),
  ('Lindenau', 'Alt-West'),
  ('Altlindenau', 'Alt-West'),
  ('Neulindenau', 'Alt-West'),
  ('Leutzsch', 'Alt-West'),
  ('Böhlitz-Ehrenberg', 'Alt-West'),
  ('Burghausen-Rückmarsdorf', 'Alt-West'),
  ('Möckern', 'Nordwest'),
  ('Wahren', 'Nordwest'),
  ('Lützschena-Stahmeln', 'Nordwest'),
  ('Lindenthal', 'Nordwest'),
  ('Gohlis-Süd', 'Nord'),
  ('Gohlis-Mitte', 'Nord'),
  ('Gohlis-Nord', 'Nord'),
  ('Eutritzsch', 'Nord'),
  ('Seehausen', 'Nord'),
  ('Wiederitzsch', 'Nord');

-- Who blocked whom. Blocked pairs are never matched (either direction); the contact feature uses it too.
create table blocks (
  blocker_id bigint not null references users (id) on delete cascade,
  blocked_id bigint not null references users (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (blocker_id, blocked_id)
);
create index blocks_blocked on blocks (blocked_id);

-- One row per fitting (need side, offer side). A side is a post (post_id set) or a person's profile (post_id
-- null: the skills they seek are a need, the skills they offer an offer). The user ids are the owners of each
-- side, so "my matches", mutual pairs and blocks are plain lookups.
create table matches (
  need_user_id bigint not null references users (id) on delete cascade,
  need_post_id bigint references posts (id) on delete cascade,
  offer_user_id bigint not null references users (id) on delete cascade,
  offer_post_id bigint references posts (id) on delete cascade,
  score real not null,
  -- the offer side's owner also has a match whose need is theirs and whose offer is the need side's owner
  mutual boolean not null default false,
  -- the facts behind the score, rendered in the reader's language (skill ids; labels are looked up on read)
  reasons jsonb not null,
  first_seen_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (need_user_id <> offer_user_id),
  constraint matches_pair unique nulls not distinct (need_user_id, need_post_id, offer_user_id, offer_post_id)
);
create index matches_need_post on matches (need_post_id) where need_post_id is not null;
create index matches_offer_post on matches (offer_post_id) where offer_post_id is not null;
create index matches_offer_user on matches (offer_user_id, need_user_id);

-- The size of the open-post collection the last full recompute used for rarity weights (idf); incremental
-- updates reuse it so they need not count every post.
create table matching_state (
  id smallint primary key default 1 check (id = 1),
  visible_posts integer not null,
  recomputed_at timestamptz not null default now()
);
