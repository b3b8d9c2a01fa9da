import { describe, expect, it } from "vitest";
import { parseEnv } from "./env.server";

describe("configuration", () => {
  it("runs on embedded defaults with nothing set", () => {
    const result = parseEnv({});
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.env.PORT).toBe(3000);
    expect(result.env.DATABASE_URL).toBeUndefined();
    expect(result.env.DATA_DIR).toBe("./.data");
    expect(result.env.APP_URL).toBe("http://localhost:3000");
    expect(result.env.DIGEST_SCHEDULE).toBe("0 8 * * 1");
  });

  it("reports one readable line per problem", () => {
    const result = parseEnv({ PORT: "eighty", DATABASE_URL: "mysql://x", DIGEST_TIMEZONE: "Mars/Olympus", ADMIN_EMAILS: "a@b.de, nope" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(4);
    expect(result.problems.find((line) => line.startsWith("PORT"))).toContain('"eighty"');
    expect(result.problems.find((line) => line.startsWith("DATABASE_URL"))).toContain("postgres://");
    expect(result.problems.find((line) => line.startsWith("DIGEST_TIMEZONE"))).toContain("time zone");
    expect(result.problems.some((line) => line.startsWith("ADMIN_EMAILS"))).toBe(true);
    for (const line of result.problems) expect(line).not.toContain("\n");
  });

  it("requires a real secret in production with an external database", () => {
    const result = parseEnv({ NODE_ENV: "production", DATABASE_URL: "postgres://db/app" });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]).toMatch(/^APP_SECRET/);
  });

  it("treats empty optional values as unset", () => {
    const result = parseEnv({ DATABASE_URL: "", RESEND_API_KEY: "", MEILI_HOST: "" });
    expect(result.ok && result.env.DATABASE_URL === undefined && result.env.RESEND_API_KEY === undefined).toBe(true);
  });
});
