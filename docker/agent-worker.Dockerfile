# syntax=docker/dockerfile:1
# Millrace agent-worker: pulls jobs from the agent-broker over HTTP only.
# Build from the repository root:
#   docker build -f docker/agent-worker.Dockerfile -t millrace/agent-worker .
# Run with AGENT_TOKEN (minted by a superadmin) and BASE_INTERNAL_URL (gateway or broker).
ARG NODE_IMAGE=node:20-slim

# --- build: one self-contained file (every npm package inlined) ------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.base.json ./
COPY tools/build tools/build
COPY libs libs
COPY apps apps
RUN node tools/build/bundle.mjs --entry apps/agent-worker/src/main.ts --outfile dist/apps/agent-worker/main.js --self-contained

# --- runtime: no node_modules at all; the bundle is the whole app ----------------------------
FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    NODE_OPTIONS=--enable-source-maps \
    HEALTH_PORT=8004
# bash jobs need bash, python3 jobs need python3; node:20-slim ships only the former. tini is
# PID 1: it passes SIGTERM on to the worker (which drains) and reaps processes a job left
# behind that were re-parented to it (Node reaps only the children it started).
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 tini \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /src/dist/apps/agent-worker/ ./
USER 1000:1000
EXPOSE 8004
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.HEALTH_PORT + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "main.js"]
