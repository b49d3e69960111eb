#include "fake_host.h"

#include "prompb/sample_line.h"

namespace strata::testing {

FakeHost::FakeHost() {
  api_.struct_size = sizeof(api_);
  api_.abi_major = STRATA_ABI_MAJOR;
  api_.abi_minor = STRATA_ABI_MINOR;
  api_.log = [](strata_host_ctx* c, uint32_t level, strata_str msg, const strata_str* kv,
                size_t pairs) {
    std::string line = "level=" + std::to_string(level) + " msg=" + std::string(sdk::view(msg));
    for (size_t i = 0; i < pairs; ++i)
      line += " " + std::string(sdk::view(kv[2 * i])) + "=" + std::string(sdk::view(kv[2 * i + 1]));
    std::lock_guard<std::mutex> lock(self(c)->mu_);
    self(c)->logs_.push_back(line);
  };
  api_.set_error = [](strata_host_ctx* c, strata_str msg) {
    std::lock_guard<std::mutex> lock(self(c)->mu_);
    self(c)->last_error_ = std::string(sdk::view(msg));
  };
  api_.emit_metrics = [](strata_host_ctx* c, strata_metrics_batch* b) {
    sdk::OwnedBatch owned(b);
    EmittedBatch e{
        std::string(owned.view().tenant()), b->flags, b->series_count, b->sample_count, "", {}};
    prompb::appendBatchLines(e.lines, owned.view());
    for (size_t i = 0; i < owned.view().metadataCount(); ++i)
      e.metadata.push_back(sdk::MetricMetadata::of(owned.view().metadata(i)));
    auto* h = self(c);
    std::function<void(const EmittedBatch&)> hook;
    {
      std::lock_guard<std::mutex> lock(h->mu_);
      hook = h->emit_hook_;
    }
    if (hook) hook(e);
    std::lock_guard<std::mutex> lock(h->mu_);
    h->emitted_.push_back(std::move(e));
    h->cv_.notify_all();
    return h->emit_status_;
  };
  api_.emit_error = [](strata_host_ctx* c) {
    std::lock_guard<std::mutex> lock(self(c)->mu_);
    return sdk::str(self(c)->emit_error_);
  };
  api_.emit_blocks = [](strata_host_ctx*, strata_block_ref* b) {
    if (b->release) b->release(b);
    return STRATA_REJECT;
  };
  api_.metric = [](strata_host_ctx* c, uint32_t, strata_str name, strata_str, const strata_str* kv,
                   size_t pairs) {
    std::string key = std::string(sdk::view(name)) + "|";
    for (size_t i = 0; i < pairs; ++i)
      key += (i ? "," : "") + std::string(sdk::view(kv[2 * i])) + "=" +
             std::string(sdk::view(kv[2 * i + 1]));
    auto* h = self(c);
    std::lock_guard<std::mutex> lock(h->mu_);
    auto& m = h->metrics_[key];
    m.owner = h;
    return reinterpret_cast<strata_metric*>(&m);
  };
  api_.metric_add = [](strata_metric* p, double d) {
    auto* m = reinterpret_cast<Metric*>(p);
    std::lock_guard<std::mutex> lock(m->owner->mu_);
    m->value += d;
  };
  api_.metric_set = [](strata_metric* p, double v) {
    auto* m = reinterpret_cast<Metric*>(p);
    std::lock_guard<std::mutex> lock(m->owner->mu_);
    m->value = v;
  };
  api_.http_route = [](strata_host_ctx* c, strata_str listen, strata_str prefix, size_t max_body,
                       strata_http_handler handler, void* user) {
    auto* h = self(c);
    std::lock_guard<std::mutex> lock(h->mu_);
    h->routes_.push_back(
        {std::string(sdk::view(listen)), std::string(sdk::view(prefix)), max_body, handler, user});
    return STRATA_OK;
  };
  api_.queryable = [](strata_host_ctx*, strata_str) -> const strata_queryable* { return nullptr; };
  api_.component_id = [](strata_host_ctx*) { return sdk::str("test/component"); };
  api_.data_dir = [](strata_host_ctx*) { return sdk::str("/nonexistent"); };
}

void FakeHost::setEmitStatus(strata_status s, std::string emit_error) {
  std::lock_guard<std::mutex> lock(mu_);
  emit_status_ = s;
  emit_error_ = std::move(emit_error);
}

void FakeHost::setEmitHook(std::function<void(const EmittedBatch&)> hook) {
  std::lock_guard<std::mutex> lock(mu_);
  emit_hook_ = std::move(hook);
}

std::vector<EmittedBatch> FakeHost::emitted() {
  std::lock_guard<std::mutex> lock(mu_);
  return emitted_;
}

bool FakeHost::waitForEmits(size_t n, std::chrono::milliseconds deadline) {
  std::unique_lock<std::mutex> lock(mu_);
  return cv_.wait_for(lock, deadline, [&] { return emitted_.size() >= n; });
}

double FakeHost::metric(const std::string& name, const std::string& labels) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = metrics_.find(name + "|" + labels);
  return it == metrics_.end() ? -1 : it->second.value;
}

std::vector<std::string> FakeHost::logs() {
  std::lock_guard<std::mutex> lock(mu_);
  return logs_;
}

std::string FakeHost::lastError() {
  std::lock_guard<std::mutex> lock(mu_);
  return last_error_;
}

std::vector<Route> FakeHost::routes() {
  std::lock_guard<std::mutex> lock(mu_);
  return routes_;
}

}  // namespace strata::testing
