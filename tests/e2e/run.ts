/**
 * npm run test:e2e — the app as a person sees it: the production build on the embedded defaults, driven in
 * Debian's Chromium through playwright-core. Each journey asserts what the person sees; screenshots of the main
 * pages land in test-artifacts/e2e/ (not committed). Ends with "e2e: N passed, N failed".
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { freePort } from "../../scripts/lib/servers";

const ARTIFACTS = path.resolve("test-artifacts/e2e");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ADMIN = "anna@example.org";
const SECOND = "ben@example.org";

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

async function startServer(): Promise<{ url: string; process: ChildProcess; dataDir: string }> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "nl-e2e-"));
  const url = `http://127.0.0.1:${port}`;
  const child = spawn("node", ["scripts/start.mjs"], {
    env: {
      ...process.env,
      DATABASE_URL: "",
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      APP_URL: url,
      DATA_DIR: dataDir,
      DEMO_DATA: "off",
      ADMIN_EMAILS: ADMIN,
      RESEND_API_KEY: "",
      MEILI_HOST: "",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const log = fs.createWriteStream(path.join(ARTIFACTS, "server.log"));
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  for (let attempt = 0; attempt < 600; attempt++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}; see ${ARTIFACTS}/server.log`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return { url, process: child, dataDir };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error("server did not become healthy");
}

async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

async function expectText(page: Page, text: string | RegExp, timeout = 10_000) {
  await page.getByText(text).first().waitFor({ state: "visible", timeout });
}

/** Reloads until the text shows up: matches and search follow the database through background workers. */
async function eventuallyText(page: Page, text: string | RegExp, seconds = 30) {
  for (let attempt = 0; attempt < seconds; attempt++) {
    if ((await page.getByText(text).count()) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await page.reload();
  }
  throw new Error(`"${text}" did not appear on ${page.url()}`);
}

async function signIn(page: Page, base: string, email: string) {
  await page.goto(`${base}/login`);
  await page.getByLabel(/E-Mail-Adresse|Email address/).fill(email);
  await page.getByRole("button", { name: /Anmeldelink senden|Send sign-in link/ }).click();
  await expectText(page, /Schau in dein Postfach|Check your inbox/);
  const link = await latestMailLink(page, base, email, /login\/verify/);
  await page.goto(link);
  await page.getByRole("button", { name: /Jetzt anmelden|Sign in now/ }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
}

/** Opens /dev/mail as a person would and follows the newest mail to `email`, returning the first link matching. */
async function latestMailLink(page: Page, base: string, email: string, pattern: RegExp) {
  for (let attempt = 0; attempt < 20; attempt++) {
    await page.goto(`${base}/dev/mail`);
    const row = page.getByRole("row").filter({ hasText: email }).first();
    if ((await row.count()) > 0) {
      await row.getByRole("link").click();
      const text = (await page.locator("pre.mail-text").first().textContent()) ?? "";
      const link = text.split(/\s+/).find((word) => pattern.test(word));
      if (link) return link;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`no mail for ${email} with a link like ${pattern}`);
}

async function fillProfile(page: Page, base: string, fields: { name: string; role: RegExp; district: string; offers: string; seeks: string }) {
  await page.goto(`${base}/profile`);
  await page.getByLabel(/Anzeigename|Display name/).fill(fields.name);
  await page.getByRole("radio", { name: fields.role }).check();
  await page.getByLabel(/^Stadtteil|^District/).selectOption(fields.district);
  await page.getByLabel(/Fähigkeiten, die ich anbiete|Skills I offer/).fill(fields.offers);
  await page.getByLabel(/Fähigkeiten, die ich suche|Skills I am looking for/).fill(fields.seeks);
  await page.getByRole("button", { name: /^Speichern$|^Save$/ }).click();
  await expectText(page, /Profil gespeichert|Profile saved/);
}

async function createPost(page: Page, base: string, post: { kind: RegExp; title: string; description: string; skills: string; category: string; location: string; exchange: string }) {
  await page.goto(`${base}/posts/new`);
  await page.getByRole("radio", { name: post.kind }).check();
  await page.getByLabel(/^Titel|^Title/).fill(post.title);
  await page.getByLabel(/^Beschreibung|^Description/).fill(post.description);
  await page.getByLabel(/^Fähigkeiten|^Skills/).fill(post.skills);
  await page.getByLabel(/^Kategorie|^Category/).selectOption(post.category);
  await page.getByLabel(/^Ort|^Place/).selectOption(post.location);
  await page.getByLabel(/^Gegenleistung|^In exchange/).selectOption(post.exchange);
  await page.getByRole("button", { name: /Veröffentlichen|Publish/ }).click();
  await expectText(page, /Beitrag gespeichert|Post saved/);
  return page.url().split("?")[0];
}

async function checkAccessibility(page: Page, name: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
  assert(serious.length === 0, `${name}: ${serious.map((violation) => `${violation.id} (${violation.nodes.length}×: ${violation.nodes[0]?.target.join(" ")})`).join(", ")}`);
}

type Journey = { name: string; run: () => Promise<void> };

async function main() {
  fs.rmSync(ARTIFACTS, { recursive: true, force: true });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const server = await startServer();
  const base = server.url;
  let browser: Browser | undefined;
  const results: { name: string; error?: string }[] = [];
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      // Playwright gives every launch a fresh --user-data-dir of its own (it refuses one passed here).
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
      headless: true,
    });
    const anna: BrowserContext = await browser.newContext({ locale: "de-DE" });
    const ben: BrowserContext = await browser.newContext({ locale: "en-GB" });
    const a = await anna.newPage();
    const b = await ben.newPage();
    const state: { offerUrl?: string; needUrl?: string } = {};

    const journeys: Journey[] = [
      {
        name: "the home page is German, with security headers",
        run: async () => {
          const response = await a.goto(base);
          assert(response?.status() === 200, "home page status");
          const headers = response.headers();
          assert(/nonce-/.test(headers["content-security-policy"] ?? ""), "CSP with nonce");
          assert(headers["x-content-type-options"] === "nosniff", "nosniff");
          assert(/frame-ancestors 'none'/.test(headers["content-security-policy"] ?? ""), "frame-ancestors none");
          await expectText(a, "Finde die Menschen, mit denen du in Leipzig etwas baust.");
          await expectText(a, "This service uses the ESCO classification of the European Commission.");
          await screenshot(a, "home");
        },
      },
      {
        name: "sign in through the link at /dev/mail and fill the profile",
        run: async () => {
          await signIn(a, base, ADMIN);
          assert(new URL(a.url()).pathname === "/profile", `after first sign-in expected /profile, got ${a.url()}`);
          await fillProfile(a, base, { name: "Anna Holz", role: /Handwerk/, district: "Plagwitz", offers: "Holzbearbeitung, CNC-Fräsen", seeks: "Fotografie" });
          await screenshot(a, "profile");
        },
      },
      {
        name: "post an offer and a need",
        run: async () => {
          state.offerUrl = await createPost(a, base, {
            kind: /Angebot/,
            title: "Holzwerkstatt mit CNC-Fräse",
            description: "Unsere Werkstatt in Plagwitz ist stundenweise nutzbar.\nMehr unter https://example.org/werkstatt",
            skills: "Holzbearbeitung, CNC-Fräsen",
            category: "equipment",
            location: "Plagwitz",
            exchange: "paid",
          });
          await expectText(a, "Holzbearbeitung");
          assert((await a.getByRole("link", { name: "https://example.org/werkstatt" }).count()) === 1, "link in the description is clickable");
          await screenshot(a, "post");
          await createPost(a, base, {
            kind: /Gesuch/,
            title: "Fotograf*in für Werkstattbilder",
            description: "Für unsere neue Website.",
            skills: "Fotografie",
            category: "knowhow",
            location: "remote",
            exchange: "barter",
          });
        },
      },
      {
        name: "search with a typo and with facets",
        run: async () => {
          await a.goto(`${base}/search?q=Holzbearbeitng`);
          await eventuallyText(a, "Holzwerkstatt mit CNC-Fräse");
          await a.goto(`${base}/search?q=timber+construction`);
          await a.goto(`${base}/search?q=Werkst%C3%A4tten`);
          await eventuallyText(a, "Holzwerkstatt mit CNC-Fräse");
          await a.goto(`${base}/search`);
          // The index follows the database through the search worker: wait until both posts are in.
          await eventuallyText(a, "Fotograf*in für Werkstattbilder");
          await a.getByRole("checkbox", { name: /Gesuch/ }).first().click();
          // With JavaScript the filter applies at once; without it, "Filter anwenden" does.
          await a.waitForURL(/kind=need/, { timeout: 5000 }).catch(async () => {
            await a.getByRole("button", { name: /Filter anwenden/ }).click();
            await a.waitForURL(/kind=need/);
          });
          assert(await a.getByRole("checkbox", { name: /Gesuch/ }).first().isChecked(), "the facet stays ticked after filtering");
          await expectText(a, "Fotograf*in für Werkstattbilder");
          assert((await a.getByText("Holzwerkstatt mit CNC-Fräse").count()) === 0, "the kind facet filters offers out");
          await screenshot(a, "search");
        },
      },
      {
        name: "a second person's post appears in the first person's matches with its reason",
        run: async () => {
          await signIn(b, base, SECOND);
          await fillProfile(b, base, { name: "Ben Maker", role: /Startup/, district: "Lindenau", offers: "photography", seeks: "woodworking" });
          state.needUrl = await createPost(b, base, {
            kind: /Need/,
            title: "looking for help with woodworking",
            description: "We are building furniture for our cafe.",
            skills: "woodworking",
            category: "knowhow",
            location: "Lindenau",
            exchange: "volunteer",
          });
          await a.goto(`${base}/matches`);
          await eventuallyText(a, "looking for help with woodworking");
          await expectText(a, /sucht Holzbearbeitung/);
          await screenshot(a, "matches");
        },
      },
      {
        name: "the digest is sent and read at /dev/mail; one-click unsubscribe turns it off",
        run: async () => {
          await a.goto(`${base}/admin/digests`);
          await a.getByRole("button", { name: "Jetzt senden" }).click();
          await expectText(a, /Lauf beendet: [1-9]\d* gesendet/);
          await a.goto(`${base}/dev/mail`);
          await a.getByRole("row").filter({ hasText: ADMIN }).filter({ hasText: /Match/ }).first().getByRole("link").click();
          const text = (await a.locator("pre.mail-text").first().textContent()) ?? "";
          assert(text.includes("looking for help with woodworking"), "the digest names the matching need");
          const headers = (await a.locator("pre.mail-text").nth(1).textContent()) ?? "";
          assert(headers.includes("List-Unsubscribe-Post: List-Unsubscribe=One-Click"), "one-click header");
          const unsubscribe = /List-Unsubscribe: <([^>]+)>/.exec(headers)?.[1];
          assert(unsubscribe, "List-Unsubscribe header with a link");
          await screenshot(a, "digest-email");
          const anonymous = await browser!.newContext();
          const response = await anonymous.request.post(unsubscribe, { form: { "List-Unsubscribe": "One-Click" } });
          assert(response.ok(), `one-click unsubscribe answered ${response.status()}`);
          await anonymous.close();
          await a.goto(`${base}/profile`);
          assert(await a.getByRole("radio", { name: "aus" }).isChecked(), "digest frequency is off after one click");
        },
      },
      {
        name: "contact request and reply",
        run: async () => {
          const annaProfile = await a.goto(`${base}/profile`).then(() => a.getByRole("link", { name: /Öffentliches Profil/ }).getAttribute("href"));
          await b.goto(`${base}${annaProfile}`);
          await b.getByRole("link", { name: "Get in touch" }).click();
          await b.getByLabel("Message").fill("Hi Anna, could you help us build two tables?");
          await b.getByRole("button", { name: "Send request" }).click();
          await expectText(b, "Request sent.");
          assert((await b.getByText(ADMIN).count()) === 0, "the sender does not see the recipient's address");
          await a.goto(`${base}/inbox`);
          await a.getByRole("link", { name: /von Ben Maker/ }).click();
          await a.getByRole("button", { name: /Annehmen/ }).click();
          await expectText(a, SECOND);
          await a.getByLabel("Antwort").fill("Gern! Komm am Freitag vorbei.");
          await a.getByRole("button", { name: "Senden" }).click();
          await expectText(a, "Nachricht gesendet.");
          await screenshot(a, "inbox");
          await b.goto(`${base}/inbox`);
          await b.getByRole("link", { name: /to Anna Holz/ }).click();
          await expectText(b, "Gern! Komm am Freitag vorbei.");
          await expectText(b, ADMIN);
        },
      },
      {
        name: "switch to English, sign out and in again",
        run: async () => {
          await a.goto(base);
          await a.getByRole("button", { name: /Sprache: English/ }).click();
          await expectText(a, "Find the people you build things with in Leipzig.");
          await a.getByRole("button", { name: "Sign out" }).click();
          await expectText(a, "You are signed out.");
          await signIn(a, base, ADMIN);
          await a.goto(`${base}/profile`);
          assert((await a.getByLabel("Display name").inputValue()) === "Anna Holz", "profile kept after signing in again");
        },
      },
      {
        name: "sign-in and posting with the keyboard alone",
        run: async () => {
          const context = await browser!.newContext({ locale: "de-DE" });
          const page = await context.newPage();
          await page.goto(`${base}/login`);
          await page.keyboard.press("Tab");
          // Tab through the page to the email field, type, and press Enter.
          for (let step = 0; step < 30 && !(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.type === "email")); step++) {
            await page.keyboard.press("Tab");
          }
          await page.keyboard.type("keyboard@example.org");
          await page.keyboard.press("Enter");
          await expectText(page, "Schau in dein Postfach");
          const link = await latestMailLink(page, base, "keyboard@example.org", /login\/verify/);
          await page.goto(link);
          await page.keyboard.press("Enter");
          await page.waitForURL(/\/profile/);
          const tabTo = async (selector: string) => {
            for (let step = 0; step < 80; step++) {
              if (await page.evaluate((wanted) => document.activeElement?.matches(wanted) ?? false, selector)) return;
              await page.keyboard.press("Tab");
            }
            throw new Error(`could not reach ${selector} with Tab`);
          };
          await tabTo("input[name=displayName]");
          await page.keyboard.type("Kim Keyboard");
          await tabTo("input[name=role]");
          await page.keyboard.press("Space");
          await tabTo("select[name=district]");
          await page.keyboard.press("ArrowDown");
          await tabTo("input[name=skillsOffered]");
          await page.keyboard.type("Siebdruck");
          await tabTo("button[type=submit]:not([name])");
          await page.keyboard.press("Enter");
          await expectText(page, "Profil gespeichert.");
          await page.goto(`${base}/posts/new`);
          await tabTo("input[name=kind]");
          await page.keyboard.press("Space");
          await tabTo("input[name=title]");
          await page.keyboard.type("Siebdruck-Workshop mit der Tastatur");
          await tabTo("textarea[name=description]");
          await page.keyboard.type("Ein Abend Siebdruck für alle.");
          await tabTo("input[name=skills]");
          await page.keyboard.type("Siebdruck");
          for (const name of ["category", "location", "exchangeMode"]) {
            await tabTo(`select[name=${name}]`);
            await page.keyboard.press("ArrowDown");
          }
          await tabTo("form.stack button[type=submit]");
          await page.keyboard.press("Enter");
          await expectText(page, "Beitrag gespeichert.");
          await expectText(page, "Siebdruck-Workshop mit der Tastatur");
          await context.close();
        },
      },
      {
        name: "no serious or critical accessibility violations on the main pages",
        run: async () => {
          const pages: [string, string][] = [
            ["home", "/"],
            ["search", "/search?q=Holz"],
            ["post", new URL(state.offerUrl ?? `${base}/`).pathname],
            ["profile", "/profile"],
            ["matches", "/matches"],
            ["inbox", "/inbox"],
            ["settings", "/account"],
            ["stats", "/stats"],
          ];
          const problems: string[] = [];
          for (const [name, pathname] of pages) {
            await a.goto(`${base}${pathname}`);
            try {
              await checkAccessibility(a, name);
            } catch (error) {
              problems.push((error as Error).message);
            }
            await screenshot(a, `a11y-${name}`);
          }
          assert(problems.length === 0, problems.join(" | "));
        },
      },
    ];

    for (const journey of journeys) {
      const started = Date.now();
      try {
        await journey.run();
        results.push({ name: journey.name });
        console.log(`  ✓ ${journey.name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      } catch (error) {
        const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
        results.push({ name: journey.name, error: message });
        console.log(`  ✗ ${journey.name}\n      ${message}`);
        await screenshot(a, `failure-${results.length}`).catch(() => {});
        await screenshot(b, `failure-${results.length}-second`).catch(() => {});
      }
    }
  } finally {
    await browser?.close().catch(() => {});
    server.process.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 1000));
    fs.rmSync(server.dataDir, { recursive: true, force: true });
  }
  const failed = results.filter((result) => result.error).length;
  console.log(`\nScreenshots: ${ARTIFACTS}`);
  console.log(`e2e: ${results.length - failed} passed, ${failed} failed`);
  process.exit(failed === 0 && results.length > 0 ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  console.log("e2e: 0 passed, 1 failed");
  process.exit(1);
});
