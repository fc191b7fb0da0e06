# syntax=docker/dockerfile:1
# Millrace normal-worker: runs jobs straight from PostgreSQL; HTTP only for health and metrics.
# Build from the repository root (the context must hold package-lock.json, libs/ and apps/):
#   docker build -f docker/normal-worker.Dockerfile -t millrace/normal-worker .
ARG NODE_IMAGE=node:20-slim

# --- build: the repository's own bundler (esbuild + SWC for decorator metadata) -------------
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
# Install scripts are not needed to bundle (esbuild and SWC load their platform packages).
RUN --mount=type=cache,target=/root/.npm npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.base.json ./
COPY tools/build tools/build
COPY libs libs
COPY apps apps
RUN node tools/build/bundle.mjs --entry apps/normal-worker/src/main.ts --outfile dist/apps/normal-worker/main.js \
 && node tools/build/bundle.mjs --entry libs/data-access/src/cli/migrate.ts --outfile dist/tools/migrate/main.js

# --- prod-deps: what the bundle leaves external (Nest, TypeORM, pg …) ------------------------
# --omit=optional drops the embedded-postgres binaries (local development only) and
# pg-cloudflare; nothing else in the production tree is optional.
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /src
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund

# --- runtime ---------------------------------------------------------------------------------
FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    NODE_OPTIONS=--enable-source-maps \
    HEALTH_PORT=8003
# bash jobs need bash, python3 jobs need python3; node:20-slim ships only the former. tini is
# PID 1: it passes SIGTERM on to the worker (which drains) and reaps processes a job left
# behind that were re-parented to it (Node reaps only the children it started).
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 tini \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=prod-deps /src/node_modules ./node_modules
COPY --from=build /src/dist/apps/normal-worker/ ./
# The migrate CLI (`node migrate/main.js`), for a release job that migrates before rollout.
COPY --from=build /src/dist/tools/migrate/ ./migrate/
# Numeric: Kubernetes can only check runAsNonRoot against a numeric user (1000 = `node`).
USER 1000:1000
EXPOSE 8003
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.HEALTH_PORT + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "main.js"]
