import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { Notice } from "~/components/form";
import { useT } from "~/components/i18n";
import { requireAdmin } from "~/modules/accounts/session.server";
import { acceptUserSkill, findCanonicalSkillByLabel, listUserDefinedSkills, mergeSkill } from "~/modules/skills/skills.server";
import { idField } from "~/lib/ids";

const mergeSchema = z.object({ fromId: idField(), into: z.string().trim().min(1).max(120) });
const acceptSchema = z.object({ intent: z.literal("accept"), skillId: idField() });

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  return { skills: await listUserDefinedSkills() };
}

export async function action({ request }: ActionFunctionArgs) {
  await requireAdmin(request);
  const form = Object.fromEntries(await request.formData());
  if (form.intent === "accept") {
    const accept = acceptSchema.safeParse(form);
    if (!accept.success || !(await acceptUserSkill(accept.data.skillId)))
      return data({ ok: false as const, error: "admin.acceptFailed" as const }, { status: 400 });
    return { ok: true as const, accepted: true as const, posts: 0, people: 0 };
  }
  const parsed = mergeSchema.safeParse(form);
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
      {result?.ok && "accepted" in result ? <Notice tone="success">{t("admin.accepted")}</Notice> : null}
      {result?.ok && !("accepted" in result) ? (
        <Notice tone="success">{t("admin.merged", { count: result.posts, people: result.people })}</Notice>
      ) : null}
      {result && !result.ok ? <Notice tone="error">{t(result.error)}</Notice> : null}
      {skills.length === 0 ? (
        <p className="empty">{t("admin.skillsEmpty")}</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t("admin.skill")}</th>
              <th scope="col">{t("admin.people")}</th>
              <th scope="col">{t("admin.uses")}</th>
              <th scope="col">{t("admin.review")}</th>
              <th scope="col">{t("admin.mergeInto")}</th>
            </tr>
          </thead>
          <tbody>
            {skills.map((skill) => (
              <tr key={skill.id}>
                <td>
                  <Link to={`/skills/${skill.slug}`}>{skill.label_de}</Link>
                </td>
                <td>{skill.people}</td>
                <td>{skill.uses}</td>
                <td>
                  {skill.accepted_at ? (
                    t("admin.acceptedState")
                  ) : (
                    <Form method="post">
                      <input type="hidden" name="skillId" value={skill.id} />
                      <button
                        type="submit"
                        name="intent"
                        value="accept"
                        className="button small secondary"
                        aria-label={`${t("admin.accept")}: ${skill.label_de}`}
                      >
                        {t("admin.accept")}
                      </button>
                    </Form>
                  )}
                </td>
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
