# Image for the `worker` (wrangler dev) and `rooms` (partykit dev) services of docker-compose.yml.
FROM node:24-bookworm-slim

RUN apt-get update \
  && apt-get install -y --no-install-recommends ca-certificates \
  && rm -rf /var/lib/apt/lists/*

WORKDIR /app
ENV CI=true WRANGLER_SEND_METRICS=false

COPY package.json package-lock.json ./
# npm ci's postinstall copies Swagger UI's files for /docs into public/vendor/.
COPY scripts/vendor-docs-ui.ts scripts/
RUN npm ci --no-audit --no-fund

COPY . .
