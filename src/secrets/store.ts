/**
 * A local secret store for teams that do not use Pulumi: a directory with one age-encrypted file
 * per secret (`<name>.age`, binary age format, X25519 recipients) and `recipients.txt`, the
 * public keys every secret is encrypted to (one `age1…` a line, `#` comments), so Debian's `age`
 * reads and writes it too (`age -d -i key.txt <dir>/<name>.age`, `age -R <dir>/recipients.txt`).
 *
 * Every change is checked first and written atomically (a temporary file renamed over the
 * target, mode 0600 in a 0700 directory): a wrong key or a bad name changes nothing.
 */
import { randomBytes } from "node:crypto";
import {
  chmodSync,
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";

/** A problem with the store, the key or the input: exit 2, the message says what to do. */
export class SecretStoreError extends Error {}

export const RECIPIENTS_FILE = "recipients.txt";
const SUFFIX = ".age";
export const SECRET_NAME = /^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$/;
/** Kubernetes Secrets and Docker secrets hold at most 500 KiB-1 MiB; more is a mistake. */
export const MAX_SECRET_BYTES = 512 * 1024;

type Age = typeof import("age-encryption");
/** age-encryption is loaded when a command needs it, so `--help` and `list` stay fast. */
async function age(): Promise<Age> {
  return import("age-encryption");
}

export function checkName(name: string): string {
  if (!SECRET_NAME.test(name) || name.length > 63)
    throw new SecretStoreError(
      `--name ${JSON.stringify(name)} is not a secret name: use at most 63 lowercase letters, digits, '-', '_' and '.', starting and ending with a letter or digit`,
    );
  return name;
}

/** The identities of an age key file (`AGE-SECRET-KEY-1…` lines; comments and blank lines ignored). */
export function readIdentities(keyFile: string): string[] {
  let text: string;
  try {
    text = readFileSync(keyFile, "utf8");
  } catch (e) {
    throw new SecretStoreError(
      `cannot read the key file ${keyFile} (${(e as NodeJS.ErrnoException).code ?? "error"}); give an age identity file (age-keygen -o key.txt, or shipshape secrets keygen)`,
    );
  }
  const identities = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
  if (identities.length === 0 || identities.some((l) => !/^AGE-SECRET-KEY-1[0-9A-Z]+$/.test(l)))
    throw new SecretStoreError(
      `${keyFile} is not an age X25519 identity file: it must hold AGE-SECRET-KEY-1… lines (age-keygen writes one)`,
    );
  return identities;
}

export interface ListedSecret {
  name: string;
  /** Size of the encrypted file. */
  bytes: number;
  modified: Date;
}

/** A store directory. Nothing is read or created until a method needs it. */
export class LocalSecretStore {
  constructor(readonly dir: string) {}

  private path(name: string): string {
    return join(this.dir, `${checkName(name)}${SUFFIX}`);
  }

  /** The recipients every secret is encrypted to; empty for a store not created yet. */
  recipients(): string[] {
    const file = join(this.dir, RECIPIENTS_FILE);
    if (!existsSync(file)) return [];
    return readFileSync(file, "utf8")
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== "" && !l.startsWith("#"));
  }

  /** Names and sizes, never values; needs no key. */
  list(): ListedSecret[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .filter((f) => f.endsWith(SUFFIX) && SECRET_NAME.test(f.slice(0, -SUFFIX.length)))
      .sort()
      .map((f) => {
        const st = statSync(join(this.dir, f));
        return { name: f.slice(0, -SUFFIX.length), bytes: st.size, modified: st.mtime };
      });
  }

  has(name: string): boolean {
    return existsSync(this.path(name));
  }

  /**
   * Checks that `identities` open this store: their recipients are among the store's (a new
   * store takes them as its recipients), and, when any secret exists, one of them decrypts.
   */
  async checkKey(identities: string[]): Promise<string[]> {
    const { identityToRecipient } = await age();
    const mine = await Promise.all(identities.map((i) => identityToRecipient(i)));
    const recipients = this.recipients();
    if (recipients.length > 0 && !mine.some((r) => recipients.includes(r)))
      throw new SecretStoreError(
        `the key does not open the store in ${this.dir}: its public key ${mine[0]} is not in ${RECIPIENTS_FILE}; use the store's key (nothing was changed)`,
      );
    const first = this.list()[0];
    if (first) await this.decrypt(first.name, identities);
    return recipients.length > 0 ? recipients : mine;
  }

  async decrypt(name: string, identities: string[]): Promise<Uint8Array> {
    const file = this.path(name);
    if (!existsSync(file))
      throw new SecretStoreError(`no secret "${name}" in ${this.dir} (shipshape secrets list shows them)`);
    const { Decrypter } = await age();
    const d = new Decrypter();
    for (const i of identities) d.addIdentity(i);
    try {
      return await d.decrypt(readFileSync(file));
    } catch (e) {
      throw new SecretStoreError(
        `cannot decrypt "${name}" with this key (${(e as Error).message}); use the key the store was written for (nothing was changed)`,
      );
    }
  }

  /** Every secret (or the named ones), decrypted; all or nothing. */
  async decryptAll(identities: string[], names?: string[]): Promise<Map<string, Uint8Array>> {
    const wanted = names && names.length > 0 ? names : this.list().map((s) => s.name);
    if (wanted.length === 0)
      throw new SecretStoreError(`the store in ${this.dir} holds no secrets (shipshape secrets add)`);
    const out = new Map<string, Uint8Array>();
    for (const n of wanted) out.set(n, await this.decrypt(n, identities));
    return out;
  }

  /** Adds (or with `replace`, replaces) a secret, encrypted to the store's recipients. */
  async add(name: string, value: Uint8Array, identities: string[], replace: boolean): Promise<void> {
    checkName(name);
    if (value.length === 0)
      throw new SecretStoreError("the secret is empty; an empty secret protects nothing");
    if (value.length > MAX_SECRET_BYTES)
      throw new SecretStoreError(
        `the secret is ${value.length} bytes; a secret holds at most ${MAX_SECRET_BYTES}`,
      );
    if (this.has(name) && !replace)
      throw new SecretStoreError(
        `the store already holds "${name}"; pass --force to replace it, or remove it first`,
      );
    const recipients = await this.checkKey(identities);
    const { Encrypter } = await age();
    const e = new Encrypter();
    for (const r of recipients) e.addRecipient(r);
    const ciphertext = await e.encrypt(value);
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    if (this.recipients().length === 0)
      writeAtomic(
        join(this.dir, RECIPIENTS_FILE),
        `# age recipients of this shipshape secret store: every secret is encrypted to each line\n${recipients.join("\n")}\n`,
      );
    writeAtomic(this.path(name), ciphertext);
  }

  /** Removes a secret, once the key has shown it opens the store. */
  async remove(name: string, identities: string[]): Promise<void> {
    if (!this.has(name))
      throw new SecretStoreError(`no secret "${name}" in ${this.dir} (shipshape secrets list shows them)`);
    await this.checkKey(identities);
    await this.decrypt(name, identities);
    unlinkSync(this.path(name));
  }
}

/** A new X25519 identity file's text (what age-keygen writes) and its public key. */
export async function generateKey(): Promise<{ text: string; recipient: string }> {
  const { generateX25519Identity, identityToRecipient } = await age();
  const identity = await generateX25519Identity();
  const recipient = await identityToRecipient(identity);
  return {
    text: `# created: ${new Date().toISOString()}\n# public key: ${recipient}\n${identity}\n`,
    recipient,
  };
}

/** Writes a file mode 0600 from its first byte: a temporary file in the same directory, renamed. */
export function writeAtomic(path: string, content: string | Uint8Array, exclusive = false): void {
  if (exclusive && existsSync(path)) throw new SecretStoreError(`${path} exists; it is not overwritten`);
  const temp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  const fd = openSync(temp, "wx", 0o600);
  try {
    const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : Buffer.from(content);
    let done = 0;
    while (done < bytes.length) done += writeSync(fd, bytes, done);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  chmodSync(temp, 0o600);
  renameSync(temp, path);
}
