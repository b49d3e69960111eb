// What a query source holds (the Queryable's optional `info` slot) on the plugin side:
// answering it (fillSourceInfo), asking a source (querySourceInfo), and deciding whether a
// query can match what a source advertises (SourceInfo::mayMatch), as Thanos' query tier
// prunes stores by their time range and external labels.
#pragma once

#include <strata/plugin_abi.h>

#include <cstdint>
#include <limits>
#include <map>
#include <strata/sdk/config.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace strata::sdk {

struct SourceInfo {
  int64_t min_time_ms = std::numeric_limits<int64_t>::min();
  int64_t max_time_ms = std::numeric_limits<int64_t>::max();
  // Each series the source returns carries every label of one of these sets; empty: unknown.
  std::vector<std::map<std::string, std::string>> label_sets;

  // False only when no series of the source can be in [mint, maxt] (inclusive) and match
  // `accepts`, which tells whether the query's matchers on label `name` accept `value`.
  template <typename Accepts>
  bool mayMatch(int64_t mint, int64_t maxt, Accepts&& accepts) const {
    if (min_time_ms > max_time_ms) return false;  // holds nothing
    if (max_time_ms < mint || min_time_ms > maxt) return false;
    if (label_sets.empty()) return true;
    for (const auto& set : label_sets) {
      bool rejected = false;
      for (const auto& [name, value] : set) {
        if (!accepts(name, value)) {
          rejected = true;
          break;
        }
      }
      if (!rejected) return true;
    }
    return false;
  }
};

// Hands `info` to the caller of a Queryable's `info` slot; its release() frees it.
inline void fillSourceInfo(SourceInfo info, strata_source_info* out) {
  struct Owned {
    SourceInfo info;
    std::vector<std::vector<strata_label>> labels;
    std::vector<strata_label_set> sets;
  };
  auto* o = new Owned{std::move(info), {}, {}};
  for (const auto& set : o->info.label_sets) {
    auto& ls = o->labels.emplace_back();
    for (const auto& [name, value] : set) ls.push_back({str(name), str(value)});
  }
  for (const auto& ls : o->labels) o->sets.push_back({ls.data(), ls.size()});
  out->struct_size = sizeof(strata_source_info);
  out->min_time_ms = o->info.min_time_ms;
  out->max_time_ms = o->info.max_time_ms;
  out->label_sets = o->sets.data();
  out->label_set_count = o->sets.size();
  out->private_data = o;
  out->release = [](strata_source_info* self) { delete static_cast<Owned*>(self->private_data); };
}

// Sets the info slot of a Queryable being filled for the host, when the host's struct has
// room for it (a Queryable's `struct_size` is the room the host gave).
inline void setInfoSlot(strata_queryable* out,
                        strata_status (*info)(void*, strata_str, strata_source_info*)) {
  if (STRATA_QUERYABLE_HAS_INFO(out)) out->info = info;
}

// Calls `q`'s info slot if it has one. Returns false (and leaves `out` as it was: unbounded,
// no label sets) when the source says nothing or fails; throws nothing.
inline bool querySourceInfo(const strata_queryable& q, std::string_view tenant, SourceInfo* out) {
  if (!STRATA_QUERYABLE_HAS_INFO(&q) || !q.info) return false;
  strata_source_info raw{};
  raw.struct_size = sizeof raw;
  if (q.info(q.self, str(tenant), &raw) != STRATA_OK) return false;
  out->min_time_ms = raw.min_time_ms;
  out->max_time_ms = raw.max_time_ms;
  out->label_sets.clear();
  for (size_t i = 0; i < raw.label_set_count; ++i) {
    auto& set = out->label_sets.emplace_back();
    const strata_label_set& ls = raw.label_sets[i];
    for (size_t j = 0; j < ls.count; ++j)
      set[std::string(view(ls.labels[j].name))] = std::string(view(ls.labels[j].value));
  }
  if (raw.release) raw.release(&raw);
  return true;
}

}  // namespace strata::sdk
