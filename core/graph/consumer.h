// Where an edge delivers. The host wraps every downstream of a node in one of these: a
// processor runs inline on the caller's thread; an exporter or storage node sits behind a
// bounded EdgeQueue; a Fanout hands one batch to several.
//
// OWNERSHIP: consume() always takes the batch, whatever it returns (see plugin_abi.h).
#pragma once

#include <strata/plugin_abi.h>

#include <memory>
#include <vector>

namespace strata::graph {

class MetricsConsumer {
 public:
  virtual ~MetricsConsumer() = default;
  // THREAD: any, concurrently.
  virtual strata_status consume(strata_metrics_batch* batch) = 0;
};

class BlocksConsumer {
 public:
  virtual ~BlocksConsumer() = default;
  virtual strata_status consume(strata_block_ref* block) = 0;
};

// Several downstreams of one node. One downstream gets the batch itself; several get
// read-only views of one shared batch, released when the last view is (the batch is
// immutable once emitted, so sharing needs no copy).
class MetricsFanout : public MetricsConsumer {
 public:
  explicit MetricsFanout(std::vector<std::shared_ptr<MetricsConsumer>> next)
      : next_(std::move(next)) {}
  // OK when every downstream accepted; else the worst status (RETRY < REJECT < FAILED). A
  // downstream that accepted keeps the batch, so a retried send may reach it twice: the
  // remote-write semantics tolerate duplicates, not losses.
  strata_status consume(strata_metrics_batch* batch) override;
  size_t size() const { return next_.size(); }

 private:
  std::vector<std::shared_ptr<MetricsConsumer>> next_;
};

class BlocksFanout : public BlocksConsumer {
 public:
  explicit BlocksFanout(std::vector<std::shared_ptr<BlocksConsumer>> next)
      : next_(std::move(next)) {}
  strata_status consume(strata_block_ref* block) override;

 private:
  std::vector<std::shared_ptr<BlocksConsumer>> next_;
};

// Shared, refcounted ownership of one batch: views() hands out read-only copies of the view
// whose release() drops one reference; the original is released with the last.
class SharedMetricsBatch {
 public:
  // Takes ownership of `batch`.
  static std::shared_ptr<SharedMetricsBatch> wrap(strata_metrics_batch* batch);
  ~SharedMetricsBatch();
  // A new view that holds a reference until its release() is called.
  strata_metrics_batch* view();
  const strata_metrics_batch* get() const { return batch_; }

 private:
  explicit SharedMetricsBatch(strata_metrics_batch* b) : batch_(b) {}
  strata_metrics_batch* batch_;
  std::weak_ptr<SharedMetricsBatch> self_;
};

strata_status worst(strata_status a, strata_status b);

}  // namespace strata::graph
