# Assure's container image: `docker build -t assure .` (see docs/operations.md).
# Three stages keep the image small: front-end assets built with Node, the Python package
# built as a wheel, and a slim runtime with neither Node nor a compiler.

FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY assets ./assets
RUN mkdir -p build/static \
 && npm run --silent build \
 && cp -r node_modules/govuk-frontend/dist/govuk/assets/images build/static/ \
 && cp node_modules/govuk-frontend/dist/govuk/assets/manifest.json \
       node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js \
       node_modules/htmx.org/dist/htmx.min.js assets/*.js build/static/

FROM python:3.13-slim-bookworm AS wheels
WORKDIR /src
COPY pyproject.toml README.md ./
COPY src ./src
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.13-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HOME=/tmp \
    ASSURE_VAR_DIR=/var/lib/assure \
    ASSURE_STATIC_ROOT=/opt/assure/static \
    ASSURE_ASSETS_DIR=/opt/assure/assets \
    ASSURE_WEB_BIND=0.0.0.0:8000 \
    ASSURE_WEB_WORKER_TMP_DIR=/dev/shm
RUN useradd --system --uid 10001 --user-group --home-dir /nonexistent --shell /usr/sbin/nologin assure
COPY --from=wheels /wheels /wheels
# pip compiles the installed modules (it ignores PYTHONDONTWRITEBYTECODE): without the .pyc
# files every command and server process compiled all of Django, polars, ... at start, ~2.8 s.
RUN pip install --no-cache-dir --no-index --find-links /wheels assure && rm -rf /wheels
COPY --from=assets /build/build/static /opt/assure/assets
# Static files are collected into the image (read-only at run time); the var folder, for the
# SQLite file (if used), evidence files and temporary uploads, is the one writable volume.
RUN SECRET_KEY=image-build-only ASSURE_VAR_DIR=/tmp/build-var assure collectstatic --no-input -v 0 \
 && rm -rf /tmp/build-var \
 && install -d -o assure -g assure -m 0700 /var/lib/assure
VOLUME /var/lib/assure
USER assure
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
CMD ["assure", "serve"]
