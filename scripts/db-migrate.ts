// npm run db:migrate — applies pending migrations (and the skills taxonomy seed), as the server does at start-up.
import { runCli } from "./lib/cli";

await runCli(async () => {
  console.log("Database is up to date.");
});
