#include "core/graph/consumer.h"

#include <algorithm>
#include <cstring>

namespace strata::graph {

strata_status worst(strata_status a, strata_status b) { return a > b ? a : b; }

namespace {
struct MetricsView {
  strata_metrics_batch view;
  std::shared_ptr<SharedMetricsBatch> owner;
};
}  // namespace

std::shared_ptr<SharedMetricsBatch> SharedMetricsBatch::wrap(strata_metrics_batch* batch) {
  std::shared_ptr<SharedMetricsBatch> s(new SharedMetricsBatch(batch));
  s->self_ = s;
  return s;
}

SharedMetricsBatch::~SharedMetricsBatch() {
  if (batch_ && batch_->release) batch_->release(batch_);
}

strata_metrics_batch* SharedMetricsBatch::view() {
  // Copy only the prefix the creator wrote (a 1.0 plugin's batch is shorter than ours) and
  // keep its struct_size, so readers see the same fields the original has, metadata included.
  auto* v = new MetricsView{{}, self_.lock()};
  std::memcpy(&v->view, batch_, std::min<size_t>(batch_->struct_size, sizeof v->view));
  v->view.private_data = v;
  v->view.release = [](strata_metrics_batch* self) {
    delete static_cast<MetricsView*>(self->private_data);
  };
  return &v->view;
}

strata_status MetricsFanout::consume(strata_metrics_batch* batch) {
  if (next_.empty()) {
    if (batch->release) batch->release(batch);
    return STRATA_OK;
  }
  if (next_.size() == 1) return next_[0]->consume(batch);
  auto shared = SharedMetricsBatch::wrap(batch);
  strata_status result = STRATA_OK;
  for (auto& n : next_) result = worst(result, n->consume(shared->view()));
  return result;
}

namespace {
struct BlockView {
  strata_block_ref view;
  std::shared_ptr<strata_block_ref> owner;
};
}  // namespace

strata_status BlocksFanout::consume(strata_block_ref* block) {
  if (next_.empty()) {
    if (block->release) block->release(block);
    return STRATA_OK;
  }
  if (next_.size() == 1) return next_[0]->consume(block);
  std::shared_ptr<strata_block_ref> owner(block, [](strata_block_ref* b) {
    if (b->release) b->release(b);
  });
  strata_status result = STRATA_OK;
  for (auto& n : next_) {
    auto* v = new BlockView{*block, owner};
    v->view.private_data = v;
    v->view.release = [](strata_block_ref* self) {
      delete static_cast<BlockView*>(self->private_data);
    };
    result = worst(result, n->consume(&v->view));
  }
  return result;
}

}  // namespace strata::graph
