// npm run admin:grant -- someone@example.org [--revoke] — names (or removes) an admin by email address.
import { setAdmin } from "../app/modules/accounts/accounts.server";
import { runCli } from "./lib/cli";

const email = process.argv.slice(2).find((arg) => !arg.startsWith("--"));
const revoke = process.argv.includes("--revoke");

await runCli(async () => {
  if (!email || !email.includes("@")) throw new Error("Usage: npm run admin:grant -- someone@example.org [--revoke]");
  const changed = await setAdmin(email, !revoke);
  if (!changed) throw new Error(`No account with the address ${email}. The person must sign in once first.`);
  console.log(`${email} is ${revoke ? "no longer" : "now"} an admin.`);
});
