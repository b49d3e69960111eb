#include "head/head.h"

#include <algorithm>

namespace strata::block_store {

Head::Head(HeadOptions options) : options_(std::move(options)) {
  if (options_.chunk_dir.empty()) return;
  try {
    chunk_file_ = std::make_unique<ChunkFile>(options_.chunk_dir, options_.block_duration_ms);
  } catch (const std::exception&) {
    // Not fatal: the chunks stay in memory (the WAL, not these files, is what is durable).
  }
}

bool Head::sameLabels(const MemSeries& s, const strata_label* labels, uint32_t n) const {
  if (s.label_count != n) return false;
  for (uint32_t i = 0; i < n; ++i) {
    if (symbols_.get(s.labels[2 * i]) != sdk::view(labels[i].name) ||
        symbols_.get(s.labels[2 * i + 1]) != sdk::view(labels[i].value))
      return false;
  }
  return true;
}

tsdb::LabelSet Head::labelsOf(const MemSeries& s) const {
  tsdb::LabelSet out;
  out.reserve(s.label_count);
  for (uint32_t i = 0; i < s.label_count; ++i)
    out.emplace_back(symbols_.get(s.labels[2 * i]), symbols_.get(s.labels[2 * i + 1]));
  return out;
}

MemSeries* Head::create(uint32_t id, const std::vector<std::pair<uint32_t, uint32_t>>& pairs) {
  auto s = std::make_unique<MemSeries>();
  s->label_count = static_cast<uint32_t>(pairs.size());
  s->labels = std::make_unique<uint32_t[]>(2 * pairs.size());
  for (size_t i = 0; i < pairs.size(); ++i) {
    s->labels[2 * i] = pairs[i].first;
    s->labels[2 * i + 1] = pairs[i].second;
    postings_.add(id, pairs[i].first, pairs[i].second);
  }
  ++live_series_;
  return series_.put(id, std::move(s));
}

MemSeries* Head::findOrCreate(const strata_series_ref& ref, const strata_label* labels,
                              uint32_t* id) {
  uint32_t found = by_hash_.find(ref.hash, [&](uint32_t candidate) {
    return sameLabels(*series_[candidate], labels, ref.label_count);
  });
  if (found != SeriesIndex::kNone) {
    *id = found;
    return series_[found];
  }
  std::vector<std::pair<uint32_t, uint32_t>> pairs;
  pairs.reserve(ref.label_count);
  for (uint32_t i = 0; i < ref.label_count; ++i)
    pairs.emplace_back(symbols_.intern(sdk::view(labels[i].name)),
                       symbols_.intern(sdk::view(labels[i].value)));
  *id = series_.endId();
  by_hash_.insert(ref.hash, *id);
  return create(*id, pairs);
}

void Head::noteTime(int64_t t) {
  min_t_ = std::min(min_t_, t);
  max_t_ = std::max(max_t_, t);
}

AppendStats Head::append(const sdk::BatchView& batch, AppendRecord* record) {
  AppendStats stats;
  record->samples.reserve(record->samples.size() + batch.sampleCount());
  std::lock_guard<std::mutex> lock(mu_);
  const size_t symbols_before = symbols_.size();
  for (size_t i = 0; i < batch.seriesCount(); ++i) {
    const auto& ref = batch.series(i);
    if (ref.sample_count == 0) continue;
    uint32_t id;
    MemSeries* s = findOrCreate(ref, batch.labels(i), &id);
    size_t accepted = 0;
    const int64_t* ts = batch.timestamps(i);
    const double* vs = batch.values(i);
    for (uint32_t k = 0; k < ref.sample_count; ++k) {
      int64_t t = ts[k];
      double v = vs[k];
      AppendOutcome outcome;
      if (t < min_valid_t_) {
        outcome = AppendOutcome::kTooOld;
      } else if (t > s->last_t) {
        s->appendInOrder(t, v, options_.block_duration_ms, chunk_file_.get(), &chunk_stats_);
        outcome = AppendOutcome::kAppended;
      } else if (t == s->last_t) {
        outcome = sameValue(s->last_v, v) ? AppendOutcome::kIgnored : AppendOutcome::kDuplicate;
      } else if (options_.ooo_window_ms <= 0) {
        outcome = AppendOutcome::kOutOfOrder;
      } else if (t < max_t_ - options_.ooo_window_ms) {
        outcome = AppendOutcome::kTooOld;
      } else {
        outcome = s->insertOutOfOrder(t, v);
      }
      switch (outcome) {
        case AppendOutcome::kAppended:
          ++stats.appended;
          record->samples.push_back({id, t, v});
          ++accepted;
          noteTime(t);
          record->max_t = std::max(record->max_t, t);
          break;
        case AppendOutcome::kIgnored:
          ++stats.ignored;
          break;
        case AppendOutcome::kOutOfOrder:
          ++stats.out_of_order;
          break;
        case AppendOutcome::kTooOld:
          ++stats.too_old;
          break;
        case AppendOutcome::kDuplicate:
          ++stats.duplicate;
          break;
      }
    }
    if (accepted == 0) continue;
    // A series record goes with every write until one is durable, so a sample never
    // reaches the WAL before the series it refers to (concurrent writers included).
    if (!s->durable) record->series.push_back({id, labelsOf(*s)});
  }
  stats.new_symbols = symbols_.size() - symbols_before;
  return stats;
}

void Head::markDurable(const AppendRecord& record) {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& r : record.series)
    if (MemSeries* s = series_[r.ref]) s->durable = true;
}

void Head::replaySeries(uint32_t ref, const tsdb::LabelSet& labels) {
  std::lock_guard<std::mutex> lock(mu_);
  if (series_[ref]) return;
  std::vector<std::pair<uint32_t, uint32_t>> pairs;
  std::vector<strata_label> view;
  for (const auto& [n, v] : labels) {
    pairs.emplace_back(symbols_.intern(n), symbols_.intern(v));
    view.push_back({sdk::str(n), sdk::str(v)});
  }
  by_hash_.insert(sdk::labelsHash(view.data(), view.size()), ref);
  create(ref, pairs)->durable = true;
}

void Head::replaySample(uint32_t ref, int64_t t, double v) {
  std::lock_guard<std::mutex> lock(mu_);
  MemSeries* s = series_[ref];
  if (!s || t < min_valid_t_) return;
  if (t > s->last_t) {
    s->appendInOrder(t, v, options_.block_duration_ms, chunk_file_.get(), &chunk_stats_);
  } else if (t == s->last_t || s->insertOutOfOrder(t, v) != AppendOutcome::kAppended) {
    return;
  }
  noteTime(t);
}

void Head::setMinValidTime(int64_t t) {
  std::lock_guard<std::mutex> lock(mu_);
  min_valid_t_ = std::max(min_valid_t_, t);
}

int64_t Head::minValidTime() const {
  std::lock_guard<std::mutex> lock(mu_);
  return min_valid_t_;
}

size_t Head::numSeries() const {
  std::lock_guard<std::mutex> lock(mu_);
  return live_series_;
}

size_t Head::numSymbols() const {
  std::lock_guard<std::mutex> lock(mu_);
  return symbols_.size();
}

int64_t Head::minTime() const {
  std::lock_guard<std::mutex> lock(mu_);
  return min_t_;
}

int64_t Head::maxTime() const {
  std::lock_guard<std::mutex> lock(mu_);
  return max_t_;
}

}  // namespace strata::block_store
