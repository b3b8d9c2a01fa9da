import { describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { setEnvForTests } from "~/lib/env.server";
import { deliverDueEmails, enqueueEmail, setMailTransport } from "~/modules/mail/mail.server";
import { DEV_MAIL_FRAME_POLICY, framedMailHtml } from "~/modules/mail/dev-mail-frame";
import { loader as htmlLoader } from "~/routes/dev-mail-html";
import { loader as listLoader } from "~/routes/dev-mail";
import { loader as rootLoader } from "~/root";
import { useTestDatabase } from "./helpers/database";
import { settle } from "./helpers/http";

/** The dev mailbox answers only requests from this machine (the socket address the HTTP server records). */
const getRequest = (path: string) => new Request(`http://localhost${path}`, { headers: { "x-nl-client-ip": "127.0.0.1" } });

useTestDatabase();

async function deliveredMailId(key: string, html: string) {
  setMailTransport(undefined);
  await enqueueEmail(db(), { userId: null, to: `${key}@example.org`, kind: "test", subject: key, html, text: "x", idempotencyKey: key });
  await deliverDueEmails();
  const [row] = await db()<{ id: string }[]>`select id::text as id from dev_mailbox where idempotency_key = ${key}`;
  return row!.id;
}

describe("dev mailbox: the HTML part as a framed document", () => {
  it("opens links in the top window", () => {
    const html = framedMailHtml(
      '<!doctype html><html><head lang="de"><title>x</title></head><body><a href="/login/verify?token=t">Anmelden</a></body></html>',
    );
    expect(html).toContain('<head lang="de"><base target="_top">');
    expect(framedMailHtml("<p>bare</p>")).toMatch(/<head>.*<base target="_top"><\/head><body><p>bare<\/p>/);
  });

  it("is served with a policy that lets only this site frame it, without scripts", async () => {
    const id = await deliveredMailId(
      "frame-1",
      '<html><head></head><body><a href="http://localhost/login/verify?token=abc">Jetzt anmelden</a></body></html>',
    );
    const response = (await htmlLoader({ request: getRequest(`/dev/mail/${id}/html`), params: { mailId: id }, context: {} })) as Response;
    expect(response.status).toBe(200);
    expect(response.headers.get("content-security-policy")).toBe(DEV_MAIL_FRAME_POLICY);
    expect(DEV_MAIL_FRAME_POLICY).toContain("frame-ancestors 'self'");
    expect(DEV_MAIL_FRAME_POLICY).not.toContain("script-src");
    expect(DEV_MAIL_FRAME_POLICY).toContain("sandbox allow-top-navigation-by-user-activation");
    expect(response.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    const body = await response.text();
    expect(body).toContain('<base target="_top">');
    expect(body).toContain("login/verify?token=abc");
  });

  it("opens an address's newest mail from ?to=, and waits on the list while none has arrived", async () => {
    await deliveredMailId("to-1", "<p>eins</p>");
    const newest = await deliveredMailId("to-2", "<p>zwei</p>");
    await db()`update dev_mailbox set to_address = 'wait@example.org' where idempotency_key in ('to-1', 'to-2')`;
    const found = await settle(() => listLoader({ request: getRequest("/dev/mail?to=Wait%40example.org"), params: {}, context: {} }));
    expect(found.status).toBe(302);
    expect(found.headers.get("location")).toBe(`/dev/mail/${newest}`);
    const waiting = await settle(() => listLoader({ request: getRequest("/dev/mail?to=nobody%40example.org"), params: {}, context: {} }));
    expect(waiting.status).toBe(200);
    expect(waiting.body).toMatchObject({ waitingFor: "nobody@example.org" });
  });

  it("answers 404 for unknown or malformed ids and when a real provider sends mail", async () => {
    expect(
      (await settle(() => htmlLoader({ request: getRequest("/dev/mail/999999/html"), params: { mailId: "999999" }, context: {} }))).status,
    ).toBe(404);
    expect(
      (await settle(() => htmlLoader({ request: getRequest("/dev/mail/x/html"), params: { mailId: "1;drop" }, context: {} }))).status,
    ).toBe(404);
  });

  it("links the mailbox in the header only in development", async () => {
    setMailTransport(undefined);
    setEnvForTests({ NODE_ENV: "development", WORKERS: "off", RESEND_API_KEY: undefined, MEILI_HOST: undefined });
    expect((await rootLoader({ request: getRequest("/"), params: {}, context: {} })).devMailbox).toBe(true);
    setEnvForTests({
      NODE_ENV: "production",
      WORKERS: "off",
      RESEND_API_KEY: undefined,
      MAIL_TRANSPORT: "outbox",
      APP_SECRET: "x".repeat(40),
      APP_URL: "https://nextleipzig.example",
      MEILI_HOST: undefined,
    });
    expect((await rootLoader({ request: getRequest("/"), params: {}, context: {} })).devMailbox).toBe(false);
    const id = (await db()<{ id: string }[]>`select id::text as id from dev_mailbox limit 1`)[0]!.id;
    expect(
      (await settle(() => htmlLoader({ request: getRequest(`/dev/mail/${id}/html`), params: { mailId: id }, context: {} }))).status,
    ).toBe(404);
    setEnvForTests({ NODE_ENV: "test", WORKERS: "off", RESEND_API_KEY: undefined, MEILI_HOST: undefined });
    // Tests keep the mailbox, but the header invites to it only in development.
    expect((await rootLoader({ request: getRequest("/"), params: {}, context: {} })).devMailbox).toBe(false);
  });
});
