#!/usr/bin/env bash
# Installs what lambdalab needs on Debian 12, and only what is missing.
#   scripts/install-deps.sh          build and run dependencies
#   scripts/install-deps.sh --test   also the real clients and the browser the tests drive
set -euo pipefail
cd "$(dirname "$0")/.."

want_tests=0
[[ "${1:-}" == "--test" ]] && want_tests=1

packages=(build-essential cmake ccache pkg-config make
          libboost1.81-dev libboost-filesystem1.81-dev nlohmann-json3-dev
          libsqlite3-dev sqlite3 libcli11-dev libzip-dev zip unzip
          libgtest-dev libgmock-dev libbenchmark-dev
          python3 python3-boto3 curl procps)
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)
if (( want_tests )); then
  packages+=(awscli python3-boto3 python3-jsonschema chromium)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if (( ${#missing[@]} )); then
  echo "install-deps: installing ${missing[*]}"
  sudo_cmd=()
  (( EUID == 0 )) || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Front-end packages (web UI chart library and bundler) come from npm, pinned by package-lock.json.
npm_install() {
  local dir=$1
  if [[ ! -d "$dir/node_modules" || "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]]; then
    echo "install-deps: npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}
[[ -f web-ui/package.json ]] && npm_install web-ui
if (( want_tests )); then
  # Real AWS clients and the official Node runtime interface client (builds native code, about 2 min).
  [[ -f tests/clients/package.json ]] && npm_install tests/clients
fi
exit 0
