import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { Notice, RadioGroup } from "~/components/form";
import { useT } from "~/components/i18n";
import type { MessageKey } from "~/lib/i18n";
import { DIGEST_FREQUENCIES } from "~/lib/reference";
import { setDigestFrequencyFor } from "~/modules/digest/digest.server";
import { verifyUnsubscribeToken } from "~/modules/digest/unsubscribe-token.server";
import { findOwnProfile } from "~/modules/profiles/profiles.server";

const frequencySchema = z.object({ frequency: z.enum(DIGEST_FREQUENCIES) });

export async function loader({ params }: LoaderFunctionArgs) {
  const userId = verifyUnsubscribeToken(params.token ?? "");
  if (!userId) return { valid: false as const, frequency: null };
  const own = await findOwnProfile(userId, "de");
  return { valid: Boolean(own), frequency: own?.profile.digest_frequency ?? null };
}

/**
 * RFC 8058 one-click: mail clients POST "List-Unsubscribe=One-Click" without a session, which turns digests off.
 * The page's own form POSTs a chosen frequency. A forged or altered token changes nothing.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const userId = verifyUnsubscribeToken(params.token ?? "");
  const form = await request.formData();
  if (!userId) return data({ saved: null, invalid: true }, { status: 400 });
  if (form.get("List-Unsubscribe") === "One-Click") {
    await setDigestFrequencyFor(userId, "off");
    return data({ saved: "off" as const, invalid: false });
  }
  const parsed = frequencySchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return data({ saved: null, invalid: false }, { status: 400 });
  await setDigestFrequencyFor(userId, parsed.data.frequency);
  return data({ saved: parsed.data.frequency, invalid: false });
}

export default function Unsubscribe() {
  const { valid, frequency } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  if (!valid || result?.invalid) {
    return (
      <div className="narrow">
        <h1>{t("unsubscribe.title")}</h1>
        <Notice tone="error">{t("unsubscribe.invalid")}</Notice>
      </div>
    );
  }
  const current = result?.saved ?? frequency ?? "weekly";
  return (
    <div className="narrow">
      <h1>{t("unsubscribe.title")}</h1>
      {result?.saved ? (
        <Notice tone="success">{t("unsubscribe.saved", { frequency: t(`digest.${result.saved}` as MessageKey) })}</Notice>
      ) : null}
      <p className="lead">{t("unsubscribe.lead")}</p>
      <Form method="post" className="stack">
        <RadioGroup
          name="frequency"
          label={t("unsubscribe.current", { frequency: t(`digest.${current}` as MessageKey) })}
          defaultValue={current === "off" ? "off" : current}
          options={DIGEST_FREQUENCIES.map((value) => ({
            value,
            label: value === "off" ? t("unsubscribe.off") : t(`digest.${value}` as MessageKey),
          }))}
        />
        <button type="submit" className="button">
          {t("unsubscribe.save")}
        </button>
      </Form>
    </div>
  );
}
