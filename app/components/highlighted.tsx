import type { Segment } from "~/modules/search/page/highlight";

/** Text as given, or search-highlighted segments as React elements: user text is never parsed as HTML. */
export function Highlighted({ text }: { text: string | Segment[] }) {
  if (typeof text === "string") return <>{text}</>;
  return (
    <>
      {text.map((segment, index) => (segment.mark ? <mark key={index}>{segment.text}</mark> : <span key={index}>{segment.text}</span>))}
    </>
  );
}
