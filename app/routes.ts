import { index, route, type RouteConfig } from "@remix-run/route-config";

export default [
  index("routes/home.tsx"),
  route("login", "routes/login.tsx"),
  route("login/sent", "routes/login-sent.tsx"),
  route("login/verify", "routes/login-verify.tsx"),
  route("logout", "routes/logout.tsx"),
  route("lang", "routes/lang.tsx"),
  route("profile", "routes/profile.tsx"),
  route("people/:personId", "routes/person.tsx"),
  route("posts/new", "routes/post-new.tsx"),
  route("posts/:postId", "routes/post.tsx"),
  route("posts/:postId/edit", "routes/post-edit.tsx"),
  route("skills/suggest", "routes/skills-suggest.ts"),
  route("skills/:slug", "routes/skill.tsx"),
  route("dev/mail", "routes/dev-mail.tsx"),
  route("dev/mail/:mailId", "routes/dev-mail-message.tsx"),
  route("admin", "routes/admin.tsx"),
  route("admin/skills", "routes/admin-skills.tsx"),
  route("healthz", "routes/healthz.ts"),
  route("about", "routes/about.tsx"),
  route("privacy", "routes/privacy.tsx"),
] satisfies RouteConfig;
