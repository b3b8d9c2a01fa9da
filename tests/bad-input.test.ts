/**
 * Bad input never gets a 500 and never changes a row (issue 14, point 7): fast-check sends generated bad payloads
 * to every form and resource route over real HTTP — control characters in every field, repeated fields, wrong
 * content types and methods, malformed path parameters and query strings, signed but malformed webhooks — and
 * after each request compares a fingerprint of every table with the one taken before.
 */
import crypto from "node:crypto";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { sendContactRequest } from "~/modules/contact/contact.server";
import { createUnsubscribeToken } from "~/modules/digest/unsubscribe-token.server";
import { useAppServer } from "./helpers/app-server";
import { useTestDatabase } from "./helpers/database";
import { createPerson, createTestPost } from "./helpers/factories";
import { sessionCookieFor } from "./helpers/http";

const WEBHOOK_SECRET = `whsec_${Buffer.from("bad-input-webhook-secret-0123456789").toString("base64")}`;
useTestDatabase({ RESEND_WEBHOOK_SECRET: WEBHOOK_SECRET });
const app = useAppServer();

const ids = { member: "", other: "", admin: "", post: "", otherPost: "", request: "", memberCookie: "", adminCookie: "", token: "" };

beforeAll(async () => {
  const member = await createPerson({ displayName: "Mia Mitglied" });
  const other = await createPerson({ displayName: "Otto Other" });
  const admin = await createPerson({ displayName: "Ada Admin" }, { isAdmin: true });
  ids.member = member.id;
  ids.other = other.id;
  ids.admin = admin.id;
  ids.post = await createTestPost(member.id, { title: "Eigene Werkstatt" });
  ids.otherPost = await createTestPost(other.id, { title: "Fremde Werkstatt" });
  const sent = await sendContactRequest({
    senderId: other.id,
    senderName: "Otto Other",
    recipientId: member.id,
    message: "Hallo, wollen wir zusammen bauen?",
  });
  if (!sent.ok) throw new Error("contact request not sent");
  ids.request = sent.requestId;
  ids.memberCookie = await sessionCookieFor(member.id);
  ids.adminCookie = await sessionCookieFor(admin.id);
  ids.token = createUnsubscribeToken(member.id);
});

/** Per table: rows and the newest row version (xmin), so an insert, update or delete anywhere shows. */
async function fingerprint() {
  const tables = await db()<{ name: string }[]>`
    select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'
      -- request counters of rate limits count every request by design, refused ones too
      and table_name <> 'rate_limit_windows'
    order by 1`;
  const parts = tables.map(({ name }) =>
    // sessions.last_seen_at moves on every signed-in request: for sessions only the number of rows counts
    name === "sessions"
      ? `select '${name}' as name, count(*)::text as rows, '' as newest from ${name}`
      : `select '${name}' as name, count(*)::text as rows, coalesce(max(xmin::text::bigint), 0)::text as newest from ${name}`,
  );
  const rows = await db().unsafe<{ name: string; rows: string; newest: string }[]>(parts.join(" union all "));
  return Object.fromEntries(rows.map((row) => [row.name, `${row.rows}/${row.newest}`]));
}

// ── generators ────────────────────────────────────────────────────────────────────────────────────────────────

/** Characters no text field accepts: NUL, other C0 controls (not tab/newline/CR), DEL, C1 controls. */
const refusedCharacter = fc.oneof(
  fc.constant("\u0000"),
  fc.integer({ min: 0x01, max: 0x08 }).map((code) => String.fromCharCode(code)),
  fc.constantFrom("\u000b", "\u000c", "\u001b", "\u001f", "\u007f", "\u0085", "\u009f"),
);
/** Around them: whatever else people and bots type — invisible characters, other scripts, emoji, markup. */
const anyText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom(
    "\u200b\u200b",
    "\ufeff",
    "\u2028",
    "Grüße",
    "日本語",
    "🪚🔧",
    "<script>alert(1)</script>",
    "' or 1=1 --",
    "%00",
    "\r\n",
    "x".repeat(6000),
  ),
);
/** Every value carries at least one refused character, so no field of any form can be valid. */
const badValue = fc
  .tuple(anyText, refusedCharacter, anyText, fc.boolean())
  .map(([before, refused, after, repeat]) => (repeat ? `${before}${refused}${after}${refused}` : `${before}${refused}${after}`));

const badPathParameter = fc.oneof(
  fc.constantFrom(
    "%00",
    "0",
    "-1",
    "1e3",
    "99999999999999999999",
    "9223372036854775808",
    "abc",
    "%E0%A4%A",
    "%2e%2e",
    "%C0%AF",
    "%0d%0a",
    "%20",
    "1%00",
  ),
  fc
    .string({ unit: "binary", minLength: 1, maxLength: 20 })
    .map((value) => encodeURIComponent(value.replace(/[\ud800-\udfff]/gu, "\ufffd"))),
);

type FormRoute = {
  path: (param: string) => string;
  /** a valid value for every field: the test spoils at least one field that must refuse bad text */
  valid: () => Record<string, string>;
  /** fields that are cleaned instead of refused (a redirect target falls back to "/") */
  lenient?: string[];
  /** spoil every field: one valid field alone would already change something */
  spoilAll?: boolean;
  cookie: "member" | "admin" | "none";
  realParam?: () => string;
};

const validPost = () => ({
  kind: "offer",
  title: "Werkbank zu verleihen",
  description: "Stabile Werkbank in Plagwitz.",
  skills: "Holzbearbeitung",
  category: "equipment",
  location: "Plagwitz",
  exchangeMode: "paid",
  expiresOn: "",
  website: "",
});

/** Every route with an action, valid values for its fields, and whose session sends them. */
const FORM_ROUTES: FormRoute[] = [
  {
    path: () => "/login",
    valid: () => ({ email: "neu@example.org", redirectTo: "/", website: "" }),
    lenient: ["redirectTo"],
    cookie: "none",
  },
  { path: () => "/login/verify", valid: () => ({ token: "A".repeat(43), redirectTo: "/" }), lenient: ["redirectTo"], cookie: "none" },
  { path: () => "/lang", valid: () => ({ lang: "en", redirectTo: "/" }), lenient: ["redirectTo"], cookie: "member" },
  {
    path: () => "/profile",
    valid: () => ({
      displayName: "Mia Mitglied",
      role: "craftsperson",
      bio: "Tischlerin.",
      district: "Plagwitz",
      remoteOk: "on",
      languages: "de",
      website: "https://example.org",
      skillsOffered: "Holzbau",
      skillsSought: "Löten",
      digestFrequency: "weekly",
    }),
    cookie: "member",
  },
  { path: () => "/posts/new", valid: validPost, cookie: "member" },
  { path: (id) => `/posts/${id}/edit`, valid: validPost, cookie: "member", realParam: () => ids.post },
  { path: (id) => `/posts/${id}`, valid: () => ({ intent: "close" }), cookie: "member", realParam: () => ids.post },
  {
    path: (id) => `/people/${id}/contact`,
    valid: () => ({ postId: "", message: "Hallo, ich hätte Interesse an der Werkstatt.", website: "" }),
    cookie: "member",
    realParam: () => ids.other,
  },
  // blocking reads no field: only malformed or unknown people here, never a real one
  { path: (id) => `/people/${id}/block`, valid: () => ({ intent: "block" }), cookie: "member" },
  {
    path: () => "/report",
    valid: () => ({ targetType: "post", targetId: ids.otherPost, reason: "Das ist Spam.", website: "" }),
    cookie: "member",
  },
  {
    path: (id) => `/inbox/${id}`,
    valid: () => ({ intent: "message", body: "Gern, wann passt es dir?" }),
    cookie: "member",
    realParam: () => ids.request,
  },
  { path: () => "/account", valid: () => ({ confirm: "on" }), cookie: "member" },
  { path: () => "/matches", valid: () => ({ intent: "mark-seen" }), cookie: "member" },
  {
    path: (token) => `/unsubscribe/${token}`,
    valid: () => ({ "List-Unsubscribe": "One-Click", frequency: "weekly" }),
    spoilAll: true,
    cookie: "none",
    realParam: () => ids.token,
  },
  { path: () => "/admin/skills", valid: () => ({ fromId: "1", into: "Holzbau" }), cookie: "admin" },
  { path: () => "/admin/reports", valid: () => ({ intent: "dismiss", targetType: "post", targetId: ids.otherPost }), cookie: "admin" },
];

/** Resource routes and pages read with GET: malformed parameters and query strings. */
const GET_ROUTES: ((param: string) => string)[] = [
  (param) => `/skills/${param}`,
  (param) => `/feeds/skills/${param}.atom`,
  (param) => `/feeds/skills/${param}`,
  (param) => `/posts/${param}`,
  (param) => `/posts/${param}/edit`,
  (param) => `/people/${param}`,
  (param) => `/people/${param}/contact`,
  (param) => `/inbox/${param}`,
  (param) => `/unsubscribe/${param}`,
  (param) => `/dev/mail/${param}`,
  () => "/feeds/posts.json",
  () => "/skills/suggest",
  () => "/search/suggest",
  () => "/search",
  () => "/report",
  () => "/account/export.json",
  () => "/admin/digests",
  () => "/healthz",
];
const QUERY_NAMES = [
  "q",
  "skill",
  "kind",
  "district",
  "page",
  "per_page",
  "lang",
  "type",
  "id",
  "post",
  "person",
  "date",
  "tab",
  "sort",
  "redirectTo",
  "token",
  "notice",
];

const queryValue = fc.oneof(
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.constantFrom("-1", "0", "1e309", "99999999999999999999", "NaN", "[]", "{}", "%", "\u200b"),
);
const query = fc.array(fc.tuple(fc.constantFrom(...QUERY_NAMES), queryValue), { maxLength: 6 });

function cookieFor(kind: FormRoute["cookie"]) {
  return kind === "member" ? ids.memberCookie : kind === "admin" ? ids.adminCookie : undefined;
}

/** Files a form with photos may meet: text renamed to .jpg, an SVG with a script, a cut-off JPEG header, random bytes. */
const BAD_FILES: [string, string, Uint8Array<ArrayBuffer>][] = [
  ["urlaub.jpg", "image/jpeg", new TextEncoder().encode("Kein Bild.\n".repeat(40))],
  ["bild.svg", "image/svg+xml", new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')],
  ["halb.jpg", "image/jpeg", new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01])],
  ["zufall.png", "image/png", new Uint8Array(Array.from({ length: 300 }, (_, index) => (index * 151 + 7) % 256))],
];

function encodeBody(fields: [string, string][], contentType: string): { body: BodyInit | undefined; headers: Record<string, string> } {
  if (contentType === "multipart" || contentType === "multipart with files") {
    const form = new FormData();
    for (const [name, value] of fields) form.append(name, value);
    if (contentType === "multipart with files") {
      // to every route: the photo forms must refuse them, the others ignore them
      BAD_FILES.forEach(([filename, type, bytes], index) => {
        form.append(index === 0 ? "portrait" : `newPhoto-${index}`, new Blob([bytes], { type }), filename);
        form.append(`newPhoto-${index}-alt`, "Ein Foto");
      });
    }
    return { body: form, headers: {} };
  }
  if (contentType === "urlencoded")
    return { body: new URLSearchParams(fields).toString(), headers: { "content-type": "application/x-www-form-urlencoded" } };
  if (contentType === "json") return { body: JSON.stringify(Object.fromEntries(fields)), headers: { "content-type": "application/json" } };
  if (contentType === "text")
    return { body: fields.map(([name, value]) => `${name}=${value}`).join("\n"), headers: { "content-type": "text/plain" } };
  return { body: "", headers: contentType === "empty multipart" ? { "content-type": "multipart/form-data; boundary=nothing" } : {} };
}

async function send(method: string, path: string, init: { body?: BodyInit; headers?: Record<string, string>; cookie?: string }) {
  const response = await fetch(`${app.url}${path}`, {
    method,
    redirect: "manual",
    body: method === "GET" || method === "HEAD" ? undefined : init.body,
    headers: { ...init.headers, ...(init.cookie ? { cookie: init.cookie } : {}), origin: app.url },
  });
  await response.arrayBuffer();
  return response.status;
}

const RUNS = Number(process.env.BAD_INPUT_RUNS ?? 150);

describe("bad input", () => {
  it("gets 4xx (or a redirect) and changes no row, on every form route", async () => {
    const baseline = await fingerprint();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...FORM_ROUTES),
        fc.oneof(badPathParameter, fc.constant("real"), fc.constant("real")),
        fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
        fc.nat(),
        fc.array(badValue, { minLength: 12, maxLength: 12 }),
        fc.array(fc.tuple(fc.nat(), badValue), { maxLength: 2 }),
        fc.array(fc.tuple(fc.string({ unit: "binary", maxLength: 12 }), badValue), { maxLength: 2 }),
        fc.constantFrom(
          "urlencoded",
          "urlencoded",
          "urlencoded",
          "multipart",
          "multipart",
          "multipart with files",
          "multipart with files",
          "json",
          "text",
          "empty",
          "empty multipart",
        ),
        fc.constantFrom("POST", "POST", "POST", "POST", "POST", "PUT", "PATCH", "DELETE"),
        fc.boolean(),
        async (route, param, spoilMask, alwaysSpoiled, badValues, repeats, unknownFields, contentType, method, withSession) => {
          const valid = Object.entries(route.valid());
          const strict = valid.map(([name]) => name).filter((name) => !route.lenient?.includes(name));
          // at least one field that must refuse bad text gets it; the others stay valid (or get it too)
          const spoiled = new Set(route.spoilAll ? strict : strict.filter((_, index) => spoilMask[index]));
          spoiled.add(strict[alwaysSpoiled % strict.length]!);
          const fields: [string, string][] = valid.map(([name, value], index) =>
            spoiled.has(name) || (route.lenient?.includes(name) && spoilMask[index]) ? [name, badValues[index]!] : [name, value],
          );
          // repeated fields (a second value for a field that takes one) and unknown fields
          for (const [index, value] of repeats) fields.push([valid[index % valid.length]![0], value]);
          fields.push(...unknownFields);
          const path = route.path(param === "real" && route.realParam ? route.realParam() : param);
          const { body, headers } = encodeBody(fields, contentType);
          const status = await send(method, path, { body, headers, cookie: withSession ? cookieFor(route.cookie) : undefined });
          expect(status, `${method} ${path} (${contentType}) ${JSON.stringify(fields).slice(0, 300)}`).toBeLessThan(500);
          expect(await fingerprint(), `${method} ${path} (${contentType}) changed rows: ${JSON.stringify(fields).slice(0, 300)}`).toEqual(
            baseline,
          );
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("gets no 5xx from any page or resource route read with malformed parameters", async () => {
    const baseline = await fingerprint();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...GET_ROUTES),
        badPathParameter,
        query,
        fc.constantFrom("none", "member", "admin" as const),
        async (route, param, pairs, who) => {
          const search = new URLSearchParams(pairs).toString();
          const path = `${route(param)}${search ? `?${search}` : ""}`;
          const status = await send("GET", path, { cookie: cookieFor(who as FormRoute["cookie"]) });
          expect(status, `GET ${path}`).toBeLessThan(500);
        },
      ),
      { numRuns: RUNS },
    );
    expect(await fingerprint()).toEqual(baseline);
  });

  it("answers a validly signed but malformed webhook with 400 and stores nothing", async () => {
    const baseline = await fingerprint();
    const malformedTo = fc.array(
      fc.oneof(fc.integer(), fc.constant({}), fc.constant(null), fc.constant([]), fc.boolean(), fc.constant("\u0000@example.org")),
      {
        minLength: 1,
        maxLength: 3,
      },
    );
    const event = fc.oneof(
      malformedTo.map((to) => ({ type: "email.bounced", data: { to, bounce: { type: "Permanent" } } })),
      fc.constantFrom<unknown>(
        [1, 2],
        "text",
        42,
        null,
        { type: 7 },
        { type: "email.complained", data: "x" },
        { type: "email.complained", data: { to: { a: 1 } } },
      ),
      fc.string({ maxLength: 10 }).map((text) => ({ type: `email.bounced\u0000${text}`, data: { to: "a@example.org" } })),
    );
    await fc.assert(
      fc.asyncProperty(event, async (payload) => {
        const body = JSON.stringify(payload);
        const id = `msg_${crypto.randomUUID()}`;
        const timestamp = String(Math.floor(Date.now() / 1000));
        const key = Buffer.from(WEBHOOK_SECRET.replace(/^whsec_/, ""), "base64");
        const signature = crypto.createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64");
        const headers = {
          "svix-id": id,
          "svix-timestamp": timestamp,
          "svix-signature": `v1,${signature}`,
          "content-type": "application/json",
        };
        expect(await send("POST", "/webhooks/resend", { body, headers }), body).toBe(400);
      }),
      { numRuns: Math.min(RUNS, 60) },
    );
    expect(await fingerprint()).toEqual(baseline);
  });
});
