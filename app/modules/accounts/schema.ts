import { z } from "zod";
import { fieldMessage } from "~/lib/forms";

export const requestLinkSchema = z.object({
  email: z
    .string({ required_error: fieldMessage("login.invalidEmail") })
    .trim()
    .toLowerCase()
    .max(254, fieldMessage("login.invalidEmail"))
    .email(fieldMessage("login.invalidEmail")),
  redirectTo: z.string().optional(),
  // Honeypot: people leave it empty, form-filling bots do not.
  website: z.string().max(0).optional(),
});

export const verifyLinkSchema = z.object({
  token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/),
  redirectTo: z.string().optional(),
});
