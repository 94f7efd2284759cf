#!/usr/bin/env bash
# Decide which PostgreSQL/PostGIS database the application uses, make sure it exists with the
# postgis extension, and write its URL (postgis://...) to .state/database_url, which
# mapsite/settings.py reads when DATABASE_URL is not set. See docs/SETUP.md.
#
# Order of choice:
#   (a) DATABASE_URL set           -> used as is (postgis extension created if we can)
#   (p) a private cluster exists   -> reused (started if stopped); `make clean-db` removes it
#   (b) local server on the default socket (/var/run/postgresql, port 5432), started with
#       pg_ctlcluster if installed but stopped -> database $DB_NAME as role postgres
#   (c) otherwise                  -> private cluster under .pgdata/ (socket in .pgdata/run,
#                                     TCP 127.0.0.1:5433 or the next free port)
#
# Usage: scripts/ensure_db.sh            choose/prepare the database (idempotent, fast)
#        scripts/ensure_db.sh --clean    stop and remove the private cluster, if any
#
# Environment: DATABASE_URL, DB_NAME (default ningxia), DB_URL_FILE (where the URL goes, default
# .state/database_url; `make run PROVINCE=henan` uses DB_NAME=henan and .state/database_url.henan),
# DB_FORCE_PRIVATE=1 (skip the system server), DB_PRIVATE_DIR (default <repo>/.pgdata),
# DB_PRIVATE_PORT (default 5433).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE_DIR="$REPO/.state"
URL_FILE="${DB_URL_FILE:-$STATE_DIR/database_url}"
case "$URL_FILE" in /*) ;; *) URL_FILE="$REPO/$URL_FILE" ;; esac
DB_NAME="${DB_NAME:-ningxia}"
SYSTEM_SOCKET=/var/run/postgresql
SYSTEM_PORT=5432
DEFAULT_PRIVATE_DIR="$REPO/.pgdata"
PRIVATE_DIR="${DB_PRIVATE_DIR:-$DEFAULT_PRIVATE_DIR}"
PRIVATE_PORT="${DB_PRIVATE_PORT:-5433}"
PREFERRED_PG=15

log() { printf '[db] %s\n' "$*" >&2; }
die() { printf '[db] ERROR: %s\n' "$*" >&2; exit 1; }

[[ "$DB_NAME" =~ ^[a-z_][a-z0-9_]*$ ]] || die "DB_NAME='$DB_NAME': use lower-case letters, digits and _"
[[ "$PRIVATE_PORT" =~ ^[0-9]+$ ]] || die "DB_PRIVATE_PORT='$PRIVATE_PORT' is not a port number"

IS_ROOT=0
[ "$(id -u)" = 0 ] && IS_ROOT=1

# Run a command as the postgres OS user when we are root (PostgreSQL refuses to run as root;
# peer authentication maps the OS user postgres to the role postgres). `cd /` avoids
# "could not change directory" warnings when postgres cannot read the current directory.
# Descriptors 8 and 9 (our lock files, see main and setup.sh) are closed so that a server
# started here does not inherit them and hold the locks for ever.
as_pg() {
    if [ "$IS_ROOT" = 1 ]; then
        (cd / && runuser -u postgres -- "$@" 8>&- 9>&-)
    else
        "$@" 8>&- 9>&-
    fi
}

urlencode() {  # percent-encode everything but unreserved characters and '/'
    local s="$1" out="" c i
    for ((i = 0; i < ${#s}; i++)); do
        c="${s:i:1}"
        case "$c" in
            [A-Za-z0-9/._~-]) out+="$c" ;;
            *) out+=$(printf '%%%02X' "'$c") ;;
        esac
    done
    printf '%s' "$out"
}

write_url() {
    mkdir -p "$STATE_DIR"
    if [ ! -f "$URL_FILE" ] || [ "$(cat "$URL_FILE")" != "$1" ]; then
        printf '%s\n' "$1" >"$URL_FILE.tmp"
        mv -f "$URL_FILE.tmp" "$URL_FILE"
    fi
}

# psql against the system server as an administrator (OS user postgres when root).
sys_psql() {  # sys_psql DBNAME [psql args...]
    local db="$1"; shift
    if [ "$IS_ROOT" = 1 ]; then
        as_pg psql -X -q -A -t -v ON_ERROR_STOP=1 -h "$SYSTEM_SOCKET" -p "$SYSTEM_PORT" -d "$db" "$@"
    else
        psql -X -q -A -t -v ON_ERROR_STOP=1 -h "$SYSTEM_SOCKET" -p "$SYSTEM_PORT" -U postgres -d "$db" "$@"
    fi
}

# Create $DB_NAME (UTF-8) and the postgis extension in it, through an admin psql function.
ensure_database() {  # ensure_database PSQL_FUNCTION [extra args for it...]
    local fn="$1"; shift
    local have
    have="$("$fn" postgres "$@" -c "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" || return 1
    if [ "$have" != 1 ]; then
        log "creating database $DB_NAME"
        "$fn" postgres "$@" -c "CREATE DATABASE \"$DB_NAME\" ENCODING 'UTF8' TEMPLATE template0 LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'" || return 1
    fi
    have="$("$fn" "$DB_NAME" "$@" -c "SELECT 1 FROM pg_extension WHERE extname = 'postgis'")" || return 1
    if [ "$have" != 1 ]; then
        log "creating extension postgis in $DB_NAME"
        "$fn" "$DB_NAME" "$@" -c "CREATE EXTENSION IF NOT EXISTS postgis" || return 1
    fi
}

# Can the current OS user connect with this URL and see PostGIS? Prints the PostGIS version.
check_url() {
    local libpq="postgresql://${1#*://}"
    PGCONNECT_TIMEOUT=5 psql -X -q -A -t -v ON_ERROR_STOP=1 "$libpq" \
        -c "SELECT postgis_lib_version()" 2>/dev/null
}

# ----------------------------------------------------------------------------------------------
# Private cluster
# ----------------------------------------------------------------------------------------------
pg_bindir() {  # a PostgreSQL with PostGIS: prefer 15, else the newest installed
    local v
    if [ -x "/usr/lib/postgresql/$PREFERRED_PG/bin/postgres" ] &&
        [ -f "/usr/share/postgresql/$PREFERRED_PG/extension/postgis.control" ]; then
        echo "/usr/lib/postgresql/$PREFERRED_PG/bin"; return 0
    fi
    for v in $(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' 2>/dev/null | sort -rn); do
        if [ -x "/usr/lib/postgresql/$v/bin/postgres" ] &&
            [ -f "/usr/share/postgresql/$v/extension/postgis.control" ]; then
            echo "/usr/lib/postgresql/$v/bin"; return 0
        fi
    done
    return 1
}

private_paths() {
    # .pgdata may be a symlink to a place the postgres user can reach (see private_prepare_dir).
    if [ -L "$PRIVATE_DIR" ]; then PRIVATE_REAL="$(readlink -f "$PRIVATE_DIR")"; else PRIVATE_REAL="$PRIVATE_DIR"; fi
    PDATA="$PRIVATE_REAL/data"
    PRUN="$PRIVATE_REAL/run"
    PLOG="$PRIVATE_REAL/log/postgresql.log"
    # A unix socket path is limited to 107 bytes; fall back to a short directory in /tmp.
    if [ $(( ${#PRUN} + 16 )) -gt 100 ]; then
        PRUN="/tmp/ningxia-pg-$(printf '%s' "$PRIVATE_REAL" | sha256sum | cut -c1-12)"
    fi
}

private_exists() { private_paths; [ -f "$PDATA/PG_VERSION" ]; }

private_pid_line() {  # private_pid_line N -> line N of postmaster.pid (4 = port, 5 = socket dir)
    sed -n "${1}p" "$PDATA/postmaster.pid" 2>/dev/null
}

private_running() {
    [ -f "$PDATA/postmaster.pid" ] || return 1
    local bindir
    bindir="$(pg_bindir)" || return 1
    as_pg "$bindir/pg_ctl" -D "$PDATA" status >/dev/null 2>&1
}

port_busy() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

private_prepare_dir() {
    if [ -L "$PRIVATE_DIR" ]; then
        # Already redirected to a place the postgres user can reach (see below).
        local target
        target="$(readlink -f "$PRIVATE_DIR")"
        mkdir -p "$target"
        if [ "$IS_ROOT" = 1 ]; then chown postgres:postgres "$target"; chmod 0755 "$target"; fi
    else
        mkdir -p "$PRIVATE_DIR"
        if [ "$IS_ROOT" = 1 ]; then
            chown postgres:postgres "$PRIVATE_DIR"
            chmod 0755 "$PRIVATE_DIR"
            if ! as_pg test -x "$PRIVATE_DIR" -a -w "$PRIVATE_DIR"; then
                # A parent directory is closed to the postgres user (e.g. a clone under /root).
                [ "$PRIVATE_DIR" = "$DEFAULT_PRIVATE_DIR" ] ||
                    die "the postgres OS user cannot write $PRIVATE_DIR; choose another DB_PRIVATE_DIR"
                local alt
                alt="/var/tmp/ningxia-pgdata-$(printf '%s' "$REPO" | sha256sum | cut -c1-12)"
                log "postgres cannot reach $PRIVATE_DIR; keeping the cluster in $alt (.pgdata links to it)"
                rmdir "$PRIVATE_DIR"
                mkdir -p "$alt"
                chown postgres:postgres "$alt"
                chmod 0755 "$alt"
                ln -s "$alt" "$PRIVATE_DIR"
            fi
        fi
    fi
    private_paths
    local d
    for d in "$PRIVATE_REAL/log" "$PRUN"; do
        mkdir -p "$d"
        if [ "$IS_ROOT" = 1 ]; then chown postgres:postgres "$d"; fi
        chmod 0755 "$d"
    done
}

private_init() {
    local bindir="$1"
    private_prepare_dir
    log "initialising a private PostgreSQL cluster in $PDATA"
    as_pg "$bindir/initdb" -D "$PDATA" -U postgres --auth=trust --encoding=UTF8 \
        --locale=C.UTF-8 >"$PRIVATE_REAL/log/initdb.log" 2>&1 ||
        die "initdb failed; see $PRIVATE_REAL/log/initdb.log"
    if [ "$IS_ROOT" = 1 ]; then chown postgres:postgres "$PRIVATE_REAL/log/initdb.log"; fi
    cat >>"$PDATA/postgresql.conf" <<'EOF'

# --- added by scripts/ensure_db.sh (development/test cluster) ---
# listen_addresses, port and unix_socket_directories are passed by ensure_db.sh at start.
synchronous_commit = off
logging_collector = off
EOF
}

private_start() {
    local bindir="$1" port="$PRIVATE_PORT" last=$((PRIVATE_PORT + 30))
    private_prepare_dir
    while port_busy "$port"; do
        port=$((port + 1))
        [ "$port" -le "$last" ] || die "no free TCP port in $PRIVATE_PORT..$last on 127.0.0.1"
    done
    [[ "$PRUN" != *"'"* ]] || die "socket directory path contains a quote: $PRUN"
    log "starting the private cluster (socket $PRUN, 127.0.0.1:$port; log $PLOG)"
    as_pg "$bindir/pg_ctl" -D "$PDATA" -l "$PLOG" -w -t 90 -s \
        -o "-c listen_addresses=127.0.0.1 -p $port -k '$PRUN'" start ||
        die "the private cluster did not start; see $PLOG"
}

use_private() {
    local bindir
    bindir="$(pg_bindir)" ||
        die "no PostgreSQL with PostGIS installed (run scripts/setup.sh: postgresql-15, postgresql-15-postgis-3)"
    private_paths
    if [ ! -f "$PDATA/PG_VERSION" ]; then
        [ -e "$PDATA" ] && [ -n "$(ls -A "$PDATA" 2>/dev/null)" ] &&
            die "$PDATA exists but is not a cluster; remove it with 'make clean-db'"
        private_init "$bindir"
    fi
    private_running || private_start "$bindir"

    local port sock
    port="$(private_pid_line 4)"
    sock="$(private_pid_line 5)"
    { [ -n "$port" ] && [ -n "$sock" ]; } || die "cannot read port/socket from $PDATA/postmaster.pid"
    priv_psql() {  # priv_psql DBNAME [args]
        local db="$1"; shift
        psql -X -q -A -t -v ON_ERROR_STOP=1 -h "$sock" -p "$port" -U postgres -d "$db" "$@"
    }
    ensure_database priv_psql || die "could not create database $DB_NAME with postgis"
    local url ver
    url="postgis://postgres@:$port/$DB_NAME?host=$(urlencode "$sock")"
    ver="$(check_url "$url")" || die "cannot connect to $url"
    write_url "$url"
    echo "[db] using the private PostgreSQL cluster in $PDATA ($sock, 127.0.0.1:$port), database $DB_NAME, PostGIS $ver ('make clean-db' removes it)"
}

clean_private() {
    private_paths
    if [ ! -e "$PRIVATE_DIR" ]; then
        echo "[db] no private cluster in $PRIVATE_DIR; nothing to do (the system server is never touched)"
        return 0
    fi
    local sock=""
    if [ -f "$PDATA/PG_VERSION" ]; then
        sock="$(private_pid_line 5 || true)"
        if private_running; then
            log "stopping the private cluster"
            as_pg "$(pg_bindir)/pg_ctl" -D "$PDATA" -m fast -w -s stop || die "could not stop the cluster in $PDATA"
        fi
    fi
    rm -rf "$PRIVATE_REAL"
    [ -L "$PRIVATE_DIR" ] && rm -f "$PRIVATE_DIR"
    rm -rf "$PRIVATE_DIR"
    case "$PRUN" in /tmp/ningxia-pg-*) rm -rf "$PRUN" ;; esac
    # Forget the URLs (every province's) that pointed at that cluster, so the next setup
    # chooses again.
    local f
    for f in "$URL_FILE" "$STATE_DIR"/database_url "$STATE_DIR"/database_url.*; do
        if [ -f "$f" ] && { grep -qF "$(urlencode "$PRUN")" "$f" ||
            { [ -n "$sock" ] && grep -qF "$(urlencode "$sock")" "$f"; }; }; then
            rm -f "$f"
        fi
    done
    echo "[db] removed the private cluster in $PRIVATE_DIR"
}

# ----------------------------------------------------------------------------------------------
# System server (Debian cluster on /var/run/postgresql:5432)
# ----------------------------------------------------------------------------------------------
system_ready() { pg_isready -q -h "$SYSTEM_SOCKET" -p "$SYSTEM_PORT" -t 3 >/dev/null 2>&1; }

start_system_cluster() {  # start a stopped Debian cluster that listens on 5432, if any
    command -v pg_lsclusters >/dev/null 2>&1 || return 1
    local ver name port status rest i
    while read -r ver name port status rest; do
        [ "$port" = "$SYSTEM_PORT" ] || continue
        case "$status" in down*) ;; *) continue ;; esac
        log "starting the stopped PostgreSQL cluster $ver/$name"
        pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" start >&2 8>&- 9>&- || return 1
        for i in $(seq 1 30); do system_ready && return 0; sleep 1; done
        return 1
    done < <(pg_lsclusters -h 2>/dev/null)
    return 1
}

use_system() {  # returns 1 (with a message) when the system server cannot be used
    system_ready || start_system_cluster || return 1
    if ! sys_psql postgres -c "SELECT 1" >/dev/null 2>&1; then
        log "a server answers on $SYSTEM_SOCKET but we cannot administer it as postgres"
        return 1
    fi
    if [ "$(sys_psql postgres -c "SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'")" != 1 ]; then
        log "the server on $SYSTEM_SOCKET has no PostGIS available ($(sys_psql postgres -c 'SHOW server_version'))"
        return 1
    fi
    ensure_database sys_psql >&2 || return 1

    local user=postgres url ver
    url="postgis://postgres@/$DB_NAME?host=$SYSTEM_SOCKET"
    if ! ver="$(check_url "$url")"; then
        # No trust auth (e.g. Debian's default peer auth): use a superuser role named after
        # the OS user, which peer authentication accepts.
        [ "$IS_ROOT" = 1 ] || { log "cannot connect as role postgres ($url)"; return 1; }
        user="$(id -un)"
        if [ "$(sys_psql postgres -c "SELECT 1 FROM pg_roles WHERE rolname = '$user'")" != 1 ]; then
            log "creating superuser role $user (peer authentication)"
            sys_psql postgres -c "CREATE ROLE \"$user\" LOGIN SUPERUSER" || return 1
        fi
        url="postgis://$user@/$DB_NAME?host=$SYSTEM_SOCKET"
        ver="$(check_url "$url")" || { log "cannot connect to $url"; return 1; }
    fi
    write_url "$url"
    echo "[db] using the local PostgreSQL $(sys_psql postgres -c 'SHOW server_version' | cut -d' ' -f1) server on $SYSTEM_SOCKET, database $DB_NAME as role $user, PostGIS $ver"
}

# ----------------------------------------------------------------------------------------------
# DATABASE_URL given
# ----------------------------------------------------------------------------------------------
use_env_url() {
    local url="$DATABASE_URL"
    case "$url" in
        postgis://*) ;;
        *) log "WARNING: DATABASE_URL does not use the postgis:// scheme; the settings will refuse it" ;;
    esac
    local libpq="postgresql://${url#*://}" ver=""
    if PGCONNECT_TIMEOUT=5 psql -X -q -A -t -v ON_ERROR_STOP=1 "$libpq" \
        -c "CREATE EXTENSION IF NOT EXISTS postgis" >/dev/null 2>&1; then
        ver="$(check_url "$url" || true)"
    else
        log "WARNING: could not connect with DATABASE_URL or create the postgis extension there; using it as is"
    fi
    write_url "$url"
    echo "[db] using DATABASE_URL (${url%%@*}@...${ver:+, PostGIS $ver})" | sed -E 's#(://[^:@/]*):[^@/]*@#\1:***@#'
}

# ----------------------------------------------------------------------------------------------
main() {
    mkdir -p "$STATE_DIR"
    exec 8>"$STATE_DIR/db.lock"
    command -v flock >/dev/null 2>&1 && flock 8

    if [ "${1:-}" = "--clean" ]; then
        clean_private
        return
    fi
    [ -z "${1:-}" ] || die "unknown argument: $1 (use --clean or nothing)"

    command -v psql >/dev/null 2>&1 || die "psql not found: run scripts/setup.sh (postgresql-client-15)"

    if [ -n "${DATABASE_URL:-}" ]; then
        use_env_url
    elif private_exists; then
        use_private
    elif [ "${DB_FORCE_PRIVATE:-0}" = 1 ]; then
        use_private
    elif use_system; then
        :
    else
        log "no usable local server on $SYSTEM_SOCKET: falling back to a private cluster"
        use_private
    fi
}

main "$@"
