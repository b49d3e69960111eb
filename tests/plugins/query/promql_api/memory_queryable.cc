#include "memory_queryable.h"

#include <cstddef>
#include <set>
#include <strata/sdk/metadata.hpp>
#include <vector>

namespace strata::testing {
namespace {

std::string text(strata_str s) { return std::string(s.data ? s.data : "", s.len); }

std::vector<promql::Matcher> toMatchers(const strata_matcher* m, size_t n) {
  std::vector<promql::Matcher> out;
  for (size_t i = 0; i < n; ++i) {
    out.emplace_back(static_cast<promql::MatchType>(m[i].type), text(m[i].name), text(m[i].value));
  }
  return out;
}

struct SetState {
  std::unique_ptr<promql::SeriesSet> set;
  std::vector<strata_label> labels;
};

struct ListState {
  std::vector<std::string> strings;
  std::vector<strata_str> items;
};

void fillList(std::vector<std::string> values, strata_string_list* out) {
  auto* st = new ListState{std::move(values), {}};
  for (const auto& s : st->strings) st->items.push_back(strata_str{s.data(), s.size()});
  out->struct_size = sizeof *out;
  out->items = st->items.data();
  out->count = st->items.size();
  out->private_data = st;
  out->release = [](strata_string_list* l) { delete static_cast<ListState*>(l->private_data); };
}

}  // namespace

MemoryQueryable::MemoryQueryable() {
  q_.struct_size = sizeof q_;
  q_.self = this;
  q_.select = [](void* p, strata_str tenant, const strata_matcher* m, size_t n, int64_t mint,
                 int64_t maxt, const strata_select_hints*, strata_series_set* out) {
    auto* me = self(p);
    ++me->selects_;
    if (me->failing_) return STRATA_FAILED;
    auto* st = new SetState{me->tenant(text(tenant)).select(toMatchers(m, n), mint, maxt, {}), {}};
    out->struct_size = sizeof *out;
    out->private_data = st;
    out->next = [](strata_series_set* s, const strata_label** labels, size_t* count) {
      auto* st = static_cast<SetState*>(s->private_data);
      if (!st->set->next()) return 0;
      st->labels.clear();
      for (const auto& l : st->set->labels()) {
        st->labels.push_back(
            strata_label{{l.name.data(), l.name.size()}, {l.value.data(), l.value.size()}});
      }
      *labels = st->labels.data();
      *count = st->labels.size();
      return 1;
    };
    out->read_samples = [](strata_series_set* s, int64_t* ts, double* vs, size_t cap) {
      return static_cast<long>(
          static_cast<SetState*>(s->private_data)->set->readSamples(ts, vs, cap));
    };
    out->last_error = [](strata_series_set*) { return "memory queryable failed"; };
    out->release = [](strata_series_set* s) { delete static_cast<SetState*>(s->private_data); };
    return STRATA_OK;
  };
  q_.label_names = [](void* p, strata_str tenant, const strata_matcher* m, size_t n, int64_t mint,
                      int64_t maxt, strata_string_list* out) {
    auto* me = self(p);
    if (me->failing_) return STRATA_FAILED;
    fillList(me->tenant(text(tenant)).labelNames(toMatchers(m, n), mint, maxt), out);
    return STRATA_OK;
  };
  q_.label_values = [](void* p, strata_str tenant, strata_str name, const strata_matcher* m,
                       size_t n, int64_t mint, int64_t maxt, strata_string_list* out) {
    auto* me = self(p);
    if (me->failing_) return STRATA_FAILED;
    fillList(me->tenant(text(tenant)).labelValues(text(name), toMatchers(m, n), mint, maxt), out);
    return STRATA_OK;
  };
  q_.metadata = [](void* p, strata_str tenant, strata_str metric, size_t limit,
                   strata_metadata_list* out) {
    auto* me = self(p);
    if (me->failing_) return STRATA_FAILED;
    std::vector<sdk::MetricMetadata> items;
    std::set<std::string> families;
    for (const auto& m : me->metadata_[text(tenant)]) {
      if (metric.len && m.family != text(metric)) continue;
      families.insert(m.family);
      if (limit > 0 && families.size() > limit) break;
      items.push_back(m);
    }
    sdk::fillMetadataList(std::move(items), out);
    return STRATA_OK;
  };
}

void MemoryQueryable::addMetadata(const std::string& tenant, sdk::MetricMetadata m) {
  metadata_[tenant].insert(std::move(m));
}

void MemoryQueryable::setInfo(sdk::SourceInfo info) {
  info_ = std::move(info);
  q_.info = [](void* p, strata_str, strata_source_info* out) {
    sdk::fillSourceInfo(self(p)->info_, out);
    return STRATA_OK;
  };
}

void MemoryQueryable::withoutMetadataSlot() {
  q_.struct_size = offsetof(strata_queryable, metadata);  // as a 1.0 plugin would
}

promql::MemoryStorage& MemoryQueryable::tenant(const std::string& name) {
  auto& slot = tenants_[name];
  if (!slot) slot = std::make_unique<promql::MemoryStorage>();
  return *slot;
}

}  // namespace strata::testing
