import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { parseImageRef } from "../../model/image";
import { enumValue, overrideReason, reason, text, wholeNumber } from "../validation/fields";
import { type ArgsIssue, ComponentArgsError } from "../validation/issues";
import { argsIssuesFromZod } from "../validation/zod-issues";
import { type ImageScanArgs, ImageSource, ScanSeverity } from "./args";

const ADVISORY_ID = /^[A-Za-z][A-Za-z0-9]*-[A-Za-z0-9][A-Za-z0-9._:-]*$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function isCalendarDay(s: string): boolean {
  const m = DAY.exec(s);
  if (!m) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

const ignoreSchema = z.strictObject(
  {
    id: text("ignores.id").regex(ADVISORY_ID, {
      error:
        'ignores.id must be an advisory id as the scanner reports it, e.g. "CVE-2021-23337" or "GHSA-35jh-r3h4-6jhm"',
    }),
    reason,
    expires: text("ignores.expires")
      .refine(isCalendarDay, { error: 'ignores.expires must be a day, YYYY-MM-DD (UTC), e.g. "2027-03-31"' })
      .optional(),
    packages: z
      .array(text("ignores.packages item").min(1, { error: "package names are not empty" }))
      .optional(),
  },
  { error: 'each ignore is { id, reason, expires?, packages? }, e.g. { id: "CVE-2021-23337", reason: "…" }' },
);

const absolute = (what: string) =>
  text(what).refine((p) => p.startsWith("/"), { error: `${what} must be an absolute path` });

/** The fields ImageScan takes; SignedImage, which composes the scan, extends them. */
export const imageScanFields = {
  image: z.unknown().optional(),
  source: enumValue(ImageSource, "source").optional(),
  host: text("host")
    .regex(/^(unix|tcp|ssh|https?):\/\/\S+$|^\/\S+$/, {
      error: 'host must be an engine address such as "unix:///var/run/docker.sock" or "tcp://127.0.0.1:2376"',
    })
    .optional(),
  insecureRegistry: z.boolean({ error: "insecureRegistry must be true or false" }).optional(),
  failOn: enumValue(ScanSeverity, "failOn").optional(),
  ignoreUnfixed: z.boolean({ error: "ignoreUnfixed must be true or false" }).optional(),
  ignores: z.array(ignoreSchema, { error: "ignores must be a list of { id, reason, expires? }" }).optional(),
  timeoutSeconds: wholeNumber("timeoutSeconds", 1, 3600, " (the scanner is stopped after it)").optional(),
  trivyPath: absolute("trivyPath").optional(),
  cacheDir: absolute("cacheDir").optional(),
  reportDir: absolute("reportDir").optional(),
  overrides: z.strictObject({ noPackages: overrideReason.optional() }).optional(),
};
const argsSchema = z.strictObject(imageScanFields);

/** The image reference, when it is known now; an Output is checked by the scan itself. */
export function imageIssues(image: unknown, source: ImageSource): ArgsIssue[] {
  if (image === undefined) {
    return [
      { path: "image", value: image, message: 'image is required, e.g. "registry.example.com/team/app:1.4"' },
    ];
  }
  if (pulumi.Output.isInstance(image) || image instanceof Promise) return [];
  if (typeof image !== "string" || image.includes("\0") || !parseImageRef(image)) {
    return [
      {
        path: "image",
        value: image,
        message:
          'image must be a reference such as "app:1.4", "sha256:<image ID>" or "host:5000/team/app@sha256:…"',
      },
    ];
  }
  if (source === ImageSource.Registry && !parseImageRef(image)?.registry) {
    return [
      {
        path: "image",
        value: image,
        message:
          'a registry image names its registry host: "host[:port]/repository:tag", e.g. "127.0.0.1:5000/team/app:1"',
      },
    ];
  }
  return [];
}

/** Checks the args; throws ComponentArgsError, naming every bad field, before anything is registered. */
export function validateImageScanArgs(name: string, args: ImageScanArgs): void {
  const issues: ArgsIssue[] = [];
  if (typeof args !== "object" || args === null) {
    throw new ComponentArgsError("ImageScan", name, [
      { path: "", value: args, message: "ImageScan needs args: { image, failOn?, ignores?, … }" },
    ]);
  }
  const parsed = argsSchema.safeParse(args);
  if (!parsed.success) issues.push(...argsIssuesFromZod(parsed.error, args, "ImageScanArgs"));
  issues.push(...imageIssues(args.image, args.source ?? ImageSource.Docker));
  issues.push(...duplicateIgnoreIssues(args.ignores));
  if (issues.length > 0) throw new ComponentArgsError("ImageScan", name, issues);
}

/** An advisory ignored twice for the same packages (two reasons for one decision). */
export function duplicateIgnoreIssues(ignores: ImageScanArgs["ignores"]): ArgsIssue[] {
  const issues: ArgsIssue[] = [];
  const seen = new Set<string>();
  (Array.isArray(ignores) ? ignores : []).forEach((ignore, i) => {
    const key = `${ignore?.id}|${[...(ignore?.packages ?? [])].sort().join(",")}`;
    if (seen.has(key)) {
      issues.push({
        path: `ignores.${i}.id`,
        value: ignore?.id,
        message: "this advisory is ignored twice for the same packages; keep one ignore with one reason",
      });
    }
    seen.add(key);
  });
  return issues;
}
