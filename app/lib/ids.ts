import { z } from "zod";

/** A database id as it arrives in a URL, a form or a token: digits only, short enough for a bigint. */
export const ID_PATTERN = /^\d{1,18}$/;

export const isId = (value: string): boolean => ID_PATTERN.test(value);

/** The zod field for an id in a form or query. */
export const idField = () => z.string().regex(ID_PATTERN);
