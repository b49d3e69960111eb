#include "ack_log.h"

#include <charconv>
#include <cmath>

namespace strata::connload {

void appendSampleValue(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "NaN";
  } else if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
  } else {
    char buf[32];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
  }
}

AckLog::AckLog(const std::string& path) : path_(path) {
  if (!path.empty()) file_ = std::fopen(path.c_str(), "ae");
}

AckLog::~AckLog() {
  flush();
  if (file_) std::fclose(file_);
}

void AckLog::addWrite(const std::string& metric, int64_t writer, int64_t series_count,
                      int64_t timestamp_ms, double value) {
  if (!file_) return;
  std::string tail = "\",writer=\"" + std::to_string(writer) + "\"} ";
  appendSampleValue(tail, value);
  tail += ' ';
  tail += std::to_string(timestamp_ms);
  tail += '\n';
  for (int64_t i = 0; i < series_count; ++i) {
    pending_ += metric;
    pending_ += "{series=\"";
    pending_ += std::to_string(i);
    pending_ += tail;
  }
}

void AckLog::flush() {
  if (!file_ || pending_.empty()) return;
  std::fwrite(pending_.data(), 1, pending_.size(), file_);
  std::fflush(file_);
  pending_.clear();
}

}  // namespace strata::connload
