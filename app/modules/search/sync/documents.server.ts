import type { Db } from "~/lib/db.server";
import { boroughOfDistrict } from "~/lib/reference";
import { normalizeSkillLabel } from "~/modules/skills/normalize";
import * as queries from "./queries.server";
import type { PersonDocument, PostDocument, SkillOnDocument } from "../types";

/** Labels per skill carried in a document; beyond that the long ESCO lists add noise, not recall. */
const LABELS_PER_SKILL = 40;

// Control characters in stored text would confuse highlighting and some engines; documents never carry them.
const stripControl = (text: string) => text.replace(/[\p{Cc}\p{Cf}]/gu, (char) => (char === "\n" || char === "\t" ? " " : ""));

/** Title words that carry symbols (C#, C++), as normalised keys, so "C#" finds "Suche C#-Hilfe" too. */
function symbolKeys(text: string): string[] {
  return (text.match(/[\p{L}\p{N}][\p{L}\p{N}.+#-]*[#+]+/gu) ?? []).map(normalizeSkillLabel).filter(Boolean);
}

type SkillTexts = {
  labels_de: string[];
  labels_en: string[];
  alt: string[];
  keys: string[];
};

async function skillTexts(sql: Db, skills: { id: string; label_de: string; label_en: string }[]): Promise<Map<string, SkillTexts>> {
  const ids = [...new Set(skills.map((skill) => skill.id))];
  const labels = await queries.labelsOfSkills(sql, ids, LABELS_PER_SKILL);
  const result = new Map<string, SkillTexts>();
  for (const skill of skills) {
    if (result.has(skill.id)) continue;
    const preferred = new Set([skill.label_de, skill.label_en]);
    const own = labels.filter((label) => label.skill_id === skill.id);
    result.set(skill.id, {
      labels_de: [skill.label_de],
      labels_en: [skill.label_en],
      alt: [...new Set(own.map((label) => label.label).filter((label) => !preferred.has(label)))],
      keys: [
        ...new Set([normalizeSkillLabel(skill.label_de), normalizeSkillLabel(skill.label_en), ...own.map((label) => label.normalized)]),
      ].filter(Boolean),
    });
  }
  return result;
}

function gather(skills: SkillOnDocument[], texts: Map<string, SkillTexts>) {
  const unique = (values: string[]) => [...new Set(values)];
  const all = skills.map((skill) => texts.get(skill.id)).filter((entry): entry is SkillTexts => Boolean(entry));
  return {
    skill_labels_de: unique(all.flatMap((entry) => entry.labels_de)),
    skill_labels_en: unique(all.flatMap((entry) => entry.labels_en)),
    skill_alt_labels: unique(all.flatMap((entry) => entry.alt)),
    skill_keys: unique(all.flatMap((entry) => entry.keys)),
  };
}

const toSkill = (row: queries.TaggedSkillRow): SkillOnDocument => ({
  id: row.id,
  slug: row.slug,
  label_de: row.label_de,
  label_en: row.label_en,
});

/**
 * Documents for the posts among `ids` that are visible now; the other ids (closed, hidden, expired, deleted,
 * author banned) are returned as `removed`.
 */
export async function buildPostDocuments(sql: Db, ids: string[]): Promise<{ documents: PostDocument[]; removed: string[] }> {
  const unique = [...new Set(ids)];
  const rows = await queries.visiblePostRows(sql, unique);
  const tagged = await queries.skillsOfPosts(
    sql,
    rows.map((row) => row.id),
  );
  const texts = await skillTexts(sql, tagged);
  const documents = rows.map((row): PostDocument => {
    const skills = tagged.filter((skill) => skill.owner_id === row.id).map(toSkill);
    const gathered = gather(skills, texts);
    const title = stripControl(row.title);
    const description = stripControl(row.description);
    return {
      id: row.id,
      kind: row.kind,
      title,
      description,
      category: row.category,
      district: row.district,
      borough: boroughOfDistrict(row.district) ?? null,
      is_remote: row.is_remote,
      exchange_mode: row.exchange_mode,
      status: row.status,
      author_id: row.author_id,
      author_name: row.author_name,
      author_role: row.author_role,
      skill_ids: skills.map((skill) => skill.id),
      ...gathered,
      skill_keys: [...new Set([...gathered.skill_keys, ...symbolKeys(`${title} ${description}`)])],
      skills,
      created_at: new Date(row.created_at).toISOString(),
      created_at_ts: Math.floor(new Date(row.created_at).getTime() / 1000),
      expires_at: new Date(row.expires_at).toISOString(),
      expires_at_ts: Math.floor(new Date(row.expires_at).getTime() / 1000),
    };
  });
  const kept = new Set(documents.map((document) => document.id));
  return { documents, removed: unique.filter((id) => !kept.has(id)) };
}

/** Documents for the people among `ids` with a profile who are not banned; the rest are `removed`. */
export async function buildPersonDocuments(sql: Db, ids: string[]): Promise<{ documents: PersonDocument[]; removed: string[] }> {
  const unique = [...new Set(ids)];
  const rows = await queries.visiblePersonRows(sql, unique);
  const tagged = await queries.skillsOfPeople(
    sql,
    rows.map((row) => row.id),
  );
  const texts = await skillTexts(sql, tagged);
  const documents = rows.map((row): PersonDocument => {
    const own = tagged.filter((skill) => skill.owner_id === row.id);
    const skills = own.map((skill) => ({ ...toSkill(skill), direction: skill.direction }));
    const gathered = gather(skills, texts);
    const bio = stripControl(row.bio);
    return {
      id: row.id,
      display_name: stripControl(row.display_name),
      role: row.role,
      bio,
      district: row.district,
      borough: boroughOfDistrict(row.district) ?? null,
      remote_ok: row.remote_ok,
      skill_ids: [...new Set(skills.map((skill) => skill.id))],
      offered_skill_ids: own.filter((skill) => skill.direction === "offer").map((skill) => skill.id),
      sought_skill_ids: own.filter((skill) => skill.direction === "seek").map((skill) => skill.id),
      ...gathered,
      skill_keys: [...new Set([...gathered.skill_keys, ...symbolKeys(bio)])],
      skills,
      created_at: new Date(row.created_at).toISOString(),
      created_at_ts: Math.floor(new Date(row.created_at).getTime() / 1000),
    };
  });
  const kept = new Set(documents.map((document) => document.id));
  return { documents, removed: unique.filter((id) => !kept.has(id)) };
}

/** Relations at least this close become one-way synonyms in Meilisearch (the embedded engine ranks them itself). */
const SYNONYM_RELATION_WEIGHT = 0.5;
const RELATED_SYNONYMS_PER_SKILL = 4;

/**
 * Synonyms for Meilisearch from the taxonomy: each label of a skill points at the skill's other labels in
 * both languages (curated skills and skills in use; at most 12 labels per skill, 3 words per label), and, one
 * way, at the preferred labels of its closely related skills (skill_relations, weight ≥ 0.5): "carpentry"
 * also finds "Holzbau" posts, as the embedded engine's neighbouring skills do.
 */
export async function buildSynonyms(sql: Db): Promise<Record<string, string[]>> {
  const [rows, relations] = await Promise.all([queries.synonymSourceLabels(sql), queries.synonymRelations(sql, SYNONYM_RELATION_WEIGHT)]);
  const bySkill = new Map<string, string[]>();
  for (const row of rows) {
    const label = row.label.toLowerCase();
    if (label.split(/\s+/).length > 3) continue;
    const labels = bySkill.get(row.skill_id) ?? [];
    if (labels.length < 12 && !labels.includes(label)) labels.push(label);
    bySkill.set(row.skill_id, labels);
  }
  const synonyms: Record<string, string[]> = {};
  for (const labels of bySkill.values()) {
    if (labels.length < 2) continue;
    for (const label of labels) {
      const others = labels.filter((other) => other !== label);
      synonyms[label] = [...new Set([...(synonyms[label] ?? []), ...others])];
    }
  }
  const relatedLabels = new Map<string, string[]>();
  for (const row of relations) {
    const labels = relatedLabels.get(row.skill_id) ?? [];
    if (labels.length < RELATED_SYNONYMS_PER_SKILL * 2) labels.push(row.label_de.toLowerCase(), row.label_en.toLowerCase());
    relatedLabels.set(row.skill_id, labels);
  }
  for (const [skillId, related] of relatedLabels) {
    for (const label of bySkill.get(skillId) ?? []) {
      const extra = related.filter((other) => other !== label && other.split(/\s+/).length <= 3);
      if (extra.length) synonyms[label] = [...new Set([...(synonyms[label] ?? []), ...extra])];
    }
  }
  return synonyms;
}
