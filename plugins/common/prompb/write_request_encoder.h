// SDK batch -> remote write 1.0 body (for the sender tool and the remote write exporter).
#pragma once

#include <strata/sdk.hpp>
#include <string>

namespace prometheus {
class WriteRequest;
}

namespace strata::prompb {

// One TimeSeries per batch series, labels in the batch's (sorted) order; one MetricMetadata
// per entry of the batch's metadata.
void batchToWriteRequest(const sdk::BatchView& batch, prometheus::WriteRequest* out);

// The HTTP body: the serialized WriteRequest, snappy block-compressed.
std::string encodeWriteRequest(const sdk::BatchView& batch);

}  // namespace strata::prompb
