/**
 * The sign-in link in the browser that asked for it signs in at once (issue 18: fewer steps in the first hour);
 * anywhere else — another device, a mail scanner that opens links — a GET only shows the button and the token
 * stays usable. A newcomer's way continues after the first profile.
 */
import { describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { requestLoginLink } from "~/modules/accounts/accounts.server";
import { action as loginAction } from "~/routes/login";
import { action as verifyAction, loader as verifyLoader } from "~/routes/login-verify";
import { action as profileAction } from "~/routes/profile";
import { useTestDatabase } from "./helpers/database";
import { createPerson } from "./helpers/factories";
import { formRequest, getRequest, settle } from "./helpers/http";

useTestDatabase();

async function latestLink(email: string) {
  const [mail] = await db()<{ text: string }[]>`select text from email_messages where to_address = ${email} order by id desc limit 1`;
  return new URL(mail!.text.match(/https?:\/\/\S+\/login\/verify\S*/)![0]);
}

function verifyPath(link: URL) {
  return link.pathname + link.search;
}

async function tokenUsed(link: URL) {
  const result = await settle(() =>
    verifyAction({
      request: formRequest("/login/verify", { token: link.searchParams.get("token") ?? "", redirectTo: "" }),
      params: {},
      context: {},
    }),
  );
  return result.status === 400;
}

/** The cookie the sign-in form sets, as the browser sends it back. */
function browserCookie(setCookie: string | null) {
  expect(setCookie).toMatch(/^nl_login_browser=/);
  expect(setCookie).toMatch(/HttpOnly/i);
  expect(setCookie).toMatch(/Path=\/login/);
  return setCookie!.slice(0, setCookie!.indexOf(";"));
}

async function askForLink(email: string) {
  const sent = await settle(() => loginAction({ request: formRequest("/login", { email }), params: {}, context: {} }));
  expect(sent.status).toBe(302);
  return browserCookie(sent.headers.get("set-cookie"));
}

describe("sign-in link opened in a browser", () => {
  it("signs in at once in the browser that asked for it, and the token is then used", async () => {
    const person = await createPerson();
    const cookie = await askForLink(person.email);
    const link = await latestLink(person.email);
    const opened = await settle(() => verifyLoader({ request: getRequest(verifyPath(link), cookie), params: {}, context: {} }));
    expect(opened.status).toBe(302);
    expect(opened.headers.get("location")).toBe("/");
    const cookies = opened.headers.get("set-cookie") ?? "";
    expect(cookies).toMatch(/nl_session=/);
    expect(cookies).toMatch(/nl_login_browser=;.*Max-Age=0/);
    expect(await tokenUsed(link)).toBe(true);
  });

  it("only shows the button without that browser's cookie (another device, a mail scanner); the token stays usable", async () => {
    const person = await createPerson();
    await askForLink(person.email);
    const link = await latestLink(person.email);
    const scanned = await settle(() => verifyLoader({ request: getRequest(verifyPath(link)), params: {}, context: {} }));
    expect(scanned.status).toBe(200);
    expect(scanned.body).toMatchObject({ token: link.searchParams.get("token") });
    expect(await tokenUsed(link)).toBe(false);
  });

  it("does not sign in with the cookie of another request for a link", async () => {
    const person = await createPerson();
    const other = await createPerson();
    const otherCookie = await askForLink(other.email);
    await askForLink(person.email);
    const link = await latestLink(person.email);
    const opened = await settle(() => verifyLoader({ request: getRequest(verifyPath(link), otherCookie), params: {}, context: {} }));
    expect(opened.status).toBe(200);
    expect(opened.headers.get("set-cookie")).toBeNull();
    expect(await tokenUsed(link)).toBe(false);
  });

  it("a link asked for without the sign-in form (no browser key) always needs the button", async () => {
    const person = await createPerson();
    await requestLoginLink({ email: person.email, clientIp: "127.0.0.1", locale: "de" });
    const link = await latestLink(person.email);
    const opened = await settle(() =>
      verifyLoader({ request: getRequest(verifyPath(link), "nl_login_browser=" + "x".repeat(43)), params: {}, context: {} }),
    );
    expect(opened.status).toBe(200);
    expect(await tokenUsed(link)).toBe(false);
  });
});

describe("a newcomer's way", () => {
  it("goes through the first profile and then on to where they were headed", async () => {
    const email = `newcomer-${Date.now()}@example.org`;
    const sent = await settle(() =>
      loginAction({ request: formRequest("/login", { email, redirectTo: "/posts/new?kind=need" }), params: {}, context: {} }),
    );
    const cookie = browserCookie(sent.headers.get("set-cookie"));
    const link = await latestLink(email);
    const opened = await settle(() => verifyLoader({ request: getRequest(verifyPath(link), cookie), params: {}, context: {} }));
    expect(opened.headers.get("location")).toBe(`/profile?next=${encodeURIComponent("/posts/new?kind=need")}`);
    const session = (opened.headers.get("set-cookie") ?? "").match(/nl_session=[^;]+/)![0];
    const profile = {
      displayName: "Nora Neu",
      role: "craftsperson",
      bio: "",
      district: "Plagwitz",
      languages: "de",
      website: "",
      skillsOffered: "",
      skillsSought: "",
      digestFrequency: "weekly",
    };
    const saved = await settle(() =>
      profileAction({ request: formRequest("/profile", { ...profile, next: "/posts/new?kind=need" }, session), params: {}, context: {} }),
    );
    expect(saved.status).toBe(302);
    expect(saved.headers.get("location")).toBe("/posts/new?kind=need");
    const elsewhere = await settle(() =>
      profileAction({ request: formRequest("/profile", { ...profile, next: "//evil.example" }, session), params: {}, context: {} }),
    );
    expect(elsewhere.headers.get("location")).toMatch(/^\/profile\?notice=saved/);
  });
});
