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

-- One row per fitting (need side, offer side). A side is a post (post_id set) or a person's profile (person_id
-- set: the skills they seek are a need, the skills they offer an offer). user_id is the side's owner either way,
-- so "my matches", mutual pairs and blocks are plain lookups. The row is deleted with its side: by the post's or
-- the person's foreign key (deleting a user deletes their posts). Owners carry no foreign key of their own:
-- it would be redundant, and each foreign key is a per-row check on the bulk insert of a full recompute.
create table matches (
  need_user_id bigint not null,
  need_post_id bigint references posts (id) on delete cascade,
  need_person_id bigint references users (id) on delete cascade,
  offer_user_id bigint not null,
  offer_post_id bigint references posts (id) on delete cascade,
  offer_person_id bigint references users (id) on delete cascade,
  score real not null,
  -- the offer side's owner also has a match whose need is theirs and whose offer is the need side's owner
  mutual boolean not null default false,
  -- the facts behind the score, rendered in the reader's language (skill ids; labels are looked up on read)
  reasons jsonb not null,
  first_seen_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (need_user_id <> offer_user_id),
  check ((need_post_id is null) <> (need_person_id is null) and (need_person_id is null or need_person_id = need_user_id)),
  check ((offer_post_id is null) <> (offer_person_id is null) and (offer_person_id is null or offer_person_id = offer_user_id)),
  constraint matches_pair unique nulls not distinct (need_user_id, need_post_id, offer_user_id, offer_post_id)
);
create index matches_need_post on matches (need_post_id) where need_post_id is not null;
create index matches_offer_post on matches (offer_post_id) where offer_post_id is not null;
create index matches_offer_user on matches (offer_user_id, need_user_id);
-- the person foreign keys cascade through these
create index matches_need_person on matches (need_person_id) where need_person_id is not null;
create index matches_offer_person on matches (offer_person_id) where offer_person_id is not null;

-- Matching finds the newest posts with a skill by walking this index backwards.
create index post_skills_skill_post on post_skills (skill_id, post_id);

-- The counts the last full recompute based rarity weights (idf) on: open visible posts, and per skill how
-- many of them have it. Incremental updates reuse them instead of counting (skills added since are counted).
create table matching_state (
  id smallint primary key default 1 check (id = 1),
  visible_posts integer not null,
  recomputed_at timestamptz not null default now()
);
create table matching_skill_counts (
  skill_id bigint primary key references skills (id) on delete cascade,
  visible_posts integer not null
);
