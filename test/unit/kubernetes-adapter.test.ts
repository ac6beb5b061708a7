import { describe, expect, it } from "vitest";
import { locate, type Workload } from "../../src/model";
import { loadKubernetesFile } from "../../src/sources/kubernetes-file";

const DEPLOYMENT = `# a comment that must survive
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  annotations:
    shipshape.io/suppress.some-rule: "the reason is long enough"
spec:
  replicas: 2
  template:
    metadata:
      labels: { app: web }
    spec:
      hostNetwork: true
      initContainers:
        - name: init
          image: busybox:1.36
      containers:
        - name: app
          image: registry.example.com/shop/web@sha256:${"a".repeat(64)}
          securityContext:
            privileged: true
            capabilities:
              add: [NET_ADMIN]
          resources:
            limits: { memory: 128Mi }
---
apiVersion: batch/v1
kind: CronJob
metadata: { name: nightly }
spec:
  schedule: "0 0 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
            - name: job
              image: busybox
`;

describe("Kubernetes adapter", () => {
  const file = loadKubernetesFile("deploy.yaml", DEPLOYMENT);

  it("maps every pod template to a workload with all container roles", () => {
    expect(file.errors).toEqual([]);
    expect(file.resources).toHaveLength(2);
    const web = file.resources[0] as Workload;
    expect(web.kind).toBe("workload");
    expect(web.sourceKind).toBe("Deployment");
    expect(web.namespace).toBe("shop");
    expect(web.hostNetwork).toBe(true);
    expect(web.containers.map((c) => [c.name, c.role])).toEqual([
      ["init", "init"],
      ["app", "container"],
    ]);
    const app = web.containers[1]!;
    expect(app.image?.registry).toBe("registry.example.com");
    expect(app.image?.digest).toMatch(/^sha256:/);
    expect(app.securityContext.capabilities?.add).toEqual(["NET_ADMIN"]);
    expect(app.resources.memoryLimit).toBe("128Mi");
    expect(web.suppressions).toEqual([
      expect.objectContaining({ ruleIds: ["some-rule"], form: "annotation" }),
    ]);
    const cron = file.resources[1] as Workload;
    expect(cron.sourceKind).toBe("CronJob");
    expect(cron.containers[0]?.image?.tag).toBeUndefined();
  });

  it("locates model paths at the source line and column", () => {
    const web = file.resources[0]!;
    expect(locate(web.origin, "containers.1.securityContext.privileged")).toMatchObject({
      line: 23,
      column: 13,
    });
    expect(locate(web.origin, "hostNetwork")).toMatchObject({ line: 15, column: 7 });
    expect(locate(web.origin, "containers.1.resources.memoryLimit")).toMatchObject({ line: 27, column: 23 });
    // A field that is absent falls back to its nearest present parent.
    expect(locate(web.origin, "containers.1.securityContext.runAsNonRoot")).toMatchObject({
      line: 22,
      column: 11,
    });
    expect(locate(web.origin, "annotations.shipshape.io/suppress.some-rule")).toMatchObject({ line: 8 });
    const cron = file.resources[1]!;
    expect(locate(cron.origin, "containers.0.image")).toMatchObject({ line: 40, column: 15 });
  });

  it("applies fixes through source paths and keeps comments", () => {
    const web = file.resources[0]!;
    const out = file.applyFixes?.(
      [
        {
          ruleId: "x",
          severity: "high",
          message: "",
          file: "deploy.yaml",
          line: 1,
          column: 1,
          object: "",
          references: {},
          resourceIndex: 0,
          fix: [
            { op: "set", path: "containers.1.securityContext.privileged", value: false },
            { op: "add-to-list", path: "containers.1.securityContext.capabilities.drop", value: "ALL" },
            { op: "set", path: "securityContext.runAsNonRoot", value: true },
          ],
        },
      ],
      0,
    );
    expect(web).toBeDefined();
    expect(out).toContain("# a comment that must survive");
    const again = loadKubernetesFile("deploy.yaml", out!);
    const fixed = again.resources[0] as Workload;
    expect(again.resources).toHaveLength(2);
    expect(fixed.containers[1]?.securityContext.privileged).toBe(false);
    expect(fixed.containers[1]?.securityContext.capabilities?.drop).toEqual(["ALL"]);
    expect(fixed.securityContext.runAsNonRoot).toBe(true);
  });

  it("reports bad documents per document with a position", () => {
    const bad = loadKubernetesFile("bad.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec: [1]\n");
    expect(bad.errors).toEqual([
      expect.objectContaining({
        file: "bad.yaml",
        line: 4,
        column: 1,
        message: 'Pod "x" is invalid, not audited: spec: expected a mapping, got a list',
      }),
    ]);
    const broken = loadKubernetesFile("broken.yaml", "a: [1, 2\nb: c\n");
    expect(broken.errors[0]).toMatchObject({ file: "broken.yaml", line: expect.any(Number) });
    const bomb = ["a: &a [x,x,x,x,x,x,x,x,x,x]"];
    for (let i = 0; i < 9; i++)
      bomb.push(
        `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(97 + i)}`)
          .join(",")}]`,
      );
    const bombed = loadKubernetesFile("bomb.yaml", `${bomb.join("\n")}\n`);
    expect(bombed.errors[0]?.message).toMatch(/billion laughs/);
    const deep = loadKubernetesFile("deep.yaml", `${"[".repeat(100_000)}${"]".repeat(100_000)}`);
    expect(deep.errors[0]?.message).toMatch(/nests/);
  });
});
