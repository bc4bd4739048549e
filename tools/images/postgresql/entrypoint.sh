#!/bin/sh
# Entrypoint of the floe-test/postgresql image (tools/images/build-test-images.sh), in the manner of
# the official postgres image: on an empty PGDATA it runs initdb with POSTGRES_USER (default
# postgres) and POSTGRES_PASSWORD (required), scram-sha-256 for every connection, a host rule for
# all addresses, and creates POSTGRES_DB (default: the user's name); then it execs postgres
# listening on all interfaces, with any arguments appended (e.g. -c port=15432).
# Runs as any non-root uid: without a passwd entry for it, nss_wrapper supplies one (initdb and
# postgres look their user up). Writes only to PGDATA (a volume; a subdirectory of the mount, since
# postgres wants to own it with mode 0700) and to the socket directory /var/run/postgresql (a
# volume or emptyDir), so the root filesystem can be read-only.
set -eu
: "${PGDATA:=/var/lib/postgresql/data}"
: "${POSTGRES_USER:=postgres}"
: "${POSTGRES_DB:=$POSTGRES_USER}"
sockets="${PGSOCKETS:-/var/run/postgresql}"
export PGDATA

if ! id -un >/dev/null 2>&1 || ! id -gn >/dev/null 2>&1; then
  wrapper="$(mktemp -d "$sockets/nss.XXXXXX")"
  grep -v '^postgres:' /etc/passwd > "$wrapper/passwd"
  echo "postgres:x:$(id -u):$(id -g):PostgreSQL:$PGDATA:/bin/false" >> "$wrapper/passwd"
  cp /etc/group "$wrapper/group"
  id -gn >/dev/null 2>&1 || echo "postgres-gid:x:$(id -g):" >> "$wrapper/group"
  export LD_PRELOAD=libnss_wrapper.so NSS_WRAPPER_PASSWD="$wrapper/passwd" NSS_WRAPPER_GROUP="$wrapper/group"
fi

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  if [ -z "${POSTGRES_PASSWORD:-}" ]; then
    echo "floe-test/postgresql: POSTGRES_PASSWORD must be set to initialise $PGDATA" >&2
    exit 1
  fi
  mkdir -p "$PGDATA"
  chmod 0700 "$PGDATA"
  pwfile="$(mktemp "$sockets/pw.XXXXXX")"
  printf '%s\n' "$POSTGRES_PASSWORD" > "$pwfile"
  initdb --username="$POSTGRES_USER" --pwfile="$pwfile" --auth=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 --no-instructions >&2
  rm -f "$pwfile"
  printf '\n# all addresses of the pod, password (SCRAM) only\nhost all all all scram-sha-256\n' >> "$PGDATA/pg_hba.conf"
  if [ "$POSTGRES_DB" != postgres ]; then
    quoted="$(printf '%s' "$POSTGRES_DB" | sed 's/"/""/g')"
    echo "CREATE DATABASE \"$quoted\" OWNER \"$(printf '%s' "$POSTGRES_USER" | sed 's/"/""/g')\";" \
      | postgres --single -D "$PGDATA" -c unix_socket_directories="$sockets" postgres >/dev/null
  fi
  echo "floe-test/postgresql: initialised $PGDATA (user $POSTGRES_USER, database $POSTGRES_DB)" >&2
fi

exec postgres -D "$PGDATA" -c listen_addresses='*' -c unix_socket_directories="$sockets" "$@"
