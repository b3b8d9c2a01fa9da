/** Redirect targets after sign-in and after switching the language stay on this site (issue 14, point 3). */
import { describe, expect, it } from "vitest";
import { safeRedirectTarget } from "~/lib/http.server";
import { action as langAction } from "~/routes/lang";
import { action as verifyAction } from "~/routes/login-verify";
import { requestLoginLink } from "~/modules/accounts/accounts.server";
import { db } from "~/lib/db.server";
import { useTestDatabase } from "./helpers/database";
import { createPerson } from "./helpers/factories";
import { formRequest, settle } from "./helpers/http";

useTestDatabase();

/** Known ways to smuggle another origin past a "starts with one slash" check. */
const REFUSED: [string, string][] = [
  ["tab after the first slash (browsers drop it → //evil)", "/\t/evil.example"],
  ["newline after the first slash", "/\n/evil.example"],
  ["carriage return", "/\r/evil.example"],
  ["CR/LF header injection", "/ok\r\nSet-Cookie: x=1"],
  ["NUL", "/\u0000/evil.example"],
  ["backslash (browsers read it as a slash)", "/\\evil.example"],
  ["two backslashes", "\\\\evil.example"],
  ["slash and backslash", "/\\/evil.example"],
  ["protocol-relative", "//evil.example"],
  ["three slashes", "///evil.example"],
  ["encoded slashes", "/%2F%2Fevil.example"],
  ["encoded slash after the first", "/%2Fevil.example"],
  ["lower-case encoding", "/%2f%2fevil.example"],
  ["encoded backslash", "/%5Cevil.example"],
  ["encoded tab", "/%09/evil.example"],
  ["encoded newline", "/%0a/evil.example"],
  ["encoded NUL", "/%00"],
  ["double-encoded slashes", "/%252F%252Fevil.example"],
  ["double-encoded tab", "/%2509/evil.example"],
  ["malformed encoding", "/%E0%A4%A"],
  ["absolute URL", "https://evil.example/"],
  ["scheme", "javascript:alert(1)"],
  ["data URL", "data:text/html,hi"],
  ["relative path", "evil.example"],
  ["space", "/ /evil.example"],
  ["non-breaking space", "/\u00a0/evil.example"],
  ["non-Latin-1 characters", "/skills/日本"],
  ["Unicode line separator", "/\u2028/evil.example"],
  ["empty", ""],
];

const KEPT = [
  "/",
  "/profile",
  "/posts/12",
  "/people/4/contact?post=12",
  "/search?q=Holz%20bau&kind=offer",
  "/skills/l%C3%B6ten",
  "/inbox#thread-3",
  "/a%2F%2Fb",
];

describe("safeRedirectTarget", () => {
  it.each(REFUSED)("refuses %s", (_name, target) => {
    expect(safeRedirectTarget(target, "/fallback")).toBe("/fallback");
  });

  it.each(KEPT)("keeps the same-origin path %s", (target) => {
    expect(safeRedirectTarget(target, "/fallback")).toBe(target);
  });

  it("refuses what is not a string", () => {
    for (const value of [undefined, null, 42, ["/a"], { href: "/a" }]) expect(safeRedirectTarget(value, "/fallback")).toBe("/fallback");
  });
});

describe("/lang", () => {
  it.each(REFUSED)("redirects home instead of to %s", async (_name, target) => {
    const result = await settle(() =>
      langAction({ request: formRequest("/lang", { lang: "en", redirectTo: target }), params: {}, context: {} }),
    );
    expect(result.status).toBe(302);
    expect(result.headers.get("location")).toBe("/");
  });

  it("returns to the page the language was switched on", async () => {
    const result = await settle(() =>
      langAction({ request: formRequest("/lang", { lang: "en", redirectTo: "/search?q=Holz" }), params: {}, context: {} }),
    );
    expect(result.headers.get("location")).toBe("/search?q=Holz");
  });
});

describe("sign-in link", () => {
  async function signInVia(redirectTo: string) {
    const person = await createPerson();
    await requestLoginLink({ email: person.email, clientIp: "127.0.0.1", locale: "de", redirectTo });
    const [mail] = await db()<
      { text: string }[]
    >`select text from email_messages where to_address = ${person.email} order by id desc limit 1`;
    const link = new URL(mail!.text.match(/https?:\/\/\S+\/login\/verify\S*/)![0]);
    const fields = { token: link.searchParams.get("token") ?? "", redirectTo: link.searchParams.get("redirectTo") ?? "" };
    return settle(() => verifyAction({ request: formRequest("/login/verify", fields), params: {}, context: {} }));
  }

  it.each([["/\t/evil.example"], ["/ok\r\nSet-Cookie: x=1"], ["/%2F%2Fevil.example"], ["/Grüße"]])(
    "signs in and lands on / instead of %j",
    async (target) => {
      const result = await signInVia(target);
      expect(result.status).toBe(302);
      expect(result.headers.get("location")).toBe("/");
    },
  );

  it("signs in and returns to the page that asked for it", async () => {
    const result = await signInVia("/people/4/contact?post=12");
    expect(result.headers.get("location")).toBe("/people/4/contact?post=12");
  });
});
