/**
 * Photos on posts over real HTTP (issue 19): the multipart form, the bad inputs of the issue (each a field error or
 * 413 with no row written), serving headers, cascades on delete, the data export, hidden posts and admin removal.
 */
import net from "node:net";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { deleteAccount } from "~/modules/privacy/privacy.server";
import { previewDigest } from "~/modules/digest/digest.server";
import { processMatchOutbox } from "~/modules/matching/matching.server";
import { useAppServer } from "./helpers/app-server";
import { useTestDatabase } from "./helpers/database";
import { createPerson, createTestPost, postForm } from "./helpers/factories";
import { sessionCookieFor } from "./helpers/http";

useTestDatabase();
const app = useAppServer();

let authorId = "";
let cookie = "";
let adminCookie = "";

beforeAll(async () => {
  const author = await createPerson({ displayName: "Frieda Foto" });
  authorId = author.id;
  cookie = await sessionCookieFor(author.id);
  const admin = await createPerson({ displayName: "Ada Admin" }, { isAdmin: true });
  adminCookie = await sessionCookieFor(admin.id);
});

async function jpeg(width: number, height: number, options: { gps?: boolean } = {}) {
  let image = sharp({ create: { width, height, channels: 3, background: "#3a6ea5" } }).composite([
    {
      input: await sharp({ create: { width: Math.round(width / 3), height: Math.round(height / 3), channels: 3, background: "#f0c040" } })
        .png()
        .toBuffer(),
      left: 10,
      top: 10,
    },
  ]);
  if (options.gps)
    image = image.withExif({ IFD0: { Model: "Werkstattkamera" }, IFD3: { GPSLatitudeRef: "N", GPSLatitude: "51/1 20/1 0/1" } });
  return image.jpeg().toBuffer();
}

async function counts() {
  const [row] = await db()<[{ posts: string; images: string; variants: string }]>`
    select (select count(*) from posts)::text as posts, (select count(*) from images)::text as images, (select count(*) from image_variants)::text as variants`;
  return row;
}

function photoForm(
  photos: { bytes: Buffer | Uint8Array; name?: string; type?: string; alt?: string }[],
  fields: Parameters<typeof postForm>[0] = {},
) {
  const form = postForm(fields);
  photos.forEach((photo, index) => {
    form.set(
      `newPhoto-${index + 1}`,
      new Blob([new Uint8Array(photo.bytes)], { type: photo.type ?? "image/jpeg" }),
      photo.name ?? `foto-${index + 1}.jpg`,
    );
    form.set(`newPhoto-${index + 1}-alt`, photo.alt ?? `Werkbank, Ansicht ${index + 1}`);
  });
  return form;
}

async function post(path: string, body: FormData, who = cookie) {
  const response = await fetch(`${app.url}${path}`, {
    method: "POST",
    body,
    redirect: "manual",
    headers: { cookie: who, origin: app.url },
  });
  return { status: response.status, location: response.headers.get("location"), text: await response.text() };
}

async function get(path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${app.url}${path}`, { headers, redirect: "manual" });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

function imageUrls(html: string) {
  return [...html.matchAll(/\/images\/[A-Za-z0-9_-]{32}\.webp/g)].map((match) => match[0]);
}

describe("photos on posts", () => {
  it("creates a post with two photos and shows them: cover first, srcset, sizes, width/height, lazy below the fold", async () => {
    const result = await post(
      "/posts/new",
      photoForm(
        [
          { bytes: await jpeg(2400, 1600, { gps: true }), alt: "Die Werkbank von vorn" },
          { bytes: await jpeg(600, 800), alt: "Die Zwinge" },
        ],
        { title: "Werkbank mit Fotos" },
      ),
    );
    expect(result.status, result.text.slice(0, 500)).toBe(302);
    const postId = /\/posts\/(\d+)/.exec(result.location ?? "")![1]!;
    const images = await db()<
      { alt: string; position: number; width: number; height: number }[]
    >`select alt, position, width, height from images where post_id = ${postId} order by position`;
    expect(images).toEqual([
      { alt: "Die Werkbank von vorn", position: 0, width: 2400, height: 1600 },
      { alt: "Die Zwinge", position: 1, width: 600, height: 800 },
    ]);
    const page = await (await fetch(`${app.url}/posts/${postId}`)).text();
    expect(page).toContain('alt="Die Werkbank von vorn"');
    expect(page).toMatch(/srcSet="\/images\/[\w-]{32}\.webp 320w, \/images\/[\w-]{32}\.webp 800w, \/images\/[\w-]{32}\.webp 1600w"/);
    expect(page).toMatch(
      /sizes="\(max-width: 60rem\) 100vw, 60rem" width="2400" height="1600" alt="Die Werkbank von vorn" loading="eager"/,
    );
    expect(page).toMatch(/width="600" height="800" alt="Die Zwinge" loading="lazy"/);

    // served: WebP, immutable, ETag → 304, no GPS
    const url = imageUrls(page)[0]!;
    const served = await get(url);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/webp");
    expect(served.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(served.headers.get("x-content-type-options")).toBe("nosniff");
    const etag = served.headers.get("etag")!;
    expect(etag).toMatch(/^"[\w-]{32}"$/);
    expect((await sharp(served.bytes).metadata()).exif).toBeUndefined();
    expect(served.bytes.includes(Buffer.from("Werkstattkamera"))).toBe(false);
    expect((await get(url, { "if-none-match": etag })).status).toBe(304);
    expect((await get("/images/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.webp")).status).toBe(404);
    expect((await get("/images/..%2f..%2fetc.webp")).status).toBe(404);

    // the cover on the author's cards (person page) and the category drawing where a post has none
    await createTestPost(authorId, { title: "Ohne Foto", category: "materials" });
    const person = await (await fetch(`${app.url}/people/${authorId}`)).text();
    expect(person).toContain("card-media");
    expect(imageUrls(person).length).toBeGreaterThan(0);
  });

  it("edits photos: reorders (the new first becomes the cover), changes alt text, removes one, adds one", async () => {
    const created = await post(
      "/posts/new",
      photoForm([
        { bytes: await jpeg(900, 600), alt: "Eins" },
        { bytes: await jpeg(800, 600), alt: "Zwei" },
      ]),
    );
    const postId = /\/posts\/(\d+)/.exec(created.location ?? "")![1]!;
    const [one, two] = await db()<[{ id: string }, { id: string }]>`select id from images where post_id = ${postId} order by position`;
    const form = photoForm([{ bytes: await jpeg(700, 700), alt: "Drei" }]);
    form.set(`photo-${one.id}-alt`, "Eins");
    form.set(`photo-${one.id}-position`, "2");
    form.set(`photo-${two.id}-alt`, "Zwei, neu beschrieben");
    form.set(`photo-${two.id}-position`, "1");
    const edited = await post(`/posts/${postId}/edit`, form);
    expect(edited.status, edited.text.slice(0, 400)).toBe(302);
    expect(await db()`select alt, position from images where post_id = ${postId} order by position`).toEqual([
      { alt: "Zwei, neu beschrieben", position: 0 },
      { alt: "Eins", position: 1 },
      { alt: "Drei", position: 2 },
    ]);
    const remove = postForm();
    remove.set(`photo-${one.id}-remove`, "on");
    remove.set(`photo-${two.id}-alt`, "Zwei, neu beschrieben");
    const [three] = await db()<[{ id: string }]>`select id from images where post_id = ${postId} and alt = 'Drei'`;
    remove.set(`photo-${three.id}-alt`, "Drei");
    expect((await post(`/posts/${postId}/edit`, remove)).status).toBe(302);
    expect((await db()`select alt from images where post_id = ${postId} order by position`).map((row) => row.alt)).toEqual([
      "Zwei, neu beschrieben",
      "Drei",
    ]);
  });

  it("takes photos from a JavaScript submission too (Remix posts to the route's .data URL)", async () => {
    const before = await counts();
    const noisy = await sharp({
      create: { width: 2000, height: 1500, channels: 3, background: "#888", noise: { type: "gaussian", mean: 128, sigma: 50 } },
    })
      .jpeg({ quality: 92 })
      .toBuffer();
    expect(noisy.length).toBeGreaterThan(64 * 1024);
    const result = await post("/posts/new.data", photoForm([{ bytes: noisy, alt: "Rauschen" }]));
    expect(result.status).toBeLessThan(400);
    expect(Number((await counts()).images)).toBe(Number(before.images) + 1);
  });

  it("asks for the alt text of every photo (a field error, nothing written)", async () => {
    const before = await counts();
    const result = await post("/posts/new", photoForm([{ bytes: await jpeg(400, 300), alt: "" }]));
    expect(result.status).toBe(400);
    expect(result.text).toContain("Bitte beschreibe, was auf dem Foto zu sehen ist.");
    expect(await counts()).toEqual(before);
  });
});

describe("bad uploads: a field error or 413, nothing written, no 500", () => {
  it("a text file renamed to .jpg", async () => {
    const before = await counts();
    const result = await post("/posts/new", photoForm([{ bytes: Buffer.from("Kein Bild. Nur Text.\n".repeat(50)), name: "urlaub.jpg" }]));
    expect(result.status).toBe(400);
    expect(result.text).toContain("Diese Datei ist kein Foto, das wir lesen können");
    expect(await counts()).toEqual(before);
  });

  it("an SVG with a script", async () => {
    const before = await counts();
    const svg = Buffer.from(
      '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><script>alert(document.cookie)</script><rect width="100" height="100"/></svg>',
    );
    const result = await post("/posts/new", photoForm([{ bytes: svg, name: "bild.svg", type: "image/svg+xml" }]));
    expect(result.status).toBe(400);
    expect(result.text).toContain("Diese Datei ist kein Foto, das wir lesen können");
    expect(await counts()).toEqual(before);
  });

  it("a 60-megapixel PNG (decompression bomb)", async () => {
    const before = await counts();
    const bomb = await sharp({ create: { width: 10000, height: 6000, channels: 3, background: "#ffffff" } })
      .png({ compressionLevel: 9 })
      .toBuffer();
    const result = await post("/posts/new", photoForm([{ bytes: bomb, name: "riesig.png", type: "image/png" }]));
    expect(result.status).toBe(400);
    expect(result.text).toContain("Dieses Bild ist zu groß (höchstens 40 Megapixel)");
    expect(await counts()).toEqual(before);
  });

  it("a truncated JPEG", async () => {
    const before = await counts();
    const whole = await jpeg(1600, 1200);
    const result = await post("/posts/new", photoForm([{ bytes: whole.subarray(0, Math.floor(whole.length * 0.6)) }]));
    expect(result.status).toBe(400);
    expect(result.text).toContain("Diese Datei ist beschädigt oder unvollständig.");
    expect(await counts()).toEqual(before);
  });

  it("a file over 10 MB is a field error; a 30 MB upload is 413 with a clear message", async () => {
    const before = await counts();
    const eleven = await post("/posts/new", photoForm([{ bytes: Buffer.alloc(11 * 1024 * 1024, 0xff) }]));
    expect(eleven.status).toBe(400);
    expect(eleven.text).toContain("Diese Datei ist zu groß (höchstens 10 MB).");
    const thirty = await post("/posts/new", photoForm([{ bytes: Buffer.alloc(30 * 1024 * 1024, 0xff) }]));
    expect(thirty.status).toBe(413);
    expect(thirty.text).toContain("25 MB");
    expect(await counts()).toEqual(before);
  });

  it("a 30 MB body sent without Content-Length (chunked) is cut off at 25 MB with 413", async () => {
    const before = await counts();
    const boundary = "----nlboundary";
    // a raw socket: what the server answers is read while the body is still being written
    const { port } = new URL(app.url);
    const answer = await new Promise<string>((resolve) => {
      const socket = net.connect(Number(port), "127.0.0.1");
      let received = "";
      socket.on("data", (data) => (received += data.toString("latin1")));
      socket.on("error", () => {});
      socket.on("close", () => resolve(received));
      socket.write(
        `POST /posts/new HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nCookie: ${cookie}\r\nOrigin: ${app.url}\r\n` +
          `Content-Type: multipart/form-data; boundary=${boundary}\r\nTransfer-Encoding: chunked\r\n\r\n`,
      );
      const chunk = (data: string | Buffer) =>
        Buffer.concat([Buffer.from(`${Buffer.byteLength(data).toString(16)}\r\n`), Buffer.from(data), Buffer.from("\r\n")]);
      socket.write(
        chunk(
          `--${boundary}\r\nContent-Disposition: form-data; name="newPhoto-1"; filename="gross.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
        ),
      );
      const megabyte = chunk(Buffer.alloc(1024 * 1024, 0xff));
      let sent = 0;
      const writeMore = () => {
        while (sent < 30 && !socket.destroyed && !received) {
          sent++;
          if (!socket.write(megabyte)) return void socket.once("drain", writeMore);
        }
        if (!socket.destroyed) socket.end(Buffer.concat([chunk(`\r\n--${boundary}--\r\n`), Buffer.from("0\r\n\r\n")]));
      };
      writeMore();
    });
    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1]);
    expect(status).toBe(413);
    expect(answer).toContain("at most 25 MB per upload");
    expect(await counts()).toEqual(before);
  });

  it("a multipart body with 200 parts", async () => {
    const before = await counts();
    const form = postForm();
    for (let index = 0; index < 200; index++) form.append(`extra${index}`, "x");
    const result = await post("/posts/new", form);
    expect(result.status).toBe(413);
    expect(await counts()).toEqual(before);
  });

  it("more than six photos", async () => {
    const before = await counts();
    const small = await jpeg(200, 150);
    const form = photoForm(Array.from({ length: 6 }, () => ({ bytes: small })));
    const created = await post("/posts/new", form);
    expect(created.status).toBe(302);
    const postId = /\/posts\/(\d+)/.exec(created.location ?? "")![1]!;
    const one = await post(`/posts/${postId}/edit`, photoForm([{ bytes: small }]));
    // a full post shows no free slot, so a seventh can only come from a crafted request
    expect(one.status).toBe(400);
    expect((await counts()).images).toBe(String(Number(before.images) + 6));
  });
});

describe("privacy and moderation", () => {
  it("a hidden post hides its images; an admin still sees them and can remove a single one", async () => {
    const created = await post(
      "/posts/new",
      photoForm([
        { bytes: await jpeg(500, 400), alt: "A" },
        { bytes: await jpeg(400, 500), alt: "B" },
      ]),
    );
    const postId = /\/posts\/(\d+)/.exec(created.location ?? "")![1]!;
    const page = await (await fetch(`${app.url}/posts/${postId}`)).text();
    const url = imageUrls(page)[0]!;
    expect((await get(url)).status).toBe(200);
    await db()`update posts set hidden_at = now() where id = ${postId}`;
    expect((await get(url)).status).toBe(404);
    const forAdmin = await get(url, { cookie: adminCookie });
    expect(forAdmin.status).toBe(200);
    expect(forAdmin.headers.get("cache-control")).toBe("private, no-store");
    await db()`update posts set hidden_at = null where id = ${postId}`;

    const [first] = await db()<[{ id: string }]>`select id from images where post_id = ${postId} order by position limit 1`;
    const notAdmin = new FormData();
    notAdmin.set("intent", "remove-image");
    notAdmin.set("imageId", first.id);
    expect((await post(`/posts/${postId}`, notAdmin)).status).toBe(403);
    expect((await post(`/posts/${postId}`, notAdmin, adminCookie)).status).toBe(302);
    expect((await db()`select alt from images where post_id = ${postId}`).map((row) => row.alt)).toEqual(["B"]);
    expect((await get(url)).status).toBe(404);
  });

  it("the data export lists the images; deleting the account deletes them", async () => {
    const person = await createPerson({ displayName: "Gustav Gelöscht" });
    const personCookie = await sessionCookieFor(person.id);
    const created = await post("/posts/new", photoForm([{ bytes: await jpeg(1000, 750), alt: "Mein Hobel" }]), personCookie);
    expect(created.status).toBe(302);
    const exported = await (await fetch(`${app.url}/account/export.json`, { headers: { cookie: personCookie } })).json();
    expect(exported.images).toHaveLength(1);
    expect(exported.images[0]).toMatchObject({ alt: "Mein Hobel", width: 1000, height: 750, portrait: false });
    expect(exported.images[0].variants.map((variant: { width: number }) => variant.width)).toEqual([320, 800, 1000]);
    expect(exported.images[0].variants[0].url).toMatch(/^http.*\/images\/[\w-]{32}\.webp$/);
    await deleteAccount(person.id);
    expect(await db()`select 1 from images where owner_id = ${person.id}`).toHaveLength(0);
    expect((await get(new URL(exported.images[0].variants[0].url).pathname)).status).toBe(404);
  });

  it("deleting a post (owner, with the confirmation box) deletes its images", async () => {
    const created = await post("/posts/new", photoForm([{ bytes: await jpeg(400, 300) }]));
    const postId = /\/posts\/(\d+)/.exec(created.location ?? "")![1]!;
    const before =
      await db()`select count(*)::int as n from image_variants v join images i on i.id = v.image_id where i.post_id = ${postId}`;
    expect(before[0]!.n).toBe(2);
    const page = await (await fetch(`${app.url}/posts/${postId}`)).text();
    const url = imageUrls(page)[0]!;
    const unconfirmed = new FormData();
    unconfirmed.set("intent", "delete");
    expect((await post(`/posts/${postId}`, unconfirmed)).status).toBe(302);
    expect(await db()`select 1 from posts where id = ${postId}`).toHaveLength(1);
    const confirmed = new FormData();
    confirmed.set("intent", "delete");
    confirmed.set("confirm", "on");
    expect((await post(`/posts/${postId}`, confirmed, adminCookie.replace(/.$/, "x"))).status).toBeGreaterThanOrEqual(300);
    expect(await db()`select 1 from posts where id = ${postId}`).toHaveLength(1);
    const deleted = await post(`/posts/${postId}`, confirmed);
    expect(deleted.status).toBe(302);
    expect(deleted.location).toContain("notice=post-deleted");
    expect(await db()`select 1 from posts where id = ${postId}`).toHaveLength(0);
    expect(await db()`select 1 from images where post_id = ${postId}`).toHaveLength(0);
    expect((await get(url)).status).toBe(404);
  });
});

describe("portraits and link previews", () => {
  it("a portrait uploaded on /profile shows on the person page (initials avatar where there is none) and in og:image", async () => {
    const person = await createPerson({ displayName: "Paula Porträt" });
    const personCookie = await sessionCookieFor(person.id);
    const before = await (await fetch(`${app.url}/people/${person.id}`)).text();
    expect(before).toContain('class="avatar"');
    expect(before).toContain('<meta name="twitter:card" content="summary"/>');
    const form = new FormData();
    for (const [name, value] of Object.entries({
      displayName: "Paula Porträt",
      role: "artist",
      bio: "Keramik.",
      district: "Plagwitz",
      languages: "de",
      digestFrequency: "weekly",
    }))
      form.set(name, value);
    form.set("portrait", new Blob([new Uint8Array(await jpeg(900, 1200, { gps: true }))], { type: "image/jpeg" }), "ich.jpg");
    const saved = await post("/profile", form, personCookie);
    expect(saved.status, saved.text.slice(0, 300)).toBe(302);
    const page = await (await fetch(`${app.url}/people/${person.id}`)).text();
    expect(page).toMatch(
      /<img class="portrait" src="\/images\/[\w-]{32}\.webp" srcSet="[^"]+" sizes="96px" width="96" height="96" alt="Porträt von Paula Porträt"/,
    );
    expect(page).toMatch(/<meta property="og:image" content="http:\/\/[^"]+\/images\/[\w-]{32}\.webp"\/>/);

    const bad = new FormData();
    for (const [name, value] of form.entries()) if (name !== "portrait") bad.set(name, value);
    bad.set(
      "portrait",
      new Blob(["<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"], { type: "image/svg+xml" }),
      "x.svg",
    );
    const refused = await post("/profile", bad, personCookie);
    expect(refused.status).toBe(400);
    expect(refused.text).toContain("Diese Datei ist kein Foto, das wir lesen können");

    const remove = new FormData();
    for (const [name, value] of form.entries()) if (name !== "portrait") remove.set(name, value);
    remove.set("removePortrait", "on");
    expect((await post("/profile", remove, personCookie)).status).toBe(302);
    expect(await db()`select 1 from images where owner_id = ${person.id}`).toHaveLength(0);
  });

  it("post, home and skill pages carry Open Graph and Twitter card tags with an absolute image", async () => {
    const created = await post(
      "/posts/new",
      photoForm([{ bytes: await jpeg(2000, 1000), alt: "Die Drehbank" }], { title: "Drehbank zu teilen", skills: "Drechseln" }),
    );
    const postId = /\/posts\/(\d+)/.exec(created.location ?? "")![1]!;
    const page = await (await fetch(`${app.url}/posts/${postId}`)).text();
    expect(page).toContain('<meta property="og:title" content="Drehbank zu teilen · NextLeipzig"/>');
    expect(page).toContain('<meta property="og:locale" content="de_DE"/>');
    expect(page).toContain('<meta property="og:type" content="article"/>');
    expect(page).toContain('<meta name="twitter:card" content="summary_large_image"/>');
    expect(page).toMatch(/<meta property="og:image" content="http:\/\/[^"]+\/images\/[\w-]{32}\.webp"\/>/);
    expect(page).toContain('<meta property="og:image:width" content="1600"/>');
    expect(page).toContain('<meta property="og:image:height" content="800"/>');
    expect(page).toContain('<meta property="og:image:alt" content="Die Drehbank"/>');
    const home = await (await fetch(`${app.url}/`)).text();
    expect(home).toContain('<meta property="og:title"');
    expect(home).toContain('<meta name="twitter:card"');
    const english = await (await fetch(`${app.url}/`, { headers: { "accept-language": "en" } })).text();
    expect(english).toContain('<meta property="og:locale" content="en_GB"/>');
    const [skill] = await db()<
      [{ slug: string }]
    >`select s.slug from post_skills ps join skills s on s.id = ps.skill_id where ps.post_id = ${postId}`;
    const skillPage = await (await fetch(`${app.url}/skills/${skill.slug}`)).text();
    expect(skillPage).toContain('<meta property="og:description"');
    expect(skillPage).toMatch(/<meta property="og:image" content="http:\/\/[^"]+\/images\//);
  });
});

describe("photos in the digest", () => {
  it("shows a matched post's cover in the email, as an absolute URL of its small variant, and nothing for a post without photo", async () => {
    const withPhoto = await post(
      "/posts/new",
      photoForm([{ bytes: await jpeg(1600, 1200), alt: "Hobelbank in der Werkstatt" }], {
        kind: "offer",
        title: "Hobelbank mit Foto",
        skills: "Buchbinderei",
      }),
    );
    expect(withPhoto.status).toBe(302);
    await createTestPost(authorId, { kind: "offer", title: "Hobelbank ohne Foto", skills: "Buchbinderei" });
    const reader = await createPerson({ displayName: "Rita Leserin", skillsSought: ["Buchbinderei"] });
    while ((await processMatchOutbox()) > 0);
    const preview = await previewDigest(reader.id, new Date());
    const html = preview?.content?.html ?? "";
    expect(html).toContain("Hobelbank mit Foto");
    expect(html).toContain("Hobelbank ohne Foto");
    const images = [...html.matchAll(/<img src="([^"]+)" width="(\d+)" height="(\d+)" alt=""/g)];
    expect(images).toHaveLength(1);
    expect(images[0]![1]).toMatch(/^https?:\/\/[^/]+\/images\/[A-Za-z0-9_-]{32}\.webp$/);
    expect([Number(images[0]![2]), Number(images[0]![3])]).toEqual([120, 90]);
    const served = await get(new URL(images[0]![1]!).pathname);
    expect(served.status).toBe(200);
    expect((await sharp(served.bytes).metadata()).width).toBe(320);
  });
});
