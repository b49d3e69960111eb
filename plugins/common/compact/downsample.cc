#include "compact/downsample.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "tsdb/chunkenc/aggr_chunk.h"
#include "tsdb/chunkenc/xor_chunk.h"

namespace strata::compact {
namespace {

using tsdb::AggrType;

int64_t floorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

int64_t windowEnd(int64_t t, int64_t res) { return (floorDiv(t, res) + 1) * res - 1; }

// One output aggregate chunk being built.
struct Builder {
  tsdb::XorAppender count, sum, min, max, counter;
  int64_t min_t = std::numeric_limits<int64_t>::max(), max_t = std::numeric_limits<int64_t>::min();

  void window(int64_t t, double n, double s, double lo, double hi) {
    count.append(t, n);
    sum.append(t, s);
    min.append(t, lo);
    max.append(t, hi);
    min_t = std::min(min_t, t);
    max_t = std::max(max_t, t);
  }
  void counterSample(int64_t t, double v) {
    counter.append(t, v);
    min_t = std::min(min_t, t);
    max_t = std::max(max_t, t);
  }
  tsdb::ChunkData finish() {
    std::array<tsdb::AggrPart, tsdb::kAggrTypes> parts;
    parts[size_t(AggrType::kCount)] = {tsdb::kEncXor, count.bytes()};
    parts[size_t(AggrType::kSum)] = {tsdb::kEncXor, sum.bytes()};
    parts[size_t(AggrType::kMin)] = {tsdb::kEncXor, min.bytes()};
    parts[size_t(AggrType::kMax)] = {tsdb::kEncXor, max.bytes()};
    parts[size_t(AggrType::kCounter)] = {tsdb::kEncXor, counter.bytes()};
    return {min_t, max_t, tsdb::encodeAggrChunk(parts), tsdb::kEncAggr};
  }
};

// Window statistics.
struct Window {
  double count = 0, sum = 0, min = 0, max = 0;
  bool empty = true;
  void add(double n, double s, double lo, double hi) {
    if (empty) {
      min = lo;
      max = hi;
    } else {
      min = std::min(min, lo);
      max = std::max(max, hi);
    }
    empty = false;
    count += n;
    sum += s;
  }
};

std::vector<Sample> decodeXor(const uint8_t* d, size_t n) {
  std::vector<Sample> out;
  tsdb::XorIterator it(d, n);
  out.reserve(it.numSamples());
  while (it.next()) out.push_back({it.t(), it.v()});
  if (it.error()) throw std::runtime_error("corrupt XOR sub-chunk of an aggregate chunk");
  return out;
}

}  // namespace

std::vector<Sample> decodeAggregate(const tsdb::ChunkData& chunk, int aggr_type) {
  if (chunk.encoding != tsdb::kEncAggr)
    throw std::runtime_error("chunk encoding " + std::to_string(chunk.encoding) +
                             " is not an aggregate chunk");
  tsdb::AggrChunkView v;
  std::string err;
  if (!v.parse(chunk.xor_bytes.data(), chunk.xor_bytes.size(), &err)) throw std::runtime_error(err);
  auto t = AggrType(aggr_type);
  if (!v.has(t)) return {};
  if (v.encoding(t) != tsdb::kEncXor)
    throw std::runtime_error("aggregate sub-chunk encoding " + std::to_string(v.encoding(t)) +
                             " is not supported");
  return decodeXor(v.data(t), v.size(t));
}

std::vector<tsdb::ChunkData> downsampleRaw(const std::vector<Sample>& raw, int64_t res,
                                           size_t windows_per_chunk) {
  std::vector<tsdb::ChunkData> out;
  const int64_t span = res * int64_t(std::max<size_t>(windows_per_chunk, 1));
  size_t i = 0;
  while (i < raw.size()) {
    while (i < raw.size() && isStaleNaN(raw[i].v)) ++i;
    if (i == raw.size()) break;
    const int64_t batch = floorDiv(raw[i].t, span);
    Builder b;
    b.counterSample(raw[i].t, raw[i].v);  // the first raw value
    Window w;
    int64_t w_end = windowEnd(raw[i].t, res);
    double counter = raw[i].v, last = raw[i].v;
    bool first = true;
    int64_t last_t = raw[i].t;
    for (; i < raw.size() && floorDiv(raw[i].t, span) == batch; ++i) {
      const Sample& s = raw[i];
      if (isStaleNaN(s.v)) continue;
      if (s.t > w_end) {
        b.window(w_end, w.count, w.sum, w.min, w.max);
        b.counterSample(w_end, counter);
        w = Window{};
        w_end = windowEnd(s.t, res);
      }
      if (!first) counter += s.v >= last ? s.v - last : s.v;
      first = false;
      last = s.v;
      last_t = s.t;
      w.add(1, s.v, s.v, s.v);
    }
    b.window(w_end, w.count, w.sum, w.min, w.max);
    b.counterSample(w_end, counter);
    b.counterSample(last_t, last);  // the raw last value: last_t <= w_end, a reader skips it
    out.push_back(b.finish());
  }
  return out;
}

std::vector<tsdb::ChunkData> downsampleAggr(const std::vector<tsdb::ChunkData>& chunks, int64_t res,
                                            size_t windows_per_chunk) {
  // One series of a 5m block: a few thousand windows at most, decoded whole.
  std::vector<Sample> count, sum, min, max;
  std::vector<std::vector<Sample>> counters;
  auto append = [](std::vector<Sample>& to, std::vector<Sample> from) {
    to.insert(to.end(), from.begin(), from.end());
  };
  for (const auto& c : chunks) {
    append(count, decodeAggregate(c, int(AggrType::kCount)));
    append(sum, decodeAggregate(c, int(AggrType::kSum)));
    append(min, decodeAggregate(c, int(AggrType::kMin)));
    append(max, decodeAggregate(c, int(AggrType::kMax)));
    counters.push_back(decodeAggregate(c, int(AggrType::kCounter)));
  }
  if (count.size() != sum.size() || count.size() != min.size() || count.size() != max.size())
    throw std::runtime_error("aggregate chunk: count, sum, min and max differ in length");
  CounterSeries ctr = applyCounterResets(counters);

  std::vector<tsdb::ChunkData> out;
  const int64_t span = res * int64_t(std::max<size_t>(windows_per_chunk, 1));
  size_t i = 0, j = 0;  // count/sum/min/max index, counter index
  while (i < count.size() || j < ctr.samples.size()) {
    int64_t t0 = std::numeric_limits<int64_t>::max();
    if (i < count.size()) t0 = count[i].t;
    if (j < ctr.samples.size()) t0 = std::min(t0, ctr.samples[j].t);
    const int64_t batch = floorDiv(t0, span);
    Builder b;
    // count, sum, min, max by window.
    Window w;
    int64_t w_end = 0;
    for (; i < count.size() && floorDiv(count[i].t, span) == batch; ++i) {
      int64_t e = windowEnd(count[i].t, res);
      if (!w.empty && e != w_end) {
        b.window(w_end, w.count, w.sum, w.min, w.max);
        w = Window{};
      }
      w_end = e;
      w.add(count[i].v, sum[i].v, min[i].v, max[i].v);
    }
    if (!w.empty) b.window(w_end, w.count, w.sum, w.min, w.max);
    // The counter: first value, the last adjusted value of each window, the last value.
    if (j < ctr.samples.size() && floorDiv(ctr.samples[j].t, span) == batch) {
      b.counterSample(ctr.samples[j].t, ctr.samples[j].v);
      int64_t c_end = windowEnd(ctr.samples[j].t, res), last_t = ctr.samples[j].t;
      double c_last = ctr.samples[j].v;
      for (; j < ctr.samples.size() && floorDiv(ctr.samples[j].t, span) == batch; ++j) {
        int64_t e = windowEnd(ctr.samples[j].t, res);
        if (e != c_end) {
          b.counterSample(c_end, c_last);
          c_end = e;
        }
        c_last = ctr.samples[j].v;
        last_t = ctr.samples[j].t;
      }
      b.counterSample(c_end, c_last);
      // Between two output chunks both sides are adjusted values (no reset seen); after the
      // last one the raw value, which the next block's first raw value is compared with.
      bool final_chunk = j == ctr.samples.size();
      b.counterSample(last_t, final_chunk && ctr.has_last_raw ? ctr.last_raw : c_last);
    }
    out.push_back(b.finish());
  }
  return out;
}

}  // namespace strata::compact
