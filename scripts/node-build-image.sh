#!/usr/bin/env bash
# Builds, with no registry, an image that can run the Dockerfile's build stage: the Node image of
# scripts/node-image.sh plus a shell (the host's dash as /bin/sh), the host's npm, and the host's CA bundle
# (npm fetches the build's dependencies from the registry through whatever TLS the host's network uses).
# Usage: scripts/node-build-image.sh [TAG] [NODE_TAG]  (defaults pushcheck/node-build:local, pushcheck/node:local).
set -euo pipefail
tag=${1:-pushcheck/node-build:local}
node_tag=${2:-pushcheck/node:local}
if docker image inspect "$tag" >/dev/null 2>&1; then echo "$tag exists"; exit 0; fi
bash "$(dirname "$0")/node-image.sh" "$node_tag" >/dev/null
sh=$(readlink -f /bin/sh)
npm=$(readlink -f "$(dirname "$(readlink -f "$(command -v npm)")")/..")
ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT
mkdir -p "$ctx/root/bin" "$ctx/root/usr/local/lib/node_modules" "$ctx/root/usr/local/bin" "$ctx/root/etc/ssl/certs"
cp "$sh" "$ctx/root/bin/sh"
for lib in $(ldd "$sh" | grep -Eo '/[^ ]+'); do
  mkdir -p "$ctx/root$(dirname "$lib")"
  cp -L "$lib" "$ctx/root$lib"
done
cp -r "$npm" "$ctx/root/usr/local/lib/node_modules/npm"
printf '#!/bin/sh\nexec node /usr/local/lib/node_modules/npm/bin/npm-cli.js "$@"\n' >"$ctx/root/usr/local/bin/npm"
chmod 755 "$ctx/root/usr/local/bin/npm"
cp -L /etc/ssl/certs/ca-certificates.crt "$ctx/root/etc/ssl/certs/ca-certificates.crt"
cat >"$ctx/Dockerfile" <<DOCKERFILE
FROM $node_tag
COPY root/ /
ENV PATH=/usr/local/bin:/bin HOME=/root NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
ENTRYPOINT []
DOCKERFILE
docker build --quiet -t "$tag" "$ctx" >/dev/null
echo "built $tag"
