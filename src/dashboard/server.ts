/**
 * The dashboard's HTTP server, on loopback only: the page, its script and style (no asset from
 * anywhere else), and `/api/state`, the collector's snapshot as JSON. Read-only: GET and HEAD.
 * Requests whose Host is not this server's address are refused (a page on another site cannot
 * read the state through a rebound DNS name).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { DashboardSnapshot } from "./collector";
import { DASHBOARD_CSS, DASHBOARD_HTML, DASHBOARD_JS } from "./page";

const SECURITY_HEADERS: Record<string, string> = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
  "cross-origin-resource-policy": "same-origin",
};

const ASSETS: Record<string, { type: string; body: string }> = {
  "/": { type: "text/html; charset=utf-8", body: DASHBOARD_HTML },
  "/dashboard.js": { type: "text/javascript; charset=utf-8", body: DASHBOARD_JS },
  "/dashboard.css": { type: "text/css; charset=utf-8", body: DASHBOARD_CSS },
};

export interface DashboardServer {
  server: Server;
  /** `http://host:port/`, with the port the system chose when 0 was asked for. */
  url: string;
  close(): Promise<void>;
}

/** The Host values this server answers to: its address, and `localhost` on its port. */
function allowedHosts(host: string, port: number): Set<string> {
  const bracketed = host.includes(":") ? `[${host}]` : host;
  return new Set([`${bracketed}:${port}`, `localhost:${port}`]);
}

function send(res: ServerResponse, status: number, type: string, body: string, head: boolean): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    "content-type": type,
    "content-length": Buffer.byteLength(body),
  });
  res.end(head ? undefined : body);
}

export function startDashboardServer(
  host: string,
  port: number,
  snapshot: () => DashboardSnapshot,
): Promise<DashboardServer> {
  let hosts = new Set<string>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const head = req.method === "HEAD";
    if (req.method !== "GET" && !head) {
      res.setHeader("allow", "GET, HEAD");
      send(res, 405, "text/plain; charset=utf-8", "the dashboard is read-only: GET or HEAD\n", false);
      return;
    }
    if (!hosts.has((req.headers.host ?? "").toLowerCase())) {
      send(res, 421, "text/plain; charset=utf-8", "this server answers only to its own address\n", head);
      return;
    }
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    if (path === "/api/state") {
      send(res, 200, "application/json; charset=utf-8", JSON.stringify(snapshot()), head);
      return;
    }
    const asset = ASSETS[path];
    if (!asset) {
      send(res, 404, "text/plain; charset=utf-8", "not found\n", head);
      return;
    }
    send(res, 200, asset.type, asset.body, head);
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      const actual = (server.address() as AddressInfo).port;
      hosts = allowedHosts(host, actual);
      const shown = host.includes(":") ? `[${host}]` : host;
      resolve({
        server,
        url: `http://${shown}:${actual}/`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
