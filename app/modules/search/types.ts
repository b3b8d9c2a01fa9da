/** The search interface both engines implement, and the documents they hold. Browser-safe (types only). */

export type SearchIndexName = "posts" | "people";

export type SkillOnDocument = { id: string; slug: string; label_de: string; label_en: string };

/** What a post looks like to a search engine. The same shape goes to Meilisearch and to the embedded tables. */
export type PostDocument = {
  id: string;
  kind: "offer" | "need";
  title: string;
  description: string;
  category: string;
  district: string | null;
  borough: string | null;
  is_remote: boolean;
  exchange_mode: string;
  status: "open" | "fulfilled" | "closed";
  author_id: string;
  author_name: string | null;
  author_role: string | null;
  skill_ids: string[];
  skill_labels_de: string[];
  skill_labels_en: string[];
  /** Every other label of the tagged skills, both languages: synonyms travel with the document. */
  skill_alt_labels: string[];
  /** normalizeSkillLabel() keys of all labels plus title words with symbols, for exact matches on "C#", "C++". */
  skill_keys: string[];
  skills: SkillOnDocument[];
  created_at: string;
  created_at_ts: number;
  expires_at: string;
  expires_at_ts: number;
};

export type PersonDocument = {
  id: string;
  display_name: string;
  role: string;
  bio: string;
  district: string;
  borough: string | null;
  remote_ok: boolean;
  skill_ids: string[];
  offered_skill_ids: string[];
  sought_skill_ids: string[];
  skill_labels_de: string[];
  skill_labels_en: string[];
  skill_alt_labels: string[];
  skill_keys: string[];
  skills: (SkillOnDocument & { direction: "offer" | "seek" })[];
  created_at: string;
  created_at_ts: number;
};

export type DocumentOf<I extends SearchIndexName> = I extends "posts" ? PostDocument : PersonDocument;

/** Fields a result list shows; the search-only fields stay in the engine. */
export const POST_HIT_FIELDS = [
  "id",
  "kind",
  "title",
  "description",
  "category",
  "district",
  "is_remote",
  "exchange_mode",
  "author_id",
  "author_name",
  "author_role",
  "skills",
  "created_at",
] as const satisfies readonly (keyof PostDocument)[];
/** A hit found only through a skill related to the one the query names carries that skill's id (embedded engine). */
type RelatedHit = { related_skill_id?: string | null };
export type PostHit = Pick<PostDocument, (typeof POST_HIT_FIELDS)[number]> & RelatedHit;

export const PERSON_HIT_FIELDS = [
  "id",
  "display_name",
  "role",
  "bio",
  "district",
  "remote_ok",
  "skills",
  "created_at",
] as const satisfies readonly (keyof PersonDocument)[];
export type PersonHit = Pick<PersonDocument, (typeof PERSON_HIT_FIELDS)[number]> & RelatedHit;

export type HitOf<I extends SearchIndexName> = I extends "posts" ? PostHit : PersonHit;

/** Facets of the search page; "role" is the author's role on posts. */
export const POST_FACETS = ["kind", "category", "role", "borough", "district", "skill", "mode", "remote"] as const;
export const PERSON_FACETS = ["role", "borough", "district", "skill", "remote"] as const;
export type FacetName = (typeof POST_FACETS)[number] | (typeof PERSON_FACETS)[number];

/** Selected facet values; values within a facet are alternatives (OR), facets combine (AND). */
export type SearchFilters = {
  kind?: string[];
  category?: string[];
  role?: string[];
  borough?: string[];
  district?: string[];
  skill?: string[];
  mode?: string[];
  /** true: only remote posts / people open to remote work. */
  remote?: boolean;
};

export type SearchSort = "relevance" | "newest";

export type SearchRequest<I extends SearchIndexName = SearchIndexName> = {
  index: I;
  /** Already cleaned (see cleanQuery); "" lists the newest. */
  query: string;
  filters: SearchFilters;
  sort: SearchSort;
  /** 1-based. */
  page: number;
  perPage: number;
  /** People hidden from the viewer (blocks): they and their posts are left out. */
  excludeUserIds?: string[];
  /** Facet counts are computed only when asked (suggestions skip them). */
  facets?: boolean;
};

export type FacetCount = { value: string; count: number };
export type FacetCounts = Partial<Record<FacetName, FacetCount[]>>;

export type SearchResult<I extends SearchIndexName = SearchIndexName> = {
  total: number;
  hits: HitOf<I>[];
  facets: FacetCounts;
  /** The query with its typos corrected, when the engine corrected some (results include both, exact first). */
  correctedQuery?: string;
  /** Related skill id → the skill the query names that it is related to, for hits found through a relation. */
  relatedTo?: Record<string, string>;
};

/** Settings declared in code; Meilisearch applies them, the embedded engine gets synonyms from skill_labels. */
export type SearchSettings = { synonyms: Record<string, string[]> };

export type EngineHealth = { ok: boolean; error?: string };

export interface SearchEngine {
  readonly name: "embedded" | "meilisearch";
  index<I extends SearchIndexName>(index: I, documents: DocumentOf<I>[]): Promise<void>;
  remove(index: SearchIndexName, ids: string[]): Promise<void>;
  /** Removes every post of these authors, including posts already deleted from the database with them. */
  removePostsOfAuthors(authorIds: string[]): Promise<void>;
  search<I extends SearchIndexName>(request: SearchRequest<I>): Promise<SearchResult<I>>;
  applySettings(settings: SearchSettings): Promise<void>;
  /** Replaces an index's whole content with the batches given, without the index ever being empty meanwhile. */
  reindex<I extends SearchIndexName>(index: I, batches: AsyncIterable<DocumentOf<I>[]>, settings: SearchSettings): Promise<void>;
  health(): Promise<EngineHealth>;
}

/** How many skill values the skill facet lists. */
export const SKILL_FACET_SIZE = 15;
export const MAX_QUERY_LENGTH = 200;
export const MAX_PAGE = 100;
