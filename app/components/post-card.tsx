import { Link } from "@remix-run/react";
import { useLocale, useT } from "./i18n";
import { formatDate } from "~/lib/i18n";
import type { MessageKey } from "~/lib/i18n";
import type { ImageView } from "~/modules/images/types";
import { CategoryIllustration } from "./category-illustration";
import { Highlighted } from "./highlighted";
import { Picture } from "./picture";
import type { Segment } from "~/modules/search/page/highlight";

/**
 * The one card for a post, wherever posts are listed (home, search, skill pages, a person's page). Title, skill
 * labels and snippet are plain text, or highlighted segments on the search page.
 */
export type PostCardData = {
  id: string;
  kind: "offer" | "need";
  title: string | Segment[];
  category: string;
  district: string | null;
  is_remote: boolean;
  exchange_mode: string;
  created_at: string | Date;
  is_demo?: boolean;
  author_id?: string;
  author_name?: string | null;
  skills: SkillTagData[];
  /** a line of the description (search: around the words found) */
  snippet?: string | Segment[];
  /** search: the related skill this post was found through ("verwandt mit Zimmerei") */
  relatedTo?: string | null;
  /** the first photo; undefined where a list does not load covers, null where the post has none */
  cover?: ImageView | null;
};

export type SkillTagData = { id: string; slug: string; label: string | Segment[] };

/** The card's picture: the cover photo, or the category's drawing. Cards sit in one column up to 40rem wide. */
export function CardMedia({ cover, category }: { cover: ImageView | null; category: string }) {
  return (
    <div className={`card-media${cover ? "" : " illustration"}`}>
      {cover ? (
        <Picture image={cover} sizes="(max-width: 40rem) 100vw, 40rem" alt="" />
      ) : (
        <CategoryIllustration category={category} className="illustration-band" />
      )}
    </div>
  );
}

export function PlaceLabel({ district, isRemote }: { district: string | null; isRemote: boolean }) {
  const t = useT();
  if (district === "elsewhere") return <>{t("common.elsewhere")}</>;
  if (district) return <>{district}</>;
  return <>{isRemote ? t("common.remote") : ""}</>;
}

export function SkillTags({ skills }: { skills: SkillTagData[] }) {
  if (skills.length === 0) return null;
  return (
    <ul className="tags">
      {skills.map((skill) => (
        <li key={skill.id}>
          <Link to={`/skills/${skill.slug}`} className="tag">
            <Highlighted text={skill.label} />
          </Link>
        </li>
      ))}
    </ul>
  );
}

export function PostCard({ post, children }: { post: PostCardData; children?: React.ReactNode }) {
  const t = useT();
  const locale = useLocale();
  return (
    <article className={`card post-card kind-${post.kind}${post.cover !== undefined ? " has-media" : ""}`}>
      {post.cover !== undefined ? <CardMedia cover={post.cover} category={post.category} /> : null}
      <p className="eyebrow">
        <span className={`badge kind-${post.kind}`}>{t(`kind.${post.kind}` as MessageKey)}</span>
        <span>{t(`category.${post.category}` as MessageKey)}</span>
        {post.is_demo ? (
          <span className="badge demo" title={t("common.demoHint")}>
            {t("common.demo")}
          </span>
        ) : null}
      </p>
      <h3>
        <Link to={`/posts/${post.id}`}>
          <Highlighted text={post.title} />
        </Link>
      </h3>
      {post.snippet?.length ? (
        <p>
          <Highlighted text={post.snippet} />
        </p>
      ) : null}
      <SkillTags skills={post.skills} />
      {post.relatedTo ? <p className="meta related">{t("search.relatedTo", { skill: post.relatedTo })}</p> : null}
      <p className="meta">
        <PlaceLabel district={post.district} isRemote={post.is_remote} /> · {t(`exchange.${post.exchange_mode}` as MessageKey)} ·{" "}
        <time dateTime={new Date(post.created_at).toISOString()}>{formatDate(locale, post.created_at)}</time>
        {post.author_name ? (
          <>
            {" · "}
            {post.author_id ? (
              <Link to={`/people/${post.author_id}`}>{t("post.by", { name: post.author_name })}</Link>
            ) : (
              t("post.by", { name: post.author_name })
            )}
          </>
        ) : null}
      </p>
      {children}
    </article>
  );
}
