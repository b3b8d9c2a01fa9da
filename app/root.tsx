import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useRouteError,
} from "@remix-run/react";
import { useEffect, useRef } from "react";
import stylesUrl from "~/styles.css?url";
import { useNonce } from "~/components/nonce";
import { useRootData, useT, type RootData } from "~/components/i18n";
import { currentUser, requestLocale } from "~/modules/accounts/session.server";
import { env } from "~/lib/env.server";
import { isDevMailboxActive } from "~/modules/mail/mail.server";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesUrl },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

// Pages without a title of their own are named after the app.
export const meta: MetaFunction = () => [{ title: "NextLeipzig" }];

export async function loader({ request }: LoaderFunctionArgs): Promise<RootData> {
  const [user, locale] = await Promise.all([currentUser(request), requestLocale(request)]);
  return {
    locale,
    user: user ? { id: user.id, displayName: user.display_name, isAdmin: user.is_admin } : null,
    // The mailbox is linked only in development; in production it still answers at /dev/mail while no
    // RESEND_API_KEY is set, but a visitor is not invited there.
    devMailbox: isDevMailboxActive() && env().NODE_ENV === "development",
    appUrl: env().APP_URL,
  };
}

export function Layout({ children }: { children: React.ReactNode }) {
  const { locale } = useRootData();
  const nonce = useNonce();
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

function LanguageSwitcher() {
  const { locale } = useRootData();
  const t = useT();
  const location = useLocation();
  const other = locale === "de" ? "en" : "de";
  return (
    <Form method="post" action="/lang" className="lang-switch">
      <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
      <button type="submit" name="lang" value={other} lang={other} aria-label={`${t("lang.switch")}: ${t(`lang.${other}`)}`}>
        {other === "en" ? "EN" : "DE"}
      </button>
    </Form>
  );
}

function NavLinks() {
  const { user, devMailbox } = useRootData();
  const t = useT();
  return (
    <>
      <NavLink to="/search">{t("nav.search")}</NavLink>
      {user ? (
        <>
          <NavLink to="/matches">{t("nav.matches")}</NavLink>
          <NavLink to="/posts/new">{t("nav.newPost")}</NavLink>
          <NavLink to="/inbox">{t("nav.inbox")}</NavLink>
          <NavLink to="/profile">{t("nav.profile")}</NavLink>
          {user.isAdmin ? <NavLink to="/admin">{t("nav.admin")}</NavLink> : null}
        </>
      ) : null}
      {devMailbox ? <NavLink to="/dev/mail">/dev/mail</NavLink> : null}
    </>
  );
}

function SignInOrOut() {
  const { user } = useRootData();
  const t = useT();
  return user ? (
    <Form method="post" action="/logout">
      <button type="submit" className="button-link">
        {t("nav.signOut")}
      </button>
    </Form>
  ) : (
    <Link to="/login" className="button small">
      {t("nav.signIn")}
    </Link>
  );
}

/**
 * Wide screens show the navigation in a row. Narrow ones show the brand, the language switch and a "Menü"
 * disclosure (<details>, so it opens without JavaScript); only one of the two is displayed at a time.
 */
function Header() {
  const t = useT();
  const menu = useRef<HTMLDetailsElement>(null);
  const location = useLocation();
  useEffect(() => {
    if (menu.current) menu.current.open = false;
  }, [location.pathname, location.search]);
  return (
    <header className="site-header">
      <a className="skip-link" href="#main">
        {t("nav.skipToContent")}
      </a>
      <div className="header-inner">
        <Link to="/" className="brand">
          <span className="brand-mark" aria-hidden="true">
            ◆
          </span>{" "}
          NextLeipzig
        </Link>
        <nav aria-label={t("nav.main")} className="main-nav wide-only">
          <NavLinks />
        </nav>
        <div className="header-actions wide-only">
          <LanguageSwitcher />
          <SignInOrOut />
        </div>
        <div className="header-actions narrow-only">
          <LanguageSwitcher />
          <details className="nav-menu" ref={menu}>
            <summary>{t("nav.menu")}</summary>
            <nav aria-label={t("nav.main")} className="menu-panel">
              <NavLinks />
              <SignInOrOut />
            </nav>
          </details>
        </div>
      </div>
    </header>
  );
}

function Footer() {
  const t = useT();
  return (
    <footer className="site-footer">
      <nav aria-label="Footer">
        <Link to="/about">{t("footer.about")}</Link>
        <Link to="/privacy">{t("footer.privacy")}</Link>
        <Link to="/stats">{t("footer.stats")}</Link>
        <a href="/feeds/posts.json">{t("footer.feeds")}</a>
      </nav>
      <p className="attribution" lang="en">
        {t("footer.esco")}
      </p>
    </footer>
  );
}

export default function App() {
  return (
    <>
      <Header />
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
      <Footer />
    </>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const t = useT();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const message =
    status === 404
      ? t("error.notFound")
      : status === 403
        ? t("error.forbidden")
        : status === 413
          ? t("error.tooLarge")
          : t("error.generic");
  return (
    <>
      <Header />
      <main id="main" className="narrow">
        <h1>{t("error.title")}</h1>
        <p className="lead">{message}</p>
        <p>
          <Link to="/">{t("error.home")}</Link>
        </p>
      </main>
      <Footer />
    </>
  );
}
