# MariaDB steps for bench/run.sh (sourced; the functions every engine file defines are listed there).
# A throwaway server under bench/out/mysql, listening on 127.0.0.1 only, one database per table size. Commits are as
# durable as in production: the redo log is flushed and synced at every commit, with the doublewrite buffer on.
# --no-defaults keeps the machine's own my.cnf out of the figures.

mysql_server=${BENCH_MYSQL_SERVER:-$(command -v mariadbd || echo /usr/sbin/mariadbd)}
mysql_installer=$(command -v mariadb-install-db || echo /usr/bin/mariadb-install-db)
[[ -x "$mysql_server" && -x "$mysql_installer" ]] || {
  echo "BENCH_ENGINE=mysql needs MariaDB's server binaries (Debian: mariadb-server), or BENCH_MYSQL_SERVER set to mariadbd" >&2
  exit 1
}
mysql_dir=$out/mysql
# The buffer pool holds a million users with their search trigrams, as a production server sized for them would.
mysql_settings=(--innodb-buffer-pool-size=2G --innodb-flush-log-at-trx-commit=1 --innodb-doublewrite=1
  --innodb-log-file-size=512M --max-connections=300 --skip-log-bin)
engine_tools=("$mysql_server" "$mysql_installer" mariadb)

# mariadbd refuses to run as root unless told which user to be; the server then runs as mysql, which owns its directory.
mysql_user() { if [[ $EUID -eq 0 ]]; then echo mysql; else id -un; fi; }

engine_start() {
  engine_stop # a server left behind by a run that was killed outright
  rm -rf "$mysql_dir"
  mkdir -p "$mysql_dir/tmp"
  mysql_password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
  [[ $EUID -ne 0 ]] || chown -R mysql: "$mysql_dir"
  "$mysql_installer" --no-defaults --datadir="$mysql_dir/data" --tmpdir="$mysql_dir/tmp" --user="$(mysql_user)" \
    --auth-root-authentication-method=normal --skip-test-db >"$mysql_dir/install.log" 2>&1
  mysql_port=$(free_port 3310)
  "$mysql_server" --no-defaults --datadir="$mysql_dir/data" --tmpdir="$mysql_dir/tmp" --user="$(mysql_user)" \
    --port="$mysql_port" --bind-address=127.0.0.1 --socket="$mysql_dir/mysql.sock" --pid-file="$mysql_dir/mysql.pid" \
    --log-error="$mysql_dir/server.log" "${mysql_settings[@]}" >>"$mysql_dir/server.log" 2>&1 &
  for _ in $(seq 300); do
    mariadb --no-defaults -h 127.0.0.1 -P "$mysql_port" -u root -e "SELECT 1" >/dev/null 2>&1 && break
    sleep 0.2
  done
  mariadb --no-defaults -h 127.0.0.1 -P "$mysql_port" -u root -e "ALTER USER 'root'@'localhost' IDENTIFIED BY '$mysql_password'"
}

engine_stop() {
  [[ -f "$mysql_dir/mysql.pid" ]] || return 0
  local pid
  pid=$(cat "$mysql_dir/mysql.pid")
  kill "$pid" 2>/dev/null || true
  # A shutdown flushes the buffer pool, or rolls back a seed cut short; the data is thrown away, so after 30 s it is
  # killed outright.
  for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  kill -9 "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
  rm -f "$mysql_dir/mysql.pid"
}

mysql_connection() { # database
  echo "Server=127.0.0.1;Port=$mysql_port;User ID=root;Password=$mysql_password;Database=$1"
}

mysql_sql() { # database sql
  MYSQL_PWD=$mysql_password mariadb --no-defaults -N -B -h 127.0.0.1 -P "$mysql_port" -u root -D "$1" -e "$2"
}

# The app's database and, beside it, one for the bare inserts, so they never touch the app's table.
engine_database() { # size
  mysql_sql mysql "CREATE DATABASE users_$1; CREATE DATABASE bare_$1" >&2
  mysql_connection "users_$1"
}

# Fresh index statistics, as InnoDB's automatic recalculation would have after a bulk load.
engine_after_seed() { # size
  mysql_sql "users_$1" "ANALYZE TABLE users, user_trigrams" >/dev/null
}

# The listing is in id order, newest first; its cursor is the id.
engine_deep_cursor() { # size offset
  mysql_sql "users_$1" "SELECT id FROM users ORDER BY id DESC LIMIT 1 OFFSET $2"
}

engine_bare_inserts() { # size seconds
  "$out/bare/BareInserts" mysql "$(mysql_connection "bare_$1")" "$2"
}

# COUNT messages into the outbox in one statement (MariaDB's sequence engine numbers them); timestamps hold UTC, as
# the app writes them.
engine_queue_mail() { # size count
  mysql_sql "users_$1" "INSERT INTO mail_outbox (message_id, recipient, subject, body, queued_at, due_at)
    SELECT md5(rand()), concat('bench', seq, '@example.com'), concat('Welcome ', seq), concat('Hello, number ', seq, '.'),
           utc_timestamp(6), utc_timestamp(6) FROM seq_1_to_$2"
}

# Messages still queued (state 0) in the outbox.
engine_unsent_mail() { # size
  mysql_sql "users_$1" "SELECT COUNT(*) FROM mail_outbox WHERE state = 0"
}

# The server's CPU time so far, in clock ticks: mariadbd is one process.
engine_cpu_ticks() {
  awk '{ print $14 + $15 }' "/proc/$(cat "$mysql_dir/mysql.pid")/stat"
}

engine_describe() {
  echo "MariaDB $(mysql_sql mysql "SELECT VERSION()"), ${mysql_settings[*]}, on 127.0.0.1"
}
