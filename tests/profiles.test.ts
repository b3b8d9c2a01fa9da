import { describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { action as profileAction } from "~/routes/profile";
import { loader as personLoader } from "~/routes/person";
import { useTestDatabase } from "./helpers/database";
import { createUser } from "./helpers/factories";
import { formRequest, getRequest, sessionCookieFor, settle } from "./helpers/http";

useTestDatabase();

const validProfile = {
  displayName: "Clara Keramik",
  role: "artist",
  bio: "Keramikerin in Plagwitz.\nOffenes Atelier freitags.",
  district: "Plagwitz",
  remoteOk: "on",
  languages: "de",
  website: "https://clara.example.org",
  skillsOffered: "Keramik, Töpfern, 3D-Druck",
  skillsSought: "grant writing",
  digestFrequency: "weekly",
};

describe("profile", () => {
  it("saves the profile with skills on the taxonomy and shows it publicly without the email", async () => {
    const user = await createUser({ email: "clara@example.org" });
    const cookie = await sessionCookieFor(user.id);
    const saved = await settle(() => profileAction({ request: formRequest("/profile", validProfile, cookie), params: {}, context: {} }));
    expect(saved.status).toBe(302);
    const skills =
      await db()`select ps.direction, s.label_de from profile_skills ps join skills s on s.id = ps.skill_id where ps.user_id = ${user.id} order by ps.direction, s.label_de`;
    expect(skills.map((row) => `${row.direction}:${row.label_de}`)).toEqual([
      "offer:3D-Druck",
      "offer:Keramik",
      "seek:Fördermittelakquise",
    ]);

    const page = await settle(() =>
      personLoader({ request: getRequest(`/people/${user.id}`), params: { personId: user.id }, context: {} }),
    );
    expect(page.status).toBe(200);
    expect(JSON.stringify(page.body)).not.toContain("clara@example.org");
    expect((page.body as { person: { displayName: string } }).person.displayName).toBe("Clara Keramik");
  });

  it("answers malformed and over-long fields with field errors and stores nothing", async () => {
    const user = await createUser();
    const cookie = await sessionCookieFor(user.id);
    const result = await settle(() =>
      profileAction({
        request: formRequest(
          "/profile",
          {
            ...validProfile,
            displayName: "x".repeat(61),
            website: "javascript:alert(1)",
            district: "Gotham",
            role: "wizard",
            skillsOffered: "Neue Fähigkeit XYZ",
          },
          cookie,
        ),
        params: {},
        context: {},
      }),
    );
    expect(result.status).toBe(400);
    const errors = (result.body as { errors: Record<string, string> }).errors;
    expect(Object.keys(errors).sort()).toEqual(["displayName", "district", "role", "website"]);
    expect(await db()`select 1 from profiles where user_id = ${user.id}`).toHaveLength(0);
    expect(await db()`select 1 from skills where label_de = 'Neue Fähigkeit XYZ'`).toHaveLength(0);
  });

  it("sends a visitor without a session to sign in", async () => {
    const result = await settle(() => profileAction({ request: formRequest("/profile", validProfile), params: {}, context: {} }));
    expect(result.status).toBe(302);
    expect(result.headers.get("location")).toMatch(/^\/login\?redirectTo=/);
  });
});
