#include "target.h"

#include <cctype>
#include <charconv>
#include <map>
#include <strata/sdk.hpp>

namespace strata::scrape {
namespace {

struct Unit {
  const char* name;
  int64_t ms;
};
constexpr Unit kUnits[] = {{"y", 365LL * 24 * 3600 * 1000},
                           {"w", 7LL * 24 * 3600 * 1000},
                           {"d", 24LL * 3600 * 1000},
                           {"h", 3600 * 1000},
                           {"m", 60 * 1000},
                           {"s", 1000},
                           {"ms", 1}};

// url.QueryEscape: space as '+', unreserved kept, the rest %XX.
std::string queryEscape(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

// net/url Values.Encode over the job's params with __param_* labels overriding the first value.
std::string encodeParams(const JobConfig& job, const relabel::LabelSet& ls) {
  std::map<std::string, std::vector<std::string>> params = job.params;
  for (const auto& l : ls.labels()) {
    if (l.name.rfind("__param_", 0) != 0) continue;
    auto& v = params[l.name.substr(8)];
    if (v.empty())
      v.push_back(l.value);
    else
      v[0] = l.value;
  }
  std::string q;
  for (const auto& [k, vals] : params) {
    for (const auto& v : vals) {
      if (!q.empty()) q += '&';
      q += queryEscape(k) + "=" + queryEscape(v);
    }
  }
  return q;
}

bool hasPort(std::string_view addr) {
  if (!addr.empty() && addr[0] == '[') return addr.find("]:") != std::string_view::npos;
  return addr.find(':') != std::string_view::npos;
}

}  // namespace

std::string formatDuration(int64_t ms) {
  if (ms == 0) return "0s";
  std::string out;
  if (ms < 0) {
    out = "-";
    ms = -ms;
  }
  for (const auto& u : kUnits) {
    if (ms >= u.ms) {
      out += std::to_string(ms / u.ms) + u.name;
      ms %= u.ms;
    }
  }
  return out;
}

bool parseDuration(std::string_view s, int64_t* ms) {
  if (s.empty()) return false;
  if (s == "0") {
    *ms = 0;
    return true;
  }
  int64_t total = 0;
  size_t unit_index = 0;  // units must come in decreasing order, each at most once
  while (!s.empty()) {
    int64_t n = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec != std::errc() || n < 0) return false;
    s.remove_prefix(static_cast<size_t>(p - s.data()));
    size_t found = sizeof(kUnits) / sizeof(kUnits[0]);
    for (size_t i = unit_index; i < found; ++i) {
      std::string_view name = kUnits[i].name;
      bool ms_next = name == "m" && s.substr(0, 2) == "ms";
      if (s.substr(0, name.size()) == name && !ms_next) {
        found = i;
        break;
      }
    }
    if (found == sizeof(kUnits) / sizeof(kUnits[0])) return false;
    s.remove_prefix(std::string_view(kUnits[found].name).size());
    total += n * kUnits[found].ms;
    unit_index = found + 1;
  }
  *ms = total;
  return true;
}

std::optional<Target> buildTarget(const JobConfig& job, const relabel::LabelSet& discovered,
                                  std::string* error) {
  error->clear();
  relabel::LabelSet ls = discovered;
  auto setDefault = [&](const char* name, const std::string& value) {
    if (ls.get(name).empty()) ls.set(name, value);
  };
  setDefault("job", job.job_name);
  setDefault("__scrape_interval__", formatDuration(job.interval_ms));
  setDefault("__scrape_timeout__", formatDuration(job.timeout_ms));
  setDefault("__metrics_path__", job.metrics_path);
  setDefault("__scheme__", job.scheme);
  for (const auto& [k, v] : job.params)
    if (!v.empty()) ls.set("__param_" + k, v[0]);
  Target t;
  t.discovered = ls;
  if (!relabel::process(job.relabel_configs, ls)) return std::nullopt;
  std::string addr(ls.get("__address__"));
  if (addr.empty()) {
    *error = "no address";
    return std::nullopt;
  }
  if (!hasPort(addr)) {  // Prometheus 2.42 still infers the port from the scheme
    std::string scheme(ls.get("__scheme__"));
    if (scheme == "http") addr += ":80";
    if (scheme == "https") addr += ":443";
    ls.set("__address__", addr);
  }
  if (addr.find('/') != std::string::npos) {
    *error = "\"" + addr + "\" is not a valid hostname";
    return std::nullopt;
  }
  if (!parseDuration(ls.get("__scrape_interval__"), &t.interval_ms) || t.interval_ms <= 0 ||
      !parseDuration(ls.get("__scrape_timeout__"), &t.timeout_ms) || t.timeout_ms <= 0) {
    *error = "invalid __scrape_interval__ or __scrape_timeout__";
    return std::nullopt;
  }
  if (t.timeout_ms > t.interval_ms) {
    *error = "scrape timeout cannot be greater than scrape interval";
    return std::nullopt;
  }
  std::vector<std::string> meta;
  for (const auto& l : ls.labels())
    if (l.name.rfind("__meta_", 0) == 0) meta.push_back(l.name);
  for (const auto& m : meta) ls.del(m);
  if (ls.get("instance").empty()) ls.set("instance", addr);
  t.labels = ls;
  for (const auto& l : ls.labels())
    if (l.name.rfind("__", 0) != 0) t.public_labels.set(l.name, l.value);
  std::string query = encodeParams(job, ls);
  t.url = std::string(ls.get("__scheme__")) + "://" + addr +
          std::string(ls.get("__metrics_path__")) + (query.empty() ? "" : "?" + query);
  std::vector<strata_label> raw;
  for (const auto& l : ls.labels()) raw.push_back({sdk::str(l.name), sdk::str(l.value)});
  t.hash = sdk::labelsHash(raw.data(), raw.size()) ^ std::hash<std::string>{}(job.job_name);
  return t;
}

}  // namespace strata::scrape
