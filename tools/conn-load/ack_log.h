// --ack-log: one line per acknowledged sample, in the line format remote-write-sender's
// --ack-log and the debug exporter's output_file write (plugins/common/prompb/sample_line.h),
// so that test scripts can compare the files:
//
//   conn_load_samples{series="3",writer="17"} 42 1700000000123
//
// Labels sorted by name with __name__ as the metric name, the value as the shortest text that
// reads back to the same double. The file is opened for appending, like remote-write-sender's.
// Lines are added a whole request at a time and written out once per loop pass (flush()), so
// the file never holds part of a request and the loop does not pay a write() per response.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

namespace strata::connload {

class AckLog {
 public:
  explicit AckLog(const std::string& path);  // empty path: no log
  ~AckLog();
  AckLog(const AckLog&) = delete;
  AckLog& operator=(const AckLog&) = delete;

  bool enabled() const { return file_ != nullptr; }
  bool ok() const { return path_.empty() || file_ != nullptr; }
  // Adds the lines of one acknowledged write: series 0..series_count-1 of `writer`.
  void addWrite(const std::string& metric, int64_t writer, int64_t series_count,
                int64_t timestamp_ms, double value);
  void flush();

 private:
  std::string path_;
  std::FILE* file_ = nullptr;
  std::string pending_;
};

// Appends the shortest round-trip text of `v` (NaN, +Inf, -Inf spelled as Prometheus does).
void appendSampleValue(std::string& out, double v);

}  // namespace strata::connload
