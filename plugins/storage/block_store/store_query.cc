// The Queryable: select / label names / label values over every block and the head of a
// tenant (or of every tenant when the tenant is empty), merged per series.
#include <algorithm>
#include <cstddef>
#include <set>

#include "block_store.h"
#include "query/series_set.h"

namespace strata::block_store {
namespace {

strata_status fail(BlockStore* s, const std::exception& e, strata_status status) {
  s->host().setError(e.what());
  return status;
}

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

template <typename F>
strata_status guarded(void* self, F&& f) {
  auto* store = static_cast<BlockStore*>(self);
  try {
    f(store);
    return STRATA_OK;
  } catch (const std::invalid_argument& e) {
    return fail(store, e, STRATA_REJECT);
  } catch (const std::exception& e) {
    return fail(store, e, STRATA_FAILED);
  }
}

strata_status selectC(void* self, strata_str tenant, const strata_matcher* matchers, size_t n,
                      int64_t min_t, int64_t max_t, const strata_select_hints* hints,
                      strata_series_set* out) {
  return guarded(self, [&](BlockStore* s) {
    auto series =
        s->selectSeries(std::string(sdk::view(tenant)), compileMatchers(matchers, n), min_t, max_t);
    // A caller that wants labels only (/api/v1/series) reads no samples: decode nothing ahead.
    bool labels_only = hints && sdk::view(hints->function) == "series";
    makeSeriesSet(std::move(series), min_t, max_t, s->options().query_decode_ahead && !labels_only,
                  out);
  });
}

strata_status labelNamesC(void* self, strata_str tenant, const strata_matcher* matchers, size_t n,
                          int64_t min_t, int64_t max_t, strata_string_list* out) {
  return guarded(self, [&](BlockStore* s) {
    fillList(
        s->labelNames(std::string(sdk::view(tenant)), compileMatchers(matchers, n), min_t, max_t),
        out);
  });
}

strata_status labelValuesC(void* self, strata_str tenant, strata_str name,
                           const strata_matcher* matchers, size_t n, int64_t min_t, int64_t max_t,
                           strata_string_list* out) {
  return guarded(self, [&](BlockStore* s) {
    fillList(s->labelValues(std::string(sdk::view(tenant)), std::string(sdk::view(name)),
                            compileMatchers(matchers, n), min_t, max_t),
             out);
  });
}

strata_status metadataC(void* self, strata_str tenant, strata_str metric, size_t limit,
                        strata_metadata_list* out) {
  return guarded(self, [&](BlockStore* s) {
    sdk::fillMetadataList(
        s->metadata(std::string(sdk::view(tenant)), std::string(sdk::view(metric)), limit), out);
  });
}

}  // namespace

strata_status BlockStore::queryable(strata_queryable* out) {
  // The caller's struct_size is the room it has: a 1.0 host has no metadata slot, and
  // nothing may be written past it (0: the caller did not say, e.g. a test; ours).
  uint32_t room = out->struct_size ? out->struct_size : sizeof(strata_queryable);
  bool metadata_slot = room >= offsetof(strata_queryable, metadata) + sizeof(void*);
  out->struct_size = std::min<uint32_t>(room, sizeof(strata_queryable));
  out->self = this;
  out->select = &selectC;
  out->label_names = &labelNamesC;
  out->label_values = &labelValuesC;
  if (metadata_slot) out->metadata = &metadataC;
  return STRATA_OK;
}

std::vector<std::shared_ptr<TenantDb>> BlockStore::tenantsFor(const std::string& name) const {
  if (name.empty()) return tenants();
  std::shared_lock<std::shared_mutex> lock(tenants_mu_);
  auto it = tenants_.find(name);
  if (it == tenants_.end()) return {};
  return {it->second};
}

std::vector<SeriesData> BlockStore::selectSeries(const std::string& tenant,
                                                 const std::vector<Matcher>& matchers,
                                                 int64_t min_t, int64_t max_t) const {
  std::vector<std::vector<SeriesData>> parts;
  for (const auto& db : tenantsFor(tenant)) {
    // The head before the blocks: a cut adds its block before dropping the range from the
    // head, so in this order a concurrent cut can only show a range twice (deduplicated by
    // the merge), never zero times.
    auto head = db->head.select(matchers, min_t, max_t);
    // Blocks listed first: on equal timestamps the merge keeps the first source's sample.
    for (const auto& b : db->blocks.snapshot())
      parts.push_back(selectBlock(b, matchers, min_t, max_t));
    parts.push_back(std::move(head));
  }
  return mergeSeries(std::move(parts));
}

std::vector<std::string> BlockStore::labelNames(const std::string& tenant,
                                                const std::vector<Matcher>& matchers, int64_t min_t,
                                                int64_t max_t) const {
  std::set<std::string> names;
  for (const auto& db : tenantsFor(tenant)) {
    for (auto& n : db->head.labelNames(matchers, min_t, max_t)) names.insert(std::move(n));
    for (const auto& b : db->blocks.snapshot()) {
      const auto& meta = b->reader->meta();
      if (meta.max_time <= min_t || meta.min_time > max_t) continue;
      if (matchers.empty()) {
        for (auto& n : b->reader->labelNames()) names.insert(std::move(n));
        continue;
      }
      for (const auto& s : selectBlock(b, matchers, min_t, max_t))
        for (const auto& l : s.labels) names.insert(l.first);
    }
  }
  return {names.begin(), names.end()};
}

std::vector<std::string> BlockStore::labelValues(const std::string& tenant, const std::string& name,
                                                 const std::vector<Matcher>& matchers,
                                                 int64_t min_t, int64_t max_t) const {
  std::set<std::string> values;
  for (const auto& db : tenantsFor(tenant)) {
    for (auto& v : db->head.labelValues(name, matchers, min_t, max_t)) values.insert(std::move(v));
    for (const auto& b : db->blocks.snapshot()) {
      const auto& meta = b->reader->meta();
      if (meta.max_time <= min_t || meta.min_time > max_t) continue;
      if (matchers.empty()) {
        for (auto& v : b->reader->labelValues(name)) values.insert(std::move(v));
        continue;
      }
      for (const auto& s : selectBlock(b, matchers, min_t, max_t))
        for (const auto& l : s.labels)
          if (l.first == name) values.insert(l.second);
    }
  }
  return {values.begin(), values.end()};
}

}  // namespace strata::block_store
