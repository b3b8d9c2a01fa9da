import type { Db } from "~/lib/db.server";

export async function skillLabelsByIds(sql: Db, ids: string[]) {
  if (ids.length === 0) return [];
  return sql<{ id: string; slug: string; label_de: string; label_en: string }[]>`
    select id, slug, label_de, label_en from skills where id = any(${ids}::bigint[])`;
}
