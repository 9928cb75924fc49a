# One image for every lab node (docs/docker.md): the app and its npm dependencies, nothing fetched
# at run time. Each compose service runs `node --import tsx lab/node-main.ts <node> <topology>`.
FROM node:20-bookworm-slim

ENV NODE_ENV=development \
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 \
    npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false

WORKDIR /app
RUN chown node:node /app
USER node

# Dependencies first, so a source change does not redo `npm ci`. tsx is a devDependency and the
# nodes run through it (no build step), hence a full install rather than --omit=dev.
COPY --chown=node:node package.json package-lock.json ./
RUN npm ci --ignore-scripts && npm cache clean --force

COPY --chown=node:node . .

# The node to run and the topology are the compose service's command; this default is harmless.
CMD ["node", "--import", "tsx", "lab/node-main.ts", "console", "lab/topology.yaml"]
