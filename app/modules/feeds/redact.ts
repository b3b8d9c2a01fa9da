/**
 * People sometimes type their email address into a post. The page shows what they wrote, but a feed is
 * copied in bulk and kept elsewhere, so addresses never leave through it.
 */
const EMAIL_ADDRESS = /[^\s@<>()[\]"',;:/]+@[^\s@<>()[\]"',;:/]+\.\p{L}{2,}/gu;
/** Replaces every email address in the text with "[…]". */
export function redactEmailAddresses(text: string): string {
  return text.replace(EMAIL_ADDRESS, "[…]");
}
