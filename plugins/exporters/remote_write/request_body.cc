#include "request_body.h"

#include <stdexcept>
#include <strata/sdk.hpp>
#include <utility>
#include <vector>

#include "prompb/snappy_body.h"
#include "prompb/write_v2_codec.h"
#include "proto/remote.pb.h"

namespace strata::rwexporter {

std::string requestBody(std::string_view payload, Protocol protocol, uint64_t* samples,
                        const MetadataCache* metadata) {
  if (protocol == Protocol::k1) {
    if (samples) *samples = 0;  // not needed for 1.0: the lease header already says
    return prompb::compress(payload);
  }
  prometheus::WriteRequest request;
  if (!request.ParseFromArray(payload.data(), static_cast<int>(payload.size())))
    throw std::runtime_error("queued entry is not a valid WriteRequest");
  // Through a batch because that is what the 2.0 encoder (shared with the receiver's tests and
  // the other senders) takes; series keep their order, so per-series sample order holds.
  sdk::BatchBuilder builder;
  uint64_t n = 0;
  std::vector<std::string_view> names;  // views into `request`
  for (const auto& ts : request.timeseries()) {
    if (ts.samples_size() == 0) continue;
    std::vector<std::pair<std::string, std::string>> labels;
    labels.reserve(ts.labels_size());
    for (const auto& l : ts.labels()) {
      labels.emplace_back(l.name(), l.value());
      if (l.name() == "__name__") names.push_back(l.value());
    }
    builder.beginSeries(std::move(labels));
    for (const auto& s : ts.samples()) builder.addSample(s.timestamp(), s.value());
    n += static_cast<uint64_t>(ts.samples_size());
  }
  if (samples) *samples = n;
  if (metadata) metadata->attachTo(names, builder);
  sdk::OwnedBatch batch(builder.finish());
  return prompb::encodeWriteV2Request(batch.view());
}

}  // namespace strata::rwexporter
