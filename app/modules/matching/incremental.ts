/**
 * The pure core of an incremental match update: which pairs the changed sides form, and which of them enter the
 * stored lists (the best MATCHES_KEPT_PER_SIDE per side and partner type, as the full recompute keeps them), and
 * which stored pairs the newcomers push out. No database here: matching.server.ts loads the sides and the stored
 * lists, calls these functions, and writes the result.
 */
import type { MatchSide } from "./engine";

/** A side as a typed key: a post ("p12") or one side of a person's profile ("need7", "offer7"). */
export type SideKey = `p${string}` | `need${string}` | `offer${string}`;
export type PartnerType = "post" | "person";

export const sideKey = (side: Pick<MatchSide, "kind" | "postId" | "userId">): SideKey =>
  side.postId ? `p${side.postId}` : `${side.kind}${side.userId}`;

export const partnerType = (side: Pick<MatchSide, "postId">): PartnerType => (side.postId ? "post" : "person");

/** The other kind of side: a need's partners are offers. */
export const otherKind = (kind: MatchSide["kind"]): MatchSide["kind"] => (kind === "need" ? "offer" : "need");

export type ScoredPair = { need: MatchSide; offer: MatchSide; score: number };

/** A stored match seen from one of its sides (`side` is that side's key). */
export type StoredListEntry = { side: SideKey; partnerUserId: string; partnerPostId: string | null; score: number };

/** A stored pair one side's list no longer keeps; removed unless its other side still keeps it. */
export type OverflowingPair = {
  needUserId: string;
  needPostId: string | null;
  offerUserId: string;
  offerPostId: string | null;
  overflowed: MatchSide["kind"];
};

/** One ranked list: a side's matches with partners of one type. The owner travels with the key. */
type RankedList<T> = { owner: MatchSide; type: PartnerType; items: T[] };

function listOf<T>(lists: Map<string, RankedList<T>>, owner: MatchSide, type: PartnerType): RankedList<T> {
  const key = `${sideKey(owner)} ${type}`;
  let list = lists.get(key);
  if (!list) lists.set(key, (list = { owner, type, items: [] }));
  return list;
}

/** Every changed side against every side of the other kind among the changed (each pair once) and the others. */
export function scoreChangedPairs(
  changed: MatchSide[],
  others: MatchSide[],
  score: (need: MatchSide, offer: MatchSide) => number | undefined,
  blocked: (needUserId: string, offerUserId: string) => boolean,
): ScoredPair[] {
  const scored: ScoredPair[] = [];
  changed.forEach((side, index) => {
    for (const other of [...changed.slice(index + 1), ...others]) {
      if (other.kind === side.kind) continue;
      const [need, offer] = side.kind === "need" ? [side, other] : [other, side];
      if (blocked(need.userId, offer.userId)) continue;
      const value = score(need, offer);
      if (value !== undefined) scored.push({ need, offer, score: value });
    }
  });
  return scored;
}

/** The sides the scored pairs meet that did not change: their stored lists decide whether a newcomer enters. */
export function unchangedSidesMet(scored: ScoredPair[], changed: ReadonlySet<SideKey>): MatchSide[] {
  const met = new Map<SideKey, MatchSide>();
  for (const pair of scored) for (const side of [pair.need, pair.offer]) if (!changed.has(sideKey(side))) met.set(sideKey(side), side);
  return [...met.values()];
}

/**
 * Decides what an update keeps:
 * - every pair among the best `keptPerSide` of a changed side's list (per partner type);
 * - a pair that ranks among the best `keptPerSide` of an unchanged side's list, ranked together with that list's
 *   stored entries (entries with changed partners left out: this update replaces them);
 * and which stored entries the newcomers push out of an unchanged side's best (only those that were among its
 * best before; the ones below were kept by their other side and stay).
 */
export function chooseKeptPairs(input: {
  scored: ScoredPair[];
  changed: ReadonlySet<SideKey>;
  /** stored lists of the unchanged sides met (unchangedSidesMet), best first or in any order */
  stored: StoredListEntry[];
  keptPerSide: number;
}): { kept: ScoredPair[]; overflowing: OverflowingPair[] } {
  const { scored, changed, keptPerSide } = input;
  const byScore = (a: { score: number }, b: { score: number }) => b.score - a.score;
  const kept = new Set<ScoredPair>();

  const changedLists = new Map<string, RankedList<ScoredPair>>();
  const newcomerLists = new Map<string, RankedList<ScoredPair>>();
  for (const pair of scored) {
    for (const [side, partner] of [
      [pair.need, pair.offer],
      [pair.offer, pair.need],
    ] as const) {
      const lists = changed.has(sideKey(side)) ? changedLists : newcomerLists;
      listOf(lists, side, partnerType(partner)).items.push(pair);
    }
  }
  for (const list of changedLists.values()) for (const pair of [...list.items].sort(byScore).slice(0, keptPerSide)) kept.add(pair);

  const owners = new Map([...newcomerLists.values()].map((list) => [sideKey(list.owner), list.owner]));
  const storedLists = new Map<string, StoredListEntry[]>();
  for (const entry of input.stored) {
    const owner = owners.get(entry.side);
    if (!owner) continue;
    const partner: SideKey = entry.partnerPostId ? `p${entry.partnerPostId}` : `${otherKind(owner.kind)}${entry.partnerUserId}`;
    if (changed.has(partner)) continue;
    const key = `${entry.side} ${entry.partnerPostId ? "post" : "person"}`;
    (storedLists.get(key) ?? storedLists.set(key, []).get(key)!).push(entry);
  }

  const overflowing: OverflowingPair[] = [];
  for (const [key, list] of newcomerLists) {
    const stored = storedLists.get(key) ?? [];
    const ranked = [
      ...stored.map((entry) => ({ score: entry.score, entry, pair: undefined })),
      ...list.items.map((pair) => ({ score: pair.score, entry: undefined, pair })),
    ].sort(byScore);
    const entered = ranked.slice(0, keptPerSide).flatMap((item) => (item.pair ? [item.pair] : []));
    if (entered.length === 0) continue;
    for (const pair of entered) kept.add(pair);
    const wasBest = new Set([...stored].sort(byScore).slice(0, keptPerSide));
    for (const { entry } of ranked.slice(keptPerSide)) {
      if (!entry || !wasBest.has(entry)) continue;
      const mine = { userId: list.owner.userId, postId: list.owner.postId };
      const theirs = { userId: entry.partnerUserId, postId: entry.partnerPostId };
      const [need, offer] = list.owner.kind === "need" ? [mine, theirs] : [theirs, mine];
      overflowing.push({
        needUserId: need.userId,
        needPostId: need.postId,
        offerUserId: offer.userId,
        offerPostId: offer.postId,
        overflowed: list.owner.kind,
      });
    }
  }
  return { kept: [...kept], overflowing };
}
