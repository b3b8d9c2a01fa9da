import { Link } from "@remix-run/react";
import { formatDate, type MessageKey } from "~/lib/i18n";
import { useLocale, useT } from "./i18n";
import type { ImageView } from "~/modules/images/types";
import { PersonPicture } from "./person-picture";
import { Picture } from "./picture";
import { PlaceLabel } from "./post-card";

/** What a match card shows (the loader's JSON of a MatchListItem). */
export type MatchCardData = {
  mine: { postId: string | null; title: string | null; side: "need" | "offer" };
  other: {
    kind: "post" | "person";
    id: string;
    title: string;
    path: string;
    side: "need" | "offer";
    userId: string;
    authorName: string | null;
    role: string | null;
    district: string | null;
    postedAt: string | Date | null;
  };
  alsoVia: { kind: "post" | "person"; id: string; title: string; path: string }[];
  mutual: boolean;
  isNew: boolean;
  reasonText: string;
  /** a post's cover or a person's portrait */
  picture?: ImageView | null;
};

/**
 * One counterpart: their best fitting post or profile, who they are (name, role, Ortsteil), when it was posted,
 * what fits, and the other ways they fit (their other posts, their profile).
 */
export function MatchCard({ match, showMine = false }: { match: MatchCardData; showMine?: boolean }) {
  const t = useT();
  const locale = useLocale();
  const { other } = match;
  const kindLabel = other.kind === "person" ? t("matching.person") : t(`kind.${other.side}` as MessageKey);
  return (
    <article className={`card post-card kind-${other.side}${match.picture || other.kind === "person" ? " with-thumb" : ""}`}>
      {match.picture && other.kind === "post" ? <Picture image={match.picture} sizes="6rem" className="match-thumb" alt="" /> : null}
      {/* a person: their portrait, or their initials on a colour where they have none */}
      {other.kind === "person" ? (
        <span className="match-thumb">
          <PersonPicture portrait={match.picture ?? null} name={other.title} seed={other.userId} size={64} />
        </span>
      ) : null}
      <p className="eyebrow">
        <span className={`badge kind-${other.side}`}>{kindLabel}</span>
        {match.mutual ? (
          <span className="badge" title={t("matching.mutualHint")}>
            {t("matching.mutual")}
          </span>
        ) : null}
        {match.isNew ? <span className="badge new">{t("matching.new")}</span> : null}
      </p>
      <h3>
        <Link to={other.path}>{other.title}</Link>
      </h3>
      <p className="meta byline">
        {other.kind === "post" && other.authorName ? (
          <>
            <PersonPicture name={other.authorName} seed={other.userId} size={24} />{" "}
            <Link to={`/people/${other.userId}`}>{other.authorName}</Link> ·{" "}
          </>
        ) : null}
        {other.role ? <>{t(`role.${other.role}` as MessageKey)} · </> : null}
        <PlaceLabel district={other.district} isRemote={false} />
        {other.postedAt ? (
          <>
            {" "}
            · <time dateTime={new Date(other.postedAt).toISOString()}>{formatDate(locale, other.postedAt)}</time>
          </>
        ) : null}
      </p>
      {match.reasonText ? (
        <p className="reason">
          <span className="visually-hidden">{t("matching.reasonLabel")}: </span>
          {match.reasonText}
        </p>
      ) : null}
      {match.alsoVia.length ? (
        <p className="meta">
          {t("matching.alsoVia")}{" "}
          {match.alsoVia.map((way, index) => (
            <span key={`${way.kind}-${way.id}`}>
              {index > 0 ? ", " : ""}
              <Link to={way.path}>{way.kind === "person" ? t("matching.theirProfile") : way.title}</Link>
            </span>
          ))}
        </p>
      ) : null}
      {showMine ? (
        <p className="meta">{match.mine.postId ? t("matching.forPost", { title: match.mine.title ?? "" }) : t("matching.forProfile")}</p>
      ) : null}
    </article>
  );
}
