import type { Db } from "./db.server";

/*
 * Rebuilding a large table in one go: fill a shadow table `<table>_next` without indexes (COPY is fastest into a
 * bare table), build its indexes afterwards as the migrations defined them on the live table (one sort each
 * instead of a million index insertions), then swap the two by renaming. Readers see the old rows until the
 * caller's transaction commits and wait only for its last moments.
 */

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

function checked(name: string) {
  if (!IDENTIFIER.test(name)) throw new Error(`unexpected table or index name: ${name}`);
  return name;
}

/** A fresh, empty shadow table with the live table's columns, defaults and checks, and no indexes. */
export async function createShadowTable(sql: Db, table: string) {
  const live = checked(table);
  await sql.unsafe(`drop table if exists ${live}_next`);
  await sql.unsafe(`create table ${live}_next (like ${live} including defaults including constraints)`);
  return `${live}_next`;
}

/** Builds the live table's indexes and constraints on the shadow table, then swaps them in by renaming. */
export async function swapInShadowTable(sql: Db, table: string) {
  const live = checked(table);
  const shadow = `${live}_next`;
  const indexes = await sql<{ name: string; definition: string; constraint_definition: string | null }[]>`
    select i.relname as name, pg_get_indexdef(x.indexrelid) as definition, pg_get_constraintdef(c.oid) as constraint_definition
    from pg_index x
    join pg_class i on i.oid = x.indexrelid
    left join pg_constraint c on c.conindid = x.indexrelid and c.conrelid = x.indrelid
    where x.indrelid = ${live}::regclass`;
  for (const index of indexes) {
    checked(index.name);
    if (index.constraint_definition) {
      await sql.unsafe(`alter table ${shadow} add constraint ${index.name}_next ${index.constraint_definition}`);
      continue;
    }
    const definition = index.definition.replace(
      new RegExp(`INDEX ${index.name} ON (public\\.)?${live} `),
      `INDEX ${index.name}_next ON ${shadow} `,
    );
    if (definition === index.definition) throw new Error(`cannot rebuild index ${index.name}: ${index.definition}`);
    await sql.unsafe(definition);
  }
  await sql.unsafe(`analyze ${shadow}`);
  // From here to the commit, readers of the live table wait: keep it to renames.
  await sql.unsafe(`drop table ${live}`);
  await sql.unsafe(`alter table ${shadow} rename to ${live}`);
  for (const index of indexes) {
    if (index.constraint_definition) await sql.unsafe(`alter table ${live} rename constraint ${index.name}_next to ${index.name}`);
    else await sql.unsafe(`alter index ${index.name}_next rename to ${index.name}`);
  }
}
