import { describe, expect, it } from "vitest";
import { parseImageRef } from "../../src/model";
import { canonicalImage, matchesImageGlob, namedImage, sameImage } from "../../src/policy/image-identity";

const DIGEST = `sha256:${"e".repeat(64)}`;
const ref = (raw: string) => {
  const r = parseImageRef(raw);
  if (!r) throw new Error(`test image ${raw} does not parse`);
  return r;
};

describe("image identity for scan and signature evidence", () => {
  it("spells out Docker Hub's registry, library path and latest tag", () => {
    expect(canonicalImage(ref("nginx"))).toBe("docker.io/library/nginx:latest");
    expect(canonicalImage(ref("bitnami/redis:7"))).toBe("docker.io/bitnami/redis:7");
    expect(canonicalImage(ref(`registry.example.com:5000/a/b@${DIGEST}`))).toBe(
      `registry.example.com:5000/a/b@${DIGEST}`,
    );
  });

  it("reads a bare digest as a digest, not as repository sha256", () => {
    expect(namedImage(DIGEST)).toEqual({ digest: DIGEST });
    expect(namedImage(` ${DIGEST.toUpperCase().replace("SHA256", "sha256")} `)).toEqual({ digest: DIGEST });
    expect(namedImage("not an image")).toBeUndefined();
  });

  it("compares by digest when both have one, else by full reference; a tag never stands for a digest", () => {
    const evidence = (s: string) => namedImage(s) ?? { digest: "none" };
    expect(sameImage(ref(`a.io/x@${DIGEST}`), evidence(`b.io/y:1@${DIGEST}`))).toBe(true);
    expect(sameImage(ref(`a.io/x:1@${DIGEST}`), evidence(DIGEST))).toBe(true);
    expect(sameImage(ref("a.io/x:1"), evidence(DIGEST))).toBe(false);
    expect(sameImage(ref("a.io/x:1"), evidence(`a.io/x:1@${DIGEST}`))).toBe(false);
    expect(sameImage(ref("nginx"), evidence("docker.io/library/nginx:latest"))).toBe(true);
    expect(sameImage(ref("a.io/x:1"), evidence("a.io/x:2"))).toBe(false);
  });

  it("matches verifiedImages globs against the reference as written or canonical", () => {
    expect(
      matchesImageGlob(ref(`registry.example.com/shop/web@${DIGEST}`), ["registry.example.com/shop/*"]),
    ).toBe("registry.example.com/shop/*");
    expect(matchesImageGlob(ref("redis:7"), ["docker.io/library/redis:*"])).toBe("docker.io/library/redis:*");
    expect(
      matchesImageGlob(ref("registry.example.com/shop-evil/web:1"), ["registry.example.com/shop/*"]),
    ).toBe(undefined);
  });
});
