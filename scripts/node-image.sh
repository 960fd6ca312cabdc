#!/usr/bin/env bash
# Builds a Node.js base image with no registry: the host's own node binary and the libraries it links, on
# an empty (scratch) image. Usage: scripts/node-image.sh [TAG]  (default pushcheck/node:local).
# Example Dockerfiles take it as their base with --build-arg NODE_IMAGE=TAG.
set -euo pipefail
tag=${1:-pushcheck/node:local}
if docker image inspect "$tag" >/dev/null 2>&1; then echo "$tag exists"; exit 0; fi
node=$(readlink -f "$(command -v node)")
ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT
mkdir -p "$ctx/root/usr/local/bin" "$ctx/root/tmp"
cp "$node" "$ctx/root/usr/local/bin/node"
# Every library node links, at the path the loader looks for it, and the loader itself.
for lib in $(ldd "$node" | grep -Eo '/[^ ]+'); do
  mkdir -p "$ctx/root$(dirname "$lib")"
  cp -L "$lib" "$ctx/root$lib"
done
cat >"$ctx/Dockerfile" <<'DOCKERFILE'
FROM scratch
COPY root/ /
ENV PATH=/usr/local/bin
ENTRYPOINT ["/usr/local/bin/node"]
DOCKERFILE
docker build --quiet -t "$tag" "$ctx" >/dev/null
echo "built $tag"
