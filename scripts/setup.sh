#!/usr/bin/env bash
# Everything the project needs on a fresh Debian 12 machine, idempotent and quick when nothing
# changed (`make setup`; `make run` and `make test` call it). See docs/SETUP.md.
#   1. Debian packages (apt only when something is missing)
#   2. Python venv in .venv + `pip install -e '.[dev]'` when pyproject.toml changed
#   3. front-end packages (npm ci / npm install) when package.json / package-lock.json changed
#   4. the database: scripts/ensure_db.sh
# Environment: SETUP_SKIP_APT=1 skips step 1 (no root, packages managed elsewhere).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
STATE_DIR="$REPO/.state"
VENV="$REPO/.venv"
PY_STAMP="$STATE_DIR/pip-installed.sha256"
NPM_STAMP="$STATE_DIR/npm-installed.sha256"

log() { printf '[setup] %s\n' "$*"; }
die() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }

mkdir -p "$STATE_DIR"
exec 9>"$STATE_DIR/setup.lock"
command -v flock >/dev/null 2>&1 && flock 9   # one setup at a time (make -j, two shells)

# --- 1. Debian packages ------------------------------------------------------------------------
APT_PACKAGES=(
    postgresql-15 postgresql-15-postgis-3 postgresql-client-15   # database server + PostGIS (+ pgbench: make bench)
    gdal-bin libgdal32 libgeos-c1v5 libproj25 binutils           # GeoDjango
    fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0              # WeasyPrint PDFs with Chinese
    chromium                                                     # browser tests (Playwright)
    wrk                                                          # benchmarks
    poppler-utils                                                # pdftotext/pdftoppm in tests
)
# Node.js/npm from Debian only when not already on PATH (this machine kind ships node 20 and
# npm 11 from elsewhere; Debian's npm would clash with them).
command -v node >/dev/null 2>&1 || APT_PACKAGES+=(nodejs)
command -v npm >/dev/null 2>&1 || APT_PACKAGES+=(npm)
# A Debian python3 without ensurepip cannot make a venv.
if [ ! -x "$VENV/bin/python" ] && ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
    APT_PACKAGES+=(python3-venv)
fi

missing_packages() {
    local installed
    installed="$(dpkg-query -W -f='${Package} ${Status}\n' "${APT_PACKAGES[@]}" 2>/dev/null |
        awk '$NF == "installed" && $(NF-1) == "ok" { print $1 }' || true)"
    local p
    for p in "${APT_PACKAGES[@]}"; do
        grep -qxF "$p" <<<"$installed" || printf '%s\n' "$p"
    done
}

if [ "${SETUP_SKIP_APT:-0}" = 1 ]; then
    log "Debian packages: skipped (SETUP_SKIP_APT=1)"
else
    mapfile -t MISSING < <(missing_packages)
    if [ "${#MISSING[@]}" -eq 0 ]; then
        log "Debian packages: all present"
    else
        log "Debian packages to install: ${MISSING[*]}"
        SUDO=()
        if [ "$(id -u)" != 0 ]; then
            command -v sudo >/dev/null 2>&1 ||
                die "not root and no sudo: install these packages first: ${MISSING[*]}"
            SUDO=(sudo)
        fi
        export DEBIAN_FRONTEND=noninteractive
        APT_OPTS=(-y -q -o DPkg::Lock::Timeout=600 -o Dpkg::Options::=--force-confdef
            -o Dpkg::Options::=--force-confold)
        "${SUDO[@]}" apt-get "${APT_OPTS[@]}" update
        "${SUDO[@]}" apt-get "${APT_OPTS[@]}" install --no-install-recommends "${MISSING[@]}"
        mapfile -t STILL < <(missing_packages)
        [ "${#STILL[@]}" -eq 0 ] || die "still missing after apt-get install: ${STILL[*]}"
    fi
fi

# --- 2. Python virtual environment --------------------------------------------------------------
FRESH_VENV=0
if ! "$VENV/bin/python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' >/dev/null 2>&1; then
    [ -e "$VENV" ] && log "replacing the broken or non-3.11 virtualenv in .venv"
    rm -rf "$VENV"
    python3 -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' ||
        die "python3 is $(python3 --version 2>&1); the project needs Python 3.11"
    log "creating the virtualenv .venv"
    python3 -m venv "$VENV"
    FRESH_VENV=1
fi
PY_HASH="$(sha256sum <pyproject.toml | cut -d' ' -f1)"
if [ "$FRESH_VENV" = 1 ] || [ ! -f "$PY_STAMP" ] || [ "$(cat "$PY_STAMP")" != "$PY_HASH" ]; then
    log "installing Python dependencies: pip install -e '.[dev]'"
    export PIP_DISABLE_PIP_VERSION_CHECK=1
    "$VENV/bin/python" -m pip install -q -e '.[dev]'
    printf '%s\n' "$PY_HASH" >"$PY_STAMP"
else
    log "Python dependencies: up to date"
fi

# --- 3. Front-end packages -----------------------------------------------------------------------
if [ ! -f package.json ]; then
    log "front-end packages: no package.json yet, skipped"
else
    npm_hash() { cat package.json package-lock.json 2>/dev/null | sha256sum | cut -d' ' -f1; }
    if [ ! -d node_modules ] || [ ! -f "$NPM_STAMP" ] || [ "$(cat "$NPM_STAMP")" != "$(npm_hash)" ]; then
        if [ -f package-lock.json ]; then
            log "installing front-end packages: npm ci"
            npm ci --no-audit --no-fund --loglevel=error
        else
            log "installing front-end packages: npm install (no package-lock.json yet)"
            npm install --no-audit --no-fund --loglevel=error
        fi
        npm_hash >"$NPM_STAMP"   # after the install: npm install may have written the lock
    else
        log "front-end packages: up to date"
    fi
fi

# --- 4. Database -----------------------------------------------------------------------------------
bash "$REPO/scripts/ensure_db.sh"

# --- 5. Secret key ---------------------------------------------------------------------------------
# A random key per checkout for `make run`/`make dev` (mapsite/settings.py reads it when
# DJANGO_SECRET_KEY is not set). A deployment sets DJANGO_SECRET_KEY instead.
if [ ! -s "$STATE_DIR/secret_key" ]; then
    mkdir -p "$STATE_DIR"
    (umask 077 && "$REPO/.venv/bin/python" -c 'import secrets; print(secrets.token_urlsafe(50))' >"$STATE_DIR/secret_key")
    log "wrote a random secret key to .state/secret_key"
fi
