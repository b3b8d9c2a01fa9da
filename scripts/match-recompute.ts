// npm run match:recompute — rebuilds every match from the posts and profiles (set-based SQL, one transaction;
// the site keeps showing the old matches until it commits). The outbox worker keeps them current afterwards.
import { recomputeAllMatches, RECOMPUTE_STEPS } from "../app/modules/matching/matching.server";
import { progressBar, runCli } from "./lib/cli";

await runCli(async () => {
  const started = performance.now();
  const bar = progressBar("Recomputing matches");
  bar.update(0, RECOMPUTE_STEPS.length);
  const result = await recomputeAllMatches((done) => bar.update(done, RECOMPUTE_STEPS.length));
  bar.stop();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `${result.matches} matches from ${result.sides} sides (${result.visiblePosts} open posts, ${result.pairs} candidate pairs) in ${seconds} s.`,
  );
});
