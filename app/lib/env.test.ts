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

  const SECRET = "0123456789abcdef0123456789abcdef";
  const SITE = "https://nextleipzig.example";

  it("requires APP_URL in production, and https when real mail carries its links", () => {
    const missing = parseEnv({ NODE_ENV: "production", APP_SECRET: SECRET, RESEND_API_KEY: "re_x" });
    expect(!missing.ok && missing.problems).toEqual([expect.stringMatching(/^APP_URL is required in production/)]);
    const plain = parseEnv({ NODE_ENV: "production", APP_SECRET: SECRET, RESEND_API_KEY: "re_x", APP_URL: "http://nextleipzig.example" });
    expect(!plain.ok && plain.problems).toEqual([expect.stringMatching(/^APP_URL must be https when real mail is sent/)]);
    const development = parseEnv({});
    expect(development.ok && development.env.APP_URL === "http://localhost:3000" && !development.env.appUrlExplicit).toBe(true);
  });

  it("requires a real secret in production, on an external and on the embedded database", () => {
    for (const database of [{ DATABASE_URL: "postgres://db/app" }, {}]) {
      const result = parseEnv({ NODE_ENV: "production", RESEND_API_KEY: "re_x", APP_URL: SITE, ...database });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.problems).toEqual([expect.stringMatching(/^APP_SECRET is required in production/)]);
    }
    expect(parseEnv({ NODE_ENV: "production", RESEND_API_KEY: "re_x", APP_SECRET: SECRET, APP_URL: SITE }).ok).toBe(true);
  });

  it("stops production without a mail provider with one line, unless the operator names the outbox", () => {
    const result = parseEnv({ NODE_ENV: "production", APP_SECRET: SECRET, APP_URL: SITE });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems).toHaveLength(1);
      expect(result.problems[0]).toMatch(/^RESEND_API_KEY is required in production .*MAIL_TRANSPORT=outbox/);
    }
    const outbox = parseEnv({ NODE_ENV: "production", APP_SECRET: SECRET, MAIL_TRANSPORT: "outbox", APP_URL: SITE });
    expect(outbox.ok && outbox.env.mailTransport === "outbox").toBe(true);
    // named explicitly, the outbox keeps emails unsent; the public mailbox still does not exist in production
    expect(outbox.ok && outbox.env.devMailbox).toBe(false);
    const missingKey = parseEnv({ MAIL_TRANSPORT: "resend" });
    expect(!missingKey.ok && missingKey.problems[0]).toMatch(/^RESEND_API_KEY is required with MAIL_TRANSPORT=resend/);
  });

  it("opens the development mailbox only in development mode on the outbox transport", () => {
    const development = parseEnv({});
    expect(development.ok && development.env.devMailbox && development.env.mailTransport === "outbox").toBe(true);
    const withResend = parseEnv({ RESEND_API_KEY: "re_x" });
    expect(withResend.ok && (withResend.env.devMailbox || withResend.env.mailTransport !== "resend")).toBe(false);
    const production = parseEnv({ NODE_ENV: "production", APP_SECRET: SECRET, RESEND_API_KEY: "re_x", APP_URL: SITE });
    expect(production.ok && production.env.devMailbox).toBe(false);
  });

  it("listens on this machine only by default in development, on every interface in production", () => {
    const development = parseEnv({});
    expect(development.ok && development.env.HOST).toBe("127.0.0.1");
    const production = parseEnv({ NODE_ENV: "production", APP_SECRET: SECRET, RESEND_API_KEY: "re_x", APP_URL: SITE });
    expect(production.ok && production.env.HOST).toBe("0.0.0.0");
    const chosen = parseEnv({ HOST: "0.0.0.0" });
    expect(chosen.ok && chosen.env.HOST).toBe("0.0.0.0");
  });

  it("treats empty optional values as unset", () => {
    const result = parseEnv({ DATABASE_URL: "", RESEND_API_KEY: "", MEILI_HOST: "" });
    expect(result.ok && result.env.DATABASE_URL === undefined && result.env.RESEND_API_KEY === undefined).toBe(true);
  });
});
