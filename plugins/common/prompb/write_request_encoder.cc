#include "prompb/write_request_encoder.h"

#include "prompb/snappy_body.h"
#include "proto/remote.pb.h"

namespace strata::prompb {

void batchToWriteRequest(const sdk::BatchView& batch, prometheus::WriteRequest* out) {
  out->Clear();
  out->mutable_timeseries()->Reserve(static_cast<int>(batch.seriesCount()));
  for (size_t i = 0; i < batch.seriesCount(); ++i) {
    const auto& ref = batch.series(i);
    auto* ts = out->add_timeseries();
    const strata_label* labels = batch.labels(i);
    for (uint32_t j = 0; j < ref.label_count; ++j) {
      auto* l = ts->add_labels();
      l->set_name(labels[j].name.data, labels[j].name.len);
      l->set_value(labels[j].value.data, labels[j].value.len);
    }
    const int64_t* t = batch.timestamps(i);
    const double* v = batch.values(i);
    for (uint32_t k = 0; k < ref.sample_count; ++k) {
      auto* s = ts->add_samples();
      s->set_timestamp(t[k]);
      s->set_value(v[k]);
    }
  }
}

std::string encodeWriteRequest(const sdk::BatchView& batch) {
  prometheus::WriteRequest request;
  batchToWriteRequest(batch, &request);
  return compress(request.SerializeAsString());
}

}  // namespace strata::prompb
