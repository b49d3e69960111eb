#include "store_gateway.h"

#include <algorithm>
#include <cstddef>
#include <filesystem>

namespace strata::store_gateway {
namespace {

void fillList(std::vector<std::string> items, strata_string_list* out) {
  struct Owned {
    std::vector<std::string> items;
    std::vector<strata_str> views;
  };
  auto* o = new Owned{std::move(items), {}};
  for (const auto& s : o->items) o->views.push_back(sdk::str(s));
  out->struct_size = sizeof(strata_string_list);
  out->items = o->views.data();
  out->count = o->views.size();
  out->private_data = o;
  out->release = [](strata_string_list* self) { delete static_cast<Owned*>(self->private_data); };
}

// The series set over a SeriesStream: series pulled one at a time (the stream fetches a batch
// of series per block as needed); an error while pulling (a bucket error, a corrupt chunk, the
// per-query bytes limit) ends the set with -1 and last_error.
struct StreamSet {
  std::unique_ptr<SeriesStream> stream;
  bool current = false;
  size_t read = 0;  // samples of the current series handed out
  std::vector<strata_label> labels;
  std::string error;
};

int nextSeries(strata_series_set* self, const strata_label** labels, size_t* count) {
  auto* d = static_cast<StreamSet*>(self->private_data);
  if (!d->error.empty()) return -1;
  try {
    d->current = d->stream->next();
  } catch (const std::exception& e) {
    d->current = false;
    d->error = e.what();
    return -1;
  }
  if (!d->current) return 0;
  d->read = 0;
  d->labels.clear();
  for (const auto& [n, v] : d->stream->labels()) d->labels.push_back({sdk::str(n), sdk::str(v)});
  *labels = d->labels.data();
  *count = d->labels.size();
  return 1;
}

long readSamples(strata_series_set* self, int64_t* ts, double* vs, size_t cap) {
  auto* d = static_cast<StreamSet*>(self->private_data);
  if (!d->current) return 0;
  const auto& samples = d->stream->samples();
  size_t n = std::min(cap, samples.size() - d->read);
  for (size_t i = 0; i < n; ++i) {
    ts[i] = samples[d->read + i].t;
    vs[i] = samples[d->read + i].v;
  }
  d->read += n;
  return long(n);
}

void fillSeriesSet(std::unique_ptr<SeriesStream> stream, strata_series_set* out) {
  auto* s = new StreamSet{std::move(stream), false, 0, {}, {}};
  out->struct_size = sizeof(strata_series_set);
  out->private_data = s;
  out->next = &nextSeries;
  out->read_samples = &readSamples;
  out->last_error = [](strata_series_set* self) -> const char* {
    return static_cast<StreamSet*>(self->private_data)->error.c_str();
  };
  out->release = [](strata_series_set* self) {
    delete static_cast<StreamSet*>(self->private_data);
  };
}

template <typename F>
strata_status guarded(void* self, F&& f) {
  auto* g = static_cast<StoreGateway*>(self);
  try {
    f(*g->core());
    return STRATA_OK;
  } catch (const std::invalid_argument& e) {
    g->host().setError(e.what());
    return STRATA_REJECT;
  } catch (const LimitError& e) {
    g->host().setError(e.what());
    return STRATA_REJECT;
  } catch (const std::exception& e) {
    g->host().setError(e.what());
    return STRATA_FAILED;
  }
}

// The hints' step, function and (when the caller's struct has it) max_resolution_ms.
ResolutionHints resolutionHints(const strata_select_hints* h) {
  ResolutionHints r;
  if (!h) return r;
  if (h->struct_size >= offsetof(strata_select_hints, grouping)) {
    r.step_ms = h->step_ms;
    r.function = std::string(sdk::view(h->function));
  }
  if (h->struct_size >= offsetof(strata_select_hints, max_resolution_ms) + sizeof(int64_t))
    r.max_resolution_ms = h->max_resolution_ms;
  return r;
}

strata_status selectC(void* self, strata_str tenant, const strata_matcher* matchers, size_t n,
                      int64_t min_t, int64_t max_t, const strata_select_hints* hints,
                      strata_series_set* out) {
  return guarded(self, [&](GatewayCore& c) {
    fillSeriesSet(c.selectStream(std::string(sdk::view(tenant)), compileMatchers(matchers, n),
                                 min_t, max_t, resolutionHints(hints)),
                  out);
  });
}

strata_status labelNamesC(void* self, strata_str tenant, const strata_matcher* matchers, size_t n,
                          int64_t min_t, int64_t max_t, strata_string_list* out) {
  return guarded(self, [&](GatewayCore& c) {
    fillList(
        c.labelNames(std::string(sdk::view(tenant)), compileMatchers(matchers, n), min_t, max_t),
        out);
  });
}

strata_status labelValuesC(void* self, strata_str tenant, strata_str name,
                           const strata_matcher* matchers, size_t n, int64_t min_t, int64_t max_t,
                           strata_string_list* out) {
  return guarded(self, [&](GatewayCore& c) {
    fillList(c.labelValues(std::string(sdk::view(tenant)), std::string(sdk::view(name)),
                           compileMatchers(matchers, n), min_t, max_t),
             out);
  });
}

strata_status infoC(void* self, strata_str tenant, strata_source_info* out) {
  return guarded(self, [&](GatewayCore& c) {
    sdk::fillSourceInfo(c.info(std::string(sdk::view(tenant))), out);
  });
}

}  // namespace

void StoreGateway::validate(const sdk::ConfigView& config, strata_diag_sink* sink) {
  std::string problem = checkOptions(config);
  if (!problem.empty()) sink->report(sink, "", problem.c_str());
}

StoreGateway::StoreGateway(sdk::Host host, sdk::ConfigView config)
    : sdk::Component(host), options_(parseOptions(config)) {}

StoreGateway::~StoreGateway() { stop(); }

strata_status StoreGateway::start() {
  try {
    std::shared_ptr<bucket::Bucket> bkt = bucket::makeBucket(options_.bucket);
    if (auto problem = bucket::probeBucket(*bkt)) {
      if (!problem->isTransient()) throw *problem;
      host().warn("bucket not reachable at start; syncs retry",
                  {{"bucket", bkt->describe()}, {"error", problem->what()}});
    }
    std::string cache = options_.cache_dir.empty() ? host().dataDir() : options_.cache_dir;
    if (!cache.empty()) std::filesystem::create_directories(cache);
    GatewayOptions opts = options_;
    opts.cache_dir = cache;  // index-headers live here
    core_ = std::make_unique<GatewayCore>(host(), opts, bkt);
    try {
      syncNow();
    } catch (const std::exception& e) {
      host().warn("first block sync failed; retried every sync_interval", {{"error", e.what()}});
    }
    if (!options_.admin_listen_address.empty() &&
        host().route(options_.admin_listen_address, "/api/v1/strata/store_gateway/", 0, &serveSync,
                     this) != STRATA_OK)
      throw std::runtime_error("cannot serve the sync route on " + options_.admin_listen_address);
    host().info("serving blocks", {{"bucket", bkt->describe()},
                                   {"blocks", std::to_string(core_->loadedBlocks().size())}});
  } catch (const std::exception& e) {
    host().setError(e.what());
    return STRATA_FAILED;
  }
  stopping_ = false;
  worker_ = std::thread([this] { run(); });
  return STRATA_OK;
}

void StoreGateway::run() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    wake_.wait_for(lock, std::chrono::milliseconds(options_.sync_interval_ms),
                   [this] { return stopping_; });
    if (stopping_) break;
    lock.unlock();
    try {
      syncNow();
    } catch (const std::exception& e) {
      host().warn("block sync failed", {{"error", e.what()}});
    }
    lock.lock();
  }
}

size_t StoreGateway::syncNow() {
  std::lock_guard lock(sync_mu_);
  core_->sync();
  return core_->loadedBlocks().size();
}

void StoreGateway::serveSync(void* user, const strata_http_request* req,
                             strata_http_response* resp) {
  auto* self = static_cast<StoreGateway*>(user);
  if (sdk::view(req->path) != "/api/v1/strata/store_gateway/sync") {
    sdk::respond(resp, 404, "not found\n");
    return;
  }
  if (sdk::view(req->method) != "POST") {
    sdk::respond(resp, 405, "POST to sync the block list now\n");
    return;
  }
  try {
    size_t n = self->syncNow();
    sdk::respond(resp, 200, "{\"blocks_loaded\":" + std::to_string(n) + "}\n");
  } catch (const std::exception& e) {
    // The bucket could not be listed: worth a retry, like any sync.
    sdk::respond(resp, 503, std::string("sync failed: ") + e.what() + "\n");
  }
}

void StoreGateway::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
}

strata_status StoreGateway::queryable(strata_queryable* out) {
  if (!core_) {
    host().setError("store_gateway not started");
    return STRATA_FAILED;
  }
  // Written no further than the caller's struct_size (0: the caller did not say). No metadata.
  uint32_t room = out->struct_size ? out->struct_size : sizeof(strata_queryable);
  bool metadata_slot = room >= offsetof(strata_queryable, metadata) + sizeof(void*);
  out->struct_size = std::min<uint32_t>(room, sizeof(strata_queryable));
  out->self = this;
  out->select = &selectC;
  out->label_names = &labelNamesC;
  out->label_values = &labelValuesC;
  if (metadata_slot) out->metadata = nullptr;
  sdk::setInfoSlot(out, &infoC);
  return STRATA_OK;
}

}  // namespace strata::store_gateway
