# banter: docker build -t banter . && docker run -p 3000:3000 -v banter-data:/data --env-file banter.env banter
# No Docker daemon runs where banter is developed: deploy/check-dockerfile.mjs runs these same steps without one.

# Build: all dependencies, the Nuxt build. better-sqlite3 compiles from source where its prebuilt binary
# cannot be downloaded, which needs python3, make and g++.
FROM node:20-bookworm-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json .nuxtrc ./
# Without scripts first (banter's own postinstall, nuxt prepare, needs the sources), then the dependencies' own.
RUN npm ci --no-audit --no-fund --ignore-scripts && npm rebuild
COPY . .
RUN npx nuxt build

# Run: the self-contained .output (Nitro traces what it needs, the better-sqlite3 addon included) and the
# backup scripts, which find better-sqlite3 through the node_modules link.
FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 NUXT_DATABASE_PATH=/data/banter.sqlite
WORKDIR /app
COPY --from=build /app/.output ./.output
COPY --from=build /app/scripts ./scripts
RUN ln -s .output/server/node_modules node_modules && mkdir -p /data && chown node:node /data
# The image's unprivileged user; the SQLite file and its WAL live in the volume.
USER node
VOLUME /data
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/health').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM (docker stop) is graceful: clients get 1012 and resume on another instance or after the restart.
CMD ["node", ".output/server/index.mjs"]
