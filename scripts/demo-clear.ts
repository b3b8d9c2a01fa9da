// npm run demo:clear — removes all demo people and their posts; real data stays.
import { clearDemo } from "../app/modules/demo/demo.server";
import { runCli } from "./lib/cli";

await runCli(async () => {
  const result = await clearDemo();
  console.log(`Removed ${result.people} demo people and ${result.posts} demo posts.`);
});
