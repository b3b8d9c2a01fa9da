import { z } from "zod";
import { fieldMessage, fields } from "~/lib/forms";
import { idField } from "~/lib/ids";

const id = idField();

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
