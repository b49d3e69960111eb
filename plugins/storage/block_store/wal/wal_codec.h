// Keys and values of the WAL in RocksDB. Keys sort by kind, tenant and then time, so that a
// checkpoint is one DeleteRange over a tenant's oldest sample records:
//   S <tenant> 0x00 <ref be32>                  -> series labels
//   D <tenant> 0x00 <max_t be64 (sign flipped)> <seq be64> -> samples of one append
//   M <tenant>                                  -> min valid time be64 (the last block's end)
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "head/head.h"

namespace strata::block_store::wal {

std::string seriesKey(std::string_view tenant, uint32_t ref);
std::string samplesKey(std::string_view tenant, int64_t max_t, uint64_t seq);
std::string metaKey(std::string_view tenant);
std::string samplesPrefix(std::string_view tenant);  // every D key of the tenant starts so

std::string encodeLabels(const tsdb::LabelSet& labels);
std::string encodeSamples(const std::vector<AppendRecord::RefSample>& samples);
std::string encodeInt64(int64_t v);

// Decoders return false on malformed input.
bool decodeLabels(std::string_view in, tsdb::LabelSet* out);
bool decodeSamples(std::string_view in, std::vector<AppendRecord::RefSample>* out);
bool decodeInt64(std::string_view in, int64_t* out);

// Splits a key back into its parts; false when it is not a key of that kind.
bool parseSeriesKey(std::string_view key, std::string* tenant, uint32_t* ref);
bool parseSamplesKey(std::string_view key, std::string* tenant, uint64_t* seq);
bool parseMetaKey(std::string_view key, std::string* tenant);

}  // namespace strata::block_store::wal
