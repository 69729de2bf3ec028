/** Reading login forms from HTML: the form holding the password field, its action, method and inputs. */
import { describe, expect, test } from "vitest";
import { findLoginForm } from "./login-form.ts";

describe("findLoginForm", () => {
  test("finds the form with the password field, resolving its action and keeping hidden inputs", () => {
    const html = `<form action="/search"><input name="q"></form>
      <form method='POST' action="login?x=1"><input type=hidden name=returnUrl value="/cb?a=1&amp;b=2">
      <input name="username"><input type="password" name="password"></form>`;
    expect(findLoginForm(html, "https://idp.example/login?returnUrl=x", "password")).toEqual({
      action: "https://idp.example/login?x=1",
      method: "POST",
      inputs: [
        ["returnUrl", "/cb?a=1&b=2"],
        ["username", ""],
        ["password", ""],
      ],
    });
  });

  test("finds nothing on a page without the password field (an error page or a single-page app)", () => {
    expect(
      findLoginForm(
        "<h1>Invalid request</h1><form><input name=q></form>",
        "https://idp.example/",
        "password",
      ),
    ).toBeUndefined();
  });
});
