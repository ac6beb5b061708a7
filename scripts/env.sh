# Sourced by the project's scripts: puts the project's own Node (and, once built, the Pulumi
# toolchain) first on PATH. Everything lives under SHIPSHAPE_CACHE, outside the repo.
: "${SHIPSHAPE_CACHE:=${XDG_CACHE_HOME:-$HOME/.cache}/shipshape}"
export SHIPSHAPE_CACHE
SHIPSHAPE_NODE_MAJOR=24
export SHIPSHAPE_NODE_DIR="$SHIPSHAPE_CACHE/node-$SHIPSHAPE_NODE_MAJOR"
# Every binary the toolchain build produced.
export SHIPSHAPE_PULUMI_DIR="$SHIPSHAPE_CACHE/pulumi/bin"
# What goes on PATH: the CLI and the plugins bundled with it (language host, dynamic providers),
# as links into SHIPSHAPE_PULUMI_DIR. The resource plugins stay off PATH (the CLI would warn
# "using pulumi-resource-docker from $PATH" in every preview); build.sh registers them with
# `pulumi plugin install`, and the CLI finds them in $PULUMI_HOME/plugins.
export SHIPSHAPE_PULUMI_PATH="$SHIPSHAPE_CACHE/pulumi/path"
export SHIPSHAPE_LOG_DIR="${SHIPSHAPE_LOG_DIR:-$SHIPSHAPE_CACHE/logs}"
# The main job's hardened engine (scripts/hardened-engine.sh).
export SHIPSHAPE_ENGINE_SOCKET="${SHIPSHAPE_ENGINE_SOCKET:-/run/shipshape-docker.sock}"
export SHIPSHAPE_ENGINE_NETNS="${SHIPSHAPE_ENGINE_NETNS:-shipshape-docker}"
# An older env.sh put SHIPSHAPE_PULUMI_DIR itself on PATH; take it off.
case ":$PATH:" in
  *":$SHIPSHAPE_PULUMI_DIR:"*)
    PATH=":$PATH:"
    PATH="${PATH//:$SHIPSHAPE_PULUMI_DIR:/:}"
    PATH="${PATH#:}"
    PATH="${PATH%:}"
    ;;
esac
case ":$PATH:" in
  *":$SHIPSHAPE_NODE_DIR/bin:"*) ;;
  *) PATH="$SHIPSHAPE_NODE_DIR/bin:$SHIPSHAPE_PULUMI_PATH:$PATH" ;;
esac
case ":$PATH:" in
  *":$SHIPSHAPE_PULUMI_PATH:"*) ;;
  *) PATH="$SHIPSHAPE_PULUMI_PATH:$PATH" ;;
esac
export PATH
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
