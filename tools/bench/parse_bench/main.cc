// strata-parse-bench: how fast the prometheus_scrape receiver's exposition parser reads a body,
// next to the limit of a plain memory scan over the same buffer (issue 4, tools/bench).
//
//   strata-parse-bench [--reps=N] [--min-seconds=S] [--format=text|openmetrics] NAME=FILE...
//
// Each file is read into memory once. A repetition runs, in this order, the parser (a handler
// that only counts samples and sums their values), memchr counting newlines, and a byte-sum
// loop, each over the whole buffer as many times as fit in --min-seconds of this thread's CPU
// time; throughput = bytes scanned / thread CPU seconds (so time the shared machine gave to
// other processes is not counted). The methods interleave within a repetition. Prints JSON
// lines {"section":"parse","input":NAME,"figure":F,"rep":R,"value":V} on stdout and a summary
// of medians on stderr.
#include <time.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "exposition_parser.h"

namespace {

using strata::scrape::ExpositionParser;
using strata::scrape::Format;
using strata::scrape::MetaKind;
using strata::scrape::ParsedSample;

double threadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

class CountingHandler : public strata::scrape::ParseHandler {
 public:
  void onSample(const ParsedSample& s) override {
    ++samples;
    labels += s.label_count;
    value_sum += s.value;
  }
  void onMetadata(MetaKind, std::string_view, std::string_view) override { ++metadata; }
  uint64_t samples = 0, labels = 0, metadata = 0;
  double value_sum = 0;
};

// Runs `pass` (one scan of the buffer) until min_seconds of thread CPU time passed; returns
// scans per CPU second.
double scansPerCpuSecond(const std::function<void()>& pass, double min_seconds) {
  pass();  // warm caches and the parser's buffers
  double t0 = threadCpuSeconds(), t = t0;
  uint64_t n = 0;
  do {
    pass();
    ++n;
    t = threadCpuSeconds();
  } while (t - t0 < min_seconds);
  return static_cast<double>(n) / (t - t0);
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

void emit(const std::string& input, const char* figure, int rep, double value) {
  std::printf(
      "{\"section\":\"parse\",\"input\":\"%s\",\"figure\":\"%s\",\"rep\":%d,\"value\":%.6g}\n",
      input.c_str(), figure, rep, value);
}

int usage() {
  std::fputs(
      "usage: strata-parse-bench [--reps=N] [--min-seconds=S] [--format=text|openmetrics] "
      "NAME=FILE...\n",
      stderr);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  int reps = 5;
  double min_seconds = 0.5;
  Format format = Format::kText;
  std::vector<std::pair<std::string, std::string>> inputs;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    try {
      if (a.rfind("--reps=", 0) == 0) {
        reps = std::stoi(std::string(a.substr(7)));
      } else if (a.rfind("--min-seconds=", 0) == 0) {
        min_seconds = std::stod(std::string(a.substr(14)));
      } else if (a == "--format=text") {
        format = Format::kText;
      } else if (a == "--format=openmetrics") {
        format = Format::kOpenMetrics;
      } else if (a.rfind("--", 0) != 0 && a.find('=') != std::string_view::npos) {
        inputs.emplace_back(std::string(a.substr(0, a.find('='))),
                            std::string(a.substr(a.find('=') + 1)));
      } else {
        return usage();
      }
    } catch (const std::exception&) {
      return usage();
    }
  }
  if (inputs.empty() || reps < 1 || min_seconds <= 0) return usage();

  for (const auto& [name, path] : inputs) {
    std::ifstream f(path, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    const std::string body = ss.str();
    if (!f || body.empty()) {
      std::fprintf(stderr, "strata-parse-bench: cannot read %s\n", path.c_str());
      return 1;
    }
    ExpositionParser parser;
    CountingHandler check;
    if (!parser.parse(body, format, check)) {
      std::fprintf(stderr, "strata-parse-bench: %s: %s\n", path.c_str(), parser.error().c_str());
      return 1;
    }
    const double mb = static_cast<double>(body.size()) / 1e6;
    const auto lines = static_cast<double>(std::count(body.begin(), body.end(), '\n'));
    emit(name, "bytes", 0, static_cast<double>(body.size()));
    emit(name, "lines", 0, lines);
    emit(name, "samples", 0, static_cast<double>(check.samples));

    volatile double sink_d = 0;
    volatile uint64_t sink_u = 0;
    auto parse_pass = [&] {
      CountingHandler h;
      parser.parse(body, format, h);
      sink_d = sink_d + h.value_sum;
    };
    auto memchr_pass = [&] {  // count newlines, as a line splitter must at least do
      uint64_t n = 0;
      const char* p = body.data();
      const char* end = p + body.size();
      while ((p = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p))))) {
        ++n;
        ++p;
      }
      sink_u = sink_u + n;
    };
    auto sum_pass = [&] {  // touch every byte once
      uint64_t s = 0;
      for (unsigned char c : body) s += c;
      sink_u = sink_u + s;
    };
    std::vector<double> parse_mb, parse_samples, memchr_mb, sum_mb;
    for (int r = 1; r <= reps; ++r) {
      double p = scansPerCpuSecond(parse_pass, min_seconds);
      double m = scansPerCpuSecond(memchr_pass, min_seconds);
      double s = scansPerCpuSecond(sum_pass, min_seconds);
      parse_mb.push_back(p * mb);
      parse_samples.push_back(p * static_cast<double>(check.samples));
      memchr_mb.push_back(m * mb);
      sum_mb.push_back(s * mb);
      emit(name, "parse_mb_s", r, p * mb);
      emit(name, "parse_samples_s", r, p * static_cast<double>(check.samples));
      emit(name, "memchr_mb_s", r, m * mb);
      emit(name, "sum_mb_s", r, s * mb);
      std::fflush(stdout);
    }
    std::fprintf(stderr,
                 "strata-parse-bench: %s: %zu bytes, %.0f lines, %llu samples; median of %d: "
                 "parse %.1f MB/s (%.3g samples/s), memchr %.1f MB/s, byte sum %.1f MB/s\n",
                 name.c_str(), body.size(), lines, static_cast<unsigned long long>(check.samples),
                 reps, median(parse_mb), median(parse_samples), median(memchr_mb), median(sum_mb));
  }
  return 0;
}
