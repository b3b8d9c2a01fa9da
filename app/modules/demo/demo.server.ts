import { db } from "~/lib/db.server";
import { DISTRICTS, LEIPZIG_DISTRICTS } from "~/lib/reference";
import { enqueueChange } from "~/modules/outbox/outbox.server";
import { changePostStatus, createPost } from "~/modules/posts/posts.server";
import { postSchema } from "~/modules/posts/schema";
import { saveProfile } from "~/modules/profiles/profiles.server";
import { DEMO_PEOPLE, DEMO_POSTS, seededRandom } from "../../../db/seed/demo-content";
import * as queries from "./queries.server";

export const DEMO_POST_TARGET = 200;
/** Demo posts are dated over the last eight weeks. */
export const DEMO_DAYS = 56;

/** True when the embedded first start should fill the database: nobody is there and the demo never ran. */
export async function shouldSeedDemoOnFirstStart() {
  return (await queries.countUsers(db())) === 0 && !(await queries.demoWasSeeded(db()));
}

/**
 * Fills the database with the demo people and about 200 posts through the same functions people use, so
 * search and matches follow through the outbox like for real posts.
 */
export async function seedDemo(onProgress?: (done: number, total: number) => void) {
  const random = seededRandom(2026);
  // only ever given the non-empty demo lists
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)]!;
  const boroughs = Object.values(LEIPZIG_DISTRICTS);
  const total = DEMO_PEOPLE.length + DEMO_POST_TARGET;
  let done = 0;
  const people: { id: string; role: string; english: boolean; district: string }[] = [];

  for (const [index, person] of DEMO_PEOPLE.entries()) {
    const district = index % 11 === 10 ? "elsewhere" : pick(boroughs[index % boroughs.length]!);
    const userId = await queries.insertDemoUser(db(), `demo${index + 1}@demo.nextleipzig.invalid`, person.english ? "en" : "de");
    await saveProfile(userId, {
      displayName: person.name,
      role: person.role,
      bio: person.bio,
      district,
      remoteOk: random() < 0.4,
      languages: person.languages,
      website: "",
      skillsOffered: person.offers,
      skillsSought: person.seeks,
      digestFrequency: "off",
    });
    people.push({ id: userId, role: person.role, english: Boolean(person.english), district });
    onProgress?.(++done, total);
  }

  const postsByAuthor = new Map<string, { ids: string[]; ages: number[] }>();
  const fulfilled: { postId: string; authorId: string }[] = [];
  // people has one entry per DEMO_PEOPLE, in the same order
  const byName = new Map(DEMO_PEOPLE.map((person, index) => [person.name, people[index]!]));
  const schema = postSchema();
  const posts = DEMO_POSTS.slice(0, DEMO_POST_TARGET);
  for (const [index, template] of posts.entries()) {
    const english = Boolean(template.english);
    const candidates = people.filter((person) => person.role === template.role && person.english === english);
    const author = (template.author ? byName.get(template.author) : undefined) ?? candidates[index % candidates.length] ?? pick(people);
    // Mostly the author's own Ortsteil, sometimes elsewhere in the city.
    const district = template.remote ? "remote" : author.district === "elsewhere" || random() < 0.35 ? pick(DISTRICTS) : author.district;
    const parsed = schema.parse({
      kind: template.kind,
      title: template.title,
      description: template.description,
      skills: template.skills.join(", "),
      category: template.category,
      location: district,
      exchangeMode: template.exchange,
    });
    const postId = await createPost(author.id, parsed);
    if (template.fulfilled) fulfilled.push({ postId, authorId: author.id });
    const entry = postsByAuthor.get(author.id) ?? { ids: [], ages: [] };
    entry.ids.push(postId);
    // Spread over the last eight weeks: every day of the 56 gets posts (37 and 56 share no divisor).
    entry.ages.push((index * 37) % DEMO_DAYS);
    postsByAuthor.set(author.id, entry);
    onProgress?.(++done, total);
  }
  for (const { postId, authorId } of fulfilled) await changePostStatus(postId, { id: authorId, isAdmin: false }, "fulfilled");

  await db().begin(async (tx) => {
    for (const person of people) {
      const posts = postsByAuthor.get(person.id) ?? { ids: [], ages: [] };
      await queries.markDemoRows(tx, person.id, posts.ids, posts.ages);
    }
    await queries.recordDemoSeed(tx);
  });
  return { people: people.length, posts: DEMO_POST_TARGET };
}

/** Removes every demo person with everything they own; search and matches follow through the outbox. */
export async function clearDemo() {
  return db().begin(async (tx) => {
    const { userIds, postIds } = await queries.demoUserAndPostIds(tx);
    await enqueueChange(tx, "post", postIds);
    await enqueueChange(tx, "person", userIds);
    const deleted = await queries.deleteDemoUsers(tx);
    return { people: deleted, posts: postIds.length };
  });
}
