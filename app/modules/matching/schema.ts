/** /matches filters and paging (browser-safe: the page's form uses the same choices). */
import { z } from "zod";
import { ROLES } from "~/lib/reference";

export const MATCH_FILTER_KINDS = ["post", "person"] as const;

/** The query string of /matches; anything unknown is dropped (a bad link shows everything, never an error). */
export const matchesQuerySchema = z.object({
  kind: z.enum(MATCH_FILTER_KINDS).optional().catch(undefined),
  role: z.enum(ROLES).optional().catch(undefined),
  district: z.string().max(80).optional().catch(undefined),
  section: z
    .string()
    .regex(/^(p\d{1,18}|profile-(need|offer))$/)
    .optional()
    .catch(undefined),
  page: z.coerce.number().int().min(1).max(1000).optional().catch(undefined),
});
