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

# COUNT messages into the outbox in one statement, as the app writes them (its ISO-8601 UTC text).
engine_queue_mail() { # size count
  sqlite3 "$out/db/users-$1.db" "INSERT INTO mail_outbox (message_id, recipient, subject, body, queued_at, due_at)
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $2)
    SELECT lower(hex(randomblob(16))), 'bench' || i || '@example.com', 'Welcome ' || i, 'Hello, number ' || i || '.',
           strftime('%Y-%m-%d %H:%M:%f', 'now'), strftime('%Y-%m-%d %H:%M:%f', 'now') FROM n"
}

# Messages still queued (state 0) in the outbox.
engine_unsent_mail() { # size
  sqlite3 "$out/db/users-$1.db" "SELECT COUNT(*) FROM mail_outbox WHERE state = 0"
}

# No server: SQLite's work is the app's own CPU time.
engine_cpu_ticks() { echo 0; }

engine_describe() { :; }
