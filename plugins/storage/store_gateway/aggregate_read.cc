#include "aggregate_read.h"

#include <stdexcept>
#include <string>

#include "tsdb/chunkenc/aggr_chunk.h"
#include "tsdb/chunkenc/xor_chunk.h"

namespace strata::store_gateway {
namespace {

using tsdb::AggrType;

std::vector<compact::Sample> part(const tsdb::AggrChunkView& v, AggrType t) {
  std::vector<compact::Sample> out;
  if (!v.has(t)) return out;
  if (v.encoding(t) != tsdb::kEncXor)
    throw std::runtime_error("aggregate sub-chunk encoding " + std::to_string(v.encoding(t)) +
                             " not supported");
  tsdb::XorIterator it(v.data(t), v.size(t));
  while (it.next()) out.push_back({it.t(), it.v()});
  if (it.error()) throw std::runtime_error("corrupt aggregate sub-chunk");
  return out;
}

tsdb::AggrChunkView parse(const uint8_t* data, size_t len) {
  tsdb::AggrChunkView v;
  std::string err;
  if (!v.parse(data, len, &err)) throw std::runtime_error(err);
  return v;
}

}  // namespace

AggrRead aggregateFor(std::string_view f) {
  if (f == "min_over_time") return AggrRead::kMin;
  if (f == "max_over_time") return AggrRead::kMax;
  if (f == "sum_over_time") return AggrRead::kSum;
  if (f == "count_over_time") return AggrRead::kCount;
  if (f == "rate" || f == "increase" || f == "irate" || f == "resets") return AggrRead::kCounter;
  return AggrRead::kAvg;
}

void readAggregate(const uint8_t* data, size_t len, AggrRead mode, int64_t min_t, int64_t max_t,
                   std::vector<Sample>* out) {
  auto v = parse(data, len);
  auto keep = [&](int64_t t) { return t >= min_t && t <= max_t; };
  switch (mode) {
    case AggrRead::kMin:
    case AggrRead::kMax:
    case AggrRead::kSum: {
      AggrType t = mode == AggrRead::kMin   ? AggrType::kMin
                   : mode == AggrRead::kMax ? AggrType::kMax
                                            : AggrType::kSum;
      for (const auto& s : part(v, t))
        if (keep(s.t)) out->push_back({s.t, s.v});
      return;
    }
    case AggrRead::kCount:
      for (const auto& s : part(v, AggrType::kCount)) {
        int64_t n = s.v > 0 ? int64_t(s.v) : 0;
        for (int64_t k = n - 1; k >= 0; --k)
          if (keep(s.t - k)) out->push_back({s.t - k, 1});
      }
      return;
    case AggrRead::kAvg: {
      auto count = part(v, AggrType::kCount), sum = part(v, AggrType::kSum);
      if (count.size() != sum.size())
        throw std::runtime_error("aggregate chunk: count and sum differ in length");
      for (size_t i = 0; i < count.size(); ++i)
        if (keep(count[i].t) && count[i].v > 0) out->push_back({count[i].t, sum[i].v / count[i].v});
      return;
    }
    case AggrRead::kCounter:
      throw std::logic_error("readAggregate: counters are read with readCounter");
  }
}

std::vector<compact::Sample> readCounter(const uint8_t* data, size_t len) {
  return part(parse(data, len), AggrType::kCounter);
}

}  // namespace strata::store_gateway
