# Starts a throwaway PostgreSQL on 127.0.0.1 and exports EVENHAND_PG_URL (and EVENHAND_PG_SOCKET_URL); stops it and
# removes its data on exit. Source it (`source .ci/postgres.sh`) from bash, as root or as a
# user who can run initdb. Follows reference/stack.md §3: initdb refuses to run as root, so
# the server runs as the postgres user; a non-default port avoids a system cluster on 5432.
EVENHAND_PG_PORT="${EVENHAND_PG_PORT:-54329}"
EVENHAND_PG_ROOT="$(mktemp -d -t evenhand-pg.XXXXXX)"
EVENHAND_PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
if [ -z "$EVENHAND_PG_BIN" ]; then
  echo "postgres.sh: no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql)" >&2
  return 1 2>/dev/null || exit 1
fi
evenhand_pg_as() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$1"; else sh -c "$1"; fi
}
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown postgres: "$EVENHAND_PG_ROOT"
fi
evenhand_pg_as "'$EVENHAND_PG_BIN/initdb' -D '$EVENHAND_PG_ROOT/data' -U postgres -A trust -E UTF8 --no-locale" >/dev/null
evenhand_pg_as "'$EVENHAND_PG_BIN/pg_ctl' -D '$EVENHAND_PG_ROOT/data' -l '$EVENHAND_PG_ROOT/server.log' -w -t 30 -o \"-c listen_addresses=127.0.0.1 -p $EVENHAND_PG_PORT -k '$EVENHAND_PG_ROOT'\" start" >/dev/null
"$EVENHAND_PG_BIN/psql" -q -h 127.0.0.1 -p "$EVENHAND_PG_PORT" -U postgres -c 'CREATE DATABASE evenhand_test' >/dev/null
export EVENHAND_PG_URL="postgres://postgres@127.0.0.1:$EVENHAND_PG_PORT/evenhand_test"
# The same server by its Unix socket, for a service in a test's network namespace, whose 127.0.0.1 is its own.
export EVENHAND_PG_SOCKET_URL="postgres://postgres@localhost:$EVENHAND_PG_PORT/evenhand_test?host=$EVENHAND_PG_ROOT"
evenhand_pg_stop() {
  evenhand_pg_as "'$EVENHAND_PG_BIN/pg_ctl' -D '$EVENHAND_PG_ROOT/data' -m fast -w stop" >/dev/null 2>&1
  rm -rf "$EVENHAND_PG_ROOT"
}
trap evenhand_pg_stop EXIT
echo "postgres.sh: PostgreSQL running at $EVENHAND_PG_URL" >&2
