import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { migrate, MigrationError, readMigrationFiles } from "~/lib/migrations.server";
import { useTestDatabase } from "./helpers/database";

useTestDatabase();

function migrationsDir(files: Record<string, string>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nl-migrations-"));
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
  return dir;
}

describe("migrations", () => {
  it("has applied every project migration with its checksum", async () => {
    const rows = await db()<{ name: string; checksum: string }[]>`select name, checksum from schema_migrations order by name`;
    expect(rows.map((row) => ({ name: row.name, checksum: row.checksum }))).toEqual(
      readMigrationFiles().map((file) => ({ name: file.name, checksum: file.checksum })),
    );
  });

  it("applies each file once even when two processes start together", async () => {
    const dir = migrationsDir({ "9001_widgets.sql": "create table widgets (id int primary key);" });
    const [first, second] = await Promise.all([migrate(db(), { dir }), migrate(db(), { dir })]);
    expect([...first, ...second]).toEqual(["9001_widgets.sql"]);
    expect(await migrate(db(), { dir })).toEqual([]);
  });

  it("refuses an applied file that was edited, naming it, and applies nothing", async () => {
    const dir = migrationsDir({ "9101_gadgets.sql": "create table gadgets (id int);" });
    await migrate(db(), { dir });
    fs.writeFileSync(path.join(dir, "9101_gadgets.sql"), "create table gadgets (id bigint);");
    fs.writeFileSync(path.join(dir, "9102_more.sql"), "create table more_gadgets (id int);");
    await expect(migrate(db(), { dir })).rejects.toThrow(MigrationError);
    await expect(migrate(db(), { dir })).rejects.toThrow(/9101_gadgets\.sql/);
    expect(await db()`select 1 from schema_migrations where name = '9102_more.sql'`).toHaveLength(0);
  });

  it("rolls back a failing file as a whole", async () => {
    const dir = migrationsDir({ "9201_broken.sql": "create table half_done (id int); select * from no_such_table;" });
    await expect(migrate(db(), { dir })).rejects.toThrow(/9201_broken\.sql/);
    expect(await db()`select 1 from information_schema.tables where table_name = 'half_done'`).toHaveLength(0);
  });
});
