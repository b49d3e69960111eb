// The on-disk format of one durable queue entry: the key orders entries, the value carries
// a small header and the serialized (uncompressed) remote write 1.0 WriteRequest of one shard.
// The payload is 1.0 whatever `protocol` the exporter speaks: a 2.0 exporter converts at send
// time (request_body.h), so entries queued before a protocol change still send after it and
// the format needs no protocol field.
//
// Why uncompressed protobuf: two serialized WriteRequests concatenated ARE one WriteRequest
// holding both series lists (protobuf merges repeated fields), so a shard batches several
// entries into one request with a string append, then snappy-compresses once.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace strata::rwexporter {

// 'e' + big-endian sequence number: RocksDB's bytewise order is the append order.
std::string entryKey(uint64_t seq);
bool parseEntryKey(std::string_view key, uint64_t* seq);
inline constexpr char kEntryPrefix = 'e';

struct EntryHeader {
  uint32_t shard = 0;
  uint32_t shard_count = 1;  // shards of the writer; a reader with another count re-routes
  uint32_t samples = 0;
  int64_t min_ts = 0, max_ts = 0;  // sample timestamps (ms) in the entry
};

std::string encodeEntry(const EntryHeader& header, std::string_view payload);
// The value's first bytes: a value is this header followed by the payload, so a writer can hand
// RocksDB the two parts without first joining them into one copy of the payload.
std::string encodeEntryHeader(const EntryHeader& header);
// False for a value that is not an entry of this format version.
bool decodeEntry(std::string_view value, EntryHeader* header, std::string_view* payload);

}  // namespace strata::rwexporter
