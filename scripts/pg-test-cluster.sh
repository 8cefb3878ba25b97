#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests (the postgres state backend).
#
#   scripts/pg-test-cluster.sh start DIR   start one; DIR/url receives its libpq URL
#   scripts/pg-test-cluster.sh stop DIR    stop it and remove its data
#
# The cluster listens only on a Unix socket inside its own data folder (no TCP port, so
# nothing else on the machine can reach or collide with it), trusts local connections, and
# holds one database, `spotform`. PostgreSQL refuses to run as root: as root, the server
# runs as the `postgres` user (Debian's postgresql package makes it), in a folder under
# /tmp that user owns. CTest runs `start` and `stop` as a fixture around the state and
# end-to-end tests (tests/CMakeLists.txt).
set -euo pipefail

usage() {
  echo "usage: $0 start|stop DIR" >&2
  exit 2
}
(($# == 2)) || usage
action=$1
dir=$2

bin=""
for candidate in /usr/lib/postgresql/*/bin; do
  [[ -x "$candidate/initdb" ]] && bin=$candidate
done

as_server_user=()
[[ $(id -u) -eq 0 ]] && as_server_user=(runuser -u postgres --)

stop_cluster() {
  [[ -f "$dir/datadir" ]] || return 0
  local data
  data=$(cat "$dir/datadir")
  if [[ -n "$bin" && -f "$data/postmaster.pid" ]]; then
    "${as_server_user[@]}" "$bin/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$data"
  rm -f "$dir/datadir" "$dir/url"
}

case "$action" in
  start)
    if [[ -z "$bin" ]]; then
      echo "pg-test-cluster: PostgreSQL's server is not installed (initdb not found under" \
           "/usr/lib/postgresql/*/bin); run scripts/install-deps.sh" >&2
      exit 1
    fi
    mkdir -p "$dir"
    stop_cluster  # a cluster left by an interrupted run
    data=$(mktemp -d /tmp/spotform-pg.XXXXXX)
    echo "$data" >"$dir/datadir"
    [[ $(id -u) -eq 0 ]] && chown postgres: "$data"
    chmod 0700 "$data"
    "${as_server_user[@]}" "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 \
      --no-sync >"$data.initdb.log" 2>&1 ||
      { cat "$data.initdb.log" >&2; rm -f "$data.initdb.log"; exit 1; }
    rm -f "$data.initdb.log"
    "${as_server_user[@]}" "$bin/pg_ctl" -D "$data" -w -t 60 -l "$data/server.log" \
      -o "-c listen_addresses='' -c unix_socket_directories='$data' -c fsync=off \
          -c max_connections=200" start >/dev/null ||
      { cat "$data/server.log" >&2; exit 1; }
    "${as_server_user[@]}" "$bin/createdb" -h "$data" -U postgres spotform
    url="postgresql://postgres@/spotform?host=$data"
    echo "$url" >"$dir/url"
    echo "$url"
    ;;
  stop)
    stop_cluster
    ;;
  *)
    usage
    ;;
esac
