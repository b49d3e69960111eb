// The Prometheus remote write 1.0 request one writer sends per tick: a WriteRequest protobuf,
// encoded by hand, snappy-compressed (block format) and framed as an HTTP/1.1 POST.
//
//   WriteRequest { repeated TimeSeries timeseries = 1; }
//   TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; }
//   Label        { string name = 1; string value = 2; }
//   Sample       { double value = 1; int64 timestamp = 2; }
#pragma once

#include <cstdint>
#include <string>

#include "endpoint.h"

namespace strata::connload {

// Series i of writer w: labels __name__=metric, series="i", writer="w" (sorted by name, as
// remote write requires), holding one sample (timestamp_ms, value).
std::string encodeWriteRequest(const std::string& metric, int64_t writer, int64_t series_count,
                               int64_t timestamp_ms, double value);

// The whole HTTP request: POST to the endpoint's target with the remote write headers and the
// snappy-compressed body.
std::string buildWriteHttpRequest(const Endpoint& endpoint, const std::string& protobuf);

}  // namespace strata::connload
