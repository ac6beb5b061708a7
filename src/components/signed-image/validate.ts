import { z } from "zod";
import { isLoopbackRegistry, parseRegistryReference } from "../../registry/reference";
import { ImageSource } from "../image-scan/args";
import { duplicateIgnoreIssues, imageIssues, imageScanFields } from "../image-scan/validate";
import { text } from "../validation/fields";
import { type ArgsIssue, ComponentArgsError } from "../validation/issues";
import { argsIssuesFromZod } from "../validation/zod-issues";
import type { SignedImageArgs } from "./args";

const TAG = /^[\w][\w.-]{0,127}$/;

const argsSchema = z.strictObject({
  ...imageScanFields,
  repository: text("repository"),
  tag: text("tag")
    .regex(TAG, {
      error: 'tag must be a Docker tag: letters, digits, "_", "." and "-", at most 128, e.g. "1.4.2"',
    })
    .refine((t) => !/^sha256-[a-f0-9]{64}\.(sig|att|sbom)$/.test(t), {
      error: "tag must not look like a signature tag (sha256-<hex>.sig): cosign keeps those",
    })
    .optional(),
  signingKey: z.unknown().optional(),
});

function repositoryIssues(repository: unknown): ArgsIssue[] {
  if (typeof repository !== "string") return [];
  try {
    const ref = parseRegistryReference(repository, "repository");
    if (ref.tag || ref.digest) {
      return [
        {
          path: "repository",
          value: repository,
          message: `repository is host[:port]/path without a tag or digest; put the tag in \`tag\`, e.g. repository: "${ref.registry}/${ref.repository}", tag: "${ref.tag ?? "1"}"`,
        },
      ];
    }
  } catch (error) {
    return [{ path: "repository", value: repository, message: (error as Error).message }];
  }
  return [];
}

/** The signing key, when it is a plain string now: it must look like a PEM private key (never quoted). */
function signingKeyIssues(key: unknown): ArgsIssue[] {
  if (key === undefined || typeof key !== "string") return [];
  return /-----BEGIN (EC |)PRIVATE KEY-----/.test(key)
    ? []
    : [
        {
          path: "signingKey",
          value: key,
          sensitive: true,
          message:
            "signingKey must be an ECDSA P-256 private key in PEM (BEGIN PRIVATE KEY or BEGIN EC PRIVATE KEY), given as a Pulumi secret (config --secret); an encrypted cosign.key must be decrypted first",
        },
      ];
}

/** Checks the args; throws ComponentArgsError, naming every bad field, before anything is registered. */
export function validateSignedImageArgs(name: string, args: SignedImageArgs): void {
  if (typeof args !== "object" || args === null) {
    throw new ComponentArgsError("SignedImage", name, [
      {
        path: "",
        value: args,
        message: 'SignedImage needs args: { image, repository: "host:port/path", tag?, … }',
      },
    ]);
  }
  const issues: ArgsIssue[] = [];
  const parsed = argsSchema.safeParse(args);
  if (!parsed.success) issues.push(...argsIssuesFromZod(parsed.error, args, "SignedImageArgs"));
  issues.push(...imageIssues(args.image, args.source ?? ImageSource.Docker));
  issues.push(...repositoryIssues(args.repository));
  issues.push(...signingKeyIssues(args.signingKey));
  issues.push(...duplicateIgnoreIssues(args.ignores));
  if (issues.length > 0) throw new ComponentArgsError("SignedImage", name, issues);
}

/** Whether registry calls speak plain HTTP: the arg, else true for a loopback registry. */
export function insecureFor(args: SignedImageArgs): boolean {
  return (
    args.insecureRegistry ??
    isLoopbackRegistry(parseRegistryReference(args.repository, "repository").registry)
  );
}
