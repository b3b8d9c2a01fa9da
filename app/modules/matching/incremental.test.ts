import { describe, expect, it } from "vitest";
import type { MatchSide } from "./engine";
import {
  chooseKeptPairs,
  scoreChangedPairs,
  sideKey,
  unchangedSidesMet,
  type ScoredPair,
  type SideKey,
  type StoredListEntry,
} from "./incremental";

function post(id: number, kind: "need" | "offer", userId = 100 + id): MatchSide {
  return {
    kind,
    postId: String(id),
    userId: String(userId),
    district: null,
    borough: null,
    remote: false,
    exchangeMode: null,
    role: null,
    fresh: 1,
    recency: id,
    skills: [1],
  };
}
function profile(userId: number, kind: "need" | "offer"): MatchSide {
  return { ...post(0, kind, userId), postId: null };
}
const pair = (need: MatchSide, offer: MatchSide, score: number): ScoredPair => ({ need, offer, score });
const stored = (side: MatchSide, partner: MatchSide, score: number): StoredListEntry => ({
  side: sideKey(side),
  partnerUserId: partner.userId,
  partnerPostId: partner.postId,
  score,
});
const ids = (pairs: ScoredPair[]) => pairs.map((p) => `${sideKey(p.need)}-${sideKey(p.offer)}`).sort();

describe("incremental matching, pure steps", () => {
  it("keys sides by post or by profile side", () => {
    expect(sideKey(post(12, "need"))).toBe("p12");
    expect(sideKey(profile(7, "offer"))).toBe("offer7");
  });

  it("scores every changed side against the other kind once, skipping blocked pairs and unscored ones", () => {
    const need = post(1, "need");
    const otherNeed = post(2, "need");
    const offerA = post(3, "offer");
    const offerB = post(4, "offer", 999);
    const calls: string[] = [];
    const scored = scoreChangedPairs(
      [need, offerA],
      [otherNeed, offerB],
      (n, o) => {
        calls.push(`${sideKey(n)}-${sideKey(o)}`);
        return sideKey(o) === "p4" && sideKey(n) === "p2" ? undefined : 1;
      },
      (needUser, offerUser) => needUser === need.userId && offerUser === "999",
    );
    // need×offerA once (both changed), otherNeed×offerA, need×offerB blocked, otherNeed×offerB not a changed side's pair
    expect(calls.sort()).toEqual(["p1-p3", "p2-p3"]);
    expect(ids(scored)).toEqual(["p1-p3", "p2-p3"]);
  });

  it("keeps a changed side's best per partner type and nothing below it", () => {
    const need = post(1, "need");
    const offers = [2, 3, 4].map((id) => post(id, "offer"));
    const scored = offers.map((offer, index) => pair(need, offer, 10 - index));
    const changed = new Set<SideKey>([sideKey(need)]);
    // each offer's own list is full of better needs, so only the need's list can keep a pair
    const full = offers.flatMap((offer) => [stored(offer, post(30, "need"), 20), stored(offer, post(31, "need"), 20)]);
    const { kept, overflowing } = chooseKeptPairs({ scored, changed, stored: full, keptPerSide: 2 });
    expect(ids(kept)).toEqual(["p1-p2", "p1-p3"]);
    expect(overflowing).toEqual([]);
  });

  it("lets a newcomer into an unchanged side's list when it ranks among the best, and names the stored pair it pushes out", () => {
    const newcomer = post(1, "offer");
    const need = post(10, "need"); // unchanged, with two stored offers
    const good = post(20, "offer");
    const weak = post(21, "offer");
    const scored = [pair(need, newcomer, 5)];
    const changed = new Set<SideKey>([sideKey(newcomer)]);
    expect(unchangedSidesMet(scored, changed).map(sideKey)).toEqual(["p10"]);
    const { kept, overflowing } = chooseKeptPairs({
      scored,
      changed,
      stored: [stored(need, good, 9), stored(need, weak, 3)],
      keptPerSide: 2,
    });
    expect(ids(kept)).toEqual(["p10-p1"]);
    expect(overflowing).toEqual([
      { needUserId: need.userId, needPostId: "10", offerUserId: weak.userId, offerPostId: "21", overflowed: "need" },
    ]);
  });

  it("keeps the newcomer for its own list but does not push into an unchanged list it does not rank in", () => {
    const newcomer = post(1, "offer");
    const need = post(10, "need");
    const scored = [pair(need, newcomer, 1)];
    const changed = new Set<SideKey>([sideKey(newcomer)]);
    const { kept, overflowing } = chooseKeptPairs({
      scored,
      changed,
      stored: [stored(need, post(20, "offer"), 9), stored(need, post(21, "offer"), 8)],
      keptPerSide: 2,
    });
    // kept because it is among the changed side's own best, yet the unchanged need's list is untouched
    expect(ids(kept)).toEqual(["p10-p1"]);
    expect(overflowing).toEqual([]);
  });

  it("ignores stored entries whose partner changed (the update replaces them) and entries below the best before", () => {
    const newcomer = post(1, "offer");
    const need = post(10, "need");
    const changedPartner = post(2, "offer");
    const scored = [pair(need, newcomer, 5)];
    const changed = new Set<SideKey>([sideKey(newcomer), sideKey(changedPartner)]);
    const { overflowing } = chooseKeptPairs({
      scored,
      changed,
      // the changed partner's stored pair is not ranked; the 3rd stored entry was already below the best two
      stored: [
        stored(need, changedPartner, 99),
        stored(need, post(20, "offer"), 9),
        stored(need, post(21, "offer"), 4),
        stored(need, post(22, "offer"), 2),
      ],
      keptPerSide: 2,
    });
    expect(overflowing.map((entry) => entry.offerPostId)).toEqual(["21"]);
  });

  it("ranks profiles and posts in separate lists of a side", () => {
    const need = post(10, "need");
    const newcomerPerson = profile(50, "offer");
    const scored = [pair(need, newcomerPerson, 1)];
    const changed = new Set<SideKey>([sideKey(newcomerPerson)]);
    // two strong stored post partners do not keep a person out of the need's person list
    const { kept, overflowing } = chooseKeptPairs({
      scored,
      changed,
      stored: [stored(need, post(20, "offer"), 9), stored(need, post(21, "offer"), 8)],
      keptPerSide: 2,
    });
    expect(ids(kept)).toEqual(["p10-offer50"]);
    expect(overflowing).toEqual([]);
  });
});
