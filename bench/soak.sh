#!/usr/bin/env bash
# The soak: 10 minutes of mixed load on one app process (the listing, a page 90% deep, searches for random common
# terms, and a stream of signups), with the app's resident memory sampled every 10 s. Passes when nothing answered an
# error and memory shows no growth trend: the last minute's mean RSS within 5% of the second minute's.
#
#   bench/soak.sh                    10 minutes over 100,000 users on SQLite
#   SOAK_MINUTES=3 bench/soak.sh     a shorter run (at least 3 minutes: the second and the last minute are compared)
#   SOAK_USERS=1000000 bench/soak.sh another table size
#
# Needs what bench/run.sh needs (it reuses its publish folder and wrk scripts: run bench/run.sh --smoke once first).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
out=$root/bench/out
minutes=${SOAK_MINUTES:-10}
users=${SOAK_USERS:-100000}
((minutes >= 3)) || { echo "SOAK_MINUTES must be at least 3" >&2; exit 2; }
for needed in "$out/app/UserPages.dll" "$out/wrk/terms.lua" "$out/wrk/signup.lua" "$out/wrk/get.lua" "$out/wrk/terms.txt"; do
  [[ -f "$needed" ]] || { echo "missing $needed: run bench/run.sh --smoke first" >&2; exit 1; }
done

port=5290
while (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
base=http://127.0.0.1:$port
db=$out/db/soak.db
soak=$out/soak
rm -rf "$soak" "$db" "$db-wal" "$db-shm"
mkdir -p "$soak" "$out/db"

export ASPNETCORE_ENVIRONMENT=Production Database__Provider=sqlite ConnectionStrings__Users="Data Source=$db"
export BENCH_TERMS=$out/wrk/terms.txt
dotnet "$out/app/UserPages.dll" migrate >/dev/null
dotnet "$out/app/UserPages.dll" seed --users "$users" --force >&2

(cd "$out/app" && RateLimiting__Enabled=false App__PublicBaseUrl=$base/ ASPNETCORE_URLS=$base exec dotnet UserPages.dll) >"$soak/app.log" 2>&1 &
app_pid=$!
pids=()
trap 'kill "${pids[@]}" "$app_pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -fsS -o /dev/null "$base/healthz" 2>/dev/null && break; sleep 0.2; done
curl -fsS -o /dev/null "$base/healthz"

deep=$(curl -fsS "$base/users" | grep -o 'rel="next" href="[^"]*"' | sed -E 's/.*href="([^"]*)"/\1/')
tokens=$soak/tokens.tsv
for _ in $(seq 8); do
  form=$(curl -fsS -c "$soak/jar" "$base/users/new")
  token=$(grep -o 'name="__RequestVerificationToken" type="hidden" value="[^"]*"' <<<"$form" | sed -E 's/.*value="([^"]*)"/\1/')
  stamp=$(grep -o 'name="FormStamp" value="[^"]*"' <<<"$form" | sed -E 's/.*value="([^"]*)"/\1/')
  cookie=$(awk '$6 ~ /^\.AspNetCore\.Antiforgery\./ { print $6 "=" $7 }' "$soak/jar")
  printf '%s\t%s\t%s\n' "$cookie" "$token" "$stamp" >>"$tokens"
done
# A person takes at least Signup:MinimumFillTime (2 s) to fill the form; a post sooner is refused as a bot's.
sleep 2

# The load: 32 connections on the listing, 8 on an older page, 16 searching, and 8 signing up with a 20 ms pause
# each (a few hundred signups a second).
seconds=$((minutes * 60))
wrk -t1 -c32 -d"${seconds}s" -s "$out/wrk/get.lua" "$base/users" >"$soak/listing.txt" &
pids+=($!)
wrk -t1 -c8 -d"${seconds}s" -s "$out/wrk/get.lua" "$base$deep" >"$soak/deep.txt" &
pids+=($!)
wrk -t1 -c16 -d"${seconds}s" -s "$out/wrk/terms.lua" "$base/" >"$soak/search.txt" &
pids+=($!)
BENCH_TOKENS=$tokens BENCH_RUN=soak BENCH_DELAY_MS=20 wrk -t1 -c8 -d"${seconds}s" -s "$out/wrk/signup.lua" "$base/" >"$soak/signups.txt" &
pids+=($!)

echo "second,rss_mb" >"$soak/rss.csv"
for ((t = 10; t <= seconds; t += 10)); do
  sleep 10
  rss=$(awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$app_pid/status")
  echo "$t,$rss" >>"$soak/rss.csv"
  echo "  ${t}s: ${rss} MB" >&2
done
wait "${pids[@]}"
pids=()

mean() { # from-second to-second
  awk -F, -v a="$1" -v b="$2" 'NR > 1 && $1 > a && $1 <= b { s += $2; n++ } END { printf "%.1f", s / n }' "$soak/rss.csv"
}
second=$(mean 60 120)
last=$(mean $((seconds - 60)) "$seconds")
growth=$(awk -v a="$second" -v b="$last" 'BEGIN { printf "%.3f", b / a }')

errors=0
echo
echo "| load | req/s | p99 ms | errors |"
echo "| --- | ---: | ---: | ---: |"
for part in listing deep search signups; do
  read -r rps p99 errs < <(sed -nE 's/^RESULT rps=([0-9.]+) p99_ms=([0-9.]+) errors=([0-9]+).*/\1 \2 \3/p' "$soak/$part.txt")
  echo "| $part | $rps | $p99 | $errs |"
  errors=$((errors + errs))
done
echo
echo "RSS mean, second minute: $second MB; last minute: $last MB; last / second: $growth (samples: bench/out/soak/rss.csv)"
echo "$minutes minutes over $(printf "%'d" "$users") users, $(nproc) cores, load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
if ((errors == 0)) && awk -v g="$growth" 'BEGIN { exit !(g <= 1.05) }'; then
  echo "PASS: 0 errors, no growth trend"
else
  echo "FAIL: $errors errors, last / second minute $growth (limit 1.05)"
  exit 1
fi
