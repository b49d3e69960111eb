#!/usr/bin/env bash
# A real node-exporter, a real Prometheus 2.42 scraping it and itself, and strata's
# prometheus_scrape scraping the same two targets at the same interval into the debug
# exporter's output_file. After a few scrapes strata is stopped; its last complete scrape of
# each job (at time T) must hold exactly the series Prometheus reports for that job at T
# (instant query), and stable series must have equal values.
# Usage: scrape_vs_prometheus.sh BUILD_DIR
set -euo pipefail
source "$(dirname "$0")/../lib/harness.sh"
build=$1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'cleanup_started; rm -rf "$work"' EXIT

ne=$(free_port); prom=$(free_port); admin=$(free_port)
while [ "$prom" = "$ne" ]; do prom=$(free_port); done
while [ "$admin" = "$ne" ] || [ "$admin" = "$prom" ]; do admin=$(free_port); done

prometheus-node-exporter --web.listen-address="127.0.0.1:$ne" > "$work/ne.log" 2>&1 &
STARTED_PIDS+=($!)
wait_http "http://127.0.0.1:$ne/metrics" 20

cat > "$work/prometheus.yml" <<YAML
global: {scrape_interval: 2s, scrape_timeout: 2s}
scrape_configs:
  - job_name: node
    static_configs: [{targets: ["127.0.0.1:$ne"]}]
  - job_name: prometheus
    static_configs: [{targets: ["127.0.0.1:$prom"]}]
YAML
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
  --web.listen-address="127.0.0.1:$prom" > "$work/prometheus.log" 2>&1 &
STARTED_PIDS+=($!)
wait_http "http://127.0.0.1:$prom/-/ready" 30

cat > "$work/pipeline.yaml" <<YAML
server: {listen_address: "127.0.0.1:$admin", data_dir: "$work/data", log_level: warn}
receivers:
  prometheus_scrape:
    scrape_interval: 2s
    scrape_timeout: 2s
    scrape_configs:
      - job_name: node
        static_configs: [{targets: ["127.0.0.1:$ne"]}]
      - job_name: prometheus
        static_configs: [{targets: ["127.0.0.1:$prom"]}]
exporters:
  debug: {output_file: "$work/scraped.txt"}
pipelines:
  metrics: {receivers: [prometheus_scrape], exporters: [debug]}
YAML
"$build/bin/pipeline-lint" "$work/pipeline.yaml" || fail "pipeline does not lint"
"$build/bin/strata" run -c "$work/pipeline.yaml" > "$work/strata.log" 2>&1 &
strata_pid=$!; STARTED_PIDS+=($strata_pid)
wait_http "http://127.0.0.1:$admin/-/ready" 20

# Wait (bounded) for 4 scrapes of each job by strata and 3 by Prometheus, so strata's last
# scrape comes after Prometheus has data of both jobs.
# Query the API all along, so the request series it creates exist in every scrape.
deadline=$((SECONDS + 60))
until [ "$(grep -c '^up{instance=.*job="node"} 1 ' "$work/scraped.txt" 2>/dev/null)" -ge 4 ] &&
      [ "$(grep -c '^up{instance=.*job="prometheus"} 1 ' "$work/scraped.txt" 2>/dev/null)" -ge 4 ] &&
      [ "$(curl -fsS "http://127.0.0.1:$prom/api/v1/query?query=count(count_over_time(up%5B1m%5D)>=3)" |
           python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else 0)')" = 2 ]; do
  [ $SECONDS -lt $deadline ] || { cat "$work/strata.log"; fail "timeout waiting for scrapes"; }
  sleep 0.5
done
kill -TERM "$strata_pid"; wait "$strata_pid" 2>/dev/null || true

python3 "$here/compare_with_prometheus.py" "$work/scraped.txt" "http://127.0.0.1:$prom"
