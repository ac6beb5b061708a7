/**
 * Precise references: every id a rule cites is a real check of that peer (the list in
 * src/rules/peer-checks.ts, written from the peers' catalogs), and every finding cites only
 * checks it answers — a subset of its rule's, of its object's platform, and per scope where a
 * rule covers several checks.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { audit } from "../../src/engine/audit";
import type { Finding } from "../../src/engine/finding";
import type { Resource } from "../../src/model";
import { allRules, ruleById } from "../../src/rules/catalog";
import { PEER_CHECKS } from "../../src/rules/peer-checks";
import { REFERENCE_FRAMEWORKS } from "../../src/rules/rule";
import { loadComposeFile } from "../../src/sources/compose-file";
import { loadDockerfile } from "../../src/sources/dockerfile-file";
import { loadKubernetesFile } from "../../src/sources/kubernetes-file";

const FIXTURES = join(__dirname, "../fixtures");

/** Every fixture file the rule tests use, loaded with the loader of its format. */
function allFixtureResources(): Resource[] {
  const out: Resource[] = [];
  for (const entry of readdirSync(FIXTURES, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath, entry.name);
    if (file.includes("/cli/") || file.includes("/programs/") || file.includes("/input/")) continue;
    const text = readFileSync(file, "utf8");
    if (entry.name.endsWith("Dockerfile")) out.push(...loadDockerfile(file, text).resources);
    else if (/compose\.ya?ml$/.test(entry.name)) out.push(...loadComposeFile(file, text).resources);
    else if (/\.ya?ml$/.test(entry.name) && !file.includes("/docker/")) {
      out.push(...loadKubernetesFile(file, text).resources);
    }
  }
  return out;
}

describe("references", () => {
  it("cite only ids the peers' catalogs contain", () => {
    const missing: string[] = [];
    for (const rule of allRules) {
      for (const f of REFERENCE_FRAMEWORKS) {
        for (const id of rule.references[f] ?? []) {
          if (!PEER_CHECKS[f][id]) missing.push(`${rule.id}: ${f} ${id}`);
        }
      }
      for (const d of rule.differences ?? []) {
        if (!PEER_CHECKS[d.framework][d.id]) missing.push(`${rule.id}: differs from ${d.framework} ${d.id}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("give each finding on the fixtures a subset of its rule's references", () => {
    const findings = audit(allFixtureResources());
    expect(findings.length).toBeGreaterThan(300);
    const wider: string[] = [];
    for (const f of findings) {
      const rule = ruleById(f.ruleId);
      for (const fw of REFERENCE_FRAMEWORKS) {
        for (const id of f.references[fw] ?? []) {
          if (!rule?.references[fw]?.includes(id))
            wider.push(`${f.ruleId} ${fw} ${id} at ${f.file}:${f.line}`);
        }
      }
    }
    expect(wider).toEqual([]);
  });
});

/** `line framework:id,…` for each finding of a rule, in line order. */
function cited(findings: Finding[], framework: keyof Finding["references"]): string[] {
  return findings.map((f) => `${f.line} ${(f.references[framework] ?? []).join(",")}`);
}

describe("each finding cites the checks of its scope", () => {
  it("host-namespaces: the check of each namespace, and Compose queries on Compose only", () => {
    const pod = loadKubernetesFile(
      "pod.yaml",
      "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostNetwork: true\n  hostPID: true\n  hostIPC: true\n  containers: [{name: a, image: x:1}]\n",
    );
    const k8s = audit(pod.resources, { only: ["host-namespaces"] });
    expect(cited(k8s, "kubeLinter")).toEqual(["5 host-network", "6 host-pid", "7 host-ipc"]);
    expect(cited(k8s, "checkov")).toEqual(["5 CKV_K8S_19", "6 CKV_K8S_17", "7 CKV_K8S_18"]);
    expect(cited(k8s, "polaris")).toEqual(["5 hostNetworkSet", "6 hostPIDSet", "7 hostIPCSet"]);
    // Docker's benchmark and KICS' Compose queries do not look at pods.
    expect(k8s.every((f) => f.references.cis === undefined && f.references.kics === undefined)).toBe(true);
    const compose = loadComposeFile(
      "compose.yaml",
      "services:\n  a:\n    image: x:1\n    network_mode: host\n    pid: host\n",
    );
    const docker = audit(compose.resources, { only: ["host-namespaces"] });
    expect(docker.map((f) => f.references)).toEqual([
      { pss: ["hostNamespaces"], cis: ["5.10"], kics: ["071a71ff-f868-47a4-ac0b-3c59e4ab5443"] },
      { pss: ["hostNamespaces"], cis: ["5.16"], kics: ["4f31dd9f-2cc3-4751-9b53-67e4af83dac0"] },
    ]);
  });

  it("cluster-admin-binding: Polaris' check of the binding's kind; a same-powers role cites none", () => {
    const text = readFileSync(join(FIXTURES, "kubernetes/rules/cluster-admin-binding/fail.yaml"), "utf8");
    const found = audit(loadKubernetesFile("fail.yaml", text).resources, { only: ["cluster-admin-binding"] });
    expect(found.map((f) => f.references.polaris ?? [])).toEqual([
      ["clusterrolebindingClusterAdmin"],
      ["rolebindingClusterAdminClusterRole"],
      [],
    ]);
  });

  it("dockerfile-tls-verification: the Checkov check of each tool or variable", () => {
    const text = [
      "FROM debian:12",
      "ENV NODE_TLS_REJECT_UNAUTHORIZED=0",
      "RUN curl -k https://example.com/x.sh | sh",
      "RUN wget --no-check-certificate https://example.com/y",
      "RUN python3 -m pip install --trusted-host pypi.example.com app",
      "ENV GOINSECURE=example.com",
      "",
    ].join("\n");
    const found = audit(loadDockerfile("Dockerfile", text).resources, {
      only: ["dockerfile-tls-verification"],
    });
    expect(cited(found, "checkov")).toEqual([
      "2 CKV2_DOCKER_6",
      "3 CKV2_DOCKER_2",
      "4 CKV2_DOCKER_3",
      "5 CKV2_DOCKER_4",
      "6 CKV2_DOCKER_18",
    ]);
  });

  it("dockerfile-unsigned-packages: the Checkov check of each option", () => {
    const text = [
      "FROM debian:12",
      "RUN apt-get install -y --force-yes curl",
      "RUN yum install -y --nogpgcheck curl",
      "RUN apk add --allow-untrusted curl",
      "",
    ].join("\n");
    const found = audit(loadDockerfile("Dockerfile", text).resources, {
      only: ["dockerfile-unsigned-packages"],
    });
    expect(cited(found, "checkov")).toEqual(["2 CKV2_DOCKER_11", "3 CKV2_DOCKER_9", "4 CKV2_DOCKER_7"]);
  });

  it("dockerfile rules cite the KICS queries they answer", () => {
    const text = [
      "FROM debian",
      "RUN apt-get update",
      "ADD app.tar.gz /srv/",
      "EXPOSE 22",
      "USER root",
      "",
    ].join("\n");
    const found = audit(loadDockerfile("Dockerfile", text).resources, {
      only: [
        "dockerfile-base-image-tag",
        "dockerfile-update-alone",
        "dockerfile-healthcheck",
        "dockerfile-expose-ssh",
        "dockerfile-non-root-user",
      ],
    });
    expect(found.map((f) => `${f.ruleId} ${(f.references.kics ?? []).join(",")}`).sort()).toEqual([
      "dockerfile-base-image-tag 9efb0b2d-89c9-41a3-91ca-dcc0aec911fd",
      "dockerfile-expose-ssh 5907595b-5b6d-4142-b173-dbb0e73fbff8",
      "dockerfile-healthcheck b03a748a-542d-44f4-bb86-9199ab4fd2d5",
      "dockerfile-non-root-user 67fd0c4a-68cf-46d7-8c41-bc9fba7e40ae",
      "dockerfile-update-alone 9bae49be-0aa3-4de5-bab2-4c3a069e40cd",
    ]);
    const root = found.find((f) => f.ruleId === "dockerfile-non-root-user");
    expect(root?.references).toEqual({
      cis: ["4.1"],
      checkov: ["CKV_DOCKER_8"],
      hadolint: ["DL3002"],
      kics: ["67fd0c4a-68cf-46d7-8c41-bc9fba7e40ae"],
    });
  });
});
