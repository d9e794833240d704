# SQLite steps for bench/run.sh (sourced; the functions every engine file defines are listed there).
# One database file per table size and no server: the app opens the file itself.

engine_tools=(sqlite3)

engine_start() { :; }

engine_stop() { :; }

engine_database() { # size
  echo "Data Source=$out/db/users-$1.db"
}

engine_after_seed() { :; }

# created_at is text with whole seconds (the seed writes whole seconds), turned into the cursor's UTC ticks.
engine_deep_cursor() { # size offset
  sqlite3 "$out/db/users-$1.db" "SELECT ((CAST(strftime('%s', created_at) AS INTEGER) + 62135596800) * 10000000) || '_' || id
    FROM users ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET $2"
}

engine_bare_inserts() { # size seconds
  "$out/bare/BareInserts" sqlite "$out/db/bare-$1.db" "$2"
}

engine_describe() { :; }
