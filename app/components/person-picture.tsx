import type { ImageView } from "~/modules/images/types";
import { Avatar } from "./avatar";
import { useT } from "./i18n";
import { Picture } from "./picture";

/** A person's portrait in a round frame of a fixed size, or their generated initials where they have none. */
export function PersonPicture({
  portrait,
  name,
  seed,
  size,
  eager = false,
}: {
  portrait?: ImageView | null;
  name: string;
  seed: string;
  size: number;
  eager?: boolean;
}) {
  const t = useT();
  if (!portrait) return <Avatar name={name} seed={seed} size={size} />;
  // a square box of `size` px: the photo is cropped to it (object-fit), so its own aspect ratio cannot shift the layout
  return (
    <span className="portrait-frame" style={{ width: size, height: size }}>
      <Picture
        image={{ ...portrait, width: size, height: size }}
        sizes={`${size}px`}
        className="portrait"
        eager={eager}
        alt={t("images.portraitAlt", { name })}
      />
    </span>
  );
}
