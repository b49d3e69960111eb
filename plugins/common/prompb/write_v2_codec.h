// Remote write 2.0 (io.prometheus.write.v2.Request) <-> SDK batches. Decoding applies the same
// checks and whole-request semantics as 1.0, plus the symbol table's own rules (valid
// references, symbols[0] empty, label references in pairs).
#pragma once

#include <strata/sdk.hpp>
#include <string>
#include <string_view>

#include "prompb/write_request_decoder.h"

namespace strata::prompb {

// The Content-Type `proto` parameter that selects 2.0.
inline constexpr std::string_view kWriteV2Proto = "io.prometheus.write.v2.Request";

bool decodeWriteV2Request(std::string_view body, const DecodeLimits& limits, sdk::BatchBuilder& out,
                          DecodeStats* stats, DecodeError* error);

// The HTTP body: a serialized v2 Request (one symbol table for the batch), snappy-compressed.
std::string encodeWriteV2Request(const sdk::BatchView& batch);

}  // namespace strata::prompb
