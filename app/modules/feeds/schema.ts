import { z } from "zod";
import { CATEGORIES, DISTRICTS, EXCHANGE_MODES, POST_KINDS } from "~/lib/reference";

export const FEED_MAX_PER_PAGE = 100;
export const FEED_DEFAULT_PER_PAGE = 20;
const MAX_PAGE = 10_000;

/** An empty parameter (`?kind=`) means "no filter", as in an HTML form. */
const optional = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess((value) => (typeof value === "string" && value.trim() === "" ? undefined : value), schema.optional());

const positiveInt = (name: string, max: number, fallback: number) =>
  optional(
    z
      .string()
      .regex(/^\d+$/, `${name} must be a whole number`)
      .transform(Number)
      .pipe(z.number().min(1, `${name} must be at least 1`).max(max, `${name} must be at most ${max}`)),
  ).transform((value) => value ?? fallback);

/** The query string of /feeds/posts.json. Unknown parameters are ignored. */
export const postsFeedQuerySchema = z.object({
  skill: optional(
    z
      .string()
      .trim()
      .max(200, "skill must be a skill id or slug")
      .regex(/^[\p{L}\p{N}-]+$/u, "skill must be a skill id (digits) or slug (letters, digits, hyphens)"),
  ),
  kind: optional(z.enum(POST_KINDS, { errorMap: () => ({ message: `kind must be one of: ${POST_KINDS.join(", ")}` }) })),
  district: optional(
    z.string().refine((value) => DISTRICTS.includes(value), "district must be the name of a Leipzig Ortsteil, e.g. Plagwitz"),
  ),
  page: positiveInt("page", MAX_PAGE, 1),
  per_page: positiveInt("per_page", FEED_MAX_PER_PAGE, FEED_DEFAULT_PER_PAGE),
});

export type PostsFeedQuery = z.output<typeof postsFeedQuerySchema>;

const isoDateTime = z.string().datetime({ offset: true });

export const feedSkillSchema = z
  .object({ id: z.string().regex(/^\d+$/), slug: z.string().min(1), label_de: z.string(), label_en: z.string() })
  .strict();

/** One post in the feed. Strict: a field that is not listed here (an email address, say) fails validation. */
export const feedItemSchema = z
  .object({
    id: z.string().regex(/^\d+$/),
    kind: z.enum(POST_KINDS),
    title: z.string(),
    description: z.string(),
    skills: z.array(feedSkillSchema),
    category: z.enum(CATEGORIES),
    district: z.string().nullable(),
    is_remote: z.boolean(),
    exchange_mode: z.enum(EXCHANGE_MODES),
    is_demo: z.boolean(),
    created_at: isoDateTime,
    updated_at: isoDateTime,
    expires_at: isoDateTime,
    url: z.string().url(),
    author: z.object({ display_name: z.string().nullable(), profile_url: z.string().url().nullable() }).strict(),
  })
  .strict();

export const postsFeedSchema = z
  .object({
    title: z.string(),
    home_page_url: z.string().url(),
    feed_url: z.string().url(),
    page: z.number().int().min(1),
    per_page: z.number().int().min(1).max(FEED_MAX_PER_PAGE),
    total: z.number().int().min(0),
    next_url: z.string().url().nullable(),
    items: z.array(feedItemSchema),
  })
  .strict();

export type FeedItem = z.infer<typeof feedItemSchema>;
export type PostsFeed = z.infer<typeof postsFeedSchema>;
