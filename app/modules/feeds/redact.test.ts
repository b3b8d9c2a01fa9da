import { describe, expect, it } from "vitest";
import { redactEmailAddresses } from "./redact";

describe("redactEmailAddresses", () => {
  it("removes addresses wherever they stand and keeps the punctuation around them", () => {
    expect(redactEmailAddresses("Schreib an ada@example.org!")).toBe("Schreib an […]!");
    expect(redactEmailAddresses("(info@verein-leipzig.de), kontakt+lehm@mail.co.uk.")).toBe("([…]), […].");
    expect(redactEmailAddresses("Mail: Jörg.Müller@straße.de")).toBe("Mail: […]");
  });

  it("leaves text without addresses alone", () => {
    const text = "Treffen um 18 Uhr @ Westwerk, siehe https://example.org/@verein und 3 @ 5 €";
    expect(redactEmailAddresses(text)).toBe(text);
  });
});
