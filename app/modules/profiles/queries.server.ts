import type { Db } from "~/lib/db.server";
import type { ProfileInput } from "./schema";

export type ProfileRow = {
  user_id: string;
  display_name: string;
  role: string;
  bio: string;
  district: string;
  remote_ok: boolean;
  languages: string[];
  website: string | null;
  digest_frequency: string;
  is_demo: boolean;
  created_at: Date;
};

export type ProfileSkillRow = { direction: "offer" | "seek"; id: string; slug: string; label_de: string; label_en: string };

export async function upsertProfile(sql: Db, userId: string, input: ProfileInput) {
  await sql`
    insert into profiles (user_id, display_name, role, bio, district, remote_ok, languages, website, digest_frequency)
    values (${userId}, ${input.displayName}, ${input.role}, ${input.bio}, ${input.district}, ${input.remoteOk},
            ${input.languages}, ${input.website || null}, ${input.digestFrequency})
    on conflict (user_id) do update set
      display_name = excluded.display_name, role = excluded.role, bio = excluded.bio, district = excluded.district,
      remote_ok = excluded.remote_ok, languages = excluded.languages, website = excluded.website,
      digest_frequency = excluded.digest_frequency, updated_at = now()`;
}

export async function replaceProfileSkills(sql: Db, userId: string, direction: "offer" | "seek", skillIds: string[]) {
  await sql`delete from profile_skills where user_id = ${userId} and direction = ${direction}`;
  if (skillIds.length === 0) return;
  await sql`
    insert into profile_skills ${sql(skillIds.map((skillId) => ({ user_id: userId, direction, skill_id: skillId })))}
    on conflict do nothing`;
}

export async function findProfile(sql: Db, userId: string) {
  const [row] = await sql<ProfileRow[]>`
    select user_id, display_name, role, bio, district, remote_ok, languages, website, digest_frequency, is_demo, created_at
    from profiles where user_id = ${userId}`;
  return row;
}

/** A profile others may see: its owner exists and is not banned. */
export async function findPublicProfile(sql: Db, userId: string) {
  const [row] = await sql<ProfileRow[]>`
    select p.user_id, p.display_name, p.role, p.bio, p.district, p.remote_ok, p.languages, p.website,
           p.digest_frequency, p.is_demo, p.created_at
    from profiles p join users u on u.id = p.user_id
    where p.user_id = ${userId} and u.banned_at is null`;
  return row;
}

export async function profileSkills(sql: Db, userId: string) {
  return sql<ProfileSkillRow[]>`
    select ps.direction, s.id, s.slug, s.label_de, s.label_en
    from profile_skills ps join skills s on s.id = ps.skill_id
    where ps.user_id = ${userId}
    order by s.label_de`;
}

export async function setDigestFrequency(sql: Db, userId: string, frequency: string) {
  const rows =
    await sql`update profiles set digest_frequency = ${frequency}, updated_at = now() where user_id = ${userId} returning user_id`;
  return rows.length > 0;
}

/** The profile of the account with this address gets no more digests. */
export async function turnOffDigestsForEmail(sql: Db, email: string) {
  const rows = await sql`
    update profiles p set digest_frequency = 'off', updated_at = now()
    from users u where u.id = p.user_id and u.email = ${email}
    returning p.user_id`;
  return rows.length;
}
