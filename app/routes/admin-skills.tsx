import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { Notice } from "~/components/form";
import { useT } from "~/components/i18n";
import { requireAdmin } from "~/lib/session.server";
import { findCanonicalSkillByLabel, listUserDefinedSkills, mergeSkill } from "~/modules/skills/skills.server";

const mergeSchema = z.object({ fromId: z.string().regex(/^\d{1,18}$/), into: z.string().trim().min(1).max(120) });

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  return { skills: await listUserDefinedSkills() };
}

export async function action({ request }: ActionFunctionArgs) {
  await requireAdmin(request);
  const parsed = mergeSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data({ ok: false as const, error: "admin.mergeNotFound" as const }, { status: 400 });
  const target = await findCanonicalSkillByLabel(parsed.data.into);
  if (!target) return data({ ok: false as const, error: "admin.mergeNotFound" as const }, { status: 400 });
  const result = await mergeSkill(parsed.data.fromId, target.id);
  if (!result.ok) return data({ ok: false as const, error: "admin.mergeNotFound" as const }, { status: 400 });
  return { ok: true as const, posts: result.postIds.length, people: result.userIds.length };
}

export default function AdminSkills() {
  const { skills } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  return (
    <div>
      <p>
        <Link to="/admin">← {t("admin.title")}</Link>
      </p>
      <h1>{t("admin.skills")}</h1>
      <p className="lead">{t("admin.skillsLead")}</p>
      {result?.ok ? <Notice tone="success">{t("admin.merged", { count: result.posts, people: result.people })}</Notice> : null}
      {result && !result.ok ? <Notice tone="error">{t(result.error)}</Notice> : null}
      {skills.length === 0 ? (
        <p className="empty">{t("admin.skillsEmpty")}</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t("admin.skill")}</th>
              <th scope="col">{t("admin.uses")}</th>
              <th scope="col">{t("admin.mergeInto")}</th>
            </tr>
          </thead>
          <tbody>
            {skills.map((skill) => (
              <tr key={skill.id}>
                <td>{skill.label_de}</td>
                <td>{skill.uses}</td>
                <td>
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="fromId" value={skill.id} />
                    <label className="visually-hidden" htmlFor={`into-${skill.id}`}>
                      {t("admin.mergeInto")}
                    </label>
                    <input id={`into-${skill.id}`} name="into" required maxLength={120} />
                    <button type="submit" className="button small">
                      {t("admin.merge")}
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
