# syntax=docker/dockerfile:1.7
ARG NODE_VERSION=20.11
ARG ALPINE_VERSION=3.19

FROM --platform=$BUILDPLATFORM node:${NODE_VERSION}-alpine${ALPINE_VERSION} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    npm ci --omit=dev

FROM deps AS build
COPY --link tsconfig.json ./
COPY src/ ./src/
RUN --mount=type=cache,target=/root/.npm \
    npm ci && \
    npm run build && \
    npm prune --omit=dev

FROM node:${NODE_VERSION}-alpine${ALPINE_VERSION} AS runtime
LABEL org.opencontainers.image.title="example" \
      org.opencontainers.image.source="https://example.com/repo"
ENV NODE_ENV=production PORT=8080
RUN apk add --no-cache tini curl \
    && addgroup -S app && adduser -S app -G app
RUN <<EOF
set -eux
mkdir -p /app/data
EOF
WORKDIR /app
COPY --from=deps --chown=app:app /app/node_modules ./node_modules
COPY --from=build --chown=app:app /app/dist ./dist
COPY --chmod=0755 docker-entrypoint.sh /usr/local/bin/
USER app
EXPOSE 8080/tcp
VOLUME ["/app/data"]
HEALTHCHECK --interval=30s --timeout=3s --retries=3 \
  CMD curl -fsS http://localhost:${PORT}/health || exit 1
STOPSIGNAL SIGTERM
ENTRYPOINT ["/sbin/tini", "--", "docker-entrypoint.sh"]
CMD ["node", "dist/server.js"]
