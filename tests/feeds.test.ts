import { XMLParser, XMLValidator } from "fast-xml-parser";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { FEED_REQUESTS_PER_MINUTE, feedClock } from "~/modules/feeds/feed-http.server";
import { postsFeedSchema } from "~/modules/feeds/schema";
import { mergeSkill } from "~/modules/skills/skills.server";
import { loader as postsFeedLoader } from "~/routes/feed-posts-json";
import { loader as skillAtomLoader } from "~/routes/feed-skill-atom";
import { createPerson, createTestPost, type PostFields } from "./helpers/factories";
import { useTestDatabase } from "./helpers/database";

useTestDatabase();

const ADA_EMAIL = "ada.feeds@example.org";
const BEA_EMAIL = "bea.feeds@example.org";
const fixture = {
  skill: { id: "", slug: "" },
  otherSkill: { id: "", slug: "" },
  visible: [] as string[],
  invisible: [] as string[],
  people: {} as Record<string, string>,
};

let clientNumber = 0;
/** Each request comes from its own address unless a test asks otherwise, so the rate limit stays out of the way. */
function headersFor(headers: Record<string, string> = {}, address?: string) {
  clientNumber += 1;
  return { "x-nl-client-ip": address ?? `10.20.${Math.floor(clientNumber / 250)}.${clientNumber % 250}`, ...headers };
}

async function getJson(query: string, headers: Record<string, string> = {}, address?: string) {
  const request = new Request(`http://localhost/feeds/posts.json${query}`, { headers: headersFor(headers, address) });
  return (await postsFeedLoader({ request, params: {}, context: {} })) as Response;
}

async function getAtom(file: string, headers: Record<string, string> = {}, query = "") {
  const request = new Request(`http://localhost/feeds/skills/${file}${query}`, { headers: headersFor(headers) });
  return (await skillAtomLoader({ request, params: { file }, context: {} })) as Response;
}

async function post(authorId: string, fields: PostFields) {
  return createTestPost(authorId, { exchangeMode: "barter", category: "knowhow", ...fields });
}

beforeAll(async () => {
  const ada = await createPerson({ displayName: "Ada Feed", role: "initiative" }, { email: ADA_EMAIL });
  const bea = await createPerson({ displayName: "Bea Feed", role: "scientist" }, { email: BEA_EMAIL });
  const banned = await createPerson({ displayName: "Gesperrt Feed" }, { email: "banned.feeds@example.org" });
  fixture.people = { ada: ada.id, bea: bea.id, banned: banned.id };

  const need = await post(ada.id, {
    kind: "need",
    title: "Lehmputz für Gemeinschaftsraum <gesucht> & mehr",
    description: `Wir suchen Hilfe beim Lehmputz. Schreib an ${ADA_EMAIL} oder info@verein-leipzig.de!`,
    skills: "Feed Lehmputz, Feed Kalkputz",
    location: "Plagwitz",
  });
  const offer = await post(bea.id, { kind: "offer", title: "Lehmputz-Workshop", skills: "Feed Lehmputz", location: "remote" });
  const other = await post(bea.id, { kind: "offer", title: "Kalkputz-Beratung", skills: "Feed Kalkputz", location: "Connewitz" });
  const hidden = await post(ada.id, { kind: "need", title: "Versteckt", skills: "Feed Lehmputz" });
  const closed = await post(ada.id, { kind: "need", title: "Geschlossen", skills: "Feed Lehmputz" });
  const expired = await post(ada.id, { kind: "need", title: "Abgelaufen", skills: "Feed Lehmputz" });
  const byBanned = await post(banned.id, { kind: "need", title: "Gesperrt", skills: "Feed Lehmputz" });
  await db()`update posts set hidden_at = now() where id = ${hidden}`;
  await db()`update posts set status = 'closed' where id = ${closed}`;
  await db()`update posts set expires_at = now() - interval '1 hour' where id = ${expired}`;
  await db()`update users set banned_at = now() where id = ${banned.id}`;
  // Distinct creation times so "newest first" is well defined.
  await db()`update posts set created_at = now() - interval '3 hours' where id = ${need}`;
  await db()`update posts set created_at = now() - interval '2 hours' where id = ${offer}`;
  await db()`update posts set created_at = now() - interval '1 hour' where id = ${other}`;

  const [skill] = await db()<{ id: string; slug: string }[]>`
    select s.id::text, s.slug from post_skills ps join skills s on s.id = ps.skill_id where ps.post_id = ${offer}`;
  const [otherSkill] = await db()<{ id: string; slug: string }[]>`
    select s.id::text, s.slug from post_skills ps join skills s on s.id = ps.skill_id where ps.post_id = ${other}`;
  fixture.skill = skill!;
  fixture.otherSkill = otherSkill!;
  fixture.visible = [other, offer, need];
  fixture.invisible = [hidden, closed, expired, byBanned];
});

/** The posts a feed must contain, straight from the tables. */
async function directlyVisible(filter: { skillId?: string; kind?: string; district?: string } = {}) {
  const rows = await db()<{ id: string }[]>`
    select p.id::text from posts p join users u on u.id = p.author_id
    where p.status = 'open' and p.hidden_at is null and p.expires_at > now() and u.banned_at is null
      and p.kind = coalesce(${filter.kind ?? null}::text, p.kind)
      and p.district is not distinct from coalesce(${filter.district ?? null}::text, p.district)
      and (${filter.skillId ?? null}::bigint is null or p.id in (select post_id from post_skills where skill_id = ${filter.skillId ?? null}::bigint))
    order by p.created_at desc, p.id desc`;
  return rows.map((row) => row.id);
}

describe("GET /feeds/posts.json", () => {
  it("lists open, visible posts in a shape the schema accepts, newest first", async () => {
    const response = await getJson("");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("public, max-age=300");
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    const feed = postsFeedSchema.parse(await response.json());
    expect(feed.items.map((item) => item.id)).toEqual(await directlyVisible());
    expect(feed.items.map((item) => item.id)).toEqual(fixture.visible);
    for (const id of fixture.invisible) expect(feed.items.some((item) => item.id === id)).toBe(false);
    expect(feed.total).toBe(3);
    expect(feed.next_url).toBeNull();

    const need = feed.items.find((item) => item.kind === "need")!;
    expect(need.title).toBe("Lehmputz für Gemeinschaftsraum <gesucht> & mehr");
    expect(need.skills.map((skill) => skill.slug)).toContain(fixture.skill.slug);
    expect(need.skills[0]).toEqual({
      id: fixture.skill.id,
      slug: fixture.skill.slug,
      label_de: "Feed Lehmputz",
      label_en: "Feed Lehmputz",
    });
    expect(need.district).toBe("Plagwitz");
    expect(need.url).toMatch(new RegExp(`/posts/${need.id}$`));
    expect(need.author).toEqual({
      display_name: "Ada Feed",
      profile_url: expect.stringMatching(new RegExp(`/people/${fixture.people.ada}$`)),
    });
    const remote = feed.items.find((item) => item.kind === "offer" && item.is_remote)!;
    expect(remote.district).toBeNull();
  });

  it("never carries an email address, not even one typed into a description", async () => {
    const body = await (await getJson("?per_page=100")).text();
    expect(body).not.toContain(ADA_EMAIL);
    expect(body).not.toContain(BEA_EMAIL);
    expect(body).not.toContain("@");
    const feed = postsFeedSchema.parse(JSON.parse(body));
    expect(feed.items.find((item) => item.kind === "need")!.description).toBe("Wir suchen Hilfe beim Lehmputz. Schreib an […] oder […]!");
  });

  it("filters by skill id or slug, kind and district, matching a direct query", async () => {
    const bySlug = postsFeedSchema.parse(await (await getJson(`?skill=${fixture.skill.slug}`)).json());
    const byId = postsFeedSchema.parse(await (await getJson(`?skill=${fixture.skill.id}`)).json());
    expect(bySlug.items.map((item) => item.id)).toEqual(await directlyVisible({ skillId: fixture.skill.id }));
    expect(byId.items).toEqual(bySlug.items);
    expect(bySlug.total).toBe(2);

    const needs = postsFeedSchema.parse(await (await getJson("?kind=need")).json());
    expect(needs.items.map((item) => item.id)).toEqual(await directlyVisible({ kind: "need" }));
    expect(needs.items.every((item) => item.kind === "need")).toBe(true);

    const connewitz = postsFeedSchema.parse(await (await getJson(`?district=${encodeURIComponent("Connewitz")}&kind=offer`)).json());
    expect(connewitz.items.map((item) => item.id)).toEqual(await directlyVisible({ district: "Connewitz", kind: "offer" }));
    expect(connewitz.items).toHaveLength(1);

    const empty = postsFeedSchema.parse(await (await getJson("?district=Zentrum&kind=")).json());
    expect(empty).toMatchObject({ items: [], total: 0, next_url: null });
  });

  it("follows a merged skill to the skill it was merged into", async () => {
    const alias = await post(fixture.people.bea!, { kind: "offer", title: "Alias", skills: "Feed Lehmputz Alias" });
    const [aliasSkill] = await db()<{ id: string; slug: string }[]>`
      select s.id::text, s.slug from post_skills ps join skills s on s.id = ps.skill_id where ps.post_id = ${alias}`;
    await db()`update posts set status = 'closed' where id = ${alias}`;
    expect((await mergeSkill(aliasSkill!.id, fixture.skill.id)).ok).toBe(true);
    const feed = postsFeedSchema.parse(await (await getJson(`?skill=${aliasSkill!.slug}`)).json());
    expect(feed.items.map((item) => item.id)).toEqual(await directlyVisible({ skillId: fixture.skill.id }));
    const atom = await getAtom(`${aliasSkill!.slug}.atom`);
    expect(atom.status).toBe(301);
    expect(atom.headers.get("location")).toBe(`/feeds/skills/${fixture.skill.slug}.atom`);
  });

  it("pages with page and per_page and links the next page", async () => {
    const first = postsFeedSchema.parse(await (await getJson("?per_page=2")).json());
    expect(first.items.map((item) => item.id)).toEqual(fixture.visible.slice(0, 2));
    expect(first.total).toBe(3);
    expect(first.next_url).not.toBeNull();
    const next = new URL(first.next_url!);
    expect(Object.fromEntries(next.searchParams)).toEqual({ page: "2", per_page: "2" });
    const second = postsFeedSchema.parse(await (await getJson(next.search)).json());
    expect(second.items.map((item) => item.id)).toEqual(fixture.visible.slice(2));
    expect(second.next_url).toBeNull();
    const beyond = postsFeedSchema.parse(await (await getJson("?page=9&per_page=2")).json());
    expect(beyond.items).toEqual([]);
  });

  it("answers bad parameters with 400 and a message, never 500", async () => {
    const cases: [string, RegExp][] = [
      ["?kind=wish", /kind must be one of: offer, need/],
      ["?per_page=101", /per_page must be at most 100/],
      ["?per_page=0", /per_page must be at least 1/],
      ["?page=abc", /page must be a whole number/],
      ["?page=-1", /page must be a whole number/],
      ["?page=1e3", /page must be a whole number/],
      ["?district=Atlantis", /district must be the name of a Leipzig Ortsteil/],
      ["?skill=%3Cscript%3E", /skill must be a skill id/],
      ["?skill=no-such-skill-anywhere", /unknown skill: no-such-skill-anywhere/],
      ["?skill=99999999999999", /unknown skill/],
      [`?skill=${"9".repeat(30)}`, /unknown skill/],
    ];
    for (const [query, message] of cases) {
      const response = await getJson(query);
      expect(response.status, query).toBe(400);
      expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
      const body = (await response.json()) as { error: string };
      expect(body.error, query).toMatch(message);
    }
  });

  it("answers 304 to a matching If-None-Match or a current If-Modified-Since", async () => {
    const first = await getJson("?kind=offer");
    const etag = first.headers.get("etag")!;
    const lastModified = first.headers.get("last-modified")!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(new Date(lastModified).toUTCString()).toBe(lastModified);

    const sameTag = await getJson("?kind=offer", { "If-None-Match": etag });
    expect(sameTag.status).toBe(304);
    expect(await sameTag.text()).toBe("");
    expect(sameTag.headers.get("etag")).toBe(etag);
    expect((await getJson("?kind=offer", { "If-None-Match": `"other", W/${etag}` })).status).toBe(304);
    expect((await getJson("?kind=offer", { "If-None-Match": '"other"' })).status).toBe(200);
    expect((await getJson("?kind=offer", { "If-Modified-Since": lastModified })).status).toBe(304);
    const before = new Date(new Date(lastModified).getTime() - 1000).toUTCString();
    expect((await getJson("?kind=offer", { "If-Modified-Since": before })).status).toBe(200);
    expect((await getJson("?kind=offer", { "If-Modified-Since": "not a date" })).status).toBe(200);
    // If-None-Match wins: a stale tag is answered in full even with a current date.
    expect((await getJson("?kind=offer", { "If-None-Match": '"stale"', "If-Modified-Since": lastModified })).status).toBe(200);
  });

  it("changes its validators when a post in it is edited or leaves it by expiring", async () => {
    const carla = await createPerson({ displayName: "Carla Feed", district: "Lindenau" });
    const postId = await post(carla.id, { kind: "need", title: "Lindenau braucht Hilfe", skills: "Feed Kalkputz", location: "Lindenau" });
    // Everything happened a while ago, so each later change moves Last-Modified by whole seconds.
    await db()`update profiles set updated_at = now() - interval '2 hours' where user_id = ${carla.id}`;
    await db()`update posts set created_at = now() - interval '1 hour', updated_at = now() - interval '1 hour' where id = ${postId}`;
    const first = await getJson("?district=Lindenau");
    const etag = first.headers.get("etag")!;
    const lastModified = first.headers.get("last-modified")!;
    expect(postsFeedSchema.parse(await first.json()).items.map((item) => item.id)).toEqual([postId]);

    await db()`update posts set title = 'Lindenau braucht Hilfe (neu)', updated_at = now() - interval '30 minutes' where id = ${postId}`;
    const edited = await getJson("?district=Lindenau", { "If-None-Match": etag });
    expect(edited.status).toBe(200);
    expect(edited.headers.get("etag")).not.toBe(etag);
    expect((await getJson("?district=Lindenau", { "If-Modified-Since": lastModified })).status).toBe(200);

    // Expiry changes nothing but the clock: the post leaves, and Last-Modified still moves forward.
    const editedModified = edited.headers.get("last-modified")!;
    await db()`update posts set expires_at = now() - interval '1 minute' where id = ${postId}`;
    const expired = await getJson("?district=Lindenau", { "If-Modified-Since": editedModified });
    expect(expired.status).toBe(200);
    expect(postsFeedSchema.parse(await expired.json()).items).toEqual([]);
    expect(Date.parse(expired.headers.get("last-modified")!)).toBeGreaterThan(Date.parse(editedModified));
  });

  it("rate limits each client address with 429 and Retry-After", async () => {
    const address = "203.0.113.77";
    // all requests in one minute, whatever the machine's speed
    feedClock.now = () => new Date("2026-12-07T10:00:20Z");
    for (let i = 0; i < FEED_REQUESTS_PER_MINUTE; i++) {
      expect((await getJson("?per_page=1", {}, address)).status).not.toBe(429);
    }
    const limited = await getJson("?per_page=1", {}, address);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(((await limited.json()) as { error: string }).error).toMatch(/too many requests/);
    // The Atom feeds share the budget; another address is unaffected.
    const atom = await skillAtomLoader({
      request: new Request(`http://localhost/feeds/skills/${fixture.skill.slug}.atom`, { headers: { "x-nl-client-ip": address } }),
      params: { file: `${fixture.skill.slug}.atom` },
      context: {},
    });
    expect((atom as Response).status).toBe(429);
    expect((await getJson("?per_page=1", {}, "203.0.113.78")).status).toBe(200);
    expect(Number(limited.headers.get("retry-after"))).toBe(40);
    // the next minute brings a fresh budget
    feedClock.now = () => new Date("2026-12-07T10:01:00Z");
    expect((await getJson("?per_page=1", {}, address)).status).toBe(200);
    feedClock.now = () => new Date();
  });
});

const atomParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  isArray: (name) => ["entry", "link", "category"].includes(name),
});

type AtomLink = { "@rel": string; "@href": string; "@type": string };
type AtomEntry = {
  id: string;
  title: { "#text": string };
  updated: string;
  published: string;
  link: AtomLink[];
  summary: { "#text": string };
  author: { name: string; uri: string };
  category: { "@term": string }[];
};

describe("GET /feeds/skills/<slug>.atom", () => {
  it("is a valid Atom 1.0 feed of the skill's open posts", async () => {
    const response = await getAtom(`${fixture.skill.slug}.atom`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/atom+xml; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("public, max-age=300");
    const xml = await response.text();
    expect(XMLValidator.validate(xml)).toBe(true);
    const { feed } = atomParser.parse(xml) as { feed: Record<string, unknown> & { entry: AtomEntry[]; link: AtomLink[] } };
    expect(feed["@xmlns"]).toBe("http://www.w3.org/2005/Atom");
    expect(feed["@xml:lang"]).toBe("de");
    expect(feed.id).toMatch(new RegExp(`/feeds/skills/${fixture.skill.slug}\\.atom$`));
    expect((feed.title as { "#text": string })["#text"]).toBe("NextLeipzig: Angebote und Gesuche – Feed Lehmputz");
    expect(Number.isNaN(Date.parse(feed.updated as string))).toBe(false);
    const self = feed.link.find((link) => link["@rel"] === "self")!;
    const alternate = feed.link.find((link) => link["@rel"] === "alternate")!;
    expect(self["@href"]).toMatch(new RegExp(`/feeds/skills/${fixture.skill.slug}\\.atom$`));
    expect(self["@type"]).toBe("application/atom+xml");
    expect(alternate["@href"]).toMatch(new RegExp(`/skills/${fixture.skill.slug}$`));

    const visibleWithSkill = await directlyVisible({ skillId: fixture.skill.id });
    expect(feed.entry.map((entry) => entry.id.split("/").pop())).toEqual(visibleWithSkill);
    for (const entry of feed.entry) {
      expect(entry.title["#text"]).toMatch(/^(Angebot|Gesuch): /);
      expect(Number.isNaN(Date.parse(entry.updated))).toBe(false);
      expect(entry.link[0]!["@href"]).toBe(entry.id);
      expect(entry.summary["#text"].length).toBeGreaterThan(0);
      expect(entry.author.name).toMatch(/Feed$/);
    }
    const need = feed.entry.find((entry) => entry.title["#text"].startsWith("Gesuch"))!;
    expect(need.title["#text"]).toBe("Gesuch: Lehmputz für Gemeinschaftsraum <gesucht> & mehr");
    expect(need.category.map((category) => category["@term"])).toEqual(["need", "knowhow"]);
  });

  it("never carries an email address", async () => {
    const xml = await (await getAtom(`${fixture.skill.slug}.atom`)).text();
    expect(xml).not.toContain(ADA_EMAIL);
    expect(xml).not.toContain("@");
  });

  it("speaks English on request", async () => {
    const xml = await (await getAtom(`${fixture.skill.slug}.atom`, {}, "?lang=en")).text();
    const { feed } = atomParser.parse(xml);
    expect(feed["@xml:lang"]).toBe("en");
    expect(feed.title["#text"]).toBe("NextLeipzig: offers and needs – Feed Lehmputz");
    expect(feed.entry.map((entry: AtomEntry) => entry.title["#text"].split(":")[0]).sort()).toEqual(["Need", "Offer"]);
  });

  it("answers 304 to a matching If-None-Match", async () => {
    const first = await getAtom(`${fixture.otherSkill.slug}.atom`);
    const etag = first.headers.get("etag")!;
    expect((await getAtom(`${fixture.otherSkill.slug}.atom`, { "If-None-Match": etag })).status).toBe(304);
    expect((await getAtom(`${fixture.otherSkill.slug}.atom`, { "If-Modified-Since": first.headers.get("last-modified")! })).status).toBe(
      304,
    );
  });

  it("is 404 without the .atom suffix or for an unknown skill", async () => {
    expect((await getAtom(fixture.skill.slug)).status).toBe(404);
    expect((await getAtom(`${fixture.skill.slug}.rss`)).status).toBe(404);
    expect((await getAtom(".atom")).status).toBe(404);
    expect((await getAtom("no-such-skill-anywhere.atom")).status).toBe(404);
  });

  it("is valid for a skill without open posts", async () => {
    await db()`insert into skills (slug, source, label_de, label_en) values ('feed-leer', 'curated', 'Leer & <Nichts>', 'Empty')`;
    const xml = await (await getAtom("feed-leer.atom")).text();
    expect(XMLValidator.validate(xml)).toBe(true);
    const { feed } = atomParser.parse(xml);
    expect(feed.entry).toBeUndefined();
    expect(feed.title["#text"]).toBe("NextLeipzig: Angebote und Gesuche – Leer & <Nichts>");
    expect(Number.isNaN(Date.parse(feed.updated))).toBe(false);
  });
});
