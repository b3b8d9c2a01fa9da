import { Link } from "@remix-run/react";
import { useLocale, useT } from "./i18n";
import { formatDate, type MessageKey } from "~/lib/i18n";
import { Avatar } from "./avatar";

export type MatchCardData = {
  href: string;
  title: string;
  /** the other side's kind: an offer, a need, or a person */
  kind: "offer" | "need" | "person";
  mutual: boolean;
  isNew?: boolean;
  reasonText: string;
  author?: { id: string; name: string | null; role: string | null } | null;
  createdAt?: string | Date | null;
  /** a line about my side ("für deinen Beitrag …") */
  context?: string;
};

/** One match: what it is, who wrote it (name, role), when, and in plain words why it fits. */
export function MatchCard({ match, headingLevel = 3 }: { match: MatchCardData; headingLevel?: 2 | 3 }) {
  const t = useT();
  const locale = useLocale();
  const Heading = headingLevel === 2 ? "h2" : "h3";
  const side = match.kind === "person" ? "offer" : match.kind;
  const kindLabel = match.kind === "person" ? t("matching.person") : t(`kind.${match.kind}` as MessageKey);
  return (
    <article className={`card post-card match-card kind-${side}`}>
      <p className="eyebrow">
        <span className={`badge kind-${side}`}>{kindLabel}</span>
        {match.mutual ? (
          <span className="badge" title={t("matching.mutualHint")}>
            {t("matching.mutual")}
          </span>
        ) : null}
        {match.isNew ? <span className="badge new">{t("matching.new")}</span> : null}
      </p>
      <Heading>
        <Link to={match.href}>{match.title}</Link>
      </Heading>
      {match.author?.name || match.createdAt ? (
        <p className="meta byline">
          {match.author?.name ? (
            <>
              <Avatar name={match.author.name} seed={match.author.id} size={24} />{" "}
              <Link to={`/people/${match.author.id}`}>{match.author.name}</Link>
              {match.author.role ? <> ({t(`role.${match.author.role}` as MessageKey)})</> : null}
            </>
          ) : null}
          {match.author?.name && match.createdAt ? " · " : null}
          {match.createdAt ? <time dateTime={new Date(match.createdAt).toISOString()}>{formatDate(locale, match.createdAt)}</time> : null}
        </p>
      ) : null}
      {match.context ? <p className="meta">{match.context}</p> : null}
      {match.reasonText ? (
        <p className="reason">
          <span className="visually-hidden">{t("matching.reasonLabel")}: </span>
          {match.reasonText}
        </p>
      ) : null}
    </article>
  );
}
