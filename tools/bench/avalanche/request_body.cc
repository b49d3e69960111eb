#include "request_body.h"

#include <strata/sdk.hpp>
#include <vector>

#include "prompb/write_request_encoder.h"
#include "prompb/write_v2_codec.h"

namespace strata::avalanche {
namespace {

// The family's type for every series of it: a classic histogram's `_bucket` series carry
// HISTOGRAM, as Prometheus' 2.0 sender declares them from the family's metadata.
prompb::MetricTypeV2 typeV2(MetricType t) {
  switch (t) {
    case MetricType::kCounter:
      return prompb::MetricTypeV2::kCounter;
    case MetricType::kGauge:
      return prompb::MetricTypeV2::kGauge;
    case MetricType::kHistogram:
      return prompb::MetricTypeV2::kHistogram;
  }
  return prompb::MetricTypeV2::kUnspecified;
}

}  // namespace

Request buildRequest(const Workload& w, RemoteWriteProtocol protocol, int64_t first, int64_t last,
                     int64_t step0, int64_t steps) {
  sdk::BatchBuilder b;
  std::vector<prompb::MetricTypeV2> types;
  Request r;
  r.step = step0;
  for (int64_t slot = first; slot < last; ++slot) {
    int64_t gen = -1;
    for (int64_t step = step0; step < step0 + steps && step < w.steps(); ++step) {
      int64_t g = w.generation(step, slot);
      if (g != gen) {  // churn inside the request: the new generation is another series
        gen = g;
        b.beginSeries(w.labels(slot, g));
        types.push_back(typeV2(w.familyType(w.metricOf(slot))));
      }
      b.addSample(w.timestampMs(step), w.value(step, slot));
      ++r.samples;
    }
  }
  sdk::OwnedBatch batch(b.finish());
  r.body = protocol == RemoteWriteProtocol::kV2 ? prompb::encodeWriteV2Request(batch.view(), types)
                                                : prompb::encodeWriteRequest(batch.view());
  return r;
}

}  // namespace strata::avalanche
