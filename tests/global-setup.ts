import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { startThrowawayCluster } from "../app/lib/embedded-postgres.server";
import { migrate } from "../app/lib/migrations.server";
import { loadTaxonomySeed } from "../app/modules/skills/taxonomy-seed.server";

declare module "vitest" {
  export interface ProvidedContext {
    /** The server every test file creates its database on: DATABASE_URL, or the run's embedded PostgreSQL. */
    serverUrl: string;
    templateDatabase: string;
  }
}

/**
 * Prepares one migrated, seeded template database that every test file copies, on the PostgreSQL in DATABASE_URL
 * or else on an embedded PostgreSQL started for this run (and removed after it).
 */
export default async function setup(project: TestProject) {
  const throwaway = process.env.DATABASE_URL ? undefined : await startThrowawayCluster("test");
  const url = process.env.DATABASE_URL || throwaway!.url;
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
  project.provide("serverUrl", url);
  project.provide("templateDatabase", template);
  return async () => {
    await admin.unsafe(`drop database if exists ${template} with (force)`).catch(() => {});
    await admin.end();
    await throwaway?.stop();
  };
}
