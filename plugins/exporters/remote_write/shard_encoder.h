// Batch -> durable queue entries: series go to shard (series hash mod shards), and each
// shard's series become serialized WriteRequests of at most max_samples samples each. A
// series longer than that is split across consecutive entries, in timestamp order.
//
// The entries are written straight onto the protobuf wire (timeseries_wire.h), each payload
// allocated once at its exact size: no WriteRequest message with a copy of every label string
// is built first, which took the edge agent more memory and CPU per scrape than the bytes.
#pragma once

#include <cstdint>
#include <span>
#include <strata/sdk.hpp>
#include <vector>

#include "durable_queue.h"
#include "relabel/relabel_rule.h"

namespace strata::rwexporter {

// `external_labels` (sorted by name) join every series that has no label of that name; then
// `rules` (write_relabel_configs) rewrite each series' labels; a series they drop (or leave
// without labels) adds its samples to *relabel_dropped and is not queued. Without rules, a
// series goes to the shard of its own labels' hash (external labels are the same for all).
std::vector<NewEntry> encodeShards(const sdk::BatchView& batch, uint32_t shards,
                                   uint64_t max_samples,
                                   const std::vector<relabel::Rule>* rules = nullptr,
                                   uint64_t* relabel_dropped = nullptr,
                                   std::span<const strata_label> external_labels = {});

}  // namespace strata::rwexporter
