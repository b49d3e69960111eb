#include "prompb/sample_line.h"

#include <charconv>
#include <cmath>
#include <string_view>

namespace strata::prompb {
namespace {

void appendEscaped(std::string& out, std::string_view s) {
  for (char c : s) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

}  // namespace

void appendSeries(std::string& out, const strata_label* labels, size_t count) {
  std::string_view name;
  for (size_t i = 0; i < count; ++i)
    if (sdk::view(labels[i].name) == "__name__") name = sdk::view(labels[i].value);
  out += name;
  bool open = false;
  for (size_t i = 0; i < count; ++i) {
    std::string_view n = sdk::view(labels[i].name);
    if (n == "__name__") continue;
    out += open ? ',' : '{';
    open = true;
    out += n;
    out += "=\"";
    appendEscaped(out, sdk::view(labels[i].value));
    out += '"';
  }
  if (open) out += '}';
}

void appendValue(std::string& out, double v) {
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

void appendSeriesLines(std::string& out, const sdk::BatchView& batch, size_t i) {
  const auto& ref = batch.series(i);
  std::string head;
  appendSeries(head, batch.labels(i), ref.label_count);
  const int64_t* t = batch.timestamps(i);
  const double* v = batch.values(i);
  for (uint32_t k = 0; k < ref.sample_count; ++k) {
    out += head;
    out += ' ';
    appendValue(out, v[k]);
    out += ' ';
    out += std::to_string(t[k]);
    out += '\n';
  }
}

void appendBatchLines(std::string& out, const sdk::BatchView& batch) {
  for (size_t i = 0; i < batch.seriesCount(); ++i) appendSeriesLines(out, batch, i);
}

}  // namespace strata::prompb
