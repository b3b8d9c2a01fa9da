import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { openMemoryDatabase } from "../app/lib/db.server";
import { migrate } from "../app/lib/migrations.server";
import { loadTaxonomySeed } from "../app/modules/skills/taxonomy-seed.server";

declare module "vitest" {
  export interface ProvidedContext {
    templateDatabase: string;
    pgliteDump: string;
  }
}

/**
 * Prepares one migrated, seeded database that every test file copies: a template database on a real
 * PostgreSQL (DATABASE_URL), or a dumped PGlite data dir for the embedded one.
 */
export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL;
  if (url) {
    const template = `nl_template_${process.pid}`;
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists ${template}`);
    await admin.unsafe(`create database ${template}`);
    const templateUrl = new URL(url);
    templateUrl.pathname = `/${template}`;
    const sql = postgres(templateUrl.toString(), { max: 1, onnotice: () => {} });
    await migrate(sql);
    await loadTaxonomySeed(sql);
    await sql.end();
    project.provide("templateDatabase", template);
    project.provide("pgliteDump", "");
    return async () => {
      await admin.unsafe(`drop database if exists ${template} with (force)`).catch(() => {});
      await admin.end();
    };
  }
  const database = await openMemoryDatabase();
  await migrate(database.sql);
  await loadTaxonomySeed(database.sql);
  const dump = await database.dump();
  await database.close();
  const file = path.join(os.tmpdir(), `nl-pglite-template-${process.pid}.tar`);
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  project.provide("templateDatabase", "");
  project.provide("pgliteDump", file);
  return () => fs.rmSync(file, { force: true });
}
