import { z } from "zod";
import { fieldMessage, fields } from "~/lib/forms";

const id = z.string().regex(/^\d{1,18}$/);

export const contactRequestSchema = z.object({
  postId: z
    .string()
    .optional()
    .transform((value) => (value ? value : undefined))
    .pipe(id.optional()),
  message: fields.text(1000).pipe(z.string().min(10, fieldMessage("contact.tooShort", { min: 10 }))),
  website: z.string().max(0).optional(),
});

export const respondSchema = z.object({ intent: z.enum(["accept", "decline"]) });

export const threadMessageSchema = z.object({ intent: z.literal("message"), body: fields.text(2000) });
