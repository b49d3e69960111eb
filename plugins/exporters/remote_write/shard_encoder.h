// Batch -> durable queue entries: series go to shard (series hash mod shards), and each
// shard's series become serialized WriteRequests of at most max_samples samples each. A
// series longer than that is split across consecutive entries, in timestamp order.
//
// The entries are written straight onto the protobuf wire (timeseries_wire.h), each payload
// allocated once at its exact size: no WriteRequest message with a copy of every label string
// is built first, which took the edge agent more memory and CPU per scrape than the bytes.
#pragma once

#include <cstdint>
#include <strata/sdk.hpp>
#include <vector>

#include "durable_queue.h"
#include "relabel/relabel_rule.h"

namespace strata::rwexporter {

// `rules` (write_relabel_configs) rewrite each series' labels first; a series they drop (or
// leave without labels) adds its samples to *relabel_dropped and is not queued.
std::vector<NewEntry> encodeShards(const sdk::BatchView& batch, uint32_t shards,
                                   uint64_t max_samples,
                                   const std::vector<relabel::Rule>* rules = nullptr,
                                   uint64_t* relabel_dropped = nullptr);

}  // namespace strata::rwexporter
