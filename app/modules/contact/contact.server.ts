import { db } from "~/lib/db.server";
import { lockKeyed } from "~/lib/locks.server";
import { env } from "~/lib/env.server";
import { kickWorker } from "~/lib/jobs.server";
import { renderContactAcceptedEmail, renderContactRequestEmail, renderThreadMessageEmail } from "~/emails/contact";
import { enqueueEmail } from "~/modules/mail/mail.server";
import { enqueueChange } from "~/modules/outbox/outbox.server";
import * as queries from "./queries.server";
import { isId } from "~/lib/ids";

export type { ContactRequestRow } from "./queries.server";

export type SendRequestResult =
  { ok: true; requestId: string } | { ok: false; reason: "not_found" | "self" | "blocked" | "daily_limit" | "already_open" };

/**
 * A first contact: the recipient gets an email and sees it in /inbox, the sender never sees their address.
 * Limits: CONTACT_REQUESTS_PER_DAY per sender, one open request per pair and post, none across a block.
 */
export async function sendContactRequest(input: {
  senderId: string;
  senderName: string;
  recipientId: string;
  postId?: string;
  message: string;
}): Promise<SendRequestResult> {
  if (!isId(input.recipientId)) return { ok: false, reason: "not_found" };
  if (input.senderId === input.recipientId) return { ok: false, reason: "self" };
  const result = await db().begin(async (tx): Promise<SendRequestResult> => {
    const recipient = await queries.recipientForContact(tx, input.recipientId);
    if (!recipient) return { ok: false, reason: "not_found" };
    if (await queries.isBlockedEitherWay(tx, input.senderId, input.recipientId)) return { ok: false, reason: "blocked" };
    await lockKeyed(tx, "contactRequestsBySender", input.senderId); // concurrent requests count each other
    if ((await queries.countRequestsSentSince(tx, input.senderId, 24)) >= env().CONTACT_REQUESTS_PER_DAY)
      return { ok: false, reason: "daily_limit" };
    const post = input.postId ? await queries.postOfAuthor(tx, input.postId, input.recipientId) : undefined;
    if (input.postId && !post) return { ok: false, reason: "not_found" };
    const requestId = await queries.insertContactRequest(tx, {
      senderId: input.senderId,
      recipientId: input.recipientId,
      postId: post?.id ?? null,
      message: input.message,
    });
    if (!requestId) return { ok: false, reason: "already_open" };
    const email = renderContactRequestEmail(recipient.locale, {
      senderName: input.senderName,
      message: input.message,
      postTitle: post?.title ?? null,
      inboxUrl: `${env().APP_URL}/inbox/${requestId}`,
    });
    await enqueueEmail(tx, {
      userId: recipient.id,
      to: recipient.email,
      kind: "contact_request",
      ...email,
      idempotencyKey: `contact-request-${requestId}`,
    });
    return { ok: true, requestId };
  });
  if (result.ok) kickWorker("mail");
  return result;
}

export async function inboxOf(userId: string) {
  const requests = await queries.requestsOfUser(db(), userId);
  return {
    received: requests.filter((request) => request.recipient_id === userId),
    sent: requests.filter((request) => request.sender_id === userId),
  };
}

/** The request and its thread for a participant; both addresses only once it was accepted. */
export async function threadFor(requestId: string, userId: string) {
  if (!isId(requestId)) return undefined;
  const request = await queries.requestForParticipant(db(), requestId, userId);
  if (!request) return undefined;
  const accepted = request.status === "accepted";
  const emails = accepted ? await queries.participantsEmails(db(), requestId) : undefined;
  return {
    request,
    isRecipient: request.recipient_id === userId,
    messages: accepted ? await queries.threadMessages(db(), requestId) : [],
    addresses: emails ? { sender: emails.sender_email, recipient: emails.recipient_email } : undefined,
  };
}

export async function respondToContactRequest(requestId: string, recipientId: string, recipientName: string, intent: "accept" | "decline") {
  if (!isId(requestId)) return false;
  const changed = await db().begin(async (tx) => {
    const row = await queries.respondToRequest(tx, requestId, recipientId, intent === "accept" ? "accepted" : "declined");
    if (!row) return false;
    // Declining sends nothing: the sender only ever learns that there was no reply.
    if (intent === "accept") {
      const emails = await queries.participantsEmails(tx, requestId);
      // the request row was just updated in this transaction, so it and its two users are there
      if (!emails) return false;
      const email = renderContactAcceptedEmail(emails.sender_locale, {
        recipientName,
        recipientEmail: emails.recipient_email,
        threadUrl: `${env().APP_URL}/inbox/${requestId}`,
      });
      await enqueueEmail(tx, {
        userId: row.sender_id,
        to: emails.sender_email,
        kind: "contact_accepted",
        ...email,
        idempotencyKey: `contact-accepted-${requestId}`,
      });
    }
    return true;
  });
  if (changed) kickWorker("mail");
  return changed;
}

export async function postThreadMessage(requestId: string, authorId: string, authorName: string, body: string) {
  if (!isId(requestId)) return false;
  const posted = await db().begin(async (tx) => {
    const messageId = await queries.insertThreadMessage(tx, requestId, authorId, body);
    if (!messageId) return false;
    const request = await queries.requestForParticipant(tx, requestId, authorId);
    const emails = await queries.participantsEmails(tx, requestId);
    // the message was just added to this request in this transaction, so the request and its users are there
    if (!request || !emails) return false;
    const toSender = request.recipient_id === authorId;
    const email = renderThreadMessageEmail(toSender ? emails.sender_locale : emails.recipient_locale, {
      authorName,
      body,
      threadUrl: `${env().APP_URL}/inbox/${requestId}`,
    });
    await enqueueEmail(tx, {
      userId: toSender ? request.sender_id : request.recipient_id,
      to: toSender ? emails.sender_email : emails.recipient_email,
      kind: "contact_message",
      ...email,
      idempotencyKey: `contact-message-${requestId}-${messageId}`,
    });
    return true;
  });
  if (posted) kickWorker("mail");
  return posted;
}

/**
 * After a block the two never meet again: no requests, and matches and people search follow through the outbox.
 * False when there is no such person (or it is oneself).
 */
export async function blockPerson(blockerId: string, blockedId: string) {
  if (!isId(blockedId) || String(blockerId) === blockedId) return false;
  return db().begin(async (tx) => {
    if (!(await queries.userExists(tx, blockedId))) return false;
    await queries.insertBlock(tx, blockerId, blockedId);
    await enqueueChange(tx, "person", [blockerId, blockedId]);
    await enqueueChange(tx, "post", [...(await queries.postIdsOfAuthor(tx, blockerId)), ...(await queries.postIdsOfAuthor(tx, blockedId))]);
    return true;
  });
}

export async function unblockPerson(blockerId: string, blockedId: string) {
  if (!isId(blockedId)) return false;
  await db().begin(async (tx) => {
    await queries.deleteBlock(tx, blockerId, blockedId);
    await enqueueChange(tx, "person", [blockerId, blockedId]);
    await enqueueChange(tx, "post", [...(await queries.postIdsOfAuthor(tx, blockerId)), ...(await queries.postIdsOfAuthor(tx, blockedId))]);
  });
  return true;
}

export async function hasBlocked(blockerId: string, blockedId: string) {
  return isId(blockedId) ? queries.hasBlocked(db(), blockerId, blockedId) : false;
}

/** People hidden from this viewer (either side blocked): used by people search and matches. */
export async function blockedEitherWay(userId: string) {
  return queries.blockedEitherWayIds(db(), userId);
}
