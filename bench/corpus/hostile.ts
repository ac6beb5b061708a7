/**
 * Generators of worst-case inputs, shared by the hostile-input tests and `bench/worst-cases.ts`:
 * written into a temporary directory per run, never stored.
 */

/** One pod with `count` privileged containers. */
export function podWithContainers(count: number): string {
  const lines = ["apiVersion: v1", "kind: Pod", "metadata:", "  name: crowded", "spec:", "  containers:"];
  for (let i = 0; i < count; i++) {
    lines.push(
      `    - name: c${i}`,
      "      image: nginx:1.25",
      "      securityContext:",
      "        privileged: true",
    );
  }
  return `${lines.join("\n")}\n`;
}

/** A Compose file whose services form one `extends` chain `depth` long: s<depth> → … → s0. */
export function extendsChain(depth: number): string {
  const lines = ["services:", "  s0:", "    image: nginx:1.25", "    privileged: true"];
  for (let i = 1; i <= depth; i++) {
    lines.push(`  s${i}:`, `    extends: s${i - 1}`, `    hostname: level-${i}`);
  }
  return `${lines.join("\n")}\n`;
}

/** `pods` privileged pods in one file: about 18 findings each with every rule. */
export function manyPrivilegedPods(pods: number): string {
  const parts: string[] = [];
  for (let i = 0; i < pods; i++) {
    parts.push(
      `---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p${i}\nspec:\n  containers:\n    - name: c\n      image: nginx:1.25\n      securityContext:\n        privileged: true\n`,
    );
  }
  return parts.join("");
}
