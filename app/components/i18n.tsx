import { useRouteLoaderData } from "@remix-run/react";
import { translator, type Locale, type Translate } from "~/lib/i18n";

export type RootData = {
  locale: Locale;
  user: { id: string; displayName: string | null; isAdmin: boolean } | null;
  devMailbox: boolean;
  /** the public base URL, for absolute links in Open Graph tags */
  appUrl: string;
};

export function useRootData(): RootData {
  const data = useRouteLoaderData("root") as RootData | undefined;
  return data ?? { locale: "de", user: null, devMailbox: false, appUrl: "http://localhost:3000" };
}

export function useLocale(): Locale {
  return useRootData().locale;
}

export function useT(): Translate {
  return translator(useLocale());
}
