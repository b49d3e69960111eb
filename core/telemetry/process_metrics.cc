#include "core/telemetry/process_metrics.h"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace strata::telemetry {
namespace {

// Fields of /proc/self/stat after the command name, which may itself hold spaces and ')'.
// Index 0 is field 3 ("state") of proc(5).
std::vector<std::string> statFields() {
  std::ifstream in("/proc/self/stat");
  std::string line;
  if (!std::getline(in, line)) return {};
  auto close = line.rfind(')');
  if (close == std::string::npos) return {};
  std::istringstream rest(line.substr(close + 1));
  std::vector<std::string> fields;
  for (std::string f; rest >> f;) fields.push_back(f);
  return fields;
}

double field(const std::vector<std::string>& fields, int proc5_number) {
  size_t i = static_cast<size_t>(proc5_number - 3);
  return i < fields.size() ? std::stod(fields[i]) : 0;
}

std::optional<double> bootTimeSeconds() {
  std::ifstream in("/proc/stat");
  for (std::string key; in >> key;) {
    if (key == "btime") {
      double v;
      if (in >> v) return v;
      return std::nullopt;
    }
    in.ignore(1 << 20, '\n');
  }
  return std::nullopt;
}

std::optional<double> openFds() {
  DIR* dir = opendir("/proc/self/fd");
  if (!dir) return std::nullopt;
  double n = 0;
  while (dirent* e = readdir(dir))
    if (e->d_name[0] != '.') ++n;
  closedir(dir);
  return n - 1;  // the descriptor opendir() itself holds
}

}  // namespace

void updateProcessMetrics(MetricsRegistry& registry) {
  auto fields = statFields();
  if (fields.size() >= 22) {
    double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
    double page = static_cast<double>(sysconf(_SC_PAGESIZE));
    registry
        .counter("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.")
        ->set((field(fields, 14) + field(fields, 15)) / ticks);
    registry.gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.")
        ->set(field(fields, 23));
    registry.gauge("process_resident_memory_bytes", "Resident memory size in bytes.")
        ->set(field(fields, 24) * page);
    if (auto boot = bootTimeSeconds())
      registry
          .gauge("process_start_time_seconds",
                 "Start time of the process since unix epoch in seconds.")
          ->set(*boot + field(fields, 22) / ticks);
  }
  if (auto fds = openFds())
    registry.gauge("process_open_fds", "Number of open file descriptors.")->set(*fds);
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0)
    registry.gauge("process_max_fds", "Maximum number of open file descriptors.")
        ->set(static_cast<double>(limit.rlim_cur));
}

}  // namespace strata::telemetry
