# One image per service, all from this file. Build context is the repository
# root (every service needs shared/ and the root lockfile):
#   docker build --build-arg SERVICE=todo-api -t todo/todo-api .
# SERVICE is the folder under services/ (= the Dapr app id). The image sets no
# PORT: each service listens on its own default (services/<name>/src/config.ts)
# unless the pod's environment says otherwise, as the manifests do.

# The base images are build arguments, defaulting to the official Bun images:
# the delivery tests build on local stand-ins (infra/setup/bun-images.sh).
ARG BUN_IMAGE=oven/bun:1.3.14
ARG BUN_RUNTIME_IMAGE=oven/bun:1.3.14-distroless

# Stage 1: bundle main.ts and its production dependencies into one file, so
# the runtime stage needs no node_modules and no package manager.
FROM ${BUN_IMAGE} AS build
WORKDIR /src
COPY . .
RUN bun install --frozen-lockfile --production --ignore-scripts
# Declared after the install so that step's layer is shared by every service.
ARG SERVICE
RUN test -f "services/${SERVICE}/src/main.ts" || { echo "SERVICE=${SERVICE} is not a folder of services/ with src/main.ts" >&2; exit 1; }
RUN bun build ./services/${SERVICE}/src/main.ts --target=bun --production --outfile=/out/main.js
# A service that owns a database applies its migrations at start: ship them beside the bundle.
RUN if [ -d services/${SERVICE}/drizzle ]; then cp -r services/${SERVICE}/drizzle /out/drizzle; fi
# A service with a browser client (web) ships it prebuilt in public/.
RUN if [ -d services/${SERVICE}/src/client ]; then bun build ./services/${SERVICE}/src/client/main.ts --target=browser --minify --outfile=/out/public/app.js && cp services/${SERVICE}/src/client/index.html services/${SERVICE}/src/client/styles.css /out/public/; fi

# Stage 2: Bun alone on distroless; numeric non-root user so the pod's
# runAsNonRoot can verify it. Nothing is written to the image's filesystem,
# so it runs with a read-only root. No HEALTHCHECK: Kubernetes probes do that.
FROM ${BUN_RUNTIME_IMAGE}
WORKDIR /app
COPY --from=build /out/ ./
USER 65532:65532
ENV NODE_ENV=production
ENTRYPOINT ["bun", "/app/main.js"]
