/** The `--listen host:port` of the commands that serve HTTP (`alerts receive`, `dashboard`). */
import { isIP } from "node:net";

export interface ListenAddress {
  host: string;
  port: number;
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * `host:port` (an IP address or `localhost`; IPv6 in brackets), or an error naming the option,
 * the value and the fix. Every-interface addresses are refused (nothing served here has
 * authentication); `loopbackOnly` refuses any address but loopback. `example` goes into messages.
 */
export function parseListen(
  value: string,
  options: { loopbackOnly?: boolean; allowPortZero?: boolean; example: string; why: string },
): ListenAddress {
  const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(value.trim());
  const port = m ? Number(m[2]) : Number.NaN;
  const lowest = options.allowPortZero ? 0 : 1;
  if (!m || port < lowest || port > 65_535)
    throw new Error(`option '--listen' ${JSON.stringify(value)} is not host:port; give ${options.example}`);
  const host = (m[1] as string).replace(/^\[|\]$/g, "");
  if (host === "0.0.0.0" || host === "::")
    throw new Error(
      `option '--listen' ${JSON.stringify(value)} listens on every interface, and ${options.why}; give ${options.example}`,
    );
  if (isIP(host) === 0 && host !== "localhost")
    throw new Error(`option '--listen' ${JSON.stringify(value)}: give an IP address, not a host name`);
  if (options.loopbackOnly && !isLoopback(host))
    throw new Error(
      `option '--listen' ${JSON.stringify(value)} is not a loopback address, and ${options.why}; give ${options.example}`,
    );
  return { host, port };
}
