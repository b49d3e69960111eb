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
  for (size_t i = 0; i < batch.metadataCount(); ++i) {
    const strata_metric_metadata& m = batch.metadata(i);
    auto* md = out->add_metadata();
    md->set_type(static_cast<prometheus::MetricMetadata::MetricType>(m.type <= 7 ? m.type : 0));
    md->set_metric_family_name(m.metric_family.data, m.metric_family.len);
    md->set_help(m.help.data, m.help.len);
    md->set_unit(m.unit.data, m.unit.len);
  }
}

std::string encodeWriteRequest(const sdk::BatchView& batch) {
  prometheus::WriteRequest request;
  batchToWriteRequest(batch, &request);
  return compress(request.SerializeAsString());
}

}  // namespace strata::prompb
