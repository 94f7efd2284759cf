#!/usr/bin/env bash
# A real PostgreSQL streaming replica (hot standby) of the application's database server, on
# this machine: `pg_basebackup` of the primary into .state/replica/data, started on another
# port (REPLICA_PORT, default 5434; 5433 is the private cluster's of ensure_db.sh). It serves
# the read-replica routing (mapsite.db_router) in tests and for trying it out:
#
#   DATABASE_REPLICA_URLS="$(bash scripts/replica.sh url)" make run
#
# Usage: scripts/replica.sh start    create (first time) and start; waits until it streams
#        scripts/replica.sh stop     stop it (its data stay for the next start)
#        scripts/replica.sh status   running / streaming / lag, exit 1 when not running
#        scripts/replica.sh url      the postgis:// URL of the replica (same database name)
#        scripts/replica.sh clean    stop and remove it
# Every command is idempotent and serialised by a lock file.
#
# The primary is the server of DATABASE_URL, else of .state/database_url (make setup). What it
# needs: wal_level replica or logical and max_wal_senders > 0 (PostgreSQL's defaults; changing
# them needs a restart, which this script never does on a shared server — it stops with a
# message), and a pg_hba.conf entry for replication connections: when missing and the file is
# ours to edit (root, or the server's owner), one `replication` line per local connection
# type is appended with the method the file already uses for local connections, and the
# server is told to reload (pg_reload_conf(), no restart). While the replica runs, a physical
# replication slot (ningxia_replica_<port>) makes the primary keep the WAL it has not yet
# received — without it a busy primary recycles WAL between the base backup and the
# replica's start, or during a write burst, and the replica can never catch up. `stop` drops
# the slot, so a stopped replica never makes the primary keep WAL (a replica killed without
# `stop` keeps it until the next start, stop or clean; `status` shows how much it holds);
# when a replica has fallen too far behind to catch up, `start` makes it again from a new
# base backup.
#
# Run as root, the servers run as the OS user postgres (PostgreSQL refuses root); as any
# other user, as that user.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE_DIR="$REPO/.state"
REPLICA_DIR="${REPLICA_DIR:-$STATE_DIR/replica}"
REPLICA_PORT="${REPLICA_PORT:-5434}"
PREFERRED_PG=15
SLOT="ningxia_replica_${REPLICA_PORT}"
HBA_MARK="# ningxia-innovation-map scripts/replica.sh: local streaming replicas"

log() { printf '[replica] %s\n' "$*" >&2; }
die() { printf '[replica] ERROR: %s\n' "$*" >&2; exit 1; }

[[ "$REPLICA_PORT" =~ ^[0-9]+$ ]] || die "REPLICA_PORT='$REPLICA_PORT' is not a port number"

IS_ROOT=0
[ "$(id -u)" = 0 ] && IS_ROOT=1
as_pg() {  # PostgreSQL programs as the OS user that owns the replica's files
    if [ "$IS_ROOT" = 1 ]; then
        (cd / && runuser -u postgres -- "$@" 9>&-)
    else
        "$@" 9>&-
    fi
}

pg_bindir() {
    local v
    if [ -x "/usr/lib/postgresql/$PREFERRED_PG/bin/pg_basebackup" ]; then
        echo "/usr/lib/postgresql/$PREFERRED_PG/bin"; return 0
    fi
    for v in $(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' 2>/dev/null | sort -rn); do
        [ -x "/usr/lib/postgresql/$v/bin/pg_basebackup" ] && { echo "/usr/lib/postgresql/$v/bin"; return 0; }
    done
    command -v pg_basebackup >/dev/null 2>&1 && { dirname "$(command -v pg_basebackup)"; return 0; }
    return 1
}

# --- The primary -------------------------------------------------------------------------------
primary_url() {
    local url="${DATABASE_URL:-}"
    if [ -z "$url" ] && [ -f "$STATE_DIR/database_url" ]; then url="$(cat "$STATE_DIR/database_url")"; fi
    [ -n "$url" ] || die "no database: set DATABASE_URL or run \`make setup\` first"
    printf '%s' "postgresql://${url#*://}"
}

primary_sql() {  # primary_sql SQL -> one value
    psql -X -q -A -t -v ON_ERROR_STOP=1 "$(primary_url)" -c "$1"
}

# Connection parameters of the primary, as libpq sees them (host may be a socket directory).
read_primary() {
    local info
    info="$(psql -X -q -A -t -F '|' -v ON_ERROR_STOP=1 "$(primary_url)" -c \
        "SELECT current_user, current_database(), current_setting('port'),
                coalesce(inet_server_addr()::text, ''), current_setting('unix_socket_directories')")" ||
        die "cannot connect to the primary ($(primary_url))"
    IFS='|' read -r P_USER P_DB P_PORT P_ADDR P_SOCKETS <<<"$info"
    if [ -n "$P_ADDR" ]; then P_HOST="${P_ADDR%/*}"; else P_HOST="${P_SOCKETS%%,*}"; fi
}

check_primary_settings() {
    local wal senders
    wal="$(primary_sql "SHOW wal_level")"
    senders="$(primary_sql "SHOW max_wal_senders")"
    case "$wal" in replica | logical) ;; *)
        die "the primary has wal_level=$wal: a replica needs 'replica' (PostgreSQL's default). Set it in postgresql.conf and restart the server when nobody is using it." ;;
    esac
    [ "$senders" -gt 0 ] || die "the primary has max_wal_senders=0: set it to 10 (the default) and restart the server when nobody is using it."
}

can_replicate() {  # a replication connection to the primary is accepted
    psql -X -q -A -t "host=$P_HOST port=$P_PORT user=$P_USER dbname=replication replication=true connect_timeout=5" \
        -c "IDENTIFY_SYSTEM" >/dev/null 2>&1
}

allow_replication() {
    can_replicate && return 0
    local hba method_local method_host
    hba="$(primary_sql "SHOW hba_file")"
    if ! grep -qF "$HBA_MARK" "$hba" 2>/dev/null; then
        [ -w "$hba" ] || die "the primary refuses replication connections and $hba is not ours to edit: add
    local replication $P_USER <method>
    host  replication $P_USER 127.0.0.1/32 <method>
and run SELECT pg_reload_conf();"
        # The method this server already uses for the user's ordinary local connections.
        method_local="$(awk '$1 == "local" && ($2 == "all" || $2 == "sameuser") { print $NF; exit }' "$hba")"
        method_host="$(awk '$1 == "host" && $2 == "all" && $4 ~ /^127\.0\.0\.1/ { print $NF; exit }' "$hba")"
        log "allowing replication connections for $P_USER in $hba (local: ${method_local:-peer}, 127.0.0.1: ${method_host:-scram-sha-256})"
        {
            printf '\n%s\n' "$HBA_MARK"
            printf 'local   replication     %s                                %s\n' "$P_USER" "${method_local:-peer}"
            printf 'host    replication     %s        127.0.0.1/32            %s\n' "$P_USER" "${method_host:-scram-sha-256}"
        } >>"$hba"
    fi
    primary_sql "SELECT pg_reload_conf()" >/dev/null
    local i
    for i in $(seq 1 20); do can_replicate && return 0; sleep 0.25; done
    die "the primary still refuses replication connections for $P_USER (see $hba)"
}

# --- The replica ---------------------------------------------------------------------------------
paths() {
    if [ -L "$REPLICA_DIR" ]; then REAL="$(readlink -f "$REPLICA_DIR")"; else REAL="$REPLICA_DIR"; fi
    RDATA="$REAL/data"
    RRUN="$REAL/run"
    RLOG="$REAL/replica.log"
    if [ $(( ${#RRUN} + 16 )) -gt 100 ]; then  # unix socket paths are limited to 107 bytes
        RRUN="/tmp/ningxia-replica-$(printf '%s' "$REAL" | sha256sum | cut -c1-12)"
    fi
}

running() { [ -f "$RDATA/postmaster.pid" ] && as_pg "$BIN/pg_ctl" -D "$RDATA" status >/dev/null 2>&1; }

replica_sql() {
    as_pg psql -X -q -A -t -h "$RRUN" -p "$REPLICA_PORT" -U "$P_USER" -d postgres -c "$1" 2>/dev/null
}

streaming() { [ "$(replica_sql "SELECT status FROM pg_stat_wal_receiver")" = streaming ]; }

prepare_dir() {
    # The postgres OS user must reach the folder: when the checkout is somewhere it cannot
    # (a home folder), the data live under /var/lib/postgresql with a symlink here.
    mkdir -p "$(dirname "$REPLICA_DIR")"
    if [ "$IS_ROOT" = 1 ] && [ ! -e "$REPLICA_DIR" ]; then
        mkdir -p "$REPLICA_DIR"
        chown postgres: "$REPLICA_DIR"
        if ! runuser -u postgres -- test -w "$REPLICA_DIR"; then
            rmdir "$REPLICA_DIR"
            local elsewhere
            elsewhere="/var/lib/postgresql/ningxia-replica-$(printf '%s' "$REPLICA_DIR" | sha256sum | cut -c1-12)"
            mkdir -p "$elsewhere"
            chown postgres: "$elsewhere"
            ln -s "$elsewhere" "$REPLICA_DIR"
        fi
    fi
    mkdir -p "$REPLICA_DIR"
    paths
    [ "$IS_ROOT" = 1 ] && chown postgres: "$REAL"
    as_pg mkdir -p "$RRUN"
    chmod 700 "$RRUN" 2>/dev/null || as_pg chmod 700 "$RRUN"
}

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$REPLICA_PORT") 2>/dev/null; }

create() {
    check_primary_settings
    allow_replication
    port_taken && die "port $REPLICA_PORT is in use by another program: set REPLICA_PORT"
    prepare_dir
    as_pg rm -rf "$RDATA"
    log "base backup of $P_HOST:$P_PORT into $RDATA"
    drop_slot
    as_pg "$BIN/pg_basebackup" -h "$P_HOST" -p "$P_PORT" -U "$P_USER" -D "$RDATA" \
        --wal-method=stream --checkpoint=fast --write-recovery-conf --no-password \
        --create-slot --slot="$SLOT"
    local setting v
    {
        echo "# Written by scripts/replica.sh: a hot standby of $P_HOST:$P_PORT."
        echo "port = $REPLICA_PORT"
        echo "listen_addresses = '127.0.0.1'"
        echo "unix_socket_directories = '$RRUN'"
        echo "hot_standby = on"
        echo "hot_standby_feedback = on"
        echo "shared_buffers = 32MB"
        echo "logging_collector = off"
        # A hot standby refuses to start with fewer of these than its primary has.
        for setting in max_connections max_worker_processes max_wal_senders max_prepared_transactions \
            max_locks_per_transaction; do
            v="$(primary_sql "SHOW $setting")"
            echo "$setting = $v"
        done
        echo "timezone = '$(primary_sql "SHOW timezone")'"
    } | as_pg tee "$RDATA/postgresql.conf" >/dev/null
    printf 'local all all trust\nhost all all 127.0.0.1/32 trust\nlocal replication all trust\n' |
        as_pg tee "$RDATA/pg_hba.conf" >/dev/null
    as_pg touch "$RDATA/pg_ident.conf"
}

drop_slot() {
    primary_sql "SELECT count(pg_drop_replication_slot(slot_name)) FROM pg_replication_slots
                 WHERE slot_name = '$SLOT' AND NOT active" >/dev/null
}

ensure_slot() {  # from now on, for a replica that was stopped (its slot dropped)
    primary_sql "SELECT count(pg_create_physical_replication_slot('$SLOT', true))
                 WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = '$SLOT')" >/dev/null
}

start_server() {
    port_taken && ! running && die "port $REPLICA_PORT is in use by another program: set REPLICA_PORT"
    ensure_slot
    running || as_pg "$BIN/pg_ctl" -D "$RDATA" -l "$RLOG" -w -t 60 start >/dev/null
    local i
    for i in $(seq 1 60); do streaming && return 0; sleep 0.5; done
    return 1
}

cmd_start() {
    read_primary
    paths
    if [ ! -f "$RDATA/PG_VERSION" ]; then create; fi
    paths
    if start_server; then
        log "streaming from $P_HOST:$P_PORT on port $REPLICA_PORT"
        return 0
    fi
    # Typically: stopped for so long that the primary recycled the WAL it still needs.
    log "not streaming after 30 s (see $RLOG): making it again from a new base backup"
    as_pg "$BIN/pg_ctl" -D "$RDATA" -m fast -w stop >/dev/null 2>&1 || true
    create
    start_server || die "the new replica does not stream either: see $RLOG"
    log "streaming from $P_HOST:$P_PORT on port $REPLICA_PORT"
}

cmd_stop() {
    paths
    if running; then as_pg "$BIN/pg_ctl" -D "$RDATA" -m fast -w stop >/dev/null && log "stopped"; else log "not running"; fi
    drop_slot
}

cmd_status() {
    read_primary
    paths
    local held
    held="$(primary_sql "SELECT pg_size_pretty(pg_current_wal_lsn() - restart_lsn) FROM pg_replication_slots WHERE slot_name = '$SLOT'")"
    [ -n "$held" ] && echo "slot $SLOT on the primary holds $held of WAL"
    if ! running; then echo "stopped"; return 1; fi
    echo "running on port $REPLICA_PORT; wal receiver: $(replica_sql "SELECT coalesce((SELECT status FROM pg_stat_wal_receiver), 'none')"); replay lag: $(replica_sql "SELECT coalesce(round(extract(epoch FROM now() - pg_last_xact_replay_timestamp())::numeric, 1)::text, 'n/a')") s since the last replayed transaction"
}

cmd_url() {
    read_primary
    printf 'postgis://%s@127.0.0.1:%s/%s\n' "$P_USER" "$REPLICA_PORT" "$P_DB"
}

cmd_clean() {
    cmd_stop
    paths
    as_pg rm -rf "$RDATA" "$RLOG"
    [ -L "$REPLICA_DIR" ] && { rm -rf "$(readlink -f "$REPLICA_DIR")"; rm -f "$REPLICA_DIR"; }
    rm -rf "$REPLICA_DIR" "$RRUN"
    log "removed"
}

BIN="$(pg_bindir)" || die "pg_basebackup not found: install postgresql-client-$PREFERRED_PG (make setup does)"
mkdir -p "$STATE_DIR"
exec 9>"$STATE_DIR/replica.lock"
flock 9
case "${1:-}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    url) cmd_url ;;
    clean) cmd_clean ;;
    *) die "usage: $0 start|stop|status|url|clean" ;;
esac
