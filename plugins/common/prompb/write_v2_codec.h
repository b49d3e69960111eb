// Remote write 2.0 (io.prometheus.write.v2.Request) <-> SDK batches. Decoding applies the same
// checks and whole-request semantics as 1.0, plus the symbol table's own rules (valid
// references, symbols[0] empty, label references in pairs).
#pragma once

#include <cstdint>
#include <span>
#include <strata/sdk.hpp>
#include <string>
#include <string_view>

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
// `types`, when not empty, holds one entry per batch series: each series whose type is not
// kUnspecified carries it as its metadata (no help or unit). Batches carry no types, so
// callers that know them (a load generator, a scrape) pass them beside the batch.
std::string encodeWriteV2Request(const sdk::BatchView& batch,
                                 std::span<const MetricTypeV2> types = {});

}  // namespace strata::prompb
