// Remote write 2.0 (io.prometheus.write.v2.Request) <-> SDK batches. Decoding applies the same
// checks and whole-request semantics as 1.0, plus the symbol table's own rules (valid
// references, symbols[0] empty, label references in pairs).
#pragma once

#include <cstdint>
#include <span>
#include <strata/sdk.hpp>
#include <string>
#include <string_view>
#include <unordered_map>

#include "prompb/write_request_decoder.h"

namespace strata::prompb {

// The Content-Type `proto` parameter that selects 2.0.
inline constexpr std::string_view kWriteV2Proto = "io.prometheus.write.v2.Request";

bool decodeWriteV2Request(std::string_view body, const DecodeLimits& limits, sdk::BatchBuilder& out,
                          DecodeStats* stats, DecodeError* error);

// A series' metric type as 2.0 metadata declares it (the values of Metadata.MetricType).
enum class MetricTypeV2 : uint8_t {
  kUnspecified = 0,
  kCounter = 1,
  kGauge = 2,
  kHistogram = 3,
  kGaugeHistogram = 4,
  kSummary = 5,
  kInfo = 6,
  kStateset = 7,
};

// The HTTP body: a serialized v2 Request (one symbol table for the batch), snappy-compressed.
// A series whose family has metadata in the batch (see metadataFamilyOf) carries it. Else,
// when `types` is not empty (one entry per batch series), a series whose type is not
// kUnspecified carries that type (no help or unit): for callers that know types but build
// batches without metadata (a load generator).
std::string encodeWriteV2Request(const sdk::BatchView& batch,
                                 std::span<const MetricTypeV2> types = {});

// A batch's metadata by family name (views into the batch).
using MetadataIndex = std::unordered_map<std::string_view, const strata_metric_metadata*>;
MetadataIndex indexMetadata(const sdk::BatchView& batch);

// The metadata of the family a series named `series_name` belongs to: the name itself, or the
// name without an OpenMetrics sample suffix (_bucket, _count, _sum, _total, ...); null if none.
const strata_metric_metadata* metadataFor(std::string_view series_name, const MetadataIndex& index);

}  // namespace strata::prompb
