import { describe, expect, it } from "vitest";
import { htmlToText } from "./html-to-text";

describe("htmlToText", () => {
  it("keeps the words and turns blocks and <br> into line breaks", () => {
    expect(htmlToText("<p>Hello <b>Ada</b></p><p>line<br>two</p>")).toBe("Hello Ada\nline\ntwo");
  });
  it("drops scripts, styles and attributes entirely", () => {
    expect(htmlToText('<script>alert(1)</script><img src=x onerror="alert(2)">ok')).toBe("ok");
    expect(htmlToText("<style>p{color:red}</style><div>x</div>")).toBe("x");
  });
  it("decodes entities once, so encoded markup stays text", () => {
    expect(htmlToText("&lt;script&gt;alert(1)&lt;/script&gt; &amp;amp; &#65;&#x42;")).toBe(
      "<script>alert(1)</script> &amp; AB",
    );
    expect(htmlToText("&bogus; &#0;")).toBe("&bogus; &#0;");
  });
});
