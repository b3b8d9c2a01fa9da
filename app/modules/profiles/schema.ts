import { z } from "zod";
import { fieldMessage, fields, hasNoControlCharacters } from "~/lib/forms";
import { DIGEST_FREQUENCIES, LANGUAGES_SPOKEN, PROFILE_DISTRICTS, ROLES } from "~/lib/reference";
import { splitSkillInput } from "~/modules/skills/normalize";

export const MAX_PROFILE_SKILLS = 30;

export const skillListField = (options: { min: number; max: number }) =>
  z
    .string()
    .max(1000, fieldMessage("field.tooLong", { max: 1000 }))
    .refine(hasNoControlCharacters, fieldMessage("field.controlCharacters"))
    .optional()
    .transform((value) => splitSkillInput(value))
    .pipe(
      z
        .array(z.string().max(80, fieldMessage("field.tooLong", { max: 80 })))
        .min(options.min, fieldMessage("field.tooFewSkills", { min: options.min }))
        .max(options.max, fieldMessage("field.tooManySkills", { max: options.max })),
    );

export const profileSchema = z.object({
  displayName: fields.text(60, { singleLine: true }),
  role: fields.choice(ROLES),
  bio: fields.optionalText(1000),
  district: z.string().refine((value) => PROFILE_DISTRICTS.includes(value), fieldMessage("field.invalidChoice")),
  remoteOk: fields.checkbox(),
  languages: fields.list(fields.choice(LANGUAGES_SPOKEN)).pipe(z.array(z.string()).max(LANGUAGES_SPOKEN.length)),
  website: fields
    .optionalText(200, { singleLine: true })
    .pipe(z.string().refine((value) => value === "" || /^https?:\/\/[^\s/$.?#].[^\s]*$/i.test(value), fieldMessage("field.invalidUrl"))),
  skillsOffered: skillListField({ min: 0, max: MAX_PROFILE_SKILLS }),
  skillsSought: skillListField({ min: 0, max: MAX_PROFILE_SKILLS }),
  digestFrequency: fields.choice(DIGEST_FREQUENCIES).default("weekly"),
});

export type ProfileInput = z.output<typeof profileSchema>;
