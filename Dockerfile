# pushcheck for teams without Node: `docker build -t pushcheck .` here, then (see README "Install")
#   docker run --rm --network host --user "$(id -u):$(id -g)" -v "$PWD:/work" pushcheck \
#     run --profile onenet --target http://127.0.0.1:8080/onenet --token "$TOKEN" --report reports/onenet
# The reports land in the mounted folder (the working directory, /work). --network host lets pushcheck
# reach a receiver on the host's loopback.
#
# BASE_IMAGE is the official Node image; BUILD_IMAGE, the build stage's, defaults to it. A machine with no
# image registry passes local images instead: .ci's test (tests/docker.test.ts) builds BASE_IMAGE from the
# host's node binary (scripts/node-image.sh) and BUILD_IMAGE from that plus a shell and npm
# (scripts/node-build-image.sh); the build stage still fetches the npm packages from the npm registry.
ARG BASE_IMAGE=node:20-slim
ARG BUILD_IMAGE=${BASE_IMAGE}

# Build: the compiled package (npm run build), then only its runtime files and production dependencies.
FROM ${BUILD_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY . .
# Node does the file work: a base image made of the node binary alone has no mkdir or cp.
RUN npm run build && npm prune --omit=dev --no-audit --no-fund --ignore-scripts \
  && node scripts/image-files.js /out/opt/pushcheck \
  && node -e 'for (const d of ["/out/tmp", "/out/work"]) { \
    require("fs").mkdirSync(d, { recursive: true }); require("fs").chmodSync(d, 0o1777); }'

# Run: Node, the package, a world-writable /tmp and /work; not root.
FROM ${BASE_IMAGE}
COPY --from=build /out/ /
ENV HOME=/tmp NODE_ENV=production
USER 1000:1000
WORKDIR /work
ENTRYPOINT ["node", "/opt/pushcheck/bin/pushcheck.js"]
CMD ["--help"]
