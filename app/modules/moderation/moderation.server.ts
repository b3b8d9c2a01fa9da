import { db, type Db } from "~/lib/db.server";
import { enqueueChange } from "~/modules/outbox/outbox.server";
import * as queries from "./queries.server";

export const AUTO_HIDE_REPORTERS = 3;

export type ReportResult = { ok: true; autoHidden: boolean } | { ok: false; reason: "not_found" | "already_reported" | "own" };

/**
 * A report; a post reported by three different established people (a profile, an account older than a day) is
 * hidden until an admin reviews it. Nobody reports their own post or themselves.
 */
export async function reportContent(
  reporterId: string,
  targetType: "post" | "person",
  targetId: string,
  reason: string,
): Promise<ReportResult> {
  return db().begin(async (tx): Promise<ReportResult> => {
    if (!(await queries.targetExists(tx, targetType, targetId))) return { ok: false, reason: "not_found" };
    if (String(await queries.targetOwner(tx, targetType, targetId)) === String(reporterId)) return { ok: false, reason: "own" };
    const reportId = await queries.insertReport(tx, reporterId, targetType, targetId, reason);
    if (!reportId) return { ok: false, reason: "already_reported" };
    let autoHidden = false;
    if (targetType === "post" && (await queries.countTrustedOpenReporters(tx, targetType, targetId)) >= AUTO_HIDE_REPORTERS) {
      await queries.hidePost(tx, targetId);
      await enqueueChange(tx, "post", [targetId]);
      autoHidden = true;
    }
    return { ok: true, autoHidden };
  });
}

async function banAndForget(tx: Db, userId: string) {
  await queries.banUser(tx, userId);
  await enqueueChange(tx, "person", [userId]);
  await enqueueChange(tx, "post", await queries.postIdsOfAuthor(tx, userId));
}

/** An admin's decision on a reported post or person. The caller has checked the admin role. */
export async function moderate(intent: "hide" | "restore" | "ban" | "dismiss", targetType: "post" | "person", targetId: string) {
  return db().begin(async (tx) => {
    if (!(await queries.targetExists(tx, targetType, targetId))) return false;
    if (intent === "hide" && targetType === "post") {
      await queries.hidePost(tx, targetId);
      await enqueueChange(tx, "post", [targetId]);
      await queries.resolveReports(tx, targetType, targetId, "hidden");
    } else if (intent === "restore") {
      if (targetType === "post") {
        await queries.restorePost(tx, targetId);
        await enqueueChange(tx, "post", [targetId]);
      } else {
        await queries.unbanUser(tx, targetId);
        await enqueueChange(tx, "person", [targetId]);
        await enqueueChange(tx, "post", await queries.postIdsOfAuthor(tx, targetId));
      }
      await queries.resolveReports(tx, targetType, targetId, "restored");
    } else if (intent === "ban") {
      const userId = targetType === "person" ? targetId : await queries.postAuthor(tx, targetId);
      if (!userId) return false;
      await banAndForget(tx, userId);
      await queries.resolveReports(tx, targetType, targetId, "banned");
    } else {
      await queries.resolveReports(tx, targetType, targetId, "dismissed");
    }
    return true;
  });
}

export const openReportQueue = () => queries.openReportQueue(db());

export async function forgetReportsAboutPost(tx: Db, postId: string) {
  await queries.deleteReportsAboutPost(tx, postId);
}
