#include "options.h"

#include <cerrno>
#include <cstdlib>
#include <map>
#include <string_view>

namespace strata::connload {

const char* const kUsage =
    "usage: conn-load --write-url http://HOST:PORT/api/v1/write [--connections N]\n"
    "         [--connect-rate R] [--interval-ms D] [--series-per-write K] [--metric NAME]\n"
    "         [--ack-log FILE] [--probe-url URL]... [--probe-interval-ms P] [--timeout-ms T]\n"
    "         [--duration-s S] [--warmup-s W]\n"
    "\n"
    "Measures how an HTTP server holds many concurrent keep-alive clients. One thread, one\n"
    "epoll loop, plain HTTP/1.1 (Strata, Prometheus --web.enable-remote-write-receiver,\n"
    "VictoriaMetrics).\n"
    "\n"
    "Writers: N writers (default 100) each open one keep-alive connection to --write-url,\n"
    "  at most R connection opens per second overall (default 500; reconnects included).\n"
    "  Every D ms (default 5000; writer w's phase is w*D/N) a connected writer sends one\n"
    "  remote write 1.0 request (snappy protobuf) of K series (default 5) named NAME (default\n"
    "  conn_load_samples) with labels writer=\"w\", series=\"0\"..\"K-1\", one sample each:\n"
    "  timestamp = now in ms (+1 ms if the clock did not move), value = the writer's request\n"
    "  counter 0, 1, 2, .... One request per connection is in flight; a tick that finds the\n"
    "  previous request unacknowledged is skipped (ticks_skipped).\n"
    "  2xx acknowledges. 5xx and 429 are retried (same samples) after 500 ms. Any other status\n"
    "  rejects the request (counted in rejected, logged, not retried). A closed connection is\n"
    "  reopened (reconnects) and an unanswered request resent; a request unanswered after T ms\n"
    "  (default 10000) counts in timeouts, and its connection is reopened and it is resent.\n"
    "  Connects failing or taking over T ms count in connect_errors and are retried with\n"
    "  backoff (100 ms doubling to 2 s).\n"
    "--ack-log FILE: appends `NAME{series=\"i\",writer=\"w\"} VALUE TIMESTAMP_MS` per\n"
    "  acknowledged sample (remote-write-sender's --ack-log format).\n"
    "Probes: every P ms (default 200) a GET of each --probe-url, each on its own keep-alive\n"
    "  connection; latency from the send (from the due time when the connection had to be\n"
    "  reopened first) to the full response; a probe unanswered after T ms is a timeout\n"
    "  (latency T). A probe still in flight at its next tick skips that tick.\n"
    "Timeline: ramp (until every writer connected once, or N/R s + T ms passed), then W s of\n"
    "  warm-up (default 0), then the measured window of S s (default 30). Latency percentiles\n"
    "  cover requests sent in the window; counts cover the whole run. Then no new writes or\n"
    "  probes; up to 10 s for the outstanding ones. SIGINT/SIGTERM end the window early.\n"
    "\n"
    "Prints one JSON object on stdout (progress and errors go to stderr): connections,\n"
    "connected (writers connected when the window opened), connected_at_end (when it\n"
    "closed), never_connected, writes_sent (requests issued), writes_acked, samples_acked,\n"
    "rejected, retried (re-sends of a request for any reason), timeouts, reconnects,\n"
    "connect_errors, ticks_skipped, status_counts (every write response), unacked_at_end,\n"
    "write_latency_ms {count,p50,p99,max} (sent to 2xx, attempt that was acknowledged),\n"
    "probes [{url,count,errors,timeouts,skipped,p50_ms,p99_ms,max_ms,status_counts}],\n"
    "client_cpu_s, measured_s.\n"
    "Exit 0 when writes were sent and every one was acknowledged, nothing was rejected, every\n"
    "writer connected, and every probe answered 2xx within T ms; 1 otherwise; 2 on usage\n"
    "errors.\n";

namespace {

bool parseInt(std::string_view text, int64_t min, int64_t* out) {
  std::string s(text);
  char* end = nullptr;
  errno = 0;
  long long v = std::strtoll(s.c_str(), &end, 10);
  if (s.empty() || *end != '\0' || errno != 0 || v < min) return false;
  *out = v;
  return true;
}

bool validMetricName(const std::string& name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
              (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

}  // namespace

int parseOptions(int argc, char** argv, Options* o, std::string* error) {
  std::map<std::string_view, std::pair<int64_t*, int64_t>> ints = {
      {"--connections", {&o->connections, 1}},
      {"--connect-rate", {&o->connect_rate, 1}},
      {"--interval-ms", {&o->interval_ms, 1}},
      {"--series-per-write", {&o->series_per_write, 1}},
      {"--probe-interval-ms", {&o->probe_interval_ms, 1}},
      {"--timeout-ms", {&o->timeout_ms, 1}},
      {"--duration-s", {&o->duration_s, 1}},
      {"--warmup-s", {&o->warmup_s, 0}},
  };
  std::map<std::string_view, std::string*> strings = {
      {"--write-url", &o->write_url}, {"--metric", &o->metric}, {"--ack-log", &o->ack_log}};
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") return 1;
    std::string_view value;
    size_t eq = arg.find('=');
    if (arg.substr(0, 2) == "--" && eq != std::string_view::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      *error = "missing value for " + std::string(arg);
      return 2;
    }
    if (auto it = ints.find(arg); it != ints.end()) {
      if (!parseInt(value, it->second.second, it->second.first)) {
        *error = "bad value for " + std::string(arg) + ": " + std::string(value) +
                 " (an integer >= " + std::to_string(it->second.second) + ")";
        return 2;
      }
    } else if (auto st = strings.find(arg); st != strings.end()) {
      *st->second = std::string(value);
    } else if (arg == "--probe-url") {
      o->probe_urls.emplace_back(value);
    } else {
      *error = "unknown option " + std::string(arg);
      return 2;
    }
  }
  if (o->write_url.empty()) {
    *error = "--write-url is required";
    return 2;
  }
  if (!validMetricName(o->metric)) {
    *error = "--metric is not a valid metric name: " + o->metric;
    return 2;
  }
  return 0;
}

}  // namespace strata::connload
