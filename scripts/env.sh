# Sourced by the project's scripts: puts the project's own Node (and, once built, the Pulumi
# toolchain) first on PATH. Everything lives under SHIPSHAPE_CACHE, outside the repo.
: "${SHIPSHAPE_CACHE:=${XDG_CACHE_HOME:-$HOME/.cache}/shipshape}"
export SHIPSHAPE_CACHE
SHIPSHAPE_NODE_MAJOR=24
export SHIPSHAPE_NODE_DIR="$SHIPSHAPE_CACHE/node-$SHIPSHAPE_NODE_MAJOR"
export SHIPSHAPE_PULUMI_DIR="$SHIPSHAPE_CACHE/pulumi/bin"
case ":$PATH:" in
  *":$SHIPSHAPE_NODE_DIR/bin:"*) ;;
  *) export PATH="$SHIPSHAPE_NODE_DIR/bin:$SHIPSHAPE_PULUMI_DIR:$PATH" ;;
esac
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
