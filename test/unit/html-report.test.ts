import { describe, expect, it } from "vitest";
import type { Finding } from "../../src/engine/finding";
import { escapeHtml, htmlReport } from "../../src/report/html";
import { type AuditReport, summarize } from "../../src/report/report";

const EVIL = `<script>alert(1)</script><img src=x onerror=alert(2)>"'&\u0007\u001b[2J\u202e`;
const INERT =
  "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&quot;&#39;&amp;\\x07\\x1b[2J\\u202e";

function finding(over: Partial<Finding>): Finding {
  return {
    ruleId: "privileged-container",
    severity: "critical",
    message: "runs privileged",
    file: "a.yaml",
    line: 2,
    column: 1,
    object: "Pod p",
    references: {},
    resourceIndex: 0,
    ...over,
  };
}

function report(findings: Finding[], extra: Partial<AuditReport> = {}): AuditReport {
  const errors = [{ file: EVIL, message: EVIL, line: 1, column: 1 }];
  return {
    findings,
    errors,
    rules: [],
    files: [],
    summary: summarize({
      findings,
      errors,
      filesAudited: 2,
      filesSkipped: 0,
      profile: "default",
      minSeverity: "info",
      notAudited: [{ apiVersion: "x/v1", kind: EVIL }],
    }),
    ...extra,
  };
}

describe("html report", () => {
  it("escapes every untrusted string: file, object, message, source, reason, error, kind", () => {
    const html = htmlReport(
      report([finding({ file: EVIL, object: EVIL, message: EVIL, line: 1 })], {
        title: EVIL,
        sources: new Map([[EVIL, `${EVIL}\nsecond`]]),
        suppressions: [
          {
            ruleIds: ["host-ports"],
            reason: EVIL,
            form: "annotation",
            object: EVIL,
            file: EVIL,
            line: 1,
            column: 1,
          },
        ],
      }),
    );
    expect(html).not.toMatch(/<script|<img/i);
    for (const raw of ["\u001b", "\u202e", "\u0007"]) expect(html).not.toContain(raw);
    // title ×2, file heading, object, message, source line, suppression object/file/reason,
    // error file/message, not-audited kind (the summary line names it too)
    expect(html.split(INERT).length - 1).toBeGreaterThanOrEqual(12);
  });

  it("groups by file, then by rule most severe first, with the quoted lines", () => {
    const html = htmlReport(
      report(
        [
          finding({ ruleId: "memory-limits", severity: "medium", line: 3 }),
          finding({ line: 2 }),
          finding({ file: "b.yaml", line: 9 }),
        ],
        { sources: new Map([["a.yaml", "one\ntwo\nthree\nfour\n"]]) },
      ),
    );
    const a = html.indexOf("<h3>a.yaml</h3>");
    const b = html.indexOf("<h3>b.yaml</h3>");
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(a);
    const critical = html.indexOf("privileged-container</a>", a);
    const medium = html.indexOf("memory-limits</a>", a);
    expect(critical).toBeGreaterThan(a);
    expect(medium).toBeGreaterThan(critical);
    expect(html).toContain('<span class="hit"><span class="ln">2</span>two</span>');
    expect(html).toContain('<span><span class="ln">1</span>one</span>');
    // No text for b.yaml: no excerpt, no invented line.
    expect(html.slice(b)).not.toContain('<pre class="source">');
    expect(html).toMatch(/href="[^"]*RULES\.md#memory-limits"/);
  });

  it("escapeHtml covers the five special characters", () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;",
    );
  });
});
