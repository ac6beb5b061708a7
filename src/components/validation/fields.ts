/**
 * zod schemas for the kinds of field component args share. Each takes the field's name as the
 * user wrote it, so one message serves every use and every message names the field and the fix.
 */
import { z } from "zod";
import { CPU_QUANTITY, cpuCores, MEMORY_QUANTITY, memoryBytes } from "./quantities";

/** Override reasons are recorded on resources; ten visible characters is the least that says why. */
export const MIN_REASON_LENGTH = 10;
/** Characters that print as nothing: zero-width spaces and joiners, the BOM, control characters. */
const INVISIBLE = /[\p{Cf}\p{Cc}]/gu;

/** A string that may not hold NUL (the kernel and the engine cut strings at it). */
export function text(what: string) {
  return z
    .string({ error: `${what} must be a string` })
    .refine((s) => !s.includes("\0"), { error: `${what} must not contain NUL bytes` });
}

/** A whole number within bounds, with one message for every way of missing them. */
export function wholeNumber(what: string, min: number, max: number, why = "") {
  const error = `${what} must be a whole number from ${min} to ${max}${why}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}

export function port(what: string) {
  const error = `${what} must be a whole number between 1 and 65535`;
  return z.number({ error }).int({ error }).min(1, { error }).max(65535, { error });
}

/** Why a weakening is acceptable: written onto the resources, so it must say something. */
export const reason = z
  .string({ error: "an override needs a reason string; say why this service needs the weakening" })
  .refine((r) => r.replace(INVISIBLE, "").trim().length >= MIN_REASON_LENGTH, {
    error: `reason must be at least ${MIN_REASON_LENGTH} characters, not counting surrounding spaces and invisible ones; say why this service needs the weakening`,
  })
  .refine((r) => !r.includes("\0"), { error: "reason must not contain NUL bytes" });

export const overrideReason = z.strictObject({ reason });

/** Memory between 4Mi and 1Ti: below, nothing starts; above, the number is a typo. */
export function memoryQuantity(what: string) {
  return z
    .string({ error: `${what} must be a string such as "256Mi"` })
    .refine(
      (v) => MEMORY_QUANTITY.test(v) && memoryBytes(v) >= 4 * 1024 ** 2 && memoryBytes(v) <= 1024 ** 4,
      {
        error: `${what} must be a quantity with a unit from 4Mi to 1Ti, e.g. "256Mi" or "1Gi" (a bare number is ambiguous)`,
      },
    );
}

export function cpuQuantity(what: string) {
  return z
    .string({ error: `${what} must be a string such as "500m" or "0.5"` })
    .refine((v) => CPU_QUANTITY.test(v) && cpuCores(v) >= 0.01 && cpuCores(v) <= 256, {
      error: `${what} must be cores ("0.5", "2") or millicores ("500m"), between 10m and 256`,
    });
}

/**
 * An absolute directory path inside a container, normalized (no trailing or doubled "/"), so
 * `/tmp` and `/tmp/` are one path to the engine as they are to the kernel.
 */
export function absolutePath(what: string) {
  return text(what)
    .superRefine((p, ctx) => {
      const problem = pathProblem(what, p);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .transform((p) => p.replace(/\/{2,}/g, "/").replace(/(.)\/+$/, "$1"));
}

function pathProblem(what: string, p: string): string | undefined {
  if (!p.startsWith("/")) return `${what} must be absolute (start with "/"), e.g. "/tmp"`;
  if (/^\/+$/.test(p))
    return `${what} cannot be the filesystem root "/"; name a directory under it, e.g. "/tmp"`;
  if (p.split("/").some((s) => s === ".." || s === "."))
    return `${what} must not contain "." or ".." segments (it would leave the declared directory); write the normalized path`;
  if (/[\s,:=]/.test(p)) return `${what} must not contain spaces, commas, colons or "="`;
  if (/^\/+(proc|sys|dev)(\/|$)/.test(p))
    return `${what} must not be under /proc, /sys or /dev, which belong to the runtime`;
  return undefined;
}

const LABEL_KEY = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
/** Keys shipshape writes itself (overrides, suppressions); a user label there would forge one. */
export const RESERVED_LABEL_PREFIX = "shipshape.io/";

/** Kubernetes label syntax (which Docker labels follow too, so a service renders on both). */
export function labelMap(what: string, options: { nonEmpty?: string } = {}) {
  return z
    .record(z.string(), z.string({ error: `${what} values must be strings` }))
    .superRefine((labels, ctx) => {
      const keys = Object.keys(labels);
      if (options.nonEmpty && keys.length === 0) ctx.addIssue({ code: "custom", message: options.nonEmpty });
      for (const k of keys) {
        const v = labels[k] ?? "";
        let message: string | undefined;
        if (!LABEL_KEY.test(k) || k.length > 316)
          message = `label key ${JSON.stringify(k)} is not a valid label key; use letters, digits, "-", "_", "." and an optional "prefix/"`;
        else if (!LABEL_VALUE.test(v) || v.length > 63)
          message =
            "label value must be at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
        else if (k.startsWith(RESERVED_LABEL_PREFIX))
          message = `the "${RESERVED_LABEL_PREFIX}" prefix is reserved for overrides and suppressions; use overrides instead`;
        if (message) ctx.addIssue({ code: "custom", path: [k], message });
      }
    });
}

/** A DNS label (RFC 1123): what Kubernetes names and namespaces are. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function dnsLabel(what: string, example: string) {
  return z
    .string({ error: `${what} must be a string` })
    .max(63, { error: `${what} must be at most 63 characters` })
    .regex(DNS_LABEL, {
      error: `${what} must be lowercase letters, digits and '-' (a DNS label), e.g. "${example}"`,
    });
}

/** One of an enum's values, listing them all when it is not. */
export function enumValue<T extends Record<string, string>>(values: T, what: string) {
  return z.enum(values, { error: `${what} must be one of ${Object.values(values).join(", ")}` });
}
