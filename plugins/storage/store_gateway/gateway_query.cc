// Queries over the loaded blocks: postings narrowed by the matchers that cannot match an
// empty value, every matcher checked on the series' labels, chunks fetched by range and
// decoded, series merged across blocks.
#include <re2/re2.h>

#include <algorithm>
#include <stdexcept>

#include "gateway_core.h"
#include "tsdb/chunkenc/xor_chunk.h"

namespace strata::store_gateway {

Matcher::Matcher(strata_match_type type, std::string name, std::string value)
    : type_(type), name_(std::move(name)), value_(std::move(value)) {
  if (type_ == STRATA_MATCH_RE || type_ == STRATA_MATCH_NRE) {
    RE2::Options opts;
    opts.set_log_errors(false);
    re_ = std::make_shared<re2::RE2>("^(?:" + value_ + ")$", opts);
    if (!re_->ok())
      throw std::invalid_argument("bad regex in matcher " + name_ + ": " + re_->error());
  } else if (type_ != STRATA_MATCH_EQ && type_ != STRATA_MATCH_NEQ) {
    throw std::invalid_argument("unknown matcher type for " + name_);
  }
}

bool Matcher::matches(const std::string& v) const {
  switch (type_) {
    case STRATA_MATCH_EQ:
      return v == value_;
    case STRATA_MATCH_NEQ:
      return v != value_;
    case STRATA_MATCH_RE:
      return re2::RE2::FullMatch(v, *re_);
    case STRATA_MATCH_NRE:
      return !re2::RE2::FullMatch(v, *re_);
  }
  return false;
}

std::vector<Matcher> compileMatchers(const strata_matcher* matchers, size_t n) {
  std::vector<Matcher> out;
  for (size_t i = 0; i < n; ++i)
    out.emplace_back(static_cast<strata_match_type>(matchers[i].type),
                     std::string(sdk::view(matchers[i].name)),
                     std::string(sdk::view(matchers[i].value)));
  return out;
}

namespace {

std::vector<uint64_t> intersect(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
  std::vector<uint64_t> out;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

// Series refs of `r` that may match: the intersection of the postings of every matcher that
// rejects the empty value (a series must have that label); all series when there is none.
std::vector<uint64_t> candidates(const tsdb::BlockReader& r, const std::vector<Matcher>& ms) {
  bool narrowed = false;
  std::vector<uint64_t> refs;
  for (const auto& m : ms) {
    if (m.matches("")) continue;
    std::vector<uint64_t> these;
    if (m.type() == STRATA_MATCH_EQ) {
      these = r.postings(m.name(), m.value());
    } else {
      for (const auto& v : r.labelValues(m.name())) {
        if (!m.matches(v)) continue;
        auto p = r.postings(m.name(), v);
        std::vector<uint64_t> merged;
        std::set_union(these.begin(), these.end(), p.begin(), p.end(), std::back_inserter(merged));
        these = std::move(merged);
      }
    }
    refs = narrowed ? intersect(refs, these) : std::move(these);
    narrowed = true;
    if (refs.empty()) return refs;
  }
  return narrowed ? refs : r.postings("", "");
}

bool labelsMatch(const tsdb::LabelSet& labels, const std::vector<Matcher>& ms) {
  static const std::string kEmpty;
  for (const auto& m : ms) {
    const std::string* v = &kEmpty;
    for (const auto& [name, value] : labels)
      if (name == m.name()) v = &value;
    if (!m.matches(*v)) return false;
  }
  return true;
}

struct LabelLess {
  bool operator()(const tsdb::LabelSet& a, const tsdb::LabelSet& b) const {
    return tsdb::compareLabels(a, b) < 0;
  }
};

// Calls fn(labels, chunks) for every matching series of the block.
template <typename F>
void forEachSeries(const BucketBlock& b, const std::vector<Matcher>& ms, F&& fn) {
  tsdb::LabelSet labels;
  std::vector<tsdb::ChunkRef> chunks;
  for (uint64_t ref : candidates(*b.reader, ms)) {
    labels.clear();
    chunks.clear();
    if (!b.reader->series(ref, &labels, &chunks))
      throw std::runtime_error("block " + b.meta.ulid + ": bad series reference");
    if (labelsMatch(labels, ms)) fn(labels, chunks);
  }
}

}  // namespace

std::vector<SeriesSamples> GatewayCore::select(const std::string& tenant,
                                               const std::vector<Matcher>& ms, int64_t min_t,
                                               int64_t max_t) const {
  std::map<tsdb::LabelSet, std::vector<Sample>, LabelLess> merged;
  for (const auto& b : blocksFor(tenant, min_t, max_t)) {
    forEachSeries(
        *b, ms, [&](const tsdb::LabelSet& labels, const std::vector<tsdb::ChunkRef>& chunks) {
          std::vector<Sample>* out = nullptr;
          for (const auto& c : chunks) {
            if (c.max_time < min_t || c.min_time > max_t) continue;
            uint8_t enc = 0;
            tsdb::ByteView data;
            std::string error;
            if (!b->reader->rawChunk(c.ref, &enc, &data, &error))
              throw std::runtime_error("block " + b->meta.ulid + ": " + error);
            if (enc != tsdb::kEncXor)
              throw std::runtime_error("block " + b->meta.ulid + ": chunk encoding " +
                                       std::to_string(enc) + " not supported (histograms)");
            if (!out) out = &merged[labels];
            tsdb::XorIterator it(data.data(), data.size());
            while (it.next())
              if (it.t() >= min_t && it.t() <= max_t) out->push_back({it.t(), it.v()});
            if (it.error()) throw std::runtime_error("block " + b->meta.ulid + ": corrupt chunk");
          }
        });
  }
  if (cache_) cache_bytes_.set(double(cache_->bytes()));
  std::vector<SeriesSamples> result;
  result.reserve(merged.size());
  for (auto& [labels, samples] : merged) {
    // Blocks are visited in ULID order; on equal timestamps the first block's sample stays.
    std::stable_sort(samples.begin(), samples.end(),
                     [](const Sample& a, const Sample& b) { return a.t < b.t; });
    samples.erase(std::unique(samples.begin(), samples.end(),
                              [](const Sample& a, const Sample& b) { return a.t == b.t; }),
                  samples.end());
    if (!samples.empty()) result.push_back({labels, std::move(samples)});
  }
  return result;
}

std::vector<std::string> GatewayCore::labelNames(const std::string& tenant,
                                                 const std::vector<Matcher>& ms, int64_t min_t,
                                                 int64_t max_t) const {
  std::set<std::string> names;
  for (const auto& b : blocksFor(tenant, min_t, max_t)) {
    if (ms.empty()) {
      for (auto& n : b->reader->labelNames()) names.insert(std::move(n));
      continue;
    }
    forEachSeries(*b, ms, [&](const tsdb::LabelSet& labels, const std::vector<tsdb::ChunkRef>&) {
      for (const auto& l : labels) names.insert(l.first);
    });
  }
  return {names.begin(), names.end()};
}

std::vector<std::string> GatewayCore::labelValues(const std::string& tenant,
                                                  const std::string& name,
                                                  const std::vector<Matcher>& ms, int64_t min_t,
                                                  int64_t max_t) const {
  std::set<std::string> values;
  for (const auto& b : blocksFor(tenant, min_t, max_t)) {
    if (ms.empty()) {
      for (auto& v : b->reader->labelValues(name)) values.insert(std::move(v));
      continue;
    }
    forEachSeries(*b, ms, [&](const tsdb::LabelSet& labels, const std::vector<tsdb::ChunkRef>&) {
      for (const auto& l : labels)
        if (l.first == name) values.insert(l.second);
    });
  }
  return {values.begin(), values.end()};
}

}  // namespace strata::store_gateway
