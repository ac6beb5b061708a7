/** Kubernetes-style quantities as SecureService accepts them: a number with a unit. */

/** Memory: a number with a binary or decimal suffix (a bare number is ambiguous). */
export const MEMORY_QUANTITY = /^([0-9]+(?:\.[0-9]+)?)(Ki|Mi|Gi|Ti|k|K|M|G|T)$/;
/** CPU: millicores (`500m`) or cores (`0.5`, `2`). */
export const CPU_QUANTITY = /^(?:([0-9]+)m|([0-9]+(?:\.[0-9]+)?))$/;

const MEMORY_FACTORS: Record<string, number> = {
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
  k: 1000,
  K: 1000,
  M: 1000 ** 2,
  G: 1000 ** 3,
  T: 1000 ** 4,
};

/** Bytes of a memory quantity; NaN when it does not parse. */
export function memoryBytes(quantity: string): number {
  const m = MEMORY_QUANTITY.exec(quantity);
  if (!m) return Number.NaN;
  return Math.floor(Number(m[1]) * (MEMORY_FACTORS[m[2] ?? ""] ?? Number.NaN));
}

/** Cores of a CPU quantity; NaN when it does not parse. */
export function cpuCores(quantity: string): number {
  const m = CPU_QUANTITY.exec(quantity);
  if (!m) return Number.NaN;
  return m[1] !== undefined ? Number(m[1]) / 1000 : Number(m[2]);
}

/** A byte count as the Kubernetes quantity Kubernetes itself would print (`64Mi`, else `Ki`). */
export function kubernetesMemory(bytes: number): string {
  return bytes % 1024 ** 2 === 0 ? `${bytes / 1024 ** 2}Mi` : `${Math.ceil(bytes / 1024)}Ki`;
}
