-- Typo correction anywhere in a word: every distinct word of every skill label (lower-case, unaccented), with
-- its German and English stems, so the embedded engine can tell a known word ("Fenster", "Fensters") from an
-- unknown one ("Fnster") and find the known words that look like it, whatever letter the typo is in:
-- search_word_variants holds each word and the word with one letter left out (symmetric delete, as in
-- SymSpell), so every word within one edit of a query word (a letter missing, extra, replaced or two swapped)
-- shares a variant with it and is found by a few B-tree look-ups; the trigram index finds words two edits away. Kept current by a statement-level trigger on skill_labels (the taxonomy seed, user-defined
-- skills, merges); words of deleted labels stay, which costs nothing but a candidate that matches no document.

create table search_words (
  word text primary key,
  -- one spelling with its accents, for "Meintest du: Gemüseanbau?"
  spelling text not null,
  stem_de text,
  stem_en text,
  -- how many labels use the word: the more common of two equally close corrections wins
  labels int not null default 1
);
create index search_words_trgm on search_words using gin (word gin_trgm_ops);
-- the last word typed is known when a word starts with it: a range on the byte-ordered index
create index search_words_prefix on search_words ((word collate "C"));
create index search_words_stem_de on search_words (stem_de);
create index search_words_stem_en on search_words (stem_en);

create table search_word_variants (
  variant text not null,
  word text not null,
  primary key (variant, word)
);

-- The words of a label as the engine compares them: lower-case, unaccented, Latin letters and digits, 3+
-- characters (split at spaces and punctuation spelled out, so the database's locale does not matter).
create function search_label_words(label text) returns table (word text, spelling text)
language sql stable parallel safe as $$
  select lower(unaccent(part)), part
  from regexp_split_to_table(lower(label), '[[:space:]!-/:-@\[-`{-~–—„“”‚‘’«»·…]+') as part
  where lower(unaccent(part)) ~ '^[a-z0-9]{3,}$'
$$;

create function search_words_add(labels text[]) returns void
language sql as $$
  insert into search_words (word, spelling, stem_de, stem_en, labels)
  select w.word, min(w.spelling),
         (tsvector_to_array(to_tsvector('nl_german', w.word)))[1],
         (tsvector_to_array(to_tsvector('nl_english', w.word)))[1],
         count(*)::int
  from unnest(labels) as label, search_label_words(label) as w
  group by w.word
  on conflict (word) do update set labels = search_words.labels + excluded.labels;

  insert into search_word_variants (variant, word)
  select distinct v.variant, w.word
  from unnest(labels) as label, search_label_words(label) as w,
       lateral (select w.word union all
                select left(w.word, i - 1) || substr(w.word, i + 1) from generate_series(1, length(w.word)) as i) as v(variant)
  on conflict do nothing;
$$;

create function search_words_after_label_insert() returns trigger
language plpgsql as $$
begin
  perform search_words_add(array(select label from added_labels));
  return null;
end
$$;

create trigger skill_labels_search_words after insert on skill_labels
  referencing new table as added_labels for each statement execute function search_words_after_label_insert();

select search_words_add(array(select label from skill_labels));
