// Three tiers (edge → app → data), default deny, mTLS between the services, and a probe that
// measures the real matrix during `pulumi up`:
//   shipshape check examples/segmented-networks-docker
//   shipshape graph examples/segmented-networks-docker --out shop     (shop.svg, shop.png)
//   pulumi stack output topology --json > t.json && shipshape netcheck --topology t.json --probe-image <image>
import { ConnectivityProbe, SecureService, SegmentedNetworks } from "shipshape";

const image =
  "registry.example.com/shop/app@sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945";

const segments = new SegmentedNetworks("shop", {
  docker: {},
  tiers: [{ name: "edge", internal: false }, { name: "app" }, { name: "data" }],
  services: [
    { name: "web", tier: "edge", ports: [8443] },
    { name: "api", tier: "app", ports: [9443] },
    { name: "db", tier: "data", ports: [5432] },
  ],
  edges: [
    { from: "web", to: "api" },
    { from: "api", to: "db" },
  ],
  mtls: { validityHours: 720, earlyRenewalHours: 168 },
});

const service = (name: string, port: number, publish?: boolean) =>
  new SecureService(`shop-${name}`, {
    docker: {},
    image,
    command: ["/app/server", "--listen", `:${port}`, "--tls-dir", "/run/secrets"],
    ...(publish ? { ports: [{ containerPort: port }] } : {}),
    healthCheck: { command: ["/app/server", "--check"] },
    segment: { networks: segments.attachments, service: name },
    secretFiles: segments.tlsFiles(name),
  });

const web = service("web", 8443, true);
const api = service("api", 9443);
const db = service("db", 5432);

const probe = new ConnectivityProbe("shop-probe", {
  topology: segments.topology,
  containers: { web: web.containerNames, api: api.containerNames, db: db.containerNames },
  probeImage: image,
});

export const topology = segments.topology;
export const networks = segments.networkNames;
export const matrix = probe.table;
