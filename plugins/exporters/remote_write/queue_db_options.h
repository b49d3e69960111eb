// RocksDB options for the durable queue: a write-once, read-once, delete-soon workload whose
// live data is about one scrape interval of samples while the remote end keeps up. RocksDB's
// defaults (64 MB memtables, an 8 MB block cache) are sized for a database; an edge agent's
// whole memory budget is a few tens of MB, so the queue's share is bounded here.
#pragma once

#include <rocksdb/options.h>

namespace strata::rwexporter {

// At most two 2 MB memtables (the one written, the one being flushed), no block cache (every
// entry is read once, when sent: a cache would only hold what was already sent), no
// compression, 64 KB file write buffers.
rocksdb::Options queueDbOptions();

}  // namespace strata::rwexporter
