// npm run seed:demo — fills an empty database with demo people and posts for Leipzig (marked as demo).
import { db } from "../app/lib/db.server";
import { seedDemo } from "../app/modules/demo/demo.server";
import { progressBar, runCli } from "./lib/cli";

await runCli(async () => {
  const [{ count }] = await db()<[{ count: number }]>`select count(*)::int as count from users where not is_demo`;
  const [{ demo }] = await db()<[{ demo: number }]>`select count(*)::int as demo from users where is_demo`;
  if (demo > 0) {
    console.log(`Demo data is already there (${demo} demo people). Run npm run demo:clear first to seed it again.`);
    return;
  }
  if (count > 0) console.log(`Note: the database already holds ${count} real people; demo data is added beside them.`);
  const bar = progressBar("Seeding demo data");
  const result = await seedDemo((done, total) => bar.update(done, total));
  bar.stop();
  console.log(`Seeded ${result.people} demo people and ${result.posts} demo posts.`);
});
