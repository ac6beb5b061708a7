/** `shipshape netcheck --create-policy`: the service's edges as a JSON file (src/netcheck/policy-file.ts). */
import { writeFileAtomic } from "../../audit/atomic-write";
import { servicePolicy } from "../../netcheck/policy-file";
import { type CliIo, EXIT_CLEAN, EXIT_INPUT } from "../io";
import type { NetcheckFlags } from "./netcheck";

function refuse(io: CliIo, message: string): number {
  io.stderr(`error: ${message}\n`);
  return EXIT_INPUT;
}

/** `--create-policy`: the service's edges as a JSON file; no engine involved. Nothing is written on bad input. */
export function createPolicy(flags: NetcheckFlags, io: CliIo): number {
  if (flags.service === undefined)
    return refuse(io, "--create-policy needs --service <name>: the service the policy is about");
  if (flags.topology !== undefined || flags.probeImage !== undefined)
    return refuse(
      io,
      "--create-policy writes a file and measures nothing: leave out --topology and --probe-image",
    );
  let text: string;
  try {
    text = `${JSON.stringify(servicePolicy(flags.service, flags.ingress, flags.egress), null, 2)}\n`;
  } catch (e) {
    return refuse(io, (e as Error).message);
  }
  const out = flags.out ?? `${flags.service}-policy.json`;
  if (out === "-") {
    io.stdout(text);
    return EXIT_CLEAN;
  }
  writeFileAtomic(out, (write) => write(text));
  io.stderr(
    `netcheck: wrote ${out}: import it into the stack's SegmentedNetworks (edges: [...policy.edges])\n`,
  );
  return EXIT_CLEAN;
}
