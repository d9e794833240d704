# SQLite steps for bench/run.sh (sourced; the functions every engine file defines are listed there).
# One database file per table size and no server: the app opens the file itself.

engine_tools=(sqlite3)

engine_start() { :; }

engine_stop() { :; }

engine_database() { # size
  echo "Data Source=$out/db/users-$1.db"
}

engine_after_seed() { :; }

# The listing is in id order, newest first; its cursor is the id.
engine_deep_cursor() { # size offset
  sqlite3 "$out/db/users-$1.db" "SELECT id FROM users ORDER BY id DESC LIMIT 1 OFFSET $2"
}

engine_bare_inserts() { # size seconds
  "$out/bare/BareInserts" sqlite "$out/db/bare-$1.db" "$2"
}

engine_describe() { :; }
