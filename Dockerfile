# The bot as an image, for docker-compose.yml: built (npm ci runs the TypeScript build), then
# pruned to its runtime dependencies. The corpus folder is mounted at /corpus; the data lives in
# PostgreSQL (DATABASE_URL) or in DATA_DIR.
FROM node:20-bookworm
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
COPY models ./models
RUN npm ci --no-audit --no-fund && npm prune --omit=dev && npm cache clean --force
ENV NODE_ENV=production CORPUS_DIR=/corpus
CMD ["node", "build/src/main.js", "--webhook"]
