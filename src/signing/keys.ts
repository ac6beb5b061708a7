import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";

/** The curve cosign's default keys use, and the only one SignedImage signs with. */
const P256 = "prime256v1";

function checkP256(key: KeyObject, what: string): void {
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (key.asymmetricKeyType !== "ec" || curve !== P256) {
    throw new Error(
      `${what} is a ${key.asymmetricKeyType ?? "unknown"}${curve ? ` (${curve})` : ""} key, not ECDSA P-256: generate one with \`shipshape image keygen\`, @pulumi/tls PrivateKey { algorithm: "ECDSA", ecdsaCurve: "P256" }, or cosign generate-key-pair's public key`,
    );
  }
}

/**
 * Reads an ECDSA P-256 private key from PEM (SEC 1 `EC PRIVATE KEY` or PKCS #8). The error
 * never quotes the key.
 */
export function loadPrivateKey(pem: string, what = "the signing key"): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: "pem" });
  } catch (error) {
    const encrypted = /ENCRYPTED/.test(pem);
    throw new Error(
      `${what} is not a readable PEM private key (${(error as Error).message.split("\n")[0]})${encrypted ? ": an encrypted key (cosign.key is one) must be decrypted first; shipshape signs with a plain PEM key and verifies with cosign.pub" : ""}`,
    );
  }
  checkP256(key, what);
  return key;
}

/** Reads a PEM public key (PKIX `PUBLIC KEY`, as cosign.pub and @pulumi/tls write it). */
export function loadPublicKey(pem: string, what = "the public key"): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: "pem" });
  } catch (error) {
    throw new Error(`${what} is not a readable PEM public key: ${(error as Error).message.split("\n")[0]}`);
  }
  checkP256(key, what);
  return key;
}

/** The PKIX PEM of a private key's public half. */
export function publicKeyPemOf(privateKey: KeyObject): string {
  return createPublicKey(privateKey).export({ type: "spki", format: "pem" }).toString();
}

/** A new ECDSA P-256 key pair as PEM: PKCS #8 private key, PKIX public key. */
export function generateSigningKeyPair(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: P256 });
  return {
    privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
}
