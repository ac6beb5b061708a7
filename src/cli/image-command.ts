/**
 * The work of `shipshape image keygen|sign|verify|push` (the seed's container-image-signing and
 * the gated push of registry-security-manager): cosign-format signatures made and checked with
 * Node's crypto, keys read from files (never from argv or the environment).
 */
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  parseRegistryReference,
  pushEngineImage,
  RegistryClient,
  type RegistryReference,
  repositoryName,
} from "../registry";
import { printable, printableLines } from "../report/untrusted";
import { describeBlocking } from "../scan/gate";
import { scanImage } from "../scan/scan";
import { ImageSource } from "../scan/trivy";
import type { ScanSeverityName } from "../scan/types";
import {
  generateSigningKeyPair,
  loadPrivateKey,
  loadPublicKey,
  publicKeyPemOf,
  signImage,
  VerificationError,
  verifyImage,
} from "../signing";
import { type CliIo, EXIT_CLEAN, EXIT_FINDINGS, UsageError } from "./io";

export interface KeygenFlags {
  outputDir: string;
  name: string;
  force?: boolean;
}

export interface SignFlags {
  key: string;
  insecureRegistry?: boolean;
}

export interface VerifyFlags {
  key: string[];
  insecureRegistry?: boolean;
  format: string;
}

export interface PushFlags {
  to: string;
  host?: string;
  failOn: string;
  blockCritical?: boolean;
  noScan?: boolean;
  scan?: boolean;
  signKey?: string;
  insecureRegistry?: boolean;
  trivy?: string;
  cacheDir?: string;
}

function readKeyFile(file: string, what: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    throw new UsageError(
      `cannot read ${what} ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
}

function target(ref: string, what: string): RegistryReference {
  try {
    return parseRegistryReference(ref, what);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

const clientFor = (ref: RegistryReference, insecure?: boolean) =>
  new RegistryClient(ref.registry, insecure ? { insecure: true } : {});

/** Writes NAME.key (PKCS #8, 0600) and NAME.pub (PKIX), the pair cosign's `--key` reads as PEM. */
export function runKeygen(flags: KeygenFlags, io: CliIo): number {
  if (!/^[\w.-]+$/.test(flags.name))
    throw new UsageError(`--name ${JSON.stringify(flags.name)}: use letters, digits, ".", "_" or "-"`);
  let dir: ReturnType<typeof statSync> | undefined;
  try {
    dir = statSync(flags.outputDir);
  } catch {
    dir = undefined;
  }
  if (!dir?.isDirectory())
    throw new UsageError(
      `--output-dir ${JSON.stringify(flags.outputDir)} ${dir ? "is not a directory" : "does not exist"}: create it first (mkdir -m 0700 ${flags.outputDir}) or give another`,
    );
  const priv = join(flags.outputDir, `${flags.name}.key`);
  const pub = join(flags.outputDir, `${flags.name}.pub`);
  for (const f of [priv, pub]) {
    if (existsSync(f) && !flags.force)
      throw new UsageError(`${f} exists: choose another --name or --output-dir, or pass --force`);
  }
  const pair = generateSigningKeyPair();
  const hadPrivate = existsSync(priv);
  let wrote = false;
  try {
    writeFileSync(priv, pair.privateKeyPem, { mode: 0o600, flag: flags.force ? "w" : "wx" });
    wrote = true;
    writeFileSync(pub, pair.publicKeyPem, { mode: 0o644, flag: flags.force ? "w" : "wx" });
  } catch (e) {
    // No half pair left behind: a private key without its public key is only a trap.
    if (wrote && !hadPrivate) rmSync(priv, { force: true });
    throw new UsageError(
      `cannot write the key pair in ${flags.outputDir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  io.stdout(`private key: ${priv} (mode 0600: keep it secret)\npublic key:  ${pub}\n`);
  return EXIT_CLEAN;
}

/** Signs `ref` (a tag is resolved to its digest first: the signature names content, not a tag). */
export async function runSign(ref: string, flags: SignFlags, io: CliIo): Promise<number> {
  const t = target(ref, "image");
  const client = clientFor(t, flags.insecureRegistry);
  const privateKey = loadKeyOrUsage(() =>
    loadPrivateKey(readKeyFile(flags.key, "the signing key"), `the signing key ${flags.key}`),
  );
  const publicKey = loadPublicKey(publicKeyPemOf(privateKey));
  const digest = t.digest ?? (await client.resolve(t.repository, t.tag ?? "latest"))?.digest;
  if (!digest)
    throw new UsageError(
      `${printable(ref)} is not in the registry ${t.registry}: push it first (shipshape image push)`,
    );
  const signed = await signImage(client, t.repository, digest, privateKey, publicKey);
  io.stdout(
    `${signed.alreadySigned ? "already signed" : "signed"}: ${repositoryName(t)}@${digest} (signature ${signed.signatureTag})\n`,
  );
  return EXIT_CLEAN;
}

function loadKeyOrUsage<T>(load: () => T): T {
  try {
    return load();
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError((e as Error).message);
  }
}

/** Exit 0 when a signature verifies with one of the keys, 1 when none does, 2 on bad input or an unreachable registry. */
export async function runVerify(ref: string, flags: VerifyFlags, io: CliIo): Promise<number> {
  const t = target(ref, "image");
  if (flags.key.length === 0)
    throw new UsageError(
      "give the public key with --key <file> (cosign.pub, or shipshape image keygen's NAME.pub)",
    );
  const keys = flags.key.map((k) =>
    loadKeyOrUsage(() => loadPublicKey(readKeyFile(k, "the public key"), `the public key ${k}`)),
  );
  const client = clientFor(t, flags.insecureRegistry);
  try {
    const v = await verifyImage(client, t.repository, t.digest ?? t.tag ?? "latest", keys);
    if (flags.format === "json") {
      io.stdout(
        `${JSON.stringify({ image: ref, verified: true, digest: v.digest, signatures: v.signatures, payloads: v.payloadDigests })}\n`,
      );
    } else {
      io.stdout(
        `verified: ${repositoryName(t)}@${v.digest} (${v.payloadDigests.length} of ${v.signatures} signature(s) verify)\n`,
      );
    }
    return EXIT_CLEAN;
  } catch (e) {
    if (!(e instanceof VerificationError)) throw e;
    if (flags.format === "json") {
      io.stdout(
        `${JSON.stringify({ image: ref, verified: false, failure: e.failure, message: e.message })}\n`,
      );
    } else io.stderr(`not verified (${e.failure}): ${printable(e.message)}\n`);
    return EXIT_FINDINGS;
  }
}

/**
 * The gated push: scan the local image (unless --no-scan), push it only when the gate passed,
 * then sign the registry's digest when --sign-key is given. Exit 1 when the gate stops it.
 */
export async function runPush(image: string, flags: PushFlags, io: CliIo): Promise<number> {
  const t = target(flags.to, "--to");
  if (t.digest)
    throw new UsageError(`--to ${printable(flags.to)}: push to a tag (host/repository:tag), not a digest`);
  const tag = t.tag ?? "latest";
  const failOn = (flags.blockCritical ? "critical" : flags.failOn) as ScanSeverityName;
  const privateKey = flags.signKey
    ? loadKeyOrUsage(() =>
        loadPrivateKey(
          readKeyFile(flags.signKey as string, "the signing key"),
          `the signing key ${flags.signKey}`,
        ),
      )
    : undefined;
  if (flags.scan !== false) {
    const scan = await scanImage(
      {
        image,
        source: ImageSource.Docker,
        ...(flags.host ? { host: flags.host } : {}),
        ...(flags.trivy ? { trivyPath: flags.trivy } : {}),
        ...(flags.cacheDir ? { cacheDir: flags.cacheDir } : {}),
        onProgress: (m) => io.stderr(`scan: ${printable(m)}\n`),
      },
      { failOn, ignoreUnfixed: false, ignores: [] },
    );
    if (!scan.outcome.passed) {
      io.stderr(
        `push refused: ${scan.outcome.blocking.length} vulnerabilit${scan.outcome.blocking.length === 1 ? "y" : "ies"} at or above ${failOn} in ${printable(image)}:\n${printableLines(describeBlocking(scan.outcome))}\nreport: ${scan.reportPath}\n`,
      );
      return EXIT_FINDINGS;
    }
    io.stderr(`scan: passed (nothing at or above ${failOn})\n`);
  }
  const pushed = await pushEngineImage(image, { ...t, tag }, flags.host);
  io.stdout(`pushed: ${repositoryName(t)}:${tag} = ${repositoryName(t)}@${pushed.digest}\n`);
  if (privateKey) {
    const client = clientFor(t, flags.insecureRegistry);
    const signed = await signImage(
      client,
      t.repository,
      pushed.digest,
      privateKey,
      loadPublicKey(publicKeyPemOf(privateKey)),
    );
    io.stdout(`signed: ${repositoryName(t)}@${pushed.digest} (signature ${signed.signatureTag})\n`);
  }
  return EXIT_CLEAN;
}
