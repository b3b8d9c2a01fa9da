/**
 * STAND-IN, NOT MEILISEARCH. A local HTTP server that behaves like the parts of Meilisearch's API the adapter
 * uses, as documented (https://www.meilisearch.com/docs/reference/api), so tests can fail the adapter the way a
 * real server would:
 * - writes are asynchronous tasks: answered 202 `enqueued`, then `processing`, then `succeeded` or `failed`,
 *   one at a time in order of arrival, readable at GET /tasks/:uid;
 * - a configurable version (GET /version); fields newer than it are refused with Meilisearch's error JSON
 *   (`localizedAttributes` and `locales` need 1.10, swap `rename` needs 1.18), as are unknown fields;
 * - real filtering (=, !=, >, >=, <, <=, IN [..], NOT IN [..], AND, OR, NOT, parentheses, arrays of
 *   expressions), on filterable attributes only, else 400 `invalid_search_filter`;
 * - a simple but real ranking on the documents it holds, following the index's `rankingRules` in their order:
 *   words (matching strategy `last` or `all`), typo (one typo from 5 letters, two from 9), attribute (which
 *   searchable attribute matched first), sort (the request's `sort`), exactness, and `field:asc|desc` rules;
 *   the last query word also matches as a prefix; `nonSeparatorTokens` keep "#", "+" inside words;
 * - API keys when configured: a search key may only search.
 * It does not do proximity, stemming, language-specific segmentation or typo-tolerance settings beyond sizes.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export type RecordedRequest = { method: string; path: string; query: Record<string, string>; body: unknown; authorization?: string };

type TaskStatus = "enqueued" | "processing" | "succeeded" | "failed";
type MeiliError = { message: string; code: string; type: string; link: string };
type Task = {
  uid: number;
  indexUid: string | null;
  type: string;
  status: TaskStatus;
  error: MeiliError | null;
  enqueuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Throws a MeiliFailure to fail the task. */
  run: () => void;
};
type Doc = Record<string, unknown>;

export type MeilisearchStandInOptions = {
  /** What GET /version answers, and which fields are accepted. Default "1.18.0". */
  version?: string;
  /** How long a task stays enqueued, and then processing. Default 5 ms each. */
  taskDelayMs?: number;
  /** When set, every request needs one of these keys; the search key may only search. */
  keys?: { admin: string; search: string };
};

export type MeilisearchStandIn = {
  url: string;
  requests: RecordedRequest[];
  /** Documents per index uid, by primary key. */
  documents: Map<string, Map<string, Doc>>;
  settings: Map<string, Record<string, unknown>>;
  /** "fail": every task ends as failed; "ok": as the service would decide. */
  setTaskOutcome: (outcome: "ok" | "fail") => void;
  /** Unreachable: connections are dropped without an answer. */
  setUnreachable: (unreachable: boolean) => void;
  setVersion: (version: string) => void;
  /** Tasks stay `enqueued` while paused (a busy server); resuming processes them in order. */
  pauseTasks: (paused: boolean) => void;
  tasks: () => Omit<Task, "run">[];
  requestsTo: (method: string, pathPattern: RegExp) => RecordedRequest[];
  /** Runs before each answer (the answer waits for it): lets a test look at the caller while it waits. */
  onRequest: (hook: ((request: RecordedRequest) => Promise<void>) | undefined) => void;
  close: () => Promise<void>;
};

class MeiliFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly type = "invalid_request",
  ) {
    super(message);
  }
  json(): MeiliError {
    return { message: this.message, code: this.code, type: this.type, link: `https://docs.meilisearch.com/errors#${this.code}` };
  }
}

const atLeast = (version: string, wanted: string) => {
  const [a, b, c] = version.split(".").map(Number);
  const [x, y, z] = wanted.split(".").map(Number);
  return a !== x ? a! > x! : b !== y ? b! > y! : (c || 0) >= (z || 0);
};

const SETTINGS_FIELDS: [string, string][] = [
  ["displayedAttributes", "0.0.0"],
  ["searchableAttributes", "0.0.0"],
  ["filterableAttributes", "0.0.0"],
  ["sortableAttributes", "0.0.0"],
  ["rankingRules", "0.0.0"],
  ["stopWords", "0.0.0"],
  ["nonSeparatorTokens", "1.3.0"],
  ["separatorTokens", "1.3.0"],
  ["dictionary", "1.3.0"],
  ["synonyms", "0.0.0"],
  ["distinctAttribute", "0.0.0"],
  ["proximityPrecision", "1.6.0"],
  ["typoTolerance", "0.0.0"],
  ["faceting", "0.0.0"],
  ["pagination", "0.0.0"],
  ["embedders", "1.6.0"],
  ["searchCutoffMs", "1.7.0"],
  ["localizedAttributes", "1.10.0"],
  ["facetSearch", "1.12.0"],
  ["prefixSearch", "1.12.0"],
];

const SEARCH_FIELDS: [string, string][] = [
  ["q", "0.0.0"],
  ["filter", "0.0.0"],
  ["facets", "0.0.0"],
  ["sort", "0.0.0"],
  ["page", "0.0.0"],
  ["hitsPerPage", "0.0.0"],
  ["offset", "0.0.0"],
  ["limit", "0.0.0"],
  ["matchingStrategy", "0.0.0"],
  ["attributesToRetrieve", "0.0.0"],
  ["attributesToSearchOn", "1.3.0"],
  ["showRankingScore", "1.3.0"],
  ["locales", "1.10.0"],
];

const DEFAULT_RANKING = ["words", "typo", "proximity", "attribute", "sort", "exactness"];

function unknownField(field: string, known: string[]) {
  return new MeiliFailure("bad_request", `Unknown field \`${field}\`: expected one of ${known.map((name) => `\`${name}\``).join(", ")}`);
}

function checkFields(body: Record<string, unknown>, fields: [string, string][], version: string) {
  const known = fields.filter(([, since]) => atLeast(version, since)).map(([name]) => name);
  for (const field of Object.keys(body)) if (!known.includes(field)) throw unknownField(field, known);
}

// ---------------------------------------------------------------------------------------------------------
// Text: normalisation, words, typos.

const fold = (text: string) => text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();

function words(text: string, keep: string[]): string[] {
  const kept = keep.map((token) => token.replace(/[\\^$.*+?()[\]{}|-]/g, "\\$&")).join("");
  const pattern = new RegExp(`[\\p{L}\\p{N}${kept}]+`, "gu");
  return (fold(text).match(pattern) ?? []).map((word) => word.replace(new RegExp(`^[${kept || "_"}]+`, "u"), "")).filter(Boolean);
}

/** Damerau-Levenshtein distance (optimal string alignment), stopping early above `max`. */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      rows[i]![j] = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) rows[i]![j] = Math.min(rows[i]![j]!, rows[i - 2]![j - 2]! + 1);
    }
  }
  return rows[a.length]![b.length]!;
}

// ---------------------------------------------------------------------------------------------------------
// Filters.

type FilterToken = { kind: "word" | "string" | "op" | "punct"; value: string };

function tokenizeFilter(filter: string): FilterToken[] {
  const tokens: FilterToken[] = [];
  let i = 0;
  while (i < filter.length) {
    const char = filter[i]!;
    if (/\s/.test(char)) {
      i++;
    } else if (char === '"' || char === "'") {
      let value = "";
      i++;
      while (i < filter.length && filter[i] !== char) {
        if (filter[i] === "\\" && i + 1 < filter.length) i++;
        value += filter[i++];
      }
      if (i >= filter.length) throw new MeiliFailure("invalid_search_filter", `Expression \`${filter}\` is missing a closing quote.`);
      i++;
      tokens.push({ kind: "string", value });
    } else if ("()[],".includes(char)) {
      tokens.push({ kind: "punct", value: char });
      i++;
    } else if ("=!<>".includes(char)) {
      const two = filter.slice(i, i + 2);
      const op = ["!=", ">=", "<="].includes(two) ? two : char;
      tokens.push({ kind: "op", value: op });
      i += op.length;
    } else {
      const match = filter.slice(i).match(/^[^\s()[\],=!<>"']+/);
      if (!match) throw new MeiliFailure("invalid_search_filter", `Was expecting a value at \`${filter.slice(i)}\`.`);
      tokens.push({ kind: "word", value: match[0] });
      i += match[0].length;
    }
  }
  return tokens;
}

type Predicate = (document: Doc) => boolean;

function valuesOf(document: Doc, attribute: string): unknown[] {
  const value = document[attribute];
  return Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
}

const equalValue = (actual: unknown, wanted: string) => fold(String(actual)) === fold(wanted);

function parseFilter(filter: string, filterable: string[]): Predicate {
  const tokens = tokenizeFilter(filter);
  let at = 0;
  const peek = () => tokens[at];
  const isWord = (value: string) => peek()?.kind === "word" && peek()!.value.toUpperCase() === value;
  const fail = (message: string) => new MeiliFailure("invalid_search_filter", `${message} in \`${filter}\`.`);
  const value = () => {
    const token = tokens[at++];
    if (!token || (token.kind !== "word" && token.kind !== "string")) throw fail("Was expecting a value");
    return token.value;
  };
  const list = () => {
    if (peek()?.value !== "[") throw fail("Was expecting an opening bracket");
    at++;
    const values: string[] = [];
    while (peek() && peek()!.value !== "]") {
      values.push(value());
      if (peek()?.value === ",") at++;
    }
    if (peek()?.value !== "]") throw fail("Was expecting a closing bracket");
    at++;
    return values;
  };
  const condition = (): Predicate => {
    const attributeToken = tokens[at++];
    if (!attributeToken || (attributeToken.kind !== "word" && attributeToken.kind !== "string")) throw fail("Was expecting an attribute");
    const attribute = attributeToken.value;
    if (!filterable.includes(attribute)) {
      throw new MeiliFailure(
        "invalid_search_filter",
        `Attribute \`${attribute}\` is not filterable. Available filterable attributes are: \`${[...filterable].sort().join(", ")}\`.`,
      );
    }
    if (isWord("IN")) {
      at++;
      const wanted = list();
      return (document) => valuesOf(document, attribute).some((actual) => wanted.some((item) => equalValue(actual, item)));
    }
    if (isWord("NOT") && tokens[at + 1]?.value.toUpperCase() === "IN") {
      at += 2;
      const wanted = list();
      return (document) => !valuesOf(document, attribute).some((actual) => wanted.some((item) => equalValue(actual, item)));
    }
    const op = tokens[at++];
    if (op?.kind !== "op") throw fail("Was expecting an operation `=`, `!=`, `>=`, `>`, `<=`, `<`, `IN`, `NOT IN`");
    const wanted = value();
    if (op.value === "=") return (document) => valuesOf(document, attribute).some((actual) => equalValue(actual, wanted));
    if (op.value === "!=") return (document) => !valuesOf(document, attribute).some((actual) => equalValue(actual, wanted));
    const number = Number(wanted);
    if (!Number.isFinite(number)) throw fail(`\`${wanted}\` is not a number`);
    const compare = {
      ">": (a: number) => a > number,
      ">=": (a: number) => a >= number,
      "<": (a: number) => a < number,
      "<=": (a: number) => a <= number,
    }[op.value as ">" | ">=" | "<" | "<="];
    return (document) => valuesOf(document, attribute).some((actual) => typeof actual === "number" && compare(actual));
  };
  const primary = (): Predicate => {
    if (isWord("NOT")) {
      at++;
      const inner = primary();
      return (document) => !inner(document);
    }
    if (peek()?.value === "(") {
      at++;
      const inner = or();
      if (peek()?.value !== ")") throw fail("Expression is missing a closing parenthesis");
      at++;
      return inner;
    }
    return condition();
  };
  const and = (): Predicate => {
    const parts = [primary()];
    while (isWord("AND")) {
      at++;
      parts.push(primary());
    }
    return (document) => parts.every((part) => part(document));
  };
  const or = (): Predicate => {
    const parts = [and()];
    while (isWord("OR")) {
      at++;
      parts.push(and());
    }
    return (document) => parts.some((part) => part(document));
  };
  const predicate = or();
  if (at < tokens.length)
    throw fail(
      `Found unexpected characters at the end of the filter: \`${tokens
        .slice(at)
        .map((token) => token.value)
        .join(" ")}\``,
    );
  return predicate;
}

/** A filter as Meilisearch takes it: a string, or an array of strings (AND) whose inner arrays are ORs. */
function filterPredicate(filter: unknown, filterable: string[]): Predicate {
  if (filter === undefined || filter === null) return () => true;
  if (typeof filter === "string") return filter.trim() ? parseFilter(filter, filterable) : () => true;
  if (Array.isArray(filter)) {
    const parts = filter.map((part) => {
      if (Array.isArray(part)) {
        const alternatives = part.map((item) => filterPredicate(item, filterable));
        return (document: Doc) => alternatives.some((alternative) => alternative(document));
      }
      return filterPredicate(part, filterable);
    });
    return (document) => parts.every((part) => part(document));
  }
  throw new MeiliFailure(
    "invalid_search_filter",
    "Invalid syntax for the filter parameter: `expected String, Array, found something else`.",
  );
}

// ---------------------------------------------------------------------------------------------------------
// The server.

export async function startMeilisearchStandIn(options: MeilisearchStandInOptions = {}): Promise<MeilisearchStandIn> {
  const requests: RecordedRequest[] = [];
  const documents = new Map<string, Map<string, Doc>>();
  const settings = new Map<string, Record<string, unknown>>();
  const tasks = new Map<number, Task>();
  const queue: Task[] = [];
  let version = options.version ?? "1.18.0";
  const taskDelayMs = options.taskDelayMs ?? 5;
  let outcome: "ok" | "fail" = "ok";
  let unreachable = false;
  let paused = false;
  let working = false;
  let nextTaskUid = 1;
  let hook: ((request: RecordedRequest) => Promise<void>) | undefined;
  const timers = new Set<NodeJS.Timeout>();

  const later = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const indexNotFound = (uid: string) => new MeiliFailure("index_not_found", `Index \`${uid}\` not found.`, 404);
  const existing = (uid: string) => {
    const found = documents.get(uid);
    if (!found) throw indexNotFound(uid);
    return found;
  };
  const createIfMissing = (uid: string) => {
    let found = documents.get(uid);
    if (!found) documents.set(uid, (found = new Map()));
    if (!settings.has(uid)) settings.set(uid, {});
    return found;
  };
  const settingsOf = (uid: string) => settings.get(uid) ?? {};
  const filterableOf = (uid: string) => (settingsOf(uid).filterableAttributes as string[] | undefined) ?? [];

  /** One task at a time, in order of arrival: enqueued → processing → succeeded | failed. */
  async function work() {
    if (working) return;
    working = true;
    try {
      while (queue.length && !paused) {
        await later(taskDelayMs);
        if (paused) break;
        const task = queue.shift();
        if (!task) break;
        task.status = "processing";
        task.startedAt = new Date().toISOString();
        await later(taskDelayMs);
        try {
          if (outcome === "fail") throw new MeiliFailure("internal", "stand-in told to fail this task", 500, "internal");
          task.run();
          task.status = "succeeded";
        } catch (error) {
          task.status = "failed";
          task.error = error instanceof MeiliFailure ? error.json() : new MeiliFailure("internal", String(error), 500, "internal").json();
        }
        task.finishedAt = new Date().toISOString();
      }
    } finally {
      working = false;
    }
  }

  function enqueue(indexUid: string | null, type: string, run: () => void) {
    const task: Task = {
      uid: nextTaskUid++,
      indexUid,
      type,
      status: "enqueued",
      error: null,
      enqueuedAt: new Date().toISOString(),
      startedAt: null,
      finishedAt: null,
      run,
    };
    tasks.set(task.uid, task);
    queue.push(task);
    void work();
    return { status: 202, body: { taskUid: task.uid, indexUid, status: "enqueued", type, enqueuedAt: task.enqueuedAt } };
  }

  const taskView = ({ run, ...task }: Task) => {
    void run;
    return task;
  };

  function validateSettings(body: Record<string, unknown>) {
    checkFields(body, SETTINGS_FIELDS, version);
    const rules = body.rankingRules;
    if (rules !== undefined) {
      for (const rule of rules as string[]) {
        if (!DEFAULT_RANKING.includes(rule) && !/^[\w.]+:(asc|desc)$/.test(rule)) {
          throw new MeiliFailure(
            "invalid_settings_ranking_rules",
            `Invalid value at \`.rankingRules[${(rules as string[]).indexOf(rule)}]\`: \`${rule}\` ranking rule is invalid. Valid ranking rules are words, typo, sort, proximity, attribute, exactness and custom ranking rules.`,
          );
        }
      }
    }
  }

  // ---- search ------------------------------------------------------------------------------------------

  type Matched = { document: Doc; words: number; typos: number; attribute: number; exact: number };

  type WordMatch = { typos: number; attribute: number; exact: boolean } | undefined;

  function matchWords(
    document: Doc,
    query: string[],
    searchable: string[],
    keep: string[],
    synonyms: Record<string, string[]>,
    typoSizes: { one: number; two: number },
  ): WordMatch[] {
    const fieldWords = searchable.map((attribute) => valuesOf(document, attribute).flatMap((value) => words(String(value), keep)));
    const perWord = query.map((word, position) => {
      const last = position === query.length - 1;
      const allowed = word.length >= typoSizes.two ? 2 : word.length >= typoSizes.one ? 1 : 0;
      const alternatives = [word, ...(synonyms[word] ?? []).map((synonym) => fold(synonym))];
      let best: { typos: number; attribute: number; exact: boolean } | undefined;
      fieldWords.forEach((inField, attribute) => {
        for (const candidate of inField) {
          for (const alternative of alternatives) {
            const parts = words(alternative, keep);
            if (parts.length > 1) {
              // A multi-word synonym matches when all its words are in the attribute.
              if (parts.every((part) => inField.includes(part)) && (!best || best.typos > 0 || best.attribute > attribute))
                best = { typos: 0, attribute, exact: true };
              continue;
            }
            let found: { typos: number; exact: boolean } | undefined;
            if (candidate === alternative) found = { typos: 0, exact: true };
            else if (last && candidate.startsWith(alternative)) found = { typos: 0, exact: false };
            else if (allowed > 0) {
              const edits = distance(alternative, candidate, allowed);
              if (edits <= allowed) found = { typos: edits, exact: false };
              else if (last && candidate.length > alternative.length) {
                const prefixEdits = distance(alternative, candidate.slice(0, alternative.length), allowed);
                if (prefixEdits <= allowed) found = { typos: prefixEdits, exact: false };
              }
            }
            if (!found) continue;
            if (
              !best ||
              found.typos < best.typos ||
              (found.typos === best.typos && (attribute < best.attribute || (attribute === best.attribute && found.exact && !best.exact)))
            ) {
              best = { ...found, attribute };
            }
          }
        }
      });
      return best;
    });
    return perWord;
  }

  function summarise(perWord: WordMatch[]) {
    const found = perWord.filter((entry): entry is NonNullable<WordMatch> => Boolean(entry));
    return {
      typos: found.reduce((sum, entry) => sum + entry.typos, 0),
      attribute: found.length ? Math.min(...found.map((entry) => entry.attribute)) : Number.MAX_SAFE_INTEGER,
      exact: found.filter((entry) => entry.exact).length,
    };
  }

  function search(uid: string, body: Record<string, unknown>) {
    // As Meilisearch: the request's shape first, then the index.
    checkFields(body, SEARCH_FIELDS, version);
    const store = existing(uid);
    const own = settingsOf(uid);
    const filterable = filterableOf(uid);
    const sortable = (own.sortableAttributes as string[] | undefined) ?? [];
    const predicate = filterPredicate(body.filter, filterable);
    for (const facet of (body.facets as string[] | undefined) ?? []) {
      if (!filterable.includes(facet)) {
        throw new MeiliFailure(
          "invalid_search_facets",
          `Invalid facet distribution, attribute \`${facet}\` is not filterable. The available filterable attributes are \`${filterable.join(", ")}\`.`,
        );
      }
    }
    const sort = ((body.sort as string[] | undefined) ?? []).map((entry) => {
      const [attribute, direction] = entry.split(":");
      if (!sortable.includes(attribute!)) {
        throw new MeiliFailure(
          "invalid_search_sort",
          `Attribute \`${attribute}\` is not sortable. Available sortable attributes are: \`${sortable.join(", ")}\`.`,
        );
      }
      return { attribute, descending: direction === "desc" };
    });
    const locales = body.locales as string[] | undefined;
    if (locales && !locales.every((locale) => /^[a-z]{3}$/.test(locale)))
      throw new MeiliFailure("invalid_search_locales", `Unknown value in \`.locales\`: \`${locales.join(", ")}\``);

    const keep = (own.nonSeparatorTokens as string[] | undefined) ?? [];
    const synonyms = Object.fromEntries(
      Object.entries((own.synonyms as Record<string, string[]> | undefined) ?? {}).map(([key, values]) => [fold(key), values]),
    );
    const typo = (own.typoTolerance as { minWordSizeForTypos?: { oneTypo?: number; twoTypos?: number } } | undefined)?.minWordSizeForTypos;
    const typoSizes = { one: typo?.oneTypo ?? 5, two: typo?.twoTypos ?? 9 };
    const searchable = (own.searchableAttributes as string[] | undefined) ?? ["*"];
    const all = [...store.values()].filter(predicate);
    const attributesOf = (document: Doc) => (searchable.includes("*") ? Object.keys(document) : searchable);
    const query = words(String(body.q ?? ""), keep).slice(0, 10);
    const strategy = (body.matchingStrategy as string | undefined) ?? "last";

    let matched: Matched[];
    if (query.length === 0) {
      matched = all.map((document) => ({ document, words: 0, typos: 0, attribute: 0, exact: 0 }));
    } else {
      matched = [];
      for (const document of all) {
        const perWord = matchWords(document, query, attributesOf(document), keep, synonyms, typoSizes);
        // "all": every word; "last": words are dropped from the end, so a document needs the first k words.
        let prefix = 0;
        while (prefix < query.length && perWord[prefix]) prefix++;
        const count = strategy === "all" ? (prefix === query.length ? prefix : 0) : prefix;
        if (count > 0) matched.push({ document, words: count, ...summarise(perWord.slice(0, count)) });
      }
    }

    const rules = (own.rankingRules as string[] | undefined) ?? DEFAULT_RANKING;
    const compareBy =
      (rule: string) =>
      (a: Matched, b: Matched): number => {
        if (rule === "words") return b.words - a.words;
        if (rule === "typo") return a.typos - b.typos;
        if (rule === "attribute") return a.attribute - b.attribute;
        if (rule === "exactness") return b.exact - a.exact;
        if (rule === "proximity") return 0;
        if (rule === "sort") {
          for (const { attribute, descending } of sort) {
            const x = a.document[attribute!] as number | string;
            const y = b.document[attribute!] as number | string;
            if (x !== y) return (x < y ? -1 : 1) * (descending ? -1 : 1);
          }
          return 0;
        }
        const [attribute, direction] = rule.split(":");
        const x = a.document[attribute!] as number | string;
        const y = b.document[attribute!] as number | string;
        if (x === y) return 0;
        return (x < y ? -1 : 1) * (direction === "desc" ? -1 : 1);
      };
    const comparators = rules.map(compareBy);
    // Without query words only sort and custom rules order the documents (then the order they were added in).
    const indexed = matched.map((entry, position) => ({ entry, position }));
    indexed.sort((a, b) => {
      for (const compare of comparators) {
        const order = compare(a.entry, b.entry);
        if (order !== 0) return order;
      }
      return a.position - b.position;
    });
    const ranked = indexed.map(({ entry }) => entry.document);

    const maxTotalHits = (own.pagination as { maxTotalHits?: number } | undefined)?.maxTotalHits ?? 1000;
    const page = Number(body.page ?? 1);
    const hitsPerPage = Number(body.hitsPerPage ?? 20);
    const capped = ranked.slice(0, maxTotalHits);
    const facetDistribution: Record<string, Record<string, number>> = {};
    for (const facet of (body.facets as string[] | undefined) ?? []) {
      const counts: Record<string, number> = {};
      for (const document of ranked) {
        for (const item of valuesOf(document, facet)) counts[String(item)] = (counts[String(item)] ?? 0) + 1;
      }
      facetDistribution[facet] = counts;
    }
    const retrieve = body.attributesToRetrieve as string[] | undefined;
    const shown = (document: Doc) =>
      retrieve && !retrieve.includes("*")
        ? Object.fromEntries(retrieve.filter((key) => key in document).map((key) => [key, document[key]]))
        : document;
    return {
      hits: capped.slice((page - 1) * hitsPerPage, page * hitsPerPage).map(shown),
      query: body.q ?? "",
      processingTimeMs: 0,
      hitsPerPage,
      page,
      totalPages: Math.ceil(capped.length / hitsPerPage),
      totalHits: capped.length,
      facetDistribution,
    };
  }

  // ---- routes ------------------------------------------------------------------------------------------

  function authorise(method: string, path: string, authorization: string | undefined) {
    if (!options.keys) return;
    if (!authorization)
      throw new MeiliFailure(
        "missing_authorization_header",
        "The Authorization header is missing. It must use the bearer authorization method.",
        401,
        "auth",
      );
    const key = authorization.replace(/^Bearer /, "");
    if (key === options.keys.admin) return;
    const searching = method === "POST" && /^\/indexes\/[^/]+\/search$/.test(path);
    if (key === options.keys.search && searching) return;
    throw new MeiliFailure("invalid_api_key", "The provided API key is invalid.", 403, "auth");
  }

  function route(method: string, path: string, body: unknown): { status: number; body: unknown } {
    let match: RegExpMatchArray | null;
    if (method === "GET" && path === "/health") return { status: 200, body: { status: "available" } };
    if (method === "GET" && path === "/version")
      return { status: 200, body: { commitSha: "stand-in", commitDate: "2025-01-01T00:00:00Z", pkgVersion: version } };
    if (method === "GET" && (match = path.match(/^\/tasks\/(\d+)$/))) {
      const task = tasks.get(Number(match[1]));
      if (!task) throw new MeiliFailure("task_not_found", `Task \`${match[1]}\` not found.`, 404);
      return {
        status: 200,
        body: { ...taskView(task), canceledBy: null, batchUid: null, details: {}, duration: task.finishedAt ? "PT0.01S" : null },
      };
    }
    if (method === "POST" && path === "/indexes") {
      const { uid, primaryKey } = body as { uid: string; primaryKey?: string };
      if (!/^[A-Za-z0-9_-]{1,400}$/.test(uid ?? "")) throw new MeiliFailure("invalid_index_uid", `\`${uid}\` is not a valid index uid.`);
      return enqueue(uid, "indexCreation", () => {
        if (documents.has(uid)) throw new MeiliFailure("index_already_exists", `Index \`${uid}\` already exists.`, 409);
        createIfMissing(uid);
        settings.set(uid, { primaryKey });
      });
    }
    if (method === "DELETE" && (match = path.match(/^\/indexes\/([^/]+)$/))) {
      const uid = match[1]!;
      return enqueue(uid, "indexDeletion", () => {
        existing(uid);
        documents.delete(uid);
        settings.delete(uid);
      });
    }
    if (method === "GET" && (match = path.match(/^\/indexes\/([^/]+)\/settings$/))) {
      const uid = match[1]!;
      existing(uid);
      const stored = settingsOf(uid);
      // Meilisearch answers every setting, its defaults for those never set.
      return {
        status: 200,
        body: {
          displayedAttributes: ["*"],
          searchableAttributes: ["*"],
          filterableAttributes: [],
          sortableAttributes: [],
          rankingRules: DEFAULT_RANKING,
          stopWords: [],
          nonSeparatorTokens: [],
          separatorTokens: [],
          dictionary: [],
          synonyms: {},
          distinctAttribute: null,
          typoTolerance: { enabled: true, minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 }, disableOnWords: [], disableOnAttributes: [] },
          faceting: { maxValuesPerFacet: 100, sortFacetValuesBy: { "*": "alpha" } },
          pagination: { maxTotalHits: 1000 },
          ...(atLeast(version, "1.10.0") ? { localizedAttributes: null } : {}),
          ...Object.fromEntries(
            Object.entries(stored)
              .filter(([key]) => key !== "primaryKey")
              // Meilisearch keeps filterable and sortable attributes as sets: it answers them sorted.
              .map(([key, value]) => [
                key,
                key === "filterableAttributes" || key === "sortableAttributes" ? [...(value as string[])].sort() : value,
              ]),
          ),
        },
      };
    }
    if (method === "PATCH" && (match = path.match(/^\/indexes\/([^/]+)\/settings$/))) {
      const uid = match[1]!;
      validateSettings(body as Record<string, unknown>);
      return enqueue(uid, "settingsUpdate", () => {
        createIfMissing(uid);
        settings.set(uid, { ...settingsOf(uid), ...(body as object) });
      });
    }
    if ((method === "POST" || method === "PUT") && (match = path.match(/^\/indexes\/([^/]+)\/documents$/))) {
      const uid = match[1]!;
      if (!Array.isArray(body))
        throw new MeiliFailure("malformed_payload", "The `json` payload provided is malformed. `Couldn't deserialize data.`.");
      return enqueue(uid, "documentAdditionOrUpdate", () => {
        const store = createIfMissing(uid);
        for (const document of body as Doc[]) {
          const id = document.id;
          if (typeof id !== "string" && typeof id !== "number")
            throw new MeiliFailure("missing_document_id", "Document doesn't have a `id` attribute.");
          if (typeof id === "string" && !/^[A-Za-z0-9_-]{1,511}$/.test(id))
            throw new MeiliFailure("invalid_document_id", `Document identifier \`"${id}"\` is invalid.`);
        }
        for (const document of body as Doc[])
          store.set(String(document.id), method === "PUT" ? { ...(store.get(String(document.id)) ?? {}), ...document } : document);
      });
    }
    if (method === "POST" && (match = path.match(/^\/indexes\/([^/]+)\/documents\/delete-batch$/))) {
      const uid = match[1]!;
      return enqueue(uid, "documentDeletion", () => {
        const store = existing(uid);
        for (const id of body as (string | number)[]) store.delete(String(id));
      });
    }
    if (method === "POST" && (match = path.match(/^\/indexes\/([^/]+)\/documents\/delete$/))) {
      const uid = match[1]!;
      const filter = (body as { filter?: unknown }).filter;
      return enqueue(uid, "documentDeletion", () => {
        const store = existing(uid);
        let predicate: Predicate;
        try {
          predicate = filterPredicate(filter, filterableOf(uid));
        } catch (error) {
          throw error instanceof MeiliFailure ? new MeiliFailure("invalid_document_filter", error.message) : error;
        }
        for (const [id, document] of store) if (predicate(document)) store.delete(id);
      });
    }
    if (method === "POST" && (match = path.match(/^\/indexes\/([^/]+)\/search$/))) {
      return { status: 200, body: search(match[1]!, (body ?? {}) as Record<string, unknown>) };
    }
    if (method === "POST" && path === "/swap-indexes") {
      const pairs = body as Record<string, unknown>[];
      const allowed = atLeast(version, "1.18.0") ? ["indexes", "rename"] : ["indexes"];
      for (const pair of pairs) for (const field of Object.keys(pair)) if (!allowed.includes(field)) throw unknownField(field, allowed);
      return enqueue(null, "indexSwap", () => {
        for (const { indexes, rename } of pairs as { indexes: [string, string]; rename?: boolean }[]) {
          const [a, b] = indexes;
          if (rename) {
            if (documents.has(b)) throw new MeiliFailure("index_already_exists", `Index \`${b}\` already exists.`, 409);
            documents.set(b, existing(a));
            settings.set(b, settingsOf(a));
            documents.delete(a);
            settings.delete(a);
            continue;
          }
          const documentsA = existing(a);
          const documentsB = existing(b);
          documents.set(a, documentsB);
          documents.set(b, documentsA);
          const settingsA = settingsOf(a);
          settings.set(a, settingsOf(b));
          settings.set(b, settingsA);
        }
      });
    }
    throw new MeiliFailure("not_found", `stand-in does not know ${method} ${path}`, 404);
  }

  const server = http.createServer((request, response) => {
    if (unreachable) {
      request.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const url = new URL(request.url ?? "/", "http://stand-in");
      const text = Buffer.concat(chunks).toString("utf8");
      const method = request.method ?? "GET";
      let body: unknown;
      let parseError: MeiliFailure | undefined;
      try {
        body = text ? (JSON.parse(text) as unknown) : undefined;
      } catch {
        parseError = new MeiliFailure("malformed_payload", "The json payload provided is malformed.");
      }
      const recorded: RecordedRequest = {
        method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        body,
        authorization: request.headers.authorization,
      };
      requests.push(recorded);
      const answer = () => {
        let reply: { status: number; body: unknown };
        try {
          if (parseError) throw parseError;
          authorise(method, url.pathname, request.headers.authorization);
          reply = route(method, url.pathname, body);
        } catch (error) {
          const failure = error instanceof MeiliFailure ? error : new MeiliFailure("internal", String(error), 500, "internal");
          reply = { status: failure.status, body: failure.json() };
        }
        if (response.destroyed) return;
        response.writeHead(reply.status, { "content-type": "application/json" });
        response.end(JSON.stringify(reply.body));
      };
      if (hook) void hook(recorded).finally(answer);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    documents,
    settings,
    setTaskOutcome: (next) => (outcome = next),
    setUnreachable: (next) => (unreachable = next),
    setVersion: (next) => (version = next),
    pauseTasks: (next) => {
      paused = next;
      if (!paused) void work();
    },
    tasks: () => [...tasks.values()].map(taskView),
    onRequest: (next) => (hook = next),
    requestsTo: (method, pattern) => requests.filter((request) => request.method === method && pattern.test(request.path)),
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
