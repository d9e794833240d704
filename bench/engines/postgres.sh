# PostgreSQL steps for bench/run.sh (sourced; the functions every engine file defines are listed there).
# A throwaway cluster under bench/out/pg, listening on 127.0.0.1 only, one database per table size. Commits are as
# durable as in production: fsync, synchronous_commit and full_page_writes are on (PostgreSQL's defaults, spelled out).

pg_bin=${BENCH_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
[[ -x "$pg_bin/initdb" ]] || {
  echo "BENCH_ENGINE=postgres needs PostgreSQL's server binaries (Debian: postgresql), or BENCH_PG_BIN set to them" >&2
  exit 1
}
pg_dir=$out/pg
pg_settings=(shared_buffers=128MB fsync=on synchronous_commit=on full_page_writes=on max_connections=100)
engine_tools=("$pg_bin/initdb" "$pg_bin/pg_ctl" "$pg_bin/psql")

# initdb refuses to run as root, so under root the server runs as the postgres user, which owns its directory.
as_postgres() {
  if [[ $EUID -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

engine_start() {
  engine_stop # a cluster left behind by a run that was killed outright
  rm -rf "$pg_dir"
  mkdir -p "$pg_dir"
  pg_password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
  (umask 077 && echo "$pg_password" >"$pg_dir/password")
  [[ $EUID -ne 0 ]] || chown -R postgres: "$pg_dir"
  as_postgres "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --pwfile "$pg_dir/password" \
    --auth-host=scram-sha-256 --auth-local=peer -E UTF8 --no-locale >"$pg_dir/initdb.log"
  pg_port=$(free_port 5440)
  local options="-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1"
  for setting in "${pg_settings[@]}"; do options+=" -c $setting"; done
  as_postgres "$pg_bin/pg_ctl" start -w -D "$pg_dir/data" -l "$pg_dir/server.log" -o "$options" >/dev/null
}

engine_stop() {
  [[ -f "$pg_dir/data/postmaster.pid" ]] || return 0
  as_postgres "$pg_bin/pg_ctl" stop -w -D "$pg_dir/data" -m fast >/dev/null || true
}

pg_connection() { # database
  echo "Host=127.0.0.1;Port=$pg_port;Username=postgres;Password=$pg_password;Database=$1"
}

pg_sql() { # database sql
  PGPASSWORD=$pg_password "$pg_bin/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U postgres -d "$1" -c "$2"
}

# The app's database and, beside it, one for the bare inserts, so they never touch the app's table.
engine_database() { # size
  pg_sql postgres "CREATE DATABASE users_$1" >&2
  pg_sql postgres "CREATE DATABASE bare_$1" >&2
  pg_connection "users_$1"
}

# What autovacuum does within a minute or two of a bulk load in production (planner statistics, the visibility map),
# done now so the figures are not those of a table loaded a second ago.
engine_after_seed() { # size
  pg_sql "users_$1" "VACUUM (ANALYZE)"
}

# The listing is in id order, newest first; its cursor is the id.
engine_deep_cursor() { # size offset
  pg_sql "users_$1" "SELECT id FROM users ORDER BY id DESC LIMIT 1 OFFSET $2"
}

engine_bare_inserts() { # size seconds
  "$out/bare/BareInserts" postgres "$(pg_connection "bare_$1")" "$2"
}

# COUNT messages into the outbox in one statement; timestamps hold UTC, as the app writes them.
engine_queue_mail() { # size count
  pg_sql "users_$1" "INSERT INTO mail_outbox (message_id, recipient, subject, body, queued_at, due_at)
    SELECT md5(random()::text), 'bench' || i || '@example.com', 'Welcome ' || i, 'Hello, number ' || i || '.',
           now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC' FROM generate_series(1, $2) AS i"
}

# Messages still queued (state 0) in the outbox.
engine_unsent_mail() { # size
  pg_sql "users_$1" "SELECT COUNT(*) FROM mail_outbox WHERE state = 0"
}

# The server's CPU time so far, in clock ticks: the postmaster with the children it has reaped, and each live backend.
engine_cpu_ticks() {
  local postmaster
  postmaster=$(head -n 1 "$pg_dir/data/postmaster.pid")
  {
    awk '{ print $14 + $15 + $16 + $17 }' "/proc/$postmaster/stat"
    for child in $(cat /proc/"$postmaster"/task/*/children); do awk '{ print $14 + $15 }' "/proc/$child/stat" 2>/dev/null || true; done
  } | awk '{ total += $1 } END { print total }'
}

engine_describe() {
  echo "PostgreSQL $(pg_sql postgres "SHOW server_version"), ${pg_settings[*]}, on 127.0.0.1"
}
