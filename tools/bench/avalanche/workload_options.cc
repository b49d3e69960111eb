#include "workload_options.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <stdexcept>
#include <string_view>

namespace strata::avalanche {
namespace {

const char kUsage[] =
    "usage: strata-avalanche MODE [--option=value]...\n"
    "modes:\n"
    "  remote-write --url=URL   send remote write; bodies are built before the timed part\n"
    "  serve                    serve the current step of every series on /metrics\n"
    "  openmetrics --out=FILE   write every sample as OpenMetrics (for promtool backfill)\n"
    "data: --series=N --metrics=N --labels=N --label-cardinality=N --gauge-ratio=F\n"
    "      --histogram-ratio=F --histogram-buckets=N --interval=MS --samples=N --start-ms=MS\n"
    "      --churn-interval=S --churn-fraction=F --seed=N\n"
    "remote-write: --protocol=1.0|2.0 (1.0: prometheus.WriteRequest; 2.0:\n"
    "      io.prometheus.write.v2.Request with metric types, X-Prometheus-Remote-Write-*-Written\n"
    "      response headers checked; default 1.0)\n"
    "      --connections=N --series-per-request=N --steps-per-request=N\n"
    "      --rate=SAMPLES_PER_S (0 = as fast as possible) --retry-timeout=S\n"
    "      --max-lag-steps=N (a connection stays within N steps of the slowest; 8)\n"
    "serve: --listen=HOST:PORT --serve-seconds=S (0 = until SIGTERM)\n";

int64_t toInt(const std::string& s) { return std::stoll(s); }
double toDouble(const std::string& s) { return std::stod(s); }
RemoteWriteProtocol toProtocol(const std::string& s) {
  if (s == "1.0" || s == "1") return RemoteWriteProtocol::kV1;
  if (s == "2.0" || s == "2") return RemoteWriteProtocol::kV2;
  throw std::invalid_argument("protocol");
}

}  // namespace

bool parseArgs(int argc, char** argv, WorkloadOptions* w, ModeOptions* m, int* exit_code) {
  using Setter = std::function<void(const std::string&)>;
  const std::map<std::string_view, Setter> setters = {
      {"series", [&](auto& v) { w->series = toInt(v); }},
      {"metrics", [&](auto& v) { w->metric_count = toInt(v); }},
      {"labels", [&](auto& v) { w->labels_per_series = toInt(v); }},
      {"label-cardinality", [&](auto& v) { w->label_cardinality = toInt(v); }},
      {"gauge-ratio", [&](auto& v) { w->gauge_ratio = toDouble(v); }},
      {"histogram-ratio", [&](auto& v) { w->histogram_ratio = toDouble(v); }},
      {"histogram-buckets", [&](auto& v) { w->histogram_buckets = toInt(v); }},
      {"interval", [&](auto& v) { w->interval_ms = toInt(v); }},
      {"samples", [&](auto& v) { w->samples = toInt(v); }},
      {"start-ms", [&](auto& v) { w->start_ms = toInt(v); }},
      {"churn-interval", [&](auto& v) { w->churn_interval_s = toInt(v); }},
      {"churn-fraction", [&](auto& v) { w->churn_fraction = toDouble(v); }},
      {"seed", [&](auto& v) { w->seed = static_cast<uint64_t>(toInt(v)); }},
      {"url", [&](auto& v) { m->url = v; }},
      {"protocol", [&](auto& v) { m->protocol = toProtocol(v); }},
      {"connections", [&](auto& v) { m->connections = toInt(v); }},
      {"series-per-request", [&](auto& v) { m->series_per_request = toInt(v); }},
      {"steps-per-request", [&](auto& v) { m->steps_per_request = toInt(v); }},
      {"rate", [&](auto& v) { m->rate = toDouble(v); }},
      {"retry-timeout", [&](auto& v) { m->retry_timeout_s = toInt(v); }},
      {"max-lag-steps", [&](auto& v) { m->max_lag_steps = toInt(v); }},
      {"listen", [&](auto& v) { m->listen = v; }},
      {"serve-seconds", [&](auto& v) { m->serve_seconds = toInt(v); }},
      {"out", [&](auto& v) { m->out = v; }},
  };
  *exit_code = 2;
  if (argc < 2 || std::string_view(argv[1]) == "--help") {
    std::fputs(kUsage, stderr);
    if (argc >= 2) *exit_code = 0;
    return false;
  }
  m->mode = argv[1];
  for (int i = 2; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--", 0) != 0) {
      std::fprintf(stderr, "strata-avalanche: unexpected argument %s\n%s", arg.c_str(), kUsage);
      return false;
    }
    auto eq = arg.find('=');
    std::string key = arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
    std::string value;
    if (eq != std::string::npos) {
      value = arg.substr(eq + 1);
    } else if (i + 1 < argc) {
      value = argv[++i];
    }
    auto it = setters.find(key);
    if (it == setters.end()) {
      std::fprintf(stderr, "strata-avalanche: unknown option --%s\n%s", key.c_str(), kUsage);
      return false;
    }
    try {
      it->second(value);
    } catch (const std::exception&) {
      std::fprintf(stderr, "strata-avalanche: bad value for --%s: \"%s\"\n", key.c_str(),
                   value.c_str());
      return false;
    }
  }
  if (m->mode != "remote-write" && m->mode != "serve" && m->mode != "openmetrics") {
    std::fprintf(stderr, "strata-avalanche: unknown mode %s\n%s", m->mode.c_str(), kUsage);
    return false;
  }
  if (w->series <= 0 || w->metric_count <= 0 || w->samples <= 0 || w->interval_ms <= 0 ||
      w->label_cardinality <= 0 || w->histogram_buckets < 1 || w->labels_per_series < 0 ||
      m->connections <= 0 || m->series_per_request <= 0 || m->steps_per_request <= 0 ||
      m->max_lag_steps < 0) {
    std::fputs("strata-avalanche: counts and intervals must be positive\n", stderr);
    return false;
  }
  if (m->mode == "remote-write" && m->url.empty()) {
    std::fputs("strata-avalanche: remote-write needs --url\n", stderr);
    return false;
  }
  if (m->mode == "openmetrics" && m->out.empty()) {
    std::fputs("strata-avalanche: openmetrics needs --out\n", stderr);
    return false;
  }
  if (w->start_ms == 0) {
    // End at "now": Prometheus' head refuses samples older than about an hour before its
    // newest, so the data must be recent; aligned so repeated runs cover the same grid.
    int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
    w->start_ms = (now / w->interval_ms - w->samples) * w->interval_ms;
  }
  *exit_code = 0;
  return true;
}

}  // namespace strata::avalanche
