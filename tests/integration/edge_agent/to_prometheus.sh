#!/usr/bin/env bash
# Acceptance (issue 4): edge agent -> real Prometheus 2.42. strata runs the shipped
# pipelines/edge-agent.yaml (only its ${STRATA_*} variables set) scraping a real node-exporter
# and itself every second, with external labels, remote-writing to a Prometheus started with
# --web.enable-remote-write-receiver. For one complete scrape of each job (timestamp T), the
# Prometheus API must hold exactly the series strata reported scraping (its own
# scrape_samples_post_metric_relabeling at T, plus the five report series), every one of them
# with the external labels, and up == 1.
# Usage: to_prometheus.sh BUILD_DIR SOURCE_DIR
source "$(dirname "$0")/../lib/harness.sh"
source "$(dirname "$0")/lib.sh"
STRATA=$1/bin/strata
EDGE_YAML=$2/pipelines/edge-agent.yaml
work=$(mktemp -d)
trap 'cleanup_started; [ -n "${KEEP_WORK:-}" ] || rm -rf "$work"' EXIT

distinct_ports 3
ne=${PORTS[0]} prom=${PORTS[1]} admin=${PORTS[2]}
start_node_exporter "$ne" "$work/ne.log"
start_prom_receiver "$prom" "$work/prom"

cluster="edge-$$" region="test-region" replica="r$RANDOM"
ext="cluster=\"$cluster\",region=\"$region\",replica=\"$replica\""
export STRATA_LISTEN_ADDRESS="127.0.0.1:$admin" STRATA_NODE_EXPORTER="127.0.0.1:$ne"
export STRATA_CLUSTER=$cluster STRATA_REGION=$region STRATA_REPLICA=$replica
export STRATA_REMOTE_WRITE_URL="http://127.0.0.1:$prom/api/v1/write"
export STRATA_DATA_DIR="$work/data" STRATA_SCRAPE_INTERVAL=1s STRATA_SCRAPE_TIMEOUT=1s
"$1/bin/pipeline-lint" "$EDGE_YAML" || fail "edge-agent.yaml does not lint with these variables"
start_edge_agent "$work/strata.log"

# up_times JOB: timestamps (ms) of the up samples Prometheus holds for JOB, with our labels.
up_times() {
  prom_query "$prom" "up{job=\"$1\",$ext}[1m]" |
    jq -r '.data.result[].values[][0] * 1000 | round' | sort -n
}
# Three up samples of each job: the next-to-last scrape is then complete in Prometheus (one
# shard sends in order, so a later sample of up means the whole earlier batch arrived).
have3() { [ "$(up_times node | wc -l)" -ge 3 ] && [ "$(up_times strata-agent | wc -l)" -ge 3 ]; }
wait_until 60 have3 || { tail -20 "$work/strata.log"; fail "no remote-written scrapes in prometheus"; }

check_job() {
  local job=$1 t tsec post count all up
  t=$(up_times "$job" | tail -2 | head -1)
  tsec=$(printf '%d.%03d' $((t / 1000)) $((t % 1000)))
  # Series of JOB holding a sample exactly at T (raw range query evaluated at T).
  at_t() {
    prom_query "$prom" "$1[2s]" "$tsec" |
      jq --argjson t "$t" '[.data.result[] | select(any(.values[]; (.[0] * 1000 | round) == $t))] | length'
  }
  count=$(at_t "{job=\"$job\",$ext}")
  all=$(at_t "{job=\"$job\"}")
  post=$(prom_query "$prom" "scrape_samples_post_metric_relabeling{job=\"$job\",$ext}" "$tsec" |
    jq -r '.data.result[0].value[1] // "none"')
  up=$(prom_query "$prom" "up{job=\"$job\",$ext}" "$tsec" | jq -r '.data.result[0].value[1] // "none"')
  echo "job=$job T=$t series_with_labels=$count all_series=$all post_metric_relabeling=$post up=$up"
  [ "$post" != none ] && [ "$post" -gt 0 ] || fail "$job: no scrape_samples_post_metric_relabeling at T"
  [ "$up" = 1 ] || fail "$job: up is $up, not 1"
  # The five report series: up, scrape_duration_seconds, scrape_samples_scraped,
  # scrape_samples_post_metric_relabeling, scrape_series_added.
  [ "$count" -eq $((post + 5)) ] || fail "$job: $count series at T, strata scraped $post + 5"
  [ "$all" -eq "$count" ] || fail "$job: $((all - count)) series lack the external labels"
}
check_job node
check_job strata-agent
# node-exporter's own series and strata's self-metrics, by name, with the labels.
for q in "node_exporter_build_info{job=\"node\",$ext}" \
         "strata_scrape_scrapes_total{job=\"strata-agent\",$ext}" \
         "strata_remote_write_samples_in_total{job=\"strata-agent\",$ext}"; do
  [ "$(prom_query "$prom" "count($q)" | jq -r '.data.result[0].value[1] // 0')" -ge 1 ] ||
    fail "$q not queryable in prometheus"
done
failed=$(agent_metric 'strata_remote_write_samples_failed_total{component="remote_write"}')
[ "$failed" -eq 0 ] || fail "$failed samples refused by prometheus"
stop_pid "$AGENT_PID" 15  # the agent before its receiver
echo "ok: edge-agent.yaml -> prometheus 2.42, scraped series queryable with $ext"
