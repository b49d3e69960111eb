// Queries over the loaded blocks: select as a stream of series merged across blocks
// (series_stream.h), label names and values from the blocks' indexes.
#include <set>
#include <stdexcept>

#include "aggregate_read.h"
#include "gateway_core.h"

namespace strata::store_gateway {
namespace {

// Calls fn(labels) for every matching series of the block (any time range).
template <typename F>
void forEachSeries(const BucketBlock& b, const std::vector<Matcher>& ms, F&& fn) {
  tsdb::LabelSet labels;
  for (uint64_t ref : candidateRefs(*b.index, ms)) {
    if (!b.index->series(ref, &labels, nullptr))
      throw std::runtime_error("block " + b.meta.ulid + ": bad series reference");
    if (labelsMatch(labels, ms)) fn(labels);
  }
}

}  // namespace

std::unique_ptr<SeriesStream> GatewayCore::selectStream(const std::string& tenant,
                                                        const std::vector<Matcher>& ms,
                                                        int64_t min_t, int64_t max_t,
                                                        const ResolutionHints& res) const {
  std::unique_ptr<SelectLimiter::Slot> slot;
  try {
    slot = limiter_->acquire();
  } catch (const LimitError&) {
    selects_rejected_.add();
    throw;
  }
  SelectParams p;
  p.matchers = std::make_shared<const std::vector<Matcher>>(ms);
  p.min_t = min_t;
  p.max_t = max_t;
  p.batch_size = size_t(options_.series_batch_size);
  p.gap_bytes = options_.fetch_gap_bytes;
  p.caches = caches_;
  p.budget = std::make_shared<QueryBudget>(options_.max_fetched_bytes_per_query);
  sdk::Metric bytes = bytes_;
  p.observe = [bytes](uint64_t n) { bytes.add(double(n)); };
  std::vector<std::unique_ptr<BlockSeriesCursor>> cursors;
  try {
    auto blocks = blocksFor(tenant, min_t, max_t);
    std::vector<PlanBlock> plan;
    for (const auto& b : blocks)
      plan.push_back({b->meta.min_time, b->meta.max_time, b->meta.downsample_resolution_ms});
    for (const auto& part : planResolutions(plan, min_t, max_t, effectiveMaxResolution(res))) {
      SelectParams pp = p;
      pp.min_t = part.min_t;
      pp.max_t = part.max_t;
      cursors.push_back(std::make_unique<BlockSeriesCursor>(blocks[part.block], pp));
    }
  } catch (const LimitError&) {
    selects_rejected_.add();
    throw;
  }
  return std::make_unique<SeriesStream>(std::move(cursors), int(aggregateFor(res.function)),
                                        std::move(slot), p.budget);
}

std::vector<SeriesSamples> GatewayCore::select(const std::string& tenant,
                                               const std::vector<Matcher>& ms, int64_t min_t,
                                               int64_t max_t, const ResolutionHints& res) const {
  auto stream = selectStream(tenant, ms, min_t, max_t, res);
  std::vector<SeriesSamples> out;
  while (stream->next()) out.push_back({stream->labels(), stream->samples()});
  cache_bytes_.set(double(caches_->bytes()));
  return out;
}

std::vector<std::string> GatewayCore::labelNames(const std::string& tenant,
                                                 const std::vector<Matcher>& ms, int64_t min_t,
                                                 int64_t max_t) const {
  std::set<std::string> names;
  for (const auto& b : blocksFor(tenant, min_t, max_t)) {
    if (ms.empty()) {
      for (auto& n : b->index->labelNames()) names.insert(std::move(n));
      continue;
    }
    forEachSeries(*b, ms, [&](const tsdb::LabelSet& labels) {
      for (const auto& l : labels) names.insert(l.first);
    });
  }
  return {names.begin(), names.end()};
}

std::vector<std::string> GatewayCore::labelValues(const std::string& tenant,
                                                  const std::string& name,
                                                  const std::vector<Matcher>& ms, int64_t min_t,
                                                  int64_t max_t) const {
  std::set<std::string> values;
  for (const auto& b : blocksFor(tenant, min_t, max_t)) {
    if (ms.empty()) {
      for (auto& v : b->index->labelValues(name)) values.insert(std::move(v));
      continue;
    }
    forEachSeries(*b, ms, [&](const tsdb::LabelSet& labels) {
      for (const auto& l : labels)
        if (l.first == name) values.insert(l.second);
    });
  }
  return {values.begin(), values.end()};
}

}  // namespace strata::store_gateway
