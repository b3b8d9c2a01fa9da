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
import sharp from "sharp";
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
      // The production build in development mode: the journeys read their emails at /dev/mail, which exists only
      // in development.
      NODE_ENV: "development",
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

/**
 * Signs in as a newcomer would: the form, then /dev/mail, then the link inside the email itself. In the browser
 * that asked for the link, the link signs in at once; `otherDevice` opens it in a fresh browser context instead,
 * where the page asks for the "sign in now" click (a mail scanner without the cookie cannot use the token up).
 */
async function signIn(page: Page, base: string, email: string, options: { otherDevice?: boolean } = {}) {
  await page.goto(`${base}/login`);
  await page.getByLabel(/E-Mail-Adresse|Email address/).fill(email);
  await page.getByRole("button", { name: /Anmeldelink senden|Send sign-in link/ }).click();
  await expectText(page, /Schau in dein Postfach|Check your inbox/);
  if (options.otherDevice) {
    await openLatestMail(page, base, email, /Anmeldelink|sign-in link/);
    const href = await page
      .frameLocator("iframe.mail-frame")
      .getByRole("link", { name: /^Anmelden$|^Sign in$/ })
      .getAttribute("href");
    // Another device has no cookie from the sign-in form.
    await page.context().clearCookies({ name: "nl_login_browser" });
    await page.goto(new URL(href!, base).href);
    await page.getByRole("button", { name: /Jetzt anmelden|Sign in now/ }).click();
  } else {
    await openLatestMail(page, base, email, /Anmeldelink|sign-in link/);
    await page
      .frameLocator("iframe.mail-frame")
      .getByRole("link", { name: /^Anmelden$|^Sign in$/ })
      .click();
  }
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
}

/** Opens /dev/mail as a person would and clicks the newest mail to `email` whose subject matches. */
async function openLatestMail(page: Page, base: string, email: string, subject: RegExp = /./) {
  for (let attempt = 0; attempt < 20; attempt++) {
    await page.goto(`${base}/dev/mail`);
    const row = page.getByRole("row").filter({ hasText: email }).filter({ hasText: subject }).first();
    if ((await row.count()) > 0) {
      await row.getByRole("link").click();
      await page.locator(".mail-text").first().waitFor();
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`no mail for ${email} with a subject like ${subject}`);
}

/** The first link in the newest mail's text version that matches `pattern`. */
async function latestMailLink(page: Page, base: string, email: string, pattern: RegExp) {
  await openLatestMail(page, base, email);
  const text = (await page.locator(".mail-text").first().textContent()) ?? "";
  const link = text.split(/\s+/).find((word) => pattern.test(word));
  if (!link) throw new Error(`no link like ${pattern} in the mail to ${email}`);
  return link;
}

/**
 * Chooses a skill in a skill picker with the keyboard alone: types, walks the suggestions with ArrowDown until
 * the wanted one is active, presses Enter, and checks that it became a chip.
 */
async function chooseSkillWithKeyboard(page: Page, field: string, typed: string, wanted: RegExp) {
  const input = page.locator(`#field-${field}`);
  await input.focus();
  await page.keyboard.type(typed, { delay: 20 });
  const list = page.locator(`#field-${field}-suggestions`);
  await list.locator("[role=option]").first().waitFor({ state: "visible", timeout: 10_000 });
  for (let step = 0; step < 10; step++) {
    await page.keyboard.press("ArrowDown");
    const activeId = await input.getAttribute("aria-activedescendant");
    const text = activeId ? ((await page.locator(`[id="${activeId}"]`).textContent()) ?? "") : "";
    if (wanted.test(text)) {
      await page.keyboard.press("Enter");
      await page.locator(`#field-${field}-chips .chip`).filter({ hasText: wanted }).first().waitFor({ timeout: 5000 });
      return;
    }
  }
  throw new Error(`no suggestion like ${wanted} for "${typed}"`);
}

async function fillProfile(
  page: Page,
  base: string,
  fields: { name: string; role: RegExp; district: string; offers: string; seeks: string },
) {
  await page.goto(`${base}/profile`);
  await page.getByLabel(/Anzeigename|Display name/).fill(fields.name);
  await page.getByRole("radio", { name: fields.role }).check();
  await page.getByLabel(/^Stadtteil|^District/).selectOption(fields.district);
  // Typed commas turn the words before them into chips; the rest is sent as typed.
  await page.getByLabel(/Fähigkeiten, die ich anbiete|Skills I offer/).fill(fields.offers);
  await page.getByLabel(/Fähigkeiten, die ich suche|Skills I am looking for/).fill(fields.seeks);
  await page.getByRole("button", { name: /^Speichern$|^Save$/ }).click();
  await expectText(page, /Profil gespeichert|Profile saved/);
}

async function createPost(
  page: Page,
  base: string,
  post: { kind: RegExp; title: string; description: string; skills: string; category: string; location: string; exchange: string },
) {
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
  // Every impact counts, minor ones too: the issue asks for zero violations.
  const found = results.violations;
  assert(
    found.length === 0,
    `${name}: ${found.map((violation) => `${violation.id}/${violation.impact} (${violation.nodes.length}×: ${violation.nodes[0]?.target.join(" ")})`).join(", ")}`,
  );
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
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
      headless: true,
    });
    const anna: BrowserContext = await browser.newContext({ locale: "de-DE", viewport: { width: 1280, height: 800 } });
    const ben: BrowserContext = await browser.newContext({ locale: "en-GB", viewport: { width: 1280, height: 800 } });
    const a = await anna.newPage();
    const b = await ben.newPage();
    const state: { offerUrl?: string; needUrl?: string; clicks?: number } = {};

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
          await fillProfile(a, base, {
            name: "Anna Holz",
            role: /Handwerk/,
            district: "Plagwitz",
            offers: "Holzbearbeitung, CNC-Fräsen",
            seeks: "Fotografie",
          });
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
          assert(
            (await a.getByRole("link", { name: "https://example.org/werkstatt" }).count()) === 1,
            "link in the description is clickable",
          );
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
        name: "a photo on a post: chosen in the edit form with its description, shown in the gallery and as the card's cover, at 1280 and 390 px",
        run: async () => {
          assert(state.offerUrl, "the offer exists");
          // A 12-megapixel-like photo of a workbench would do; a generated 2400 × 1600 JPEG is enough for the pipeline.
          const photo = path.join(os.tmpdir(), `nl-e2e-photo-${process.pid}.jpg`);
          await sharp({ create: { width: 2400, height: 1600, channels: 3, background: { r: 150, g: 110, b: 70 } } })
            .composite([
              {
                input: Buffer.from(
                  '<svg width="2400" height="1600"><rect x="300" y="500" width="1800" height="220" fill="#5b3a1e"/><rect x="400" y="720" width="120" height="700" fill="#3d2712"/><rect x="1880" y="720" width="120" height="700" fill="#3d2712"/></svg>',
                ),
                top: 0,
                left: 0,
              },
            ])
            .jpeg()
            .toFile(photo);
          await a.goto(`${state.offerUrl}/edit`);
          // Without a description the upload is refused (status 400) and the form shows the field error as usual.
          await a.getByLabel("Neues Foto 1").setInputFiles(photo);
          await a.getByRole("button", { name: "Änderungen speichern" }).click();
          await expectText(a, "Bitte beschreibe, was auf dem Foto zu sehen ist.");
          // A slow connection (40 KB/s upload, emulated by Chromium) shows the progress bar while the photo travels.
          const cdp = await a.context().newCDPSession(a);
          await cdp.send("Network.enable");
          await cdp.send("Network.emulateNetworkConditions", {
            offline: false,
            latency: 0,
            downloadThroughput: -1,
            uploadThroughput: 40 * 1024,
          });
          await a.getByLabel("Neues Foto 1").setInputFiles(photo);
          await a.locator("#field-newPhoto-1-alt").fill("Werkbank aus Eiche in der Werkstatt");
          await a.getByRole("button", { name: "Änderungen speichern" }).click();
          await a.locator(".upload-progress progress[value]").waitFor();
          assert(/Fotos werden hochgeladen … \d+ %/.test(await a.locator(".upload-progress").innerText()), "the progress is said in words");
          await screenshot(a, "photo-uploading-1280");
          await expectText(a, "Beitrag gespeichert");
          await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
          await cdp.detach();
          const gallery = a.getByRole("img", { name: "Werkbank aus Eiche in der Werkstatt" }).first();
          await gallery.waitFor();
          assert(
            await gallery.evaluate((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0),
            "the photo loads",
          );
          await screenshot(a, "photo-post-1280");
          await a.goto(base);
          const cover = a.locator(".card-list img[src^='/images/']").first();
          await cover.waitFor();
          await screenshot(a, "photo-home-1280");
          await a.setViewportSize({ width: 390, height: 844 });
          await a.goto(state.offerUrl);
          await a.getByRole("img", { name: "Werkbank aus Eiche in der Werkstatt" }).first().waitFor();
          assert(await a.evaluate(() => document.documentElement.scrollWidth <= 390), "the gallery fits the 390 px screen");
          await screenshot(a, "photo-post-390");
          await a.setViewportSize({ width: 1280, height: 800 });
          fs.rmSync(photo, { force: true });
        },
      },
      {
        name: "a newcomer at 390 px: sign in from the mail, three skills by keyboard, a post whose match shows without a reload (clicks counted)",
        run: async () => {
          const context = await browser!.newContext({
            locale: "de-DE",
            viewport: { width: 390, height: 844 },
            isMobile: true,
            hasTouch: true,
          });
          const page = await context.newPage();
          let clicks = 0;
          const click = async (locator: ReturnType<Page["locator"]>) => {
            try {
              await locator.click({ timeout: 10_000 });
            } catch (error) {
              await screenshot(page, `failure-newcomer-${clicks + 1}`);
              throw new Error(`click ${clicks + 1} on ${page.url()}: ${(error as Error).message.split("\n")[0]}`);
            }
            clicks += 1;
          };
          await page.goto(base);
          await screenshot(page, "390-home");
          // The narrow header: a menu that opens as a disclosure.
          await page.getByText("Menü").click();
          await page.locator(".menu-panel").getByRole("link", { name: "Suchen" }).waitFor();
          await screenshot(page, "390-menu");
          await page.getByText("Menü").click();
          assert(await page.evaluate(() => document.documentElement.scrollWidth <= 390), "nothing wider than the 390 px screen");
          // Joining starts on the landing page: the address, then the button.
          await page.getByLabel(/^Mitmachen/).fill("newcomer@example.org");
          await click(page.getByRole("button", { name: "Anmeldelink senden" }));
          await expectText(page, "Schau in dein Postfach");
          // In development the page links the local mailbox, which opens this address's mail once it arrived.
          await click(page.locator("main").getByRole("link", { name: /Postfach|mailbox/i }));
          await page.locator(".mail-text").first().waitFor({ timeout: 20_000 });
          await screenshot(page, "390-mail");
          // The link in the browser that asked for it signs in at once.
          await click(page.frameLocator("iframe.mail-frame").getByRole("link", { name: "Anmelden" }));
          await page.waitForURL(/\/profile/);
          await page.getByLabel("Anzeigename").fill("Nico Neu");
          await click(page.getByRole("radio", { name: /Handwerk/ }));
          await page.getByLabel(/^Stadtteil/).selectOption("Plagwitz");
          clicks += 1;
          await chooseSkillWithKeyboard(page, "skillsOffered", "Tischl", /^Tischlerei/);
          await chooseSkillWithKeyboard(page, "skillsOffered", "Keramik", /^Keramik\b/);
          await chooseSkillWithKeyboard(page, "skillsOffered", "Siebdr", /^Siebdruck/);
          // A chip goes with its remove button; Backspace in the empty field removes the last one too.
          assert((await page.getByRole("button", { name: "Siebdruck entfernen" }).count()) === 1, "a chip has its remove button");
          await screenshot(page, "390-profile-chips");
          await checkAccessibility(page, "390 profile with chips");
          await click(page.getByRole("button", { name: /^Speichern$/ }));
          await expectText(page, "Profil gespeichert");
          const saved = await page.locator("#field-skillsOffered-chips .chip").allTextContents();
          assert(
            ["Tischlerei", "Keramik", "Siebdruck"].every((label) => saved.some((chip) => chip.startsWith(label))),
            `skills saved: ${saved.join(" | ")}`,
          );
          await click(page.getByRole("link", { name: "Jetzt etwas suchen" }));
          await page.getByLabel(/^Titel/).fill("Wer hilft beim Bau einer Werkbank?");
          await page.getByLabel(/^Beschreibung/).fill("Ich baue eine Werkbank für meine Keramikwerkstatt und suche Hilfe mit Holz.");
          await chooseSkillWithKeyboard(page, "skills", "Holzbearb", /^Holzbearbeitung/);
          await page.getByLabel(/^Kategorie/).selectOption("knowhow");
          clicks += 1;
          await click(page.getByRole("button", { name: "Veröffentlichen" }));
          await expectText(page, "Beitrag gespeichert");
          // The match is on the page at once – no reload here.
          await page.locator(".post-matches").getByText("Holzwerkstatt mit CNC-Fräse").waitFor({ timeout: 15_000 });
          await expectText(page, "Anna Holz");
          await screenshot(page, "390-post-with-match");
          await checkAccessibility(page, "390 post page");
          state.clicks = clicks;
          console.log(
            `      clicks from the landing page to the first match of one's own post: ${clicks} (a choice in a select counts as one)`,
          );
          await context.close();
        },
      },
      {
        name: "the error summary lists and links each field, takes focus, and a long title is counted, not cut",
        run: async () => {
          await a.goto(`${base}/posts/new`);
          const long = `${"Sehr langer Titel ".repeat(7)}Ende`;
          await a.getByLabel(/^Titel/).fill(long);
          assert((await a.getByLabel(/^Titel/).inputValue()) === long, "the pasted title is kept whole");
          await expectText(a, /Zeichen zu viel/);
          await a.getByRole("button", { name: "Veröffentlichen" }).click();
          const summary = a.locator(".error-summary");
          await summary.waitFor();
          assert(await summary.evaluate((element) => element === document.activeElement), "the error summary has focus");
          const links = await summary.getByRole("link").allTextContents();
          assert(
            links.some((text) => text.startsWith("Titel: Höchstens 120 Zeichen")),
            `summary lists the title: ${links.join(" | ")}`,
          );
          assert(
            links.some((text) => text.startsWith("Beschreibung:")),
            "summary lists the description",
          );
          await summary.getByRole("link", { name: /^Titel/ }).click();
          assert(await a.evaluate(() => document.activeElement?.id === "field-title"), "the link leads to the title field");
          await screenshot(a, "1280-error-summary");
          await checkAccessibility(a, "post form with errors");
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
          await a
            .getByRole("checkbox", { name: /Gesuch/ })
            .first()
            .click();
          // With JavaScript the filter applies at once; without it, "Filter anwenden" does.
          await a.waitForURL(/kind=need/, { timeout: 5000 }).catch(async () => {
            await a.getByRole("button", { name: /Filter anwenden/ }).click();
            await a.waitForURL(/kind=need/);
          });
          assert(
            await a
              .getByRole("checkbox", { name: /Gesuch/ })
              .first()
              .isChecked(),
            "the facet stays ticked after filtering",
          );
          await expectText(a, "Fotograf*in für Werkstattbilder");
          assert((await a.getByText("Holzwerkstatt mit CNC-Fräse").count()) === 0, "the kind facet filters offers out");
          await screenshot(a, "search");
        },
      },
      {
        name: "a second person's post appears in the first person's matches with its reason",
        run: async () => {
          await signIn(b, base, SECOND);
          await fillProfile(b, base, {
            name: "Ben Maker",
            role: /Startup/,
            district: "Lindenau",
            offers: "photography",
            seeks: "woodworking",
          });
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
          await a.setViewportSize({ width: 390, height: 844 });
          assert(await a.evaluate(() => document.documentElement.scrollWidth <= 390), "/matches fits the 390 px screen");
          await screenshot(a, "matches-390");
          await a.setViewportSize({ width: 1280, height: 800 });
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
          const text = (await a.locator(".mail-text").first().textContent()) ?? "";
          assert(text.includes("looking for help with woodworking"), "the digest names the matching need");
          const headers = (await a.locator(".mail-text").nth(1).textContent()) ?? "";
          assert(headers.includes("List-Unsubscribe-Post: List-Unsubscribe=One-Click"), "one-click header");
          const unsubscribe = /List-Unsubscribe: <([^>]+)>/.exec(headers)?.[1];
          assert(unsubscribe, "List-Unsubscribe header with a link");
          await screenshot(a, "digest-email");
          // The unsubscribe link inside the email, clicked like a reader would.
          await a
            .frameLocator("iframe.mail-frame")
            .getByRole("link", { name: /abbestellen/ })
            .click();
          await a.waitForURL(/\/unsubscribe\//);
          await a.getByRole("radio", { name: "Keine Match-E-Mails mehr" }).check();
          await a.getByRole("button", { name: "Speichern" }).click();
          await expectText(a, /Gespeichert/);
          await screenshot(a, "unsubscribe-page");
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
          const annaProfile = await a
            .goto(`${base}/profile`)
            .then(() => a.getByRole("link", { name: /Öffentliches Profil/ }).getAttribute("href"));
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
          await signIn(a, base, ADMIN, { otherDevice: true });
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
          for (
            let step = 0;
            step < 30 && !(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.type === "email"));
            step++
          ) {
            await page.keyboard.press("Tab");
          }
          await page.keyboard.type("keyboard@example.org");
          await page.keyboard.press("Enter");
          await expectText(page, "Schau in dein Postfach");
          const link = await latestMailLink(page, base, "keyboard@example.org", /login\/verify/);
          // Opened on another device (no cookie from the form), the page's one button takes focus once the page is
          // interactive; a keyboard user presses Enter on it.
          await context.clearCookies({ name: "nl_login_browser" });
          await page.goto(link);
          await page.waitForFunction(() => document.activeElement?.matches("button[type=submit]") ?? false, undefined, { timeout: 15_000 });
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
          await tabTo("#field-skillsOffered");
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
          await tabTo("#field-skills");
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
        name: "no accessibility violations (any impact) on the main pages, signed in and anonymous",
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
            ["new-post", "/posts/new"],
            ["dev-mail", "/dev/mail"],
            ["admin-skills", "/admin/skills"],
          ];
          const problems: string[] = [];
          // Each page as the given person sees it: collects violations, keeps a screenshot.
          const audit = async (page: Page, list: readonly (readonly [string, string])[]) => {
            for (const [name, pathname] of list) {
              await page.goto(`${base}${pathname}`);
              try {
                await checkAccessibility(page, name);
              } catch (error) {
                problems.push((error as Error).message);
              }
              await screenshot(page, `a11y-${name}`);
            }
          };
          await audit(a, pages);
          // What a visitor sees before signing in: the landing page with its sign-up field, the sign-in pages.
          const visitor = await browser!.newContext({ locale: "de-DE" });
          await audit(await visitor.newPage(), [
            ["home-anonymous", "/"],
            ["login", "/login"],
            ["login-verify", "/login/verify?token=x"],
            ["search-anonymous", "/search?q=Keramik"],
          ]);
          await visitor.close();
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
    // As an operator stops it: SIGTERM, then the app closes its pool and stops its embedded PostgreSQL.
    const started = Date.now();
    const exited = new Promise<void>((resolve) =>
      server.process.exitCode !== null ? resolve() : server.process.once("exit", () => resolve()),
    );
    server.process.kill("SIGTERM");
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 30_000))]);
    const pidFile = path.join(server.dataDir, "postgres", "postmaster.pid");
    const stoppedCleanly = server.process.exitCode === 0 && !fs.existsSync(pidFile);
    const name = "SIGTERM stops the server and its embedded PostgreSQL";
    results.push(
      stoppedCleanly
        ? { name }
        : { name, error: `exit code ${server.process.exitCode}, postmaster.pid ${fs.existsSync(pidFile) ? "still there" : "gone"}` },
    );
    console.log(`  ${stoppedCleanly ? "✓" : "✗"} ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
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
