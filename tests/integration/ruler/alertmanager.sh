#!/usr/bin/env bash
# The ruler end to end (issue 19): a real prometheus-alertmanager on loopback (no clustering),
# strata running pipelines/ruler.yaml (remote write in -> block_store -> ruler over it).
# Samples that make an alert fire are remote-written; the alert must reach Alertmanager
# (GET /api/v2/alerts) with its templated labels, annotations and the external labels, the
# ruler's /api/v1/alerts must show it firing, and the recording rule's output must be
# queryable through promql_api. Also: promtool check rules passes on the shipped example file.
# Usage: alertmanager.sh BUILD_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/harness.sh"
build=$(cd "$1" && pwd)
root=$(cd "$here/../../.." && pwd)
work=$(mktemp -d)
trap 'cleanup_started; rm -rf "$work"' EXIT
command -v prometheus-alertmanager > /dev/null || fail "prometheus-alertmanager not installed"
command -v promtool > /dev/null || fail "promtool not installed"
cd "$root"  # rule_files in pipelines/ruler.yaml are relative to the working directory

promtool check rules "$root"/pipelines/rules/*.rules.yml > /dev/null ||
  fail "promtool check rules fails on pipelines/rules"
"$build/bin/strata-rules" check "$root"/pipelines/rules/*.rules.yml > /dev/null ||
  fail "strata-rules check fails on pipelines/rules"
"$build/bin/pipeline-lint" "$root/pipelines/ruler.yaml" > /dev/null ||
  fail "pipelines/ruler.yaml does not lint"

am_port=$(free_port)
admin=$(free_port)
recv=$(free_port)
mkdir -p "$work/am"
printf 'route: {receiver: "null"}\nreceivers: [{name: "null"}]\n' > "$work/am/am.yml"
prometheus-alertmanager --config.file="$work/am/am.yml" --storage.path="$work/am" \
  --web.listen-address="127.0.0.1:$am_port" --cluster.listen-address= \
  >> "$work/am/log" 2>&1 &
STARTED_PIDS+=($!)
wait_http "http://127.0.0.1:$am_port/-/ready" 30

export STRATA_LISTEN_ADDRESS="127.0.0.1:$admin" STRATA_DATA_DIR="$work/data"
export STRATA_RECEIVE_ADDRESS="127.0.0.1:$recv" STRATA_RULE_FILES="$here/test.rules.yml"
export STRATA_EVALUATION_INTERVAL=1s STRATA_ALERTMANAGER="127.0.0.1:$am_port"
export STRATA_RULER_NAME=it-ruler STRATA_RESEND_DELAY=2s
export STRATA="$build/bin/strata"
start_strata "$root/pipelines/ruler.yaml" "$work/strata.log" "$admin"

python3 "$here/write_loop.py" "http://127.0.0.1:$recv/api/v1/write" 2>> "$work/writer.log" &
STARTED_PIDS+=($!)

am_has_alert() {
  curl -fsS "http://127.0.0.1:$am_port/api/v2/alerts?filter=alertname%3D%22TestDown%22" \
    > "$work/am_alerts.json" 2>/dev/null &&
    python3 - "$work/am_alerts.json" <<'PY'
import json, sys
alerts = json.load(open(sys.argv[1]))
ok = [a for a in alerts
      if a["labels"].get("severity") == "page" and a["labels"].get("instance_copy") == "i1"
      and a["labels"].get("ruler") == "it-ruler" and a["labels"].get("job") == "api"
      and a["annotations"].get("summary") == "i1 of api is down (value 0)"
      and a["annotations"].get("ratio") == "25% from it-ruler"
      and a["status"]["state"] == "active"]
sys.exit(0 if len(ok) == 1 else 1)
PY
}
wait_until 40 am_has_alert || {
  cat "$work/am_alerts.json" >&2 || true
  tail -20 "$work/strata.log" >&2
  fail "TestDown did not reach Alertmanager with the expected labels and annotations"
}

curl -fsS "http://127.0.0.1:$admin/api/v1/alerts" > "$work/alerts.json"
grep -q '"state":"firing"' "$work/alerts.json" || fail "ruler /api/v1/alerts: $(cat "$work/alerts.json")"
curl -fsS "http://127.0.0.1:$admin/api/v1/rules" > "$work/rules.json"
python3 - "$work/rules.json" <<'PY' || fail "ruler /api/v1/rules: $(cat "$work/rules.json")"
import json, sys
d = json.load(open(sys.argv[1]))
rules = d["data"]["groups"][0]["rules"]
assert [r["type"] for r in rules] == ["recording", "alerting"], rules
assert all(r["health"] == "ok" for r in rules), rules
assert rules[1]["state"] == "firing" and rules[1]["duration"] == 2, rules
PY

recorded() {
  curl -fsS "http://127.0.0.1:$admin/api/v1/query" \
    --data-urlencode 'query=job:test_requests:sum{recorded_by="ruler",job="api"}' \
    > "$work/query.json" 2>/dev/null &&
    grep -q '"job:test_requests:sum"' "$work/query.json"
}
wait_until 20 recorded || fail "recording rule output not queryable: $(cat "$work/query.json")"
alerts_series() {
  curl -fsS "http://127.0.0.1:$admin/api/v1/query" \
    --data-urlencode 'query=ALERTS{alertname="TestDown",alertstate="firing"}' > "$work/q2.json" &&
    grep -q '"alertstate":"firing"' "$work/q2.json" &&
    curl -fsS "http://127.0.0.1:$admin/api/v1/query" \
      --data-urlencode 'query=ALERTS_FOR_STATE{alertname="TestDown"}' | grep -q '"ALERTS_FOR_STATE"'
}
wait_until 10 alerts_series || fail "ALERTS / ALERTS_FOR_STATE not stored: $(cat "$work/q2.json")"
echo "PASS: ruler alert reached Alertmanager; recording and ALERTS series stored"
