import { describe, expect, it } from "vitest";
import { externalFetches, stripAnalytics } from "./allure-generate.ts";

// The tail of the page the awesome plugin writes (allure 3.18), analytics included.
const PAGE = `<html><head><link rel="icon" href="data:image/svg+xml,%3Csvg%3E"></head><body>
<script src="data:text/javascript;base64,AAAA"></script>
<script async src="https://www.googletagmanager.com/gtag/js?id=G-LNDJ3J7WT0"></script>
<script>
    window.dataLayer = window.dataLayer || [];
    function gtag(){dataLayer.push(arguments);}
    gtag('js', new Date());
    gtag('config', 'G-LNDJ3J7WT0', { "reportUuid": "1234" });
</script>
<script async>window.allureReportDataReady = false;</script>
<a href="https://allurereport.org">a link, not fetched</a>
</body></html>`;

describe("a self-contained report page", () => {
  it("loses the analytics tag and its configuration, and keeps everything else", () => {
    const html = stripAnalytics(PAGE);
    expect(html).not.toContain("googletagmanager");
    expect(html).not.toContain("gtag(");
    expect(html).not.toContain("G-LNDJ3J7WT0");
    expect(html).toContain("window.allureReportDataReady = false;");
    expect(html).toContain('<script src="data:text/javascript;base64,AAAA"></script>');
  });

  it("finds every external URL the markup fetches at load, and none in a page with inline data only", () => {
    expect(externalFetches(PAGE)).toEqual(["https://www.googletagmanager.com/gtag/js?id=G-LNDJ3J7WT0"]);
    expect(externalFetches(stripAnalytics(PAGE))).toEqual([]);
    expect(
      externalFetches(
        '<link rel="stylesheet" href="//cdn.example/a.css"><img src=\'https://x.example/p.png\'>' +
          "<style>@import 'https://fonts.example/f.css'; div { background: url(http://t.example/b.gif) }</style>",
      ),
    ).toEqual([
      "//cdn.example/a.css",
      "https://x.example/p.png",
      "https://fonts.example/f.css",
      "http://t.example/b.gif",
    ]);
  });
});
