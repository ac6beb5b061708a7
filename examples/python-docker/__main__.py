"""shipshape from a Pulumi Python program: the same two hardened services as the TypeScript
reference stack (stacks/docker), a static web front and a background worker, their secrets from a
SecretStore mounted as files, their networks from a SegmentedNetworks (the web front in an
outside-facing tier, the worker in an internal one, nothing allowed between them). twin.ts is this program in TypeScript (the policy pack reports the
same findings on both).

    pulumi package add ../../provider    # generates sdks/shipshape (the Python SDK) and links it
    pulumi up

Config (all optional): namePrefix, image, webPort.
"""

import pulumi
import pulumi_shipshape as shipshape

config = pulumi.Config()
# Prefix of every Docker object's name, so several stacks can share one engine.
prefix = config.get("namePrefix") or "shipshape-python"
# Built locally by stacks/docker/build-image.sh; the engine never pulls it.
image = config.get("image") or "shipshape-reference/app:1"
web_port = config.get_int("webPort") or 18082
labels = {"app.kubernetes.io/part-of": prefix}

# Generated secrets: Pulumi secrets from the first moment, mounted as files, never env.
store = shipshape.SecretStore(
    "secrets",
    secrets=[
        {"name": "session-key", "length": 32},
        {"name": "api-key", "length": 24},
    ],
)

# The topology: default deny; the web front's tier faces the outside (its published port), the
# worker's tier has no route out.
segments = shipshape.SegmentedNetworks(
    f"{prefix}-segments",
    docker={},
    prefix=prefix,
    tiers=[{"name": "edge", "internal": False}, {"name": "app"}],
    services=[{"name": "web", "tier": "edge", "ports": [8080]}, {"name": "worker", "tier": "app"}],
)

# A static web front, published on the loopback interface only.
web = shipshape.SecureService(
    f"{prefix}-web",
    docker={},
    image=image,
    command=["/bin/httpd"],
    args=["-f", "-p", "8080", "-h", "/www"],
    ports=[{"container_port": 8080, "host_port": web_port}],
    health_check={
        "command": ["/bin/wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/"],
        "interval_seconds": 10,
    },
    resources={"cpu": "250m", "memory": "64Mi", "pids": 32},
    runtime_profile={"app_type": shipshape.AppType.WEB, "template": shipshape.ProfileTemplate.DEFAULT},
    secret_files=[{"value": store.values["session-key"], "path": "/run/secrets/session-key"}],
    segment={"networks": segments.attachments, "service": "web"},
    labels=labels,
)

# A background worker: no ports, a heartbeat in its tmpfs, the strict seccomp profile.
worker = shipshape.SecureService(
    f"{prefix}-worker",
    docker={},
    image=image,
    command=["/bin/sh"],
    args=["-c", "while true; do test -s /run/secrets/api-key && date > /tmp/heartbeat; sleep 5; done"],
    health_check={"command": ["/bin/test", "-f", "/tmp/heartbeat"], "interval_seconds": 10},
    secret_files=[{"value": store.values["api-key"], "path": "/run/secrets/api-key"}],
    resources={"cpu": "100m", "memory": "32Mi", "pids": 16},
    writable_paths=["/tmp"],
    runtime_profile={"app_type": shipshape.AppType.WORKER, "template": shipshape.ProfileTemplate.STRICT},
    segment={"networks": segments.attachments, "service": "worker"},
    labels=labels,
)

pulumi.export("containers", pulumi.Output.all(web.container_names, worker.container_names).apply(lambda n: n[0] + n[1]))
pulumi.export("networks", segments.network_names)
pulumi.export("url", f"http://127.0.0.1:{web_port}/")
pulumi.export("secretNames", store.names)
# A Pulumi secret: `pulumi stack output --show-secrets` reveals it.
pulumi.export("secretValues", store.values)
