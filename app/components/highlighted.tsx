import type { Segment } from "~/modules/search/page/highlight";

/**
 * Text as given, or search-highlighted segments as React elements: user text is never parsed as HTML. Unmarked
 * parts are plain text: a page of results has about a hundred of them, and a <span> each was a tenth of the
 * page's elements for React to render.
 */
export function Highlighted({ text }: { text: string | Segment[] }) {
  if (typeof text === "string") return <>{text}</>;
  return <>{text.map((segment, index) => (segment.mark ? <mark key={index}>{segment.text}</mark> : segment.text))}</>;
}
