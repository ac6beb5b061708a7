import { describe, expect, it } from "vitest";
import { dockerRules } from "../../../src/rules/docker";
import { loadDockerfile } from "../../../src/sources/dockerfile-file";
import { findingsAt, loadFixture } from "./fixtures";

const buildRules = dockerRules.filter((r) => r.targets.includes("build"));

describe("Dockerfile rules on fixture files", () => {
  it("find each violation of bad.Dockerfile at its line", () => {
    const found = findingsAt(loadFixture("dockerfile/bad.Dockerfile", loadDockerfile), buildRules);
    expect(found).toEqual([
      "dockerfile-base-image-digest@2",
      "dockerfile-base-image-tag@2",
      "dockerfile-secrets-in-env@3",
      "dockerfile-sudo@4",
      "dockerfile-update-alone@4",
      "dockerfile-update-alone@5",
      "dockerfile-tls-verification@6",
      "dockerfile-unsigned-packages@6",
      "dockerfile-tls-verification@7",
      "dockerfile-tls-verification@8",
      "dockerfile-chpasswd@9",
      "dockerfile-base-image-digest@11",
      "dockerfile-base-image-tag@11",
      "dockerfile-secrets-in-env@12",
      "dockerfile-copy-not-add@13",
      "dockerfile-copy-not-add@14",
      "dockerfile-unsigned-packages@15",
      "dockerfile-expose-ssh@16",
      "dockerfile-healthcheck@17",
      "dockerfile-non-root-user@18",
    ]);
  });

  it("every Dockerfile rule fails in bad.Dockerfile", () => {
    const found = new Set(
      findingsAt(loadFixture("dockerfile/bad.Dockerfile", loadDockerfile), buildRules).map(
        (f) => f.split("@")[0],
      ),
    );
    expect(buildRules.map((r) => r.id).filter((id) => !found.has(id))).toEqual([]);
  });

  it("find nothing in good.Dockerfile (stage inheritance, ARG-resolved digest, verified ADD)", () => {
    expect(findingsAt(loadFixture("dockerfile/good.Dockerfile", loadDockerfile), buildRules)).toEqual([]);
  });
});
