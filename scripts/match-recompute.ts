// npm run match:recompute — rebuilds every match from the posts and profiles (read once, computed in memory,
// written in batches in one transaction; the site keeps showing the old matches until it commits). The outbox
// worker keeps them current afterwards.
import { recomputeAllMatches, type RecomputeStep } from "../app/modules/matching/matching.server";
import { progressBar, runCli } from "./lib/cli";

const STEP_NAMES: Record<RecomputeStep, string> = {
  sides: "Read posts and profiles",
  weights: "Rarity weights and groups",
  matching: "Scored and selected matches",
  write: "Writing matches",
};

await runCli(async () => {
  const started = performance.now();
  const bar = progressBar(STEP_NAMES.write);
  const result = await recomputeAllMatches(({ step, done, total }) => {
    if (step === "write") bar.update(done, total);
    else console.log(`✓ ${STEP_NAMES[step]} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  });
  bar.stop();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `${result.matches} matches from ${result.sides} sides (${result.visiblePosts} open posts, ${result.pairs} candidate pairs) in ${seconds} s.`,
  );
});
