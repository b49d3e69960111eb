// Metric family metadata (TYPE/HELP/UNIT, ABI 1.1) on the plugin side: the type names of the
// exposition formats and of Prometheus' API, an owning record, and the two ways it crosses
// the boundary besides a batch: filling a strata_metadata_list (a Queryable answering
// `metadata`) and calling a Queryable's optional `metadata` slot.
#pragma once

#include <strata/plugin_abi.h>

#include <cstdint>
#include <strata/sdk/config.hpp>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace strata::sdk {

// "counter", "gauge", ... as Prometheus' API prints them; "unknown" for anything else.
inline std::string_view familyTypeName(uint32_t type) {
  switch (type) {
    case STRATA_FAMILY_COUNTER:
      return "counter";
    case STRATA_FAMILY_GAUGE:
      return "gauge";
    case STRATA_FAMILY_HISTOGRAM:
      return "histogram";
    case STRATA_FAMILY_GAUGEHISTOGRAM:
      return "gaugehistogram";
    case STRATA_FAMILY_SUMMARY:
      return "summary";
    case STRATA_FAMILY_INFO:
      return "info";
    case STRATA_FAMILY_STATESET:
      return "stateset";
    default:
      return "unknown";
  }
}

// The TYPE word of the text format or OpenMetrics ("untyped" and unknown words: UNKNOWN).
inline uint32_t familyTypeFromName(std::string_view name) {
  for (uint32_t t = STRATA_FAMILY_COUNTER; t <= STRATA_FAMILY_STATESET; ++t)
    if (familyTypeName(t) == name) return t;
  return STRATA_FAMILY_UNKNOWN;
}

// One metadata entry that owns its strings.
struct MetricMetadata {
  std::string family;
  uint32_t type = STRATA_FAMILY_UNKNOWN;
  std::string help, unit;

  static MetricMetadata of(const strata_metric_metadata& m) {
    return {std::string(view(m.metric_family)), m.type, std::string(view(m.help)),
            std::string(view(m.unit))};
  }
  auto tie() const { return std::tie(family, type, help, unit); }
  bool operator==(const MetricMetadata& o) const { return tie() == o.tie(); }
  bool operator<(const MetricMetadata& o) const { return tie() < o.tie(); }
};

// Hands `items` to the caller of a Queryable's `metadata` slot; its release() frees them.
inline void fillMetadataList(std::vector<MetricMetadata> items, strata_metadata_list* out) {
  struct Owned {
    std::vector<MetricMetadata> items;
    std::vector<strata_metric_metadata> views;
  };
  auto* o = new Owned{std::move(items), {}};
  o->views.reserve(o->items.size());
  for (const auto& m : o->items)
    o->views.push_back({str(m.family), m.type, str(m.help), str(m.unit)});
  out->struct_size = sizeof(strata_metadata_list);
  out->items = o->views.data();
  out->count = o->views.size();
  out->private_data = o;
  out->release = [](strata_metadata_list* self) { delete static_cast<Owned*>(self->private_data); };
}

// Calls `q`'s metadata slot if it has one. Returns false (and leaves `out` alone) when the
// source has none (a 1.0 plugin, or a source without metadata); throws nothing.
inline bool queryMetadata(const strata_queryable& q, std::string_view tenant,
                          std::string_view metric, size_t limit, std::vector<MetricMetadata>* out,
                          strata_status* status) {
  *status = STRATA_OK;
  if (!STRATA_QUERYABLE_HAS_METADATA(&q) || !q.metadata) return false;
  strata_metadata_list list{};
  list.struct_size = sizeof list;
  *status = q.metadata(q.self, str(tenant), str(metric), limit, &list);
  if (*status != STRATA_OK) return true;
  for (size_t i = 0; i < list.count; ++i) out->push_back(MetricMetadata::of(list.items[i]));
  if (list.release) list.release(&list);
  return true;
}

}  // namespace strata::sdk
