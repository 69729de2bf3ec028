/** The flow's cookie jar: cookies go back to the origin that set them, attributes are dropped. */
import { describe, expect, test } from "vitest";
import { CookieJar } from "./cookies.ts";

describe("CookieJar", () => {
  test("keeps name=value per origin, splitting joined set-cookie headers but not Expires dates", () => {
    const jar = new CookieJar();
    jar.store("https://idp.example", "a=1; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT, b=2; HttpOnly");
    jar.store("https://idp.example", "a=3");
    expect(jar.header("https://idp.example")).toBe("a=3; b=2");
    expect(jar.header("https://other.example")).toBeUndefined();
  });
});
