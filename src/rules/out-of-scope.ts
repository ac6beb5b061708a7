import type { References } from "./rule";

/** A check of another tool that shipshape does not implement, and why. */
export interface OutOfScope {
  framework: keyof References;
  id: string;
  title: string;
  reason: string;
}
