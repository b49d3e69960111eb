#include "core/telemetry/process_metrics.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <string>

namespace strata::telemetry {
namespace {

double valueOf(const std::string& text, const std::string& name) {
  std::string key = "\n" + name + " ";
  auto at = text.find(key);
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + key.size()));
}

TEST(ProcessMetrics, ReadsProcSelf) {
  MetricsRegistry r;
  updateProcessMetrics(r);
  std::string text = "\n" + r.render();
  double now =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  double start = valueOf(text, "process_start_time_seconds");
  EXPECT_GT(start, now - 3600) << text;  // this test process started within the hour
  EXPECT_LE(start, now + 1);
  EXPECT_GT(valueOf(text, "process_resident_memory_bytes"), 1 << 20);
  EXPECT_GE(valueOf(text, "process_cpu_seconds_total"), 0);
  EXPECT_GT(valueOf(text, "process_max_fds"), 0);
  EXPECT_NE(text.find("# TYPE process_cpu_seconds_total counter"), std::string::npos);

  double fds = valueOf(text, "process_open_fds");
  EXPECT_GE(fds, 3);  // stdin, stdout, stderr
  int extra = open("/dev/null", O_RDONLY);
  ASSERT_GE(extra, 0);
  updateProcessMetrics(r);
  EXPECT_EQ(valueOf("\n" + r.render(), "process_open_fds"), fds + 1);
  close(extra);
}

}  // namespace
}  // namespace strata::telemetry
