import { db } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { translator, type Locale, type MessageKey } from "~/lib/i18n";
import type { PostsFeed, PostsFeedQuery } from "./schema";
import * as queries from "./queries.server";
import { redactEmailAddresses } from "./redact";
import { escapeXml } from "~/lib/xml";
import { isId } from "~/lib/ids";

const ATOM_ENTRIES = 50;
const ATOM_SUMMARY_CHARS = 600;

function includeDemo() {
  return env().DEMO_DATA === "on";
}

function absoluteUrl(path: string) {
  return `${env().APP_URL}${path}`;
}

export type PostsFeedResult = { ok: true; feed: PostsFeed; lastModified: Date | null } | { ok: false; status: 400; message: string };

/** The JSON feed of open posts for a validated query; an unknown skill is the caller's mistake (400). */
export async function buildPostsFeed(query: PostsFeedQuery): Promise<PostsFeedResult> {
  const sql = db();
  let skillId: string | null = null;
  if (query.skill) {
    const skill = await queries.findFeedSkill(sql, isId(query.skill) ? { id: query.skill } : { slug: query.skill });
    if (!skill) return { ok: false, status: 400, message: `unknown skill: ${query.skill}` };
    skillId = skill.id;
  }
  const filter = { skillId, kind: query.kind ?? null, district: query.district ?? null, includeDemo: includeDemo() };
  const offset = (query.page - 1) * query.per_page;
  const [rows, total, lastModified] = await Promise.all([
    queries.feedPosts(sql, filter, query.per_page, offset),
    queries.countFeedPosts(sql, filter),
    queries.feedLastModified(sql, filter),
  ]);

  const pageUrl = (page: number) => {
    const params = new URLSearchParams();
    if (query.skill) params.set("skill", query.skill);
    if (query.kind) params.set("kind", query.kind);
    if (query.district) params.set("district", query.district);
    params.set("page", String(page));
    params.set("per_page", String(query.per_page));
    return absoluteUrl(`/feeds/posts.json?${params}`);
  };

  const feed: PostsFeed = {
    title: "NextLeipzig",
    home_page_url: absoluteUrl("/"),
    feed_url: pageUrl(query.page),
    page: query.page,
    per_page: query.per_page,
    total,
    next_url: offset + rows.length < total ? pageUrl(query.page + 1) : null,
    items: rows.map((row) => ({
      id: row.id,
      kind: row.kind,
      title: redactEmailAddresses(row.title),
      description: redactEmailAddresses(row.description),
      skills: row.skills.map((skill) => ({ id: skill.id, slug: skill.slug, label_de: skill.label_de, label_en: skill.label_en })),
      category: row.category as PostsFeed["items"][number]["category"],
      district: row.district,
      is_remote: row.is_remote,
      exchange_mode: row.exchange_mode as PostsFeed["items"][number]["exchange_mode"],
      is_demo: row.is_demo,
      created_at: row.created_at.toISOString(),
      updated_at: row.updated_at.toISOString(),
      expires_at: row.expires_at.toISOString(),
      url: absoluteUrl(`/posts/${row.id}`),
      author: {
        display_name: row.author_name === null ? null : redactEmailAddresses(row.author_name),
        profile_url: row.author_name === null ? null : absoluteUrl(`/people/${row.author_id}`),
      },
    })),
  };
  return { ok: true, feed, lastModified };
}

export type SkillAtomResult = { kind: "feed"; xml: string; lastModified: Date } | { kind: "moved"; slug: string } | { kind: "not_found" };

/** The Atom 1.0 feed of one skill's open posts, newest first, in the requested language. */
export async function buildSkillAtomFeed(slug: string, locale: Locale): Promise<SkillAtomResult> {
  const sql = db();
  const skill = await queries.findFeedSkill(sql, { slug });
  if (!skill) return { kind: "not_found" };
  if (skill.slug !== slug) return { kind: "moved", slug: skill.slug };

  const filter = { skillId: skill.id, kind: null, district: null, includeDemo: includeDemo() };
  const [rows, lastModified] = await Promise.all([queries.feedPosts(sql, filter, ATOM_ENTRIES, 0), queries.feedLastModified(sql, filter)]);
  const updated = lastModified ?? skill.created_at;
  const t = translator(locale);
  const label = locale === "en" ? skill.label_en : skill.label_de;
  const selfUrl = absoluteUrl(`/feeds/skills/${skill.slug}.atom${locale === "en" ? "?lang=en" : ""}`);

  const entries = rows.map((row) => {
    const postUrl = absoluteUrl(`/posts/${row.id}`);
    const author =
      row.author_name === null
        ? ""
        : `<author><name>${escapeXml(redactEmailAddresses(row.author_name))}</name><uri>${escapeXml(absoluteUrl(`/people/${row.author_id}`))}</uri></author>`;
    return [
      "<entry>",
      `<id>${escapeXml(postUrl)}</id>`,
      `<title type="text">${escapeXml(`${t(`kind.${row.kind}` as MessageKey)}: ${redactEmailAddresses(row.title)}`)}</title>`,
      `<updated>${row.updated_at.toISOString()}</updated>`,
      `<published>${row.created_at.toISOString()}</published>`,
      `<link rel="alternate" type="text/html" href="${escapeXml(postUrl)}"/>`,
      `<summary type="text">${escapeXml(summarize(redactEmailAddresses(row.description)))}</summary>`,
      author,
      `<category term="${row.kind}" label="${escapeXml(t(`kind.${row.kind}` as MessageKey))}"/>`,
      `<category term="${escapeXml(row.category)}" label="${escapeXml(t(`category.${row.category}` as MessageKey))}"/>`,
      "</entry>",
    ].join("");
  });

  const xml = [
    `<?xml version="1.0" encoding="utf-8"?>`,
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${locale}">`,
    `<id>${escapeXml(absoluteUrl(`/feeds/skills/${skill.slug}.atom`))}</id>`,
    `<title type="text">${escapeXml(t("stats.feedSkillTitle", { skill: label }))}</title>`,
    `<subtitle type="text">${escapeXml(t("stats.feedSkillSubtitle", { skill: label }))}</subtitle>`,
    `<updated>${updated.toISOString()}</updated>`,
    `<link rel="self" type="application/atom+xml" href="${escapeXml(selfUrl)}"/>`,
    `<link rel="alternate" type="text/html" href="${escapeXml(absoluteUrl(`/skills/${skill.slug}`))}"/>`,
    `<author><name>NextLeipzig</name><uri>${escapeXml(absoluteUrl("/"))}</uri></author>`,
    `<generator uri="${escapeXml(absoluteUrl("/"))}">NextLeipzig</generator>`,
    ...entries,
    `</feed>`,
  ].join("\n");
  return { kind: "feed", xml, lastModified: updated };
}

function summarize(text: string) {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= ATOM_SUMMARY_CHARS) return flat;
  const cut = flat.slice(0, ATOM_SUMMARY_CHARS);
  const lastSpace = cut.lastIndexOf(" ");
  return `${lastSpace > ATOM_SUMMARY_CHARS / 2 ? cut.slice(0, lastSpace) : cut}…`;
}
