import { Cron } from "croner";
import { z } from "zod";

const onOff = z.enum(["on", "off"]);
const positiveInt = z.coerce.number().int().positive();
const optionalString = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value ? value : undefined));

function isValidCron(expression: string) {
  try {
    new Cron(expression, { paused: true }).stop();
    return true;
  } catch {
    return false;
  }
}

function isTimeZone(zone: string) {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const DEV_SECRET = "dev-only-secret-change-me-in-production-0000";

const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    /** unset → 127.0.0.1 in development and test, 0.0.0.0 in production */
    HOST: optionalString,
    PORT: positiveInt.max(65535).default(3000),
    APP_URL: z.string().url({ message: "must be an absolute URL such as https://nextleipzig.de" }).optional(),
    APP_SECRET: z.string().min(32, { message: "must be at least 32 characters" }).optional(),
    DATABASE_URL: optionalString.pipe(
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, { message: "must start with postgres:// or postgresql://" })
        .optional(),
    ),
    DATABASE_POOL_MAX: positiveInt.max(100).default(10),
    DATA_DIR: z.string().default("./.data"),
    DEMO_DATA: onOff.default("on"),
    WORKERS: onOff.default("on"),
    MAIL_FROM: z.string().default("NextLeipzig <hallo@nextleipzig.de>"),
    RESEND_API_KEY: optionalString,
    /** unset → resend with RESEND_API_KEY, else the local outbox (development only); named explicitly, it wins */
    MAIL_TRANSPORT: optionalString.pipe(z.enum(["resend", "outbox"], { message: "must be resend or outbox" }).optional()),
    RESEND_BASE_URL: optionalString.pipe(z.string().url().optional()),
    RESEND_WEBHOOK_SECRET: optionalString,
    RESEND_REQUESTS_PER_SECOND: z.coerce.number().positive().max(100).default(2),
    MEILI_HOST: optionalString.pipe(z.string().url({ message: "must be a URL such as http://127.0.0.1:7700" }).optional()),
    MEILI_API_KEY: optionalString,
    /** A key whose only action is search: used for queries when set (MEILI_API_KEY for everything else). */
    MEILI_SEARCH_API_KEY: optionalString.pipe(
      z.string().min(16, { message: "must be a Meilisearch API key (at least 16 characters)" }).optional(),
    ),
    /** Every Meilisearch request gives up after this long (searches then fall back to the embedded engine). */
    MEILI_TIMEOUT_MS: positiveInt.max(60_000).default(3000),
    MEILI_INDEX_PREFIX: z
      .string()
      .regex(/^[a-z0-9_]*$/, { message: "only a-z, 0-9 and _" })
      .default("nl_"),
    ADMIN_EMAILS: z
      .string()
      .default("")
      .transform((value) =>
        value
          .split(",")
          .map((email) => email.trim().toLowerCase())
          .filter(Boolean),
      )
      .pipe(z.array(z.string().email({ message: "must be a comma-separated list of email addresses" }))),
    LOGIN_LINKS_PER_EMAIL_PER_HOUR: positiveInt.default(5),
    LOGIN_LINKS_PER_IP_PER_HOUR: positiveInt.default(30),
    CONTACT_REQUESTS_PER_DAY: positiveInt.default(10),
    DIGEST_SCHEDULE: z.string().default("0 8 * * 1").refine(isValidCron, { message: "is not a valid cron expression" }),
    DIGEST_DAILY_SCHEDULE: z.string().default("0 8 * * *").refine(isValidCron, { message: "is not a valid cron expression" }),
    DIGEST_TIMEZONE: z.string().default("Europe/Berlin").refine(isTimeZone, { message: "is not a known time zone" }),
    TRUST_PROXY: z.enum(["true", "false"]).default("false"),
    PAGE_CACHE_SECONDS: z.coerce.number().int().min(0).max(300).default(5),
    PAGE_CACHE_ENTRIES: positiveInt.max(100_000).default(500),
    /** on: per-request time split (SQL, loaders, render) in a Server-Timing header and at /bench/timing, for bench:load */
    REQUEST_TIMING: onOff.default("off"),
    /** unset → image bytes in PostgreSQL; set (with bucket and keys) → an S3-compatible object store */
    S3_ENDPOINT: optionalString.pipe(z.string().url({ message: "must be a URL such as https://s3.eu-central-1.amazonaws.com" }).optional()),
    S3_BUCKET: optionalString.pipe(
      z
        .string()
        .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: "must be a bucket name (3–63 of a-z, 0-9, '.', '-')" })
        .optional(),
    ),
    S3_ACCESS_KEY_ID: optionalString,
    S3_SECRET_ACCESS_KEY: optionalString,
    S3_REGION: z.string().trim().min(1).default("us-east-1"),
    /** most S3-compatible stores (MinIO, Ceph, Garage) want path-style URLs; AWS itself takes both */
    S3_FORCE_PATH_STYLE: z.enum(["true", "false"]).default("true"),
  })
  .superRefine((env, ctx) => {
    // The development secret is public: in production it would let anyone sign unsubscribe links.
    if (env.NODE_ENV === "production" && !env.APP_SECRET) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["APP_SECRET"],
        message: "is required in production (at least 32 random characters, e.g. `openssl rand -hex 32`)",
      });
    }
    // Without a provider the emails (sign-in links!) would only be readable at /dev/mail, which production lacks.
    if (env.NODE_ENV === "production" && !env.RESEND_API_KEY && !env.MAIL_TRANSPORT) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["RESEND_API_KEY"],
        message: "is required in production (or set MAIL_TRANSPORT=outbox to keep emails unsent in the database)",
      });
    }
    // Links in emails, List-Unsubscribe and feed URLs are built from APP_URL: a default would mail localhost links.
    if (env.NODE_ENV === "production" && !env.APP_URL) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["APP_URL"],
        message: "is required in production (the public address, e.g. https://nextleipzig.de)",
      });
    } else if (env.NODE_ENV === "production" && env.RESEND_API_KEY && env.APP_URL && !env.APP_URL.startsWith("https://")) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["APP_URL"],
        message: "must be https when real mail is sent (sign-in links travel in it)",
      });
    }
    if (env.MAIL_TRANSPORT === "resend" && !env.RESEND_API_KEY) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["RESEND_API_KEY"], message: "is required with MAIL_TRANSPORT=resend" });
    }
    // A half-configured object store would silently keep images in the database instead.
    if (env.S3_ENDPOINT || env.S3_BUCKET || env.S3_ACCESS_KEY_ID || env.S3_SECRET_ACCESS_KEY) {
      for (const name of ["S3_ENDPOINT", "S3_BUCKET", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"] as const) {
        if (!env[name]) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [name], message: "is required when any S3_ variable is set" });
      }
    }
    if (env.RESEND_API_KEY && !env.MAIL_FROM.includes("@")) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["MAIL_FROM"], message: "must contain an email address" });
    }
  })
  .transform((env) => {
    const mailTransport = env.MAIL_TRANSPORT ?? (env.RESEND_API_KEY ? "resend" : "outbox");
    return {
      ...env,
      // Development listens on this machine only; production (containers, a reverse proxy) on every interface.
      HOST: env.HOST ?? (env.NODE_ENV === "production" ? "0.0.0.0" : "127.0.0.1"),
      mailTransport,
      /** /dev/mail shows every email (sign-in links included): only outside production, on the outbox transport. */
      devMailbox: env.NODE_ENV !== "production" && mailTransport === "outbox",
      APP_URL: (env.APP_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, ""),
      /** false: APP_URL is the development default, and requests to another loopback name are sent to it. */
      appUrlExplicit: env.APP_URL !== undefined,
      APP_SECRET: env.APP_SECRET ?? DEV_SECRET,
      isProduction: env.NODE_ENV === "production",
      trustProxy: env.TRUST_PROXY === "true",
      s3:
        env.S3_ENDPOINT && env.S3_BUCKET && env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY
          ? {
              endpoint: env.S3_ENDPOINT,
              bucket: env.S3_BUCKET,
              accessKeyId: env.S3_ACCESS_KEY_ID,
              secretAccessKey: env.S3_SECRET_ACCESS_KEY,
              region: env.S3_REGION,
              forcePathStyle: env.S3_FORCE_PATH_STYLE === "true",
            }
          : undefined,
    };
  });

export type Env = z.infer<typeof envSchema>;

export type EnvResult = { ok: true; env: Env } | { ok: false; problems: string[] };

/** Parses an environment; every problem becomes one readable line. */
export function parseEnv(source: Record<string, string | undefined>): EnvResult {
  const result = envSchema.safeParse(source);
  if (result.success) return { ok: true, env: result.data };
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join(".") || "environment";
    const value = source[String(issue.path[0])];
    const shown = value === undefined ? "" : ` (got "${value.length > 40 ? `${value.slice(0, 40)}…` : value}")`;
    return `${name} ${issue.message}${shown}`;
  });
  return { ok: false, problems };
}

let cached: Env | undefined;

/** The typed configuration. Exits the process with one line per problem when it is invalid. */
export function env(): Env {
  if (cached) return cached;
  const result = parseEnv(process.env);
  if (!result.ok) {
    for (const problem of result.problems) console.error(`Configuration error: ${problem}`);
    process.exit(1);
  }
  cached = result.env;
  return cached;
}

/** Tests set their own configuration. */
export function setEnvForTests(overrides: Record<string, string | undefined>) {
  const result = parseEnv({ ...process.env, ...overrides });
  if (!result.ok) throw new Error(result.problems.join("\n"));
  cached = result.env;
  return cached;
}
