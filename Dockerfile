# syntax=docker/dockerfile:1
# Ticketing BE: one image for every role (`ticketing-be run producer|worker|dashboard|all`,
# `ticketing-be simulate`, the admin commands). Node runs the TypeScript sources itself (type
# stripping, Node >= 23.6), so there is no build step: the image holds the sources and the
# production dependencies of the CLI and the packages it runs, nothing else.

# Current LTS line (even major), pinned to the exact release so that a rebuild is the same image;
# ARG so that an upgrade is one line or one --build-arg (add `@sha256:...` where the registry is
# reachable, to pin the exact bytes too).
ARG NODE_VERSION=26.10.0
ARG PNPM_VERSION=12.4.2

# ---- deps: production dependencies only, exactly as the lockfile says ----------------------
FROM node:${NODE_VERSION}-slim AS deps
ARG PNPM_VERSION
RUN npm install --global pnpm@${PNPM_VERSION}
WORKDIR /app
# Manifests first: this layer is rebuilt only when a dependency changes, not on every edit.
# Every workspace package's manifest is copied (test and bench too) so that the workspace
# matches the lockfile; only @tbe/cli and what it depends on are installed.
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./
COPY shared/package.json shared/
COPY simulators/package.json simulators/
COPY producers/package.json producers/
COPY workers/package.json workers/
COPY dashboard/package.json dashboard/
COPY cli/package.json cli/
COPY test/package.json test/
COPY bench/package.json bench/
RUN --mount=type=cache,id=tbe-pnpm-store,target=/pnpm-store \
    pnpm install --prod --frozen-lockfile --store-dir=/pnpm-store --filter "@tbe/cli..."

# ---- runtime -----------------------------------------------------------------------------
FROM node:${NODE_VERSION}-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
# Owned by root, read by the `node` user: the process cannot change its own code.
COPY --from=deps /app ./
COPY shared/src shared/src
COPY simulators/src simulators/src
COPY producers/src producers/src
COPY workers/src workers/src
COPY dashboard/src dashboard/src
COPY cli/src cli/src
COPY cli/bin cli/bin
COPY docker/healthcheck.js docker/healthcheck.js
# Workspace packages are symlinks into /app/<package>, outside node_modules: Node strips types
# only outside node_modules, so `pnpm deploy` (which copies them into node_modules) would not run.
RUN ln -s /app/cli/bin/ticketing-be.js /usr/local/bin/ticketing-be && ln -s /app/cli/bin/tbe.js /usr/local/bin/tbe
USER node
# The role's HTTP port (HTTP_PORT): /healthz, /readyz, /metrics; the dashboard's UI and API.
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
    CMD ["node", "/app/docker/healthcheck.js"]
# `docker run IMAGE run worker`; the default prints the commands.
ENTRYPOINT ["ticketing-be"]
CMD ["help"]
