import { z } from "zod";
import { fieldMessage, fields } from "~/lib/forms";
import { CATEGORIES, DISTRICTS, EXCHANGE_MODES, POST_KINDS } from "~/lib/reference";
import { skillListField } from "~/modules/profiles/schema";

export const MAX_POST_SKILLS = 10;
export const DEFAULT_POST_DAYS = 90;
export const REMOTE_LOCATION = "remote";

function isoDay(date: Date) {
  return date.toISOString().slice(0, 10);
}

/** A real day of the calendar: 2027-02-30 is not one (Date.parse would roll it over to 2 March). */
function isCalendarDay(value: string) {
  // a part that is missing is NaN, as Number(undefined) is, and no calendar day matches it
  const [year = NaN, month = NaN, day = NaN] = value.split("-").map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export function defaultExpiryDay(now = new Date()) {
  return isoDay(new Date(now.getTime() + DEFAULT_POST_DAYS * 86_400_000));
}

/** The post form; `now` is injectable so expiry rules can be tested on fixed dates. */
export function postSchema(now = new Date()) {
  const today = isoDay(now);
  const latest = isoDay(new Date(now.getTime() + 366 * 86_400_000));
  return z.object({
    kind: fields.choice(POST_KINDS),
    title: fields.text(120, { singleLine: true }),
    description: fields.text(5000),
    skills: skillListField({ min: 1, max: MAX_POST_SKILLS }),
    category: fields.choice(CATEGORIES),
    location: z
      .string({ required_error: fieldMessage("field.required") })
      .refine((value) => value === REMOTE_LOCATION || DISTRICTS.includes(value), fieldMessage("field.invalidChoice"))
      .transform((value) => (value === REMOTE_LOCATION ? { district: null, isRemote: true } : { district: value, isRemote: false })),
    exchangeMode: fields.choice(EXCHANGE_MODES),
    expiresOn: z
      .string()
      .optional()
      .transform((value) => (value && value.trim() ? value.trim() : defaultExpiryDay(now)))
      .pipe(
        z
          .string()
          .regex(/^\d{4}-\d{2}-\d{2}$/, fieldMessage("field.invalidDate"))
          .refine(isCalendarDay, fieldMessage("field.invalidDate"))
          .refine((value) => value > today, fieldMessage("field.pastDate"))
          .refine((value) => value <= latest, fieldMessage("field.tooFarDate")),
      ),
    website: z.string().max(0).optional(),
  });
}

export type PostInput = z.output<ReturnType<typeof postSchema>>;

export const postStatusActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.enum(["fulfil", "close", "reopen", "renew"]) }),
  // deleting asks for a ticked confirmation box, so one stray click cannot do it
  z.object({ intent: z.literal("delete"), confirm: z.literal("on") }),
  // an admin takes down one photo of someone else's post
  z.object({ intent: z.literal("remove-image"), imageId: z.string().regex(/^\d{1,18}$/) }),
]);
