import { db } from "~/lib/db.server";
import { saveProfile } from "~/modules/profiles/profiles.server";
import { createPost } from "~/modules/posts/posts.server";
import { postSchema } from "~/modules/posts/schema";
import type { ProfileInput } from "~/modules/profiles/schema";

let counter = 0;

export async function createUser(overrides: { email?: string; isAdmin?: boolean; locale?: "de" | "en" } = {}) {
  counter += 1;
  const email = overrides.email ?? `person${counter}-${Date.now()}@example.org`;
  const [row] = await db()<{ id: string }[]>`
    insert into users (email, is_admin, locale) values (${email}, ${overrides.isAdmin ?? false}, ${overrides.locale ?? "de"}) returning id`;
  return { id: row!.id, email };
}

export async function createPerson(
  profile: Partial<ProfileInput> = {},
  user: { email?: string; isAdmin?: boolean; locale?: "de" | "en" } = {},
) {
  const created = await createUser(user);
  await saveProfile(created.id, {
    displayName: `Person ${counter}`,
    role: "craftsperson",
    bio: "",
    district: "Plagwitz",
    remoteOk: false,
    languages: ["de"],
    website: "",
    skillsOffered: [],
    skillsSought: [],
    digestFrequency: "weekly",
    ...profile,
  });
  return created;
}

export type PostFields = {
  kind?: "offer" | "need";
  title?: string;
  description?: string;
  skills?: string;
  category?: string;
  location?: string;
  exchangeMode?: string;
  expiresOn?: string;
};

export function postForm(fields: PostFields = {}) {
  const form = new FormData();
  const values = {
    kind: "offer",
    title: "Holzwerkstatt mit CNC-Fräse",
    description: "Werkstatt in Plagwitz, stundenweise nutzbar.",
    skills: "Holzbearbeitung",
    category: "equipment",
    location: "Plagwitz",
    exchangeMode: "paid",
    ...fields,
  };
  for (const [name, value] of Object.entries(values)) if (value !== undefined) form.set(name, value);
  return form;
}

export async function createTestPost(authorId: string, fields: PostFields = {}) {
  const parsed = postSchema().safeParse(Object.fromEntries(postForm(fields)));
  if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
  return createPost(authorId, parsed.data);
}
