// npm run search:reindex — rebuilds the search indexes (embedded, and Meilisearch when MEILI_HOST is set) from
// the database. Searches keep answering meanwhile: the embedded tables are upserted and then swept, and
// Meilisearch gets a fresh index that is swapped in atomically (swapIndexes). Settings are applied too.
import cliProgress from "cli-progress";
import { env } from "../app/lib/env.server";
import { reindexSearch, type ReindexProgress } from "../app/modules/search/search.server";
import { runCli } from "./lib/cli";

await runCli(async () => {
  const engines = env().MEILI_HOST ? `embedded + Meilisearch (${env().MEILI_HOST})` : "embedded";
  console.log(`Reindexing search: ${engines}`);
  const bars = new cliProgress.MultiBar(
    {
      format: "{name} [{bar}] {percentage}% | {value}/{total} | ETA {eta_formatted}",
      hideCursor: true,
      clearOnComplete: false,
      noTTYOutput: true,
      notTTYSchedule: 2000,
    },
    cliProgress.Presets.shades_classic,
  );
  const byName = new Map<string, cliProgress.SingleBar>();
  const onProgress = ({ engine, index, done, total }: ReindexProgress) => {
    const name = `${engine} ${index}`.padEnd(18);
    let bar = byName.get(name);
    if (total === 0) return;
    if (!bar) {
      bar = bars.create(total, 0, { name });
      byName.set(name, bar);
    }
    bar.setTotal(total);
    bar.update(done, { name });
  };
  try {
    const counts = await reindexSearch({ onProgress });
    bars.stop();
    console.log(`Reindexed ${counts.posts} posts and ${counts.people} people.`);
  } catch (error) {
    bars.stop();
    throw error;
  }
});
