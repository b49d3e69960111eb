# Helpers for the remote_write exporter's integration tests (sourced after ../lib/harness.sh).
# Every process is started here by PID and registered in STARTED_PIDS for the harness' cleanup.

# prom_scalar PORT QUERY: the single value of an instant query ("none" for an empty result).
prom_scalar() {
  curl -fsS "http://127.0.0.1:$1/api/v1/query" --data-urlencode "query=$2" |
    jq -r 'if (.data.result | length) == 0 then "none" else .data.result[0].value[1] end'
}

# prom_raw_count PORT SELECTOR RANGE: raw samples the selector holds over RANGE (a range-vector
# query; count_over_time cannot span series that differ only in __name__).
prom_raw_count() {
  curl -fsS "http://127.0.0.1:$1/api/v1/query" --data-urlencode "query=$2[$3]" |
    jq '[.data.result[].values | length] | add // 0'
}

# num VALUE: "absent"/"none" -> -1, floats -> integers (counters are whole numbers here).
num() {
  case $1 in absent | none) echo -1 ;; *) printf '%.0f' "$1" ;; esac
}
