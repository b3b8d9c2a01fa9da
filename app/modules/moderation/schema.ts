import { z } from "zod";
import { fieldMessage, fields } from "~/lib/forms";

export const reportSchema = z.object({
  targetType: z.enum(["post", "person"]),
  targetId: z.string().regex(/^\d{1,18}$/),
  reason: fields.text(1000).pipe(z.string().min(5, fieldMessage("contact.tooShort", { min: 5 }))),
  website: z.string().max(0).optional(),
});

export const moderationActionSchema = z.object({
  intent: z.enum(["hide", "restore", "ban", "dismiss"]),
  targetType: z.enum(["post", "person"]),
  targetId: z.string().regex(/^\d{1,18}$/),
});
