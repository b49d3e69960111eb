#!/usr/bin/env bash
# End to end through the real host: remote-write-sender -> remote_write receiver -> debug
# exporter. Every sample the sender saw acknowledged must be in the debug output_file, and
# nothing else (compared byte for byte after sorting). Loopback only; bounded; kills only the
# host it started.
set -euo pipefail
STRATA=$1
SENDER=$2
work=$(mktemp -d)
base=$(( 20000 + ($$ % 5000) * 2 ))
admin=$base
rw=$((base + 1))
pid=
cleanup() {
  if [[ -n $pid ]]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

cat > "$work/p.yaml" <<YAML
server: {listen_address: "127.0.0.1:$admin", data_dir: $work/data, log_level: warn}
receivers:
  remote_write: {listen_address: "127.0.0.1:$rw", ack: delivered}
exporters:
  debug: {output_file: $work/delivered.txt}
pipelines:
  metrics/rw: {receivers: [remote_write], processors: [], exporters: [debug]}
YAML
"$STRATA" run -c "$work/p.yaml" > "$work/strata.log" 2>&1 &
pid=$!
for _ in $(seq 100); do
  curl -sf -o /dev/null "http://127.0.0.1:$admin/-/ready" && break
  sleep 0.1
done
curl -sf -o /dev/null "http://127.0.0.1:$admin/-/ready" || { cat "$work/strata.log"; exit 1; }

"$SENDER" --url "http://127.0.0.1:$rw/api/v1/receive" --series 40 --samples-per-request 80 \
  --interval-ms 5 --duration-s 2 --connections 3 --ack-log "$work/ack.log" | tee "$work/summary"
grep -q ' rejected=0 connect_errors=0$' "$work/summary"
acked=$(sed -E 's/.*acked=([0-9]+).*/\1/' "$work/summary")
[[ $acked -gt 0 ]]
sort "$work/ack.log" > "$work/a"
sort "$work/delivered.txt" > "$work/d"
[[ $(wc -l < "$work/a") -eq $acked ]]
cmp "$work/a" "$work/d"

# A body that is not snappy is a 400 and reaches nobody.
code=$(printf 'garbage' | curl -s -o "$work/body" -w '%{http_code}' -X POST \
  -H 'Content-Type: application/x-protobuf' -H 'Content-Encoding: snappy' --data-binary @- \
  "http://127.0.0.1:$rw/api/v1/write")
[[ $code == 400 ]]
[[ $(wc -l < "$work/delivered.txt") -eq $acked ]]
echo "ok: $acked acknowledged samples delivered byte-identical"
