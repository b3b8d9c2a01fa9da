import { z } from "zod";
import { fieldMessage, fields } from "~/lib/forms";
import { idField } from "~/lib/ids";

export const reportSchema = z.object({
  targetType: z.enum(["post", "person"]),
  targetId: idField(),
  reason: fields.text(1000).pipe(z.string().min(5, fieldMessage("contact.tooShort", { min: 5 }))),
  website: z.string().max(0).optional(),
});

export const moderationActionSchema = z.object({
  intent: z.enum(["hide", "restore", "ban", "dismiss"]),
  targetType: z.enum(["post", "person"]),
  targetId: idField(),
});
