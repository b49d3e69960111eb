#include "report.h"

#include <sys/resource.h>

#include <cstdio>

namespace strata::connload {
namespace {

void appendJsonString(std::string& out, const std::string& s) {
  out += '"';
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  return buf;
}

void appendField(std::string& out, const char* name, const std::string& value) {
  if (out.back() != '{') out += ',';
  out += '"';
  out += name;
  out += "\":";
  out += value;
}

void appendField(std::string& out, const char* name, uint64_t value) {
  appendField(out, name, std::to_string(value));
}

std::string statusCounts(const std::map<int, uint64_t>& counts) {
  std::string out = "{";
  for (const auto& [status, n] : counts) {
    if (out.size() > 1) out += ',';
    out += '"' + std::to_string(status) + "\":" + std::to_string(n);
  }
  return out + "}";
}

}  // namespace

double processCpuSeconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
         (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

std::string renderReport(const Options& options, RunResult& r, double cpu_s) {
  WriteStats& w = r.writes;
  std::string out = "{";
  appendField(out, "connections", static_cast<uint64_t>(options.connections));
  appendField(out, "connected", static_cast<uint64_t>(r.connected_at_start));
  appendField(out, "connected_at_end", static_cast<uint64_t>(r.connected_at_end));
  appendField(out, "never_connected",
              static_cast<uint64_t>(options.connections - w.ever_connected));
  appendField(out, "writes_sent", w.writes_sent);
  appendField(out, "writes_acked", w.writes_acked);
  appendField(out, "samples_acked", w.samples_acked);
  appendField(out, "rejected", w.rejected);
  appendField(out, "retried", w.retried);
  appendField(out, "timeouts", w.timeouts);
  appendField(out, "reconnects", w.reconnects);
  appendField(out, "connect_errors", w.connect_errors);
  appendField(out, "ticks_skipped", w.ticks_skipped);
  appendField(out, "status_counts", statusCounts(w.status_counts));
  appendField(out, "unacked_at_end", static_cast<uint64_t>(w.outstanding));
  LatencySummary lat = summarize(w.latency_us);
  std::string latency = "{";
  appendField(latency, "count", lat.count);
  appendField(latency, "p50", lat.count ? number(lat.p50_ms) : "null");
  appendField(latency, "p99", lat.count ? number(lat.p99_ms) : "null");
  appendField(latency, "max", lat.count ? number(lat.max_ms) : "null");
  appendField(out, "write_latency_ms", latency + "}");
  std::string probes = "[";
  for (ProbeStats& p : r.probes) {
    LatencySummary s = summarize(p.latency_us);
    std::string one = "{";
    std::string url;
    appendJsonString(url, p.url);
    appendField(one, "url", url);
    appendField(one, "count", p.count);
    appendField(one, "errors", p.errors);
    appendField(one, "timeouts", p.timeouts);
    appendField(one, "skipped", p.skipped);
    appendField(one, "measured", s.count);
    appendField(one, "p50_ms", s.count ? number(s.p50_ms) : "null");
    appendField(one, "p99_ms", s.count ? number(s.p99_ms) : "null");
    appendField(one, "max_ms", s.count ? number(s.max_ms) : "null");
    appendField(one, "status_counts", statusCounts(p.status_counts));
    if (probes.size() > 1) probes += ',';
    probes += one + "}";
  }
  appendField(out, "probes", probes + "]");
  appendField(out, "measured_s", number(r.measured_s));
  appendField(out, "client_cpu_s", number(cpu_s));
  return out + "}";
}

bool runPassed(const Options& options, const RunResult& r) {
  const WriteStats& w = r.writes;
  if (w.writes_sent == 0 || w.writes_acked != w.writes_sent || w.rejected > 0) return false;
  if (w.ever_connected != options.connections) return false;
  for (const ProbeStats& p : r.probes)
    if (p.count == 0 || p.errors > 0 || p.timeouts > 0 || p.not_2xx > 0) return false;
  return true;
}

}  // namespace strata::connload
