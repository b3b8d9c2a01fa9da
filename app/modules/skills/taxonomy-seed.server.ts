import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Db, Sql } from "~/lib/db.server";
import { LOCK } from "~/lib/locks.server";
import { normalizeSkillLabel } from "./normalize";

export const TAXONOMY_FILE = path.resolve(process.cwd(), "db/seed/taxonomy.json");
export const SKILL_RELATIONS_FILE = path.resolve(process.cwd(), "db/seed/skill-relations.json");

type SeedGroup = { uri: string; code: string; level: number; parent: string | null; de: string; en: string };
type SeedSkill = {
  uri: string;
  source: "esco" | "curated" | "occupation";
  slug: string;
  de: string;
  en: string;
  altDe: string[];
  altEn: string[];
  broader: string[];
  descDe: string | null;
  descEn: string | null;
};
type TaxonomySeed = { groups: SeedGroup[]; skills: SeedSkill[] };

const CHUNK = 1000;

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const result: T[][] = [];
  for (let index = 0; index < items.length; index += size) result.push(items.slice(index, index + size));
  return result;
}

/**
 * Loads the committed taxonomy (ESCO + curated + occupations) once per file version. Skills are upserted by
 * URI, so a newer seed updates labels without touching user-defined skills or anything tagged.
 */
export async function loadTaxonomySeed(
  sql: Sql,
  options: { file?: string; relationsFile?: string; onProgress?: (done: number, total: number) => void } = {},
) {
  const file = options.file ?? TAXONOMY_FILE;
  const content = fs.readFileSync(file);
  const checksum = crypto.createHash("sha256").update(content).digest("hex");
  const result = await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${LOCK.taxonomySeed})`;
    const taxonomy = await loadTaxonomy(tx, content, checksum, options.onProgress);
    // after the taxonomy, whose skills they name; reloaded when either file changes
    const relations = await loadSkillRelations(tx, fs.readFileSync(options.relationsFile ?? SKILL_RELATIONS_FILE), checksum);
    return { ...taxonomy, relations };
  });
  // Fresh statistics and the trigram index's pending list merged at once (VACUUM), so the planner uses the label
  // indexes for suggestions from the first request on: with 70k labels still pending, it scanned the table for
  // about a minute, until autovacuum came by.
  if (result.loaded) await sql`vacuum (analyze) skills, skill_labels, skill_broader`;
  return result;
}

async function loadTaxonomy(tx: Db, content: Buffer, checksum: string, onProgress?: (done: number, total: number) => void) {
  const [loaded] = await tx<{ checksum: string }[]>`select checksum from seed_runs where name = 'taxonomy'`;
  if (loaded?.checksum === checksum) return { loaded: false as const };

  const seed = JSON.parse(content.toString("utf8")) as TaxonomySeed;
  const total = seed.groups.length + seed.skills.length * 2;
  let done = 0;
  const groups = [...seed.groups].sort((a, b) => a.level - b.level);
  for (const part of chunks(groups)) {
    await tx`
      insert into skill_groups ${tx(
        part.map((group) => ({
          uri: group.uri,
          code: group.code,
          level: group.level,
          parent_uri: null,
          label_de: group.de,
          label_en: group.en,
        })),
      )}
      on conflict (uri) do update set code = excluded.code, level = excluded.level, label_de = excluded.label_de, label_en = excluded.label_en`;
    done += part.length;
    onProgress?.(done, total);
  }
  const withParent = groups.filter((group) => group.parent).map((group) => ({ uri: group.uri, parent: group.parent as string }));
  for (const part of chunks(withParent)) {
    await tx`
      update skill_groups g set parent_uri = v.parent
      from (select * from unnest(${part.map((group) => group.uri)}::text[], ${part.map((group) => group.parent)}::text[]) as t(uri, parent)) v
      where g.uri = v.uri`;
  }

  const ids = new Map<string, string>();
  for (const part of chunks(seed.skills)) {
    const rows = await tx<{ id: string; uri: string }[]>`
      insert into skills ${tx(
        part.map((skill) => ({
          slug: skill.slug,
          uri: skill.uri,
          source: skill.source,
          label_de: skill.de,
          label_en: skill.en,
          description_de: skill.descDe,
          description_en: skill.descEn,
        })),
      )}
      on conflict (uri) do update set label_de = excluded.label_de, label_en = excluded.label_en,
        description_de = excluded.description_de, description_en = excluded.description_en
      returning id, uri`;
    for (const row of rows) ids.set(row.uri, row.id);
    done += part.length;
    onProgress?.(done, total);
  }

  const groupUris = new Set(seed.groups.map((group) => group.uri));
  const broader = seed.skills.flatMap((skill) =>
    skill.broader.filter((uri) => groupUris.has(uri)).map((uri) => ({ skill_id: ids.get(skill.uri) as string, group_uri: uri })),
  );
  for (const part of chunks(broader)) {
    await tx`insert into skill_broader ${tx(part)} on conflict do nothing`;
  }

  const labels: { skill_id: string; lang: string; label: string; normalized: string; is_preferred: boolean }[] = [];
  for (const skill of seed.skills) {
    const skillId = ids.get(skill.uri) as string;
    const seen = new Set<string>();
    const add = (lang: "de" | "en", label: string, isPreferred: boolean) => {
      const normalized = normalizeSkillLabel(label);
      if (!normalized || seen.has(`${lang}:${normalized}`)) return;
      seen.add(`${lang}:${normalized}`);
      labels.push({ skill_id: skillId, lang, label, normalized, is_preferred: isPreferred });
    };
    add("de", skill.de, true);
    add("en", skill.en, true);
    for (const label of expandGenderedLabel(skill.de)) add("de", label, false);
    for (const label of skill.altDe) add("de", label, false);
    for (const label of skill.altEn) add("en", label, false);
  }
  for (const part of chunks(labels, 2000)) {
    await tx`insert into skill_labels ${tx(part)} on conflict do nothing`;
    done += part.length * (seed.skills.length / Math.max(1, labels.length));
    onProgress?.(Math.round(done), total);
  }

  await tx`
    insert into seed_runs (name, checksum) values ('taxonomy', ${checksum})
    on conflict (name) do update set checksum = excluded.checksum, loaded_at = now()`;
  return { loaded: true as const, skills: seed.skills.length, groups: seed.groups.length, labels: labels.length };
}

type SkillRelationsSeed = { relations: Record<string, [string, number, string][]> };

/**
 * The related-skills relation (db/seed/skill-relations.json, built by scripts/build-skill-relations.ts), replaced
 * as a whole once per version of it and of the taxonomy. The file holds each pair once; both directions are stored.
 * Pairs naming a skill the database does not hold are left out. Returns the number of rows stored, or null when
 * this version was loaded before.
 */
async function loadSkillRelations(tx: Db, content: Buffer, taxonomyChecksum: string) {
  const checksum = crypto.createHash("sha256").update(content).update(taxonomyChecksum).digest("hex");
  const [loaded] = await tx<{ checksum: string }[]>`select checksum from seed_runs where name = 'skill-relations'`;
  if (loaded?.checksum === checksum) return null;
  const seed = JSON.parse(content.toString("utf8")) as SkillRelationsSeed;
  const pairs = Object.entries(seed.relations).flatMap(([uri, list]) =>
    list.map(([related, weight, source]) => ({ uri, related, weight, source })),
  );
  await tx`delete from skill_relations`;
  let stored = 0;
  for (const part of chunks(pairs, 5000)) {
    const rows = await tx`
      insert into skill_relations (skill_id, related_skill_id, weight, source)
      select d.skill_id, d.related_skill_id, p.weight, p.source
      from unnest(${part.map((pair) => pair.uri)}::text[], ${part.map((pair) => pair.related)}::text[],
                  ${part.map((pair) => pair.weight)}::real[], ${part.map((pair) => pair.source)}::text[]) p (uri, related, weight, source)
      join skills a on a.uri = p.uri
      join skills b on b.uri = p.related
      cross join lateral (values (a.id, b.id), (b.id, a.id)) d (skill_id, related_skill_id)
      returning 1`;
    stored += rows.length;
  }
  await tx`
    insert into seed_runs (name, checksum) values ('skill-relations', ${checksum})
    on conflict (name) do update set checksum = excluded.checksum, loaded_at = now()`;
  return stored;
}

/** ESCO writes German occupations as "Tischler/Tischlerin"; each half is a label of its own. */
function expandGenderedLabel(label: string): string[] {
  if (!label.includes("/")) return [];
  return label
    .split("/")
    .map((part) => part.trim())
    .filter((part) => part.length > 2);
}
