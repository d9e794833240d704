#!/usr/bin/env bash
# The UserPages benchmark: publishes the app in Release, and for each table size migrates a fresh database, seeds it,
# starts the app in Production on loopback and drives it with wrk from this machine. Prints one table: every figure
# and the ratios the targets in docs/performance.md are about, all measured in this one run.
#
#   bench/run.sh            the full run: 1,000 / 100,000 / 1,000,000 users, 30 s warm-up, 10 s per figure
#   bench/run.sh --smoke    1,000 users, 1 s per figure: checks the script still works, says nothing about speed
#   BENCH_SIZES="1000 1000000" bench/run.sh    other table sizes
#   BENCH_ENGINE=postgres bench/run.sh          on PostgreSQL instead of SQLite (the default): the script starts a
#                                               throwaway cluster of its own under bench/out/pg and stops it on exit
#   BENCH_ENGINE=mysql bench/run.sh             on MariaDB, a throwaway server of its own under bench/out/mysql
#
# Also measured in the same run: a blank `dotnet new webapp` under the same load (the memory target is a ratio to it),
# search with a term drawn at random from 1,200 common ones per request, the listing while signups stream in, and
# the mail outbox drained into a local SMTP sink (bench/MailSink).
# bench/soak.sh runs the 10-minute mixed-load soak.
#
# Needs: the .NET SDK, wrk, curl, and sqlite3, PostgreSQL's server binaries (Debian: postgresql; run as the postgres
# user when this runs as root) or MariaDB's (Debian: mariadb-server; run as the mysql user when this runs as root). Everything it writes goes to bench/out/ (ignored by git).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

sizes=(${BENCH_SIZES:-1000 100000 1000000})
# 30 s of warm-up, not 10: on a busy 2-core machine tiered JIT keeps recompiling hot methods for ~20 s.
warmup=30 signup_warmup=5 duration=10 bare_seconds=5 latency_connections=4
connections=64 threads=2 mail_count=5000
if [[ "${1:-}" == "--smoke" ]]; then
  sizes=(1000) warmup=1 signup_warmup=1 duration=1 bare_seconds=1 mail_count=200
elif [[ -n "${1:-}" ]]; then
  echo "usage: [BENCH_ENGINE=sqlite|postgres|mysql] bench/run.sh [--smoke]" >&2
  exit 2
fi

out=$root/bench/out

free_port() { # first port to try
  local port=$1
  while (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  echo "$port"
}

# Everything engine-specific lives in bench/engines/<engine>.sh, which defines:
#   engine_tools                 the commands it needs
#   engine_start / engine_stop   the database server, if there is one (stop is safe to call twice)
#   engine_database SIZE         creates a fresh database, prints the app's connection string for it
#   engine_after_seed SIZE       brings a freshly seeded database to its steady state
#   engine_deep_cursor SIZE N    prints the listing cursor (ListingCursor's format) of the row N places down
#   engine_bare_inserts SIZE S   prints the bare durable-insert rate over S seconds
#   engine_queue_mail SIZE N     queues N messages in the outbox of that size's database
#   engine_unsent_mail SIZE      prints how many messages that outbox still holds unsent
#   engine_cpu_ticks             prints the database server's CPU time so far in clock ticks (0 without a server)
#   engine_describe              prints a line about the server, if there is one
engine=${BENCH_ENGINE:-sqlite}
[[ -f "bench/engines/$engine.sh" ]] || { echo "BENCH_ENGINE must be sqlite, postgres or mysql, not '$engine'" >&2; exit 2; }
source "bench/engines/$engine.sh"

for tool in dotnet wrk curl "${engine_tools[@]}"; do
  command -v "$tool" >/dev/null || { echo "bench/run.sh needs $tool on the PATH" >&2; exit 1; }
done

rm -rf "$out/db" "$out/static" "$out/wrk"
mkdir -p "$out/db" "$out/static" "$out/wrk"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

echo "Publishing (Release)..." >&2
dotnet publish UserPages -c Release -o "$out/app" --nologo -v quiet >&2
dotnet build bench/BareInserts -c Release -o "$out/bare" --nologo -v quiet >&2
dotnet build bench/MailSink -c Release -o "$out/sink" --nologo -v quiet >&2

# A blank Razor Pages app from the SDK's own template, published like the app: the floor the memory target is held to.
rm -rf "$out/blank-src"
dotnet new webapp -o "$out/blank-src" -n Blank --no-https >/dev/null
dotnet publish "$out/blank-src" -c Release -o "$out/blank" --nologo -v quiet >&2

# 1,200 common search terms from the seed's own names: each surname with a digit ("hopper3", about 1 in 300 users)
# and each first.last pair ("grace.hopper", about 1 in 900).
seed_names() { sed -n "/$1 =/,/];/p" UserPages/Cli/FakeUsers.cs | grep -o '"[^"]*"' | tr -d '"'; }
terms=$out/wrk/terms.txt
{
  for last in $(seed_names LastNames); do for digit in 0 1 2 3 4 5 6 7 8 9; do echo "$last$digit"; done; done
  for first in $(seed_names FirstNames); do for last in $(seed_names LastNames); do echo "$first.$last"; done; done
} >"$terms"
term_count=$(sort -u "$terms" | wc -l)
((term_count >= 1000)) || { echo "only $term_count distinct search terms" >&2; exit 1; }
export BENCH_TERMS=$terms

# Each wrk script gets the report appended: it prints one "RESULT rps=... p99_ms=... errors=..." line.
for script in rotate signup terms; do
  cat "bench/wrk/$script.lua" bench/wrk/report.lua >"$out/wrk/$script.lua"
done
printf '%s\n' 'wrk.method = "GET"' | cat - bench/wrk/report.lua >"$out/wrk/get.lua"

port=$(free_port 5190)
base=http://127.0.0.1:$port

app_pid= sink_pid=
stop_app() {
  if [[ -n "$app_pid" ]]; then
    kill "$app_pid" 2>/dev/null || true
    wait "$app_pid" 2>/dev/null || true
    app_pid=
  fi
}
stop_sink() {
  if [[ -n "$sink_pid" ]]; then
    kill "$sink_pid" 2>/dev/null || true
    wait "$sink_pid" 2>/dev/null || true
    sink_pid=
  fi
}
trap 'stop_app; stop_sink; engine_stop' EXIT
trap 'exit 130' INT TERM HUP
engine_start

# Runs wrk and prints "rps p99_ms errors" from its RESULT line.
measure() { # script seconds url [connections]
  local result
  local count=${4:-$connections}
  result=$(wrk -t"$((count < threads ? count : threads))" -c"$count" -d"$2s" --latency -s "$out/wrk/$1.lua" "$3" | grep '^RESULT')
  sed -E 's/^RESULT rps=([0-9.]+) p99_ms=([0-9.]+) errors=([0-9]+).*/\1 \2 \3/' <<<"$result"
}

# One signup form per connection into $1, as "cookie<TAB>token<TAB>stamp": the antiforgery pair and the signed render
# time, as a browser holds them. Then the form's minimum fill time (Signup:MinimumFillTime, 2 s) is waited out once, as
# a person takes it to type: a post sooner is refused as a bot's, with the same 302, and stores nothing.
fetch_forms() {
  local form token cookie stamp
  : >"$1"
  for _ in $(seq "$connections"); do
    form=$(curl -fsS -c "$out/wrk/jar" "$base/users/new")
    token=$(grep -o 'name="__RequestVerificationToken" type="hidden" value="[^"]*"' <<<"$form" | sed -E 's/.*value="([^"]*)"/\1/')
    stamp=$(grep -o 'name="FormStamp" value="[^"]*"' <<<"$form" | sed -E 's/.*value="([^"]*)"/\1/')
    cookie=$(awk '$6 ~ /^\.AspNetCore\.Antiforgery\./ { print $6 "=" $7 }' "$out/wrk/jar")
    [[ -n "$token" && -n "$stamp" && -n "$cookie" ]] || { echo "the signup form lacks its token or stamp" >&2; exit 1; }
    printf '%s\t%s\t%s\n' "$cookie" "$token" "$stamp" >>"$1"
  done
  sleep 2
}

# Signup posts the bot checks refused since the app started: they answer 302 like a signup, so wrk cannot tell.
refused_as_bots() { grep -c "answered as if stored" "$1" || true; }

peak_rss_mb() { awk '/^VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$app_pid/status"; }

app_cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$app_pid/stat"; }
# Waits (up to 5 minutes) until the app has sent every queued message: each signup queues its confirmation mail, and
# a stretch of signups leaves the sender busy for a while after it; figures are measured without that backlog.
drain_mail() { # size
  local waited=0
  while (($(engine_unsent_mail "$1") > 0)); do
    ((waited++ < 600)) || { echo "the outbox still holds unsent mail after 5 minutes" >&2; return 0; }
    sleep 0.5
  done
}
# CPU time per request in µs, from clock ticks spent over a stretch of SECONDS at RPS requests a second.
per_request_us() { # ticks rps seconds
  awk -v t="$1" -v hz="$(getconf CLK_TCK)" -v r="$2" -v s="$3" 'BEGIN { printf "%.0f", (r > 0 ? t / hz * 1e6 / (r * s) : 0) }'
}

declare -A figure
row_names=()
record() { # row size value
  [[ " ${row_names[*]} " == *" $1 "* ]] || row_names+=("$1")
  figure["$1|$2"]=$3
}
thousands() { sed -E ':a; s/([0-9])([0-9]{3})($|,)/\1,\2\3/; ta' <<<"$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

wait_for_mail() { # count: until the sink holds that many messages, for at most 120 s
  local held
  for _ in $(seq 1200); do
    held=$(cat "$out/sink-count" 2>/dev/null || echo 0)
    ((held >= $1)) && return 0
    sleep 0.1
  done
  echo "the sink holds $held of $1 messages after 120 s" >&2
  exit 1
}

wait_for() { # url
  for _ in $(seq 100); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.2
  done
  curl -fsS -o /dev/null "$1"
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# The blank template under the listing's load: the same warm-up and the same two measured stretches (static bytes,
# then the listing), on its home page.
echo "== blank dotnet new webapp" >&2
(cd "$out/blank" && ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS=$base exec dotnet Blank.dll) >"$out/blank.log" 2>&1 &
app_pid=$!
wait_for "$base/"
measure get "$warmup" "$base/" >/dev/null
measure get "$duration" "$base/" >/dev/null
measure get "$duration" "$base/" >/dev/null
blank_rss=$(peak_rss_mb)
stop_app

for size in "${sizes[@]}"; do
  echo "== $size users" >&2
  connection=$(engine_database "$size")
  export ASPNETCORE_ENVIRONMENT=Production Database__Provider=$engine ConnectionStrings__Users=$connection
  dotnet "$out/app/UserPages.dll" migrate >/dev/null
  dotnet "$out/app/UserPages.dll" seed --users "$size" --force >&2
  engine_after_seed "$size"

  # From the publish folder, which is the content root: its appsettings.json and wwwroot are the ones in use. The
  # per-address signup rate limit is off (every wrk connection comes from 127.0.0.1); nothing else is changed.
  (cd "$out/app" && Bench__StaticFolder=$out/static RateLimiting__Enabled=false App__PublicBaseUrl=$base/ ASPNETCORE_URLS=$base \
    exec dotnet UserPages.dll) >"$out/app-$size.log" 2>&1 &
  app_pid=$!
  wait_for "$base/healthz"

  # The static limit serves exactly the bytes of the listing's first page.
  curl -fsS "$base/users" >"$out/static/listing.html"

  # A page 90% deep: seek to its position once, then follow the app's own "Older" link from there.
  cursor=$(engine_deep_cursor "$size" $((size * 9 / 10)))
  deep=$(curl -fsS "$base/users?before=$cursor" | grep -o 'rel="next" href="[^"]*"' | sed -E 's/.*href="([^"]*)"/\1/')
  [[ -n "$deep" ]] || { echo "no Older link on the page 90% deep" >&2; exit 1; }

  # Warm-up on the listing's pages only, so the memory read after the listing load is the listing's own; searches
  # get their warm-up just before they are measured.
  BENCH_PATHS="/users $deep /bench-static/listing.html" measure rotate "$warmup" "$base/" >/dev/null

  read -r rps p99 _ < <(measure get "$duration" "$base/bench-static/listing.html")
  record "static listing bytes, req/s" "$size" "$rps"
  static_rps=$rps
  read -r rps p99 errors < <(measure get "$duration" "$base/users")
  record "listing first page, req/s" "$size" "$rps"
  record "listing first page, p99 ms" "$size" "$p99"
  record "listing / static" "$size" "$(ratio "$rps" "$static_rps")"
  # The peak so far (VmHWM only grows): start-up, the warm-up over every URL, the static file and the listing. This
  # is the figure the RSS target is about; the two later readings add search and signups.
  record "peak RSS under the listing load, MB" "$size" "$(peak_rss_mb)"
  record "blank dotnet new webapp, same load, MB" "$size" "$blank_rss"
  record "listing peak RSS / blank webapp" "$size" "$(ratio "$(peak_rss_mb)" "$blank_rss")"
  first_p99=$p99 first_rps=$rps
  read -r rps p99 _ < <(measure get "$duration" "$base$deep")
  record "page 90% deep, req/s" "$size" "$rps"
  record "page 90% deep, p99 ms" "$size" "$p99"
  record "deep / static" "$size" "$(ratio "$rps" "$static_rps")"
  record "deep p99 / first p99" "$size" "$(ratio "$p99" "$first_p99")"
  BENCH_PATHS="/users?q=hopper /users?q=nobody-here" measure rotate "$(((warmup + 1) / 2))" "$base/" >/dev/null
  measure terms "$(((warmup + 1) / 2))" "$base/" >/dev/null
  # Search throughput under the same 64 connections, and its latency (the target) with a few connections, where
  # p99 is the time to answer rather than the time spent queueing behind 63 other requests on 2 cores.
  # "son" is in one user in ten (johnson, wilson, thompson), "hopper" in one in 30, "nobody-here" in none: the term
  # in every tenth user and the rare one each engine plans for.
  declare -A term_share=([son]="1 in 10 users match" [hopper]="1 in 30 users match" [nobody-here]="no match")
  for term in son hopper nobody-here; do
    label="search \"$term\" (${term_share[$term]})"
    read -r rps p99 _ < <(measure get "$duration" "$base/users?q=$term")
    record "$label, req/s" "$size" "$rps"
    record "$label, p99 ms" "$size" "$p99"
    read -r rps p99 _ < <(measure get "$((duration / 2 + 1))" "$base/users?q=$term" "$latency_connections")
    record "$label, p99 ms at $latency_connections connections" "$size" "$p99"
  done
  # The database server shares the two cores with the app and wrk, so its CPU per search is counted too.
  app_ticks=$(app_cpu_ticks) server_ticks=$(engine_cpu_ticks)
  read -r rps p99 errors < <(measure terms "$duration" "$base/")
  app_ticks=$(($(app_cpu_ticks) - app_ticks)) server_ticks=$(($(engine_cpu_ticks) - server_ticks))
  record "search, $term_count common terms at random, req/s" "$size" "$rps"
  record "search, $term_count common terms at random, p99 ms" "$size" "$p99"
  record "search, $term_count common terms at random, errors" "$size" "$errors"
  record "search, $term_count common terms at random, app / server CPU per search, µs" "$size" \
    "$(per_request_us "$app_ticks" "$rps" "$duration") / $(per_request_us "$server_ticks" "$rps" "$duration")"
  record "peak RSS after reads, MB" "$size" "$(peak_rss_mb)"

  # Signups: one form per connection, fetched like a browser does.
  tokens=$out/wrk/tokens-$size.tsv
  fetch_forms "$tokens"

  # The signup form from a returning browser (its antiforgery cookie sent, so none is set), 32 connections, against
  # its own bytes served static.
  curl -fsS -b "$(cut -f1 "$tokens" | head -n 1)" "$base/users/new" >"$out/static/signup.html"
  read -r static_form_rps _ < <(measure get "$duration" "$base/bench-static/signup.html" 32)
  # Warmed up like every other page: the JIT's recompiles took ~23 % of the app's CPU in a cold form's 10 s.
  wrk -t"$threads" -c32 -d"${warmup}s" -H "Cookie: $(cut -f1 "$tokens" | head -n 1)" "$base/users/new" >/dev/null
  form_result=$(wrk -t"$threads" -c32 -d"${duration}s" --latency -H "Cookie: $(cut -f1 "$tokens" | head -n 1)" \
    -s "$out/wrk/get.lua" "$base/users/new" | grep '^RESULT')
  read -r rps p99 errors < <(sed -E 's/^RESULT rps=([0-9.]+) p99_ms=([0-9.]+) errors=([0-9]+).*/\1 \2 \3/' <<<"$form_result")
  record "signup form GET /users/new (returning browser, 32 connections), req/s (errors)" "$size" "$rps ($errors)"
  record "signup form / its static bytes (target ≥ 0.5)" "$size" "$(ratio "$rps" "$static_form_rps")"

  # The disk's commit rate drifts with whatever else the machine does, so the limit is measured right before and
  # right after the signups, and the higher of the two is the one the signups are held against.
  BENCH_TOKENS=$tokens BENCH_RUN=w$size measure signup "$signup_warmup" "$base/" >/dev/null
  bare_before=$(engine_bare_inserts "$size" "$bare_seconds")
  drain_mail "$size"
  app_ticks=$(app_cpu_ticks)
  read -r rps p99 errors < <(BENCH_TOKENS=$tokens BENCH_RUN=s$size measure signup "$duration" "$base/")
  drain_mail "$size"
  signup_app_us=$(per_request_us $(($(app_cpu_ticks) - app_ticks)) "$rps" "$duration")
  bare_after=$(engine_bare_inserts "$size" "$bare_seconds")
  bare=$((bare_before > bare_after ? bare_before : bare_after))
  record "bare durable inserts/s (limit, before / after)" "$size" "$bare_before / $bare_after"
  record "signup POST, req/s" "$size" "$rps"
  record "signup POST, p99 ms" "$size" "$p99"
  record "signup errors (non-2xx/3xx)" "$size" "$errors"
  record "signup / bare inserts" "$size" "$(ratio "$rps" "$bare")"
  record "signup POST, app CPU per signup with its mail sent, µs" "$size" "$signup_app_us"
  signup_capacity=$rps checks_on_rps=$rps

  # The form answers an address that already has an entry as it answers a new one, and must take as long: one
  # connection (the answer's own time, not queueing), a new address and a listed one's, alternately, twice.
  known_name=$(grep -o 'class="username" href="[^"]*">[^<]*' <(curl -fsS "$base/users") | head -n 1 | sed -E 's/.*>//')
  known_email=$(cd "$out/app" && dotnet UserPages.dll users find --username "$known_name" | sed -nE 's/^ *[Ee]mail:? +//p' | head -n 1)
  [[ "$known_email" == *@* ]] || { echo "no listed address to sign up with again (users find --username $known_name)" >&2; exit 1; }
  new_ms=() known_ms=()
  for round in 1 2; do
    read -r one_rps _ _ < <(BENCH_TOKENS=$tokens BENCH_RUN=n$round-$size measure signup "$((duration / 2 + 1))" "$base/" 1)
    new_ms+=("$(awk -v r="$one_rps" 'BEGIN { printf "%.2f", 1000 / r }')")
    read -r one_rps _ _ < <(BENCH_TOKENS=$tokens BENCH_RUN=k$round-$size BENCH_EMAIL=${known_email/@/%40} measure signup "$((duration / 2 + 1))" "$base/" 1)
    known_ms+=("$(awk -v r="$one_rps" 'BEGIN { printf "%.2f", 1000 / r }')")
  done
  record "signup at 1 connection, mean ms: new address (two rounds)" "$size" "${new_ms[*]}"
  record "signup at 1 connection, mean ms: address with an entry" "$size" "${known_ms[*]}"

  # Mixed load: the listing again while 32 connections sign up at about a quarter of the rate just measured, each
  # pausing between its signups (wrk's delay(); the pause leaves ~2 ms for the signup's own answer).
  pause_ms=$(awk -v c=32 -v r="$signup_capacity" 'BEGIN { p = c * 1000 / (r / 4) - 2; printf "%d", (p < 1 ? 1 : p) }')
  drain_mail "$size"
  BENCH_TOKENS=$tokens BENCH_RUN=m$size BENCH_DELAY_MS=$pause_ms \
    wrk -t1 -c32 -d"$((duration + 2))s" -s "$out/wrk/signup.lua" "$base/" >"$out/wrk/mixed-signups-$size.txt" &
  signups_pid=$!
  sleep 1
  read -r rps p99 errors < <(measure get "$duration" "$base/users")
  wait "$signups_pid"
  read -r signup_rps _ signup_errors < <(sed -nE 's/^RESULT rps=([0-9.]+) p99_ms=([0-9.]+) errors=([0-9]+).*/\1 \2 \3/p' "$out/wrk/mixed-signups-$size.txt")
  record "mixed: signups streaming, req/s (errors)" "$size" "$signup_rps ($signup_errors)"
  record "mixed: signups / signup capacity" "$size" "$(ratio "$signup_rps" "$signup_capacity")"
  record "mixed: listing first page, req/s" "$size" "$rps"
  record "mixed: listing first page, p99 ms" "$size" "$p99"
  record "mixed: listing req/s / alone" "$size" "$(ratio "$rps" "$first_rps")"
  record "mixed: listing p99, mixed / alone (target ≤ 2)" "$size" "$(ratio "$p99" "$first_p99")"

  # The same paced stream alone: what one paced signup costs the app, its mail sent, against one at full rate.
  drain_mail "$size"
  app_ticks=$(app_cpu_ticks)
  BENCH_TOKENS=$tokens BENCH_RUN=p$size BENCH_DELAY_MS=$pause_ms \
    wrk -t1 -c32 -d"${duration}s" -s "$out/wrk/signup.lua" "$base/" >"$out/wrk/paced-signups-$size.txt"
  drain_mail "$size"
  read -r paced_rps _ < <(sed -nE 's/^RESULT rps=([0-9.]+) p99_ms=([0-9.]+).*/\1 \2/p' "$out/wrk/paced-signups-$size.txt")
  paced_app_us=$(per_request_us $(($(app_cpu_ticks) - app_ticks)) "$paced_rps" "$duration")
  record "paced signups alone, req/s" "$size" "$paced_rps"
  record "paced signup, app CPU per signup with its mail sent, µs (/ full rate, target ≤ 2)" "$size" "$paced_app_us ($(ratio "$paced_app_us" "$signup_app_us"))"
  record "peak RSS overall, MB" "$size" "$(peak_rss_mb)"
  stop_app
  record "signup posts refused as a bot's (must be 0)" "$size" "$(refused_as_bots "$out/app-$size.log")"

  # The bot checks' cost: the same signups with the checks off (Signup:CheckForBots), against the rate above.
  (cd "$out/app" && RateLimiting__Enabled=false Signup__CheckForBots=false App__PublicBaseUrl=$base/ ASPNETCORE_URLS=$base \
    exec dotnet UserPages.dll) >"$out/app-nochecks-$size.log" 2>&1 &
  app_pid=$!
  wait_for "$base/healthz"
  fetch_forms "$tokens"
  BENCH_TOKENS=$tokens BENCH_RUN=x$size measure signup "$signup_warmup" "$base/" >/dev/null
  read -r rps _ _ < <(BENCH_TOKENS=$tokens BENCH_RUN=o$size measure signup "$duration" "$base/")
  record "signup POST with the bot checks off, req/s" "$size" "$rps"
  record "signups, checks on / off" "$size" "$(ratio "$checks_on_rps" "$rps")"
  stop_app

  # The outbox drained into a local SMTP sink (MailKit to bench/MailSink over loopback, one connection a batch): mail
  # queued while the app was down, timed from the app being ready to the sink holding the last message. Then as much
  # again queued at once, and the signups measured while the sender drains it, against the signups measured above.
  engine_queue_mail "$size" "$mail_count"
  sink_port=$(free_port 2525)
  rm -f "$out/sink-count"
  "$out/sink/MailSink" "$sink_port" "$out/sink-count" >"$out/sink-$size.log" 2>&1 &
  sink_pid=$!
  (cd "$out/app" && Mail__Smtp__Host=127.0.0.1 Mail__Smtp__Port=$sink_port Mail__Smtp__Security=None \
    Mail__From="UserPages <noreply@example.com>" RateLimiting__Enabled=false App__PublicBaseUrl=$base/ ASPNETCORE_URLS=$base exec dotnet UserPages.dll) \
    >"$out/app-mail-$size.log" 2>&1 &
  app_pid=$!
  wait_for "$base/healthz"
  started=$(date +%s.%N)
  wait_for_mail $mail_count
  drained=$(date +%s.%N)
  record "mail drained into a local SMTP sink, mails/s" "$size" "$(awk -v n="$mail_count" -v a="$started" -v b="$drained" 'BEGIN { printf "%.0f", n / (b - a) }')"
  engine_queue_mail "$size" $((mail_count * 4))
  read -r rps p99 errors < <(BENCH_TOKENS=$tokens BENCH_RUN=d$size measure signup "$duration" "$base/")
  unsent=$((mail_count * 5 - $(cat "$out/sink-count")))
  record "signups while the sender drains, req/s (mail still queued after)" "$size" "$rps ($unsent)"
  record "signups while draining / signups alone" "$size" "$(ratio "$rps" "$signup_capacity")"
  wait_for_mail $((mail_count * 5))
  stop_app
  stop_sink
done

first=${sizes[0]} last=${sizes[-1]}
header="| figure |" rule="| --- |"
for size in "${sizes[@]}"; do header+=" $(thousands "$size") users |"; rule+=" ---: |"; done
echo
echo "$header"
echo "$rule"
for row in "${row_names[@]}"; do
  line="| $row |"
  for size in "${sizes[@]}"; do line+=" ${figure["$row|$size"]} |"; done
  echo "$line"
done
if [[ "$first" != "$last" ]]; then
  echo
  echo "listing p99, $(thousands "$last") / $(thousands "$first") users: $(ratio "${figure["listing first page, p99 ms|$last"]}" "${figure["listing first page, p99 ms|$first"]}")"
  echo "listing req/s, $(thousands "$first") / $(thousands "$last") users: $(ratio "${figure["listing first page, req/s|$first"]}" "${figure["listing first page, req/s|$last"]}")"
fi
echo
engine_describe
echo "$(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)), $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo), .NET SDK $(dotnet --version), wrk -t$threads -c$connections, ${duration} s per figure after ${warmup} s warm-up, load average before: $load_before"
