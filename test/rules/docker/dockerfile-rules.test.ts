import { describe, expect, it } from "vitest";
import { dockerRules } from "../../../src/rules/docker";
import { loadDockerfile } from "../../../src/sources/dockerfile-file";
import { findingsAt } from "./fixtures";

const buildRules = dockerRules.filter((r) => r.targets.includes("build"));

/** Findings of one rule on an inline Dockerfile (a pinned FROM line is prepended as line 1). */
function found(ruleId: string, body: string): string[] {
  const text = `FROM alpine:3.20@sha256:${"a".repeat(64)}\n${body}\n`;
  const source = loadDockerfile("Dockerfile", text);
  expect(source.errors).toEqual([]);
  return findingsAt(
    source.resources,
    buildRules.filter((r) => r.id === ruleId),
  );
}

describe("Dockerfile rules on edge cases", () => {
  it("dockerfile-non-root-user follows USER through stages and treats uid 0 as root", () => {
    expect(
      found("dockerfile-non-root-user", "USER app\nFROM scratch AS x\nFROM alpine:3.20 AS base\nUSER 1000"),
    ).toEqual([]);
    expect(found("dockerfile-non-root-user", "RUN true")).toEqual(["dockerfile-non-root-user@1"]);
    expect(found("dockerfile-non-root-user", "USER app\nUSER 0:0")).toEqual(["dockerfile-non-root-user@3"]);
    expect(found("dockerfile-non-root-user", "USER app\nFROM alpine:3.20 AS two\nRUN true")).toEqual([
      "dockerfile-non-root-user@3",
    ]);
  });

  it("dockerfile-update-alone reads heredocs and accepts update with install", () => {
    expect(found("dockerfile-update-alone", "RUN <<EOF\napk update\nEOF")).toEqual([
      "dockerfile-update-alone@2",
    ]);
    expect(found("dockerfile-update-alone", "RUN apk update && apk add curl")).toEqual([]);
    expect(found("dockerfile-update-alone", "RUN apk add --update curl")).toEqual([]);
  });

  it("dockerfile-sudo sees exec form and is not fooled by similar names", () => {
    expect(found("dockerfile-sudo", 'RUN ["sudo", "ls"]')).toEqual(["dockerfile-sudo@2"]);
    expect(found("dockerfile-sudo", "RUN pseudo-tool && echo sudo")).toEqual([]);
  });

  it("dockerfile-tls-verification knows the package managers' switches", () => {
    for (const cmd of [
      "RUN npm config set strict-ssl false",
      "RUN yarn config set strict-ssl false",
      "RUN git config --global http.sslVerify false",
      "RUN yum-config-manager --save --setopt=sslverify=0",
      "RUN GIT_SSL_NO_VERIFY=1 git clone https://example.com/r.git",
      "RUN wget --no-check-certificate https://example.com/f",
      "RUN python3 -m pip install --trusted-host=pypi.internal x",
      "ARG PIP_TRUSTED_HOST=pypi.internal",
      "ENV GOINSECURE=example.com/*",
      "ENV NPM_CONFIG_STRICT_SSL=false",
    ]) {
      expect(found("dockerfile-tls-verification", cmd), cmd).toEqual(["dockerfile-tls-verification@2"]);
    }
    for (const cmd of [
      "RUN curl -fsSL https://example.com -o f",
      "RUN npm config set strict-ssl true",
      "ENV NODE_TLS_REJECT_UNAUTHORIZED=1",
    ]) {
      expect(found("dockerfile-tls-verification", cmd), cmd).toEqual([]);
    }
  });

  it("dockerfile-unsigned-packages covers apk, apt, rpm, dnf and yum", () => {
    for (const cmd of [
      "RUN apk add --allow-untrusted /tmp/x.apk",
      "RUN apt-get install -y --force-yes x",
      "RUN apt-get -o APT::Get::AllowUnauthenticated=true install x",
      "RUN dnf install --nogpgcheck -y x",
      "RUN yum --setopt=gpgcheck=0 install x",
    ]) {
      expect(found("dockerfile-unsigned-packages", cmd), cmd).toEqual(["dockerfile-unsigned-packages@2"]);
    }
    expect(found("dockerfile-unsigned-packages", "RUN apk add --no-cache curl")).toEqual([]);
  });

  it("dockerfile-secrets-in-env flags values, not references to secret files or empty values", () => {
    expect(found("dockerfile-secrets-in-env", "ENV AWS_SECRET_ACCESS_KEY wJalrXUtnFEMI")).toEqual([
      "dockerfile-secrets-in-env@2",
    ]);
    expect(found("dockerfile-secrets-in-env", 'ENV DB_PASSWORD=""\nENV TOKEN_PATH=/run/secrets/t')).toEqual(
      [],
    );
    expect(found("dockerfile-secrets-in-env", "ARG NPM_TOKEN=abc123")).toEqual([
      "dockerfile-secrets-in-env@2",
    ]);
  });

  it("dockerfile-expose-ssh understands ranges and protocols", () => {
    expect(found("dockerfile-expose-ssh", "EXPOSE 20-25/tcp")).toEqual(["dockerfile-expose-ssh@2"]);
    expect(found("dockerfile-expose-ssh", "EXPOSE 2222 220")).toEqual([]);
  });

  it("dockerfile-copy-not-add allows local archives and checksummed downloads only", () => {
    expect(found("dockerfile-copy-not-add", "ADD a.tar.xz b.tgz /opt/")).toEqual([]);
    expect(found("dockerfile-copy-not-add", "ADD a.tar.xz notes.txt /opt/")).toEqual([
      "dockerfile-copy-not-add@2",
    ]);
    expect(found("dockerfile-copy-not-add", "ADD git@example.com:org/repo.git /src")).toEqual([
      "dockerfile-copy-not-add@2",
    ]);
  });

  it("base image rules skip scratch, stages and digests, and ignore unresolved variables", () => {
    expect(
      found(
        "dockerfile-base-image-tag",
        ["FROM scratch", "FROM $" + "{IMG}", `FROM alpine@sha256:${"b".repeat(64)}`].join("\n"),
      ),
    ).toEqual([]);
    expect(found("dockerfile-base-image-digest", "FROM alpine:3.20 AS x\nFROM x")).toEqual([
      "dockerfile-base-image-digest@2",
    ]);
  });
});
