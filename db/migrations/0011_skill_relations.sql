-- Which skills are related, and how closely (weight 0 < w ≤ 1): an explicit, narrow relation that replaces "any two
-- skills in one ESCO group of up to 60". Loaded from db/seed/skill-relations.json (built by
-- scripts/build-skill-relations.ts) after the taxonomy; every pair is stored in both directions, so "what is related
-- to these skills" is one index lookup. It drives matching, search expansion and a skill page's related skills.
create table skill_relations (
  skill_id bigint not null references skills (id) on delete cascade,
  related_skill_id bigint not null references skills (id) on delete cascade,
  weight real not null check (weight > 0 and weight <= 1),
  source text not null,
  primary key (skill_id, related_skill_id),
  check (skill_id <> related_skill_id)
);
create index skill_relations_related on skill_relations (related_skill_id);
