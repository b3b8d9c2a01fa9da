const URL_PATTERN = /(https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]])/g;

/** Plain text with its line breaks (CSS pre-line) and clickable http(s) links; never interpreted as HTML. */
export function LinkifiedText({ text, className, sameTab = false }: { text: string; className?: string; sameTab?: boolean }) {
  const parts = text.split(URL_PATTERN);
  return (
    <div className={`plain-text ${className ?? ""}`}>
      {parts.map((part, index) =>
        index % 2 === 1 ? (
          <a key={index} href={part} {...(sameTab ? {} : { rel: "nofollow noopener noreferrer ugc", target: "_blank" })}>
            {part}
          </a>
        ) : (
          part
        ),
      )}
    </div>
  );
}
