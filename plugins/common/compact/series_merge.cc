#include "compact/series_merge.h"

#include <algorithm>

#include "compact/source_block.h"
#include "tsdb/chunkenc/aggr_chunk.h"
#include "tsdb/chunkenc/xor_chunk.h"

namespace strata::compact {

struct SeriesMerger::Cursor {
  const tsdb::BlockReader* reader;
  std::vector<uint64_t> postings;
  size_t pos = 0;  // index of the current series in postings
  bool valid = false;
  tsdb::LabelSet labels;
  std::vector<tsdb::ChunkRef> chunks;
};

namespace {

struct LoadedChunk {
  int64_t min_time, max_time;
  size_t priority;
  tsdb::ByteView data;  // chunk data without the encoding byte
  uint8_t encoding;
};

[[noreturn]] void corrupt(const tsdb::BlockReader& r, const std::string& what) {
  throw CorruptBlock(r.meta().ulid, "block " + r.meta().ulid + ": " + what);
}

}  // namespace

SeriesMerger::SeriesMerger(std::vector<const tsdb::BlockReader*> sources, size_t chunk_samples)
    : chunk_samples_(std::max<size_t>(chunk_samples, 1)) {
  for (const auto* r : sources) {
    auto c = std::make_unique<Cursor>();
    c->reader = r;
    try {
      c->postings = r->postings("", "");
    } catch (const std::exception& e) {
      corrupt(*r, std::string("postings: ") + e.what());
    }
    c->pos = 0;
    if (!c->postings.empty()) {
      c->pos = size_t(-1);
      advance(*c);
    }
    cursors_.push_back(std::move(c));
  }
}

SeriesMerger::~SeriesMerger() = default;

uint64_t SeriesMerger::sourceSeries() const {
  uint64_t n = 0;
  for (const auto& c : cursors_) n += c->postings.size();
  return n;
}

void SeriesMerger::advance(Cursor& c) {
  ++c.pos;
  if (c.pos >= c.postings.size()) {
    c.valid = false;
    return;
  }
  tsdb::LabelSet prev = std::move(c.labels);
  bool had = c.valid;
  c.labels.clear();
  c.chunks.clear();
  bool ok = false;
  try {
    ok = c.reader->series(c.postings[c.pos], &c.labels, &c.chunks);
  } catch (const std::exception& e) {
    corrupt(*c.reader, std::string("series: ") + e.what());
  }
  if (!ok) corrupt(*c.reader, "series ref " + std::to_string(c.postings[c.pos]) + " unreadable");
  if (had && tsdb::compareLabels(prev, c.labels) >= 0)
    corrupt(*c.reader, "series out of label order in the index");
  c.valid = true;
}

bool SeriesMerger::next(tsdb::LabelSet* labels, std::vector<tsdb::ChunkData>* out) {
  const tsdb::LabelSet* min = nullptr;
  for (const auto& c : cursors_)
    if (c->valid && (!min || tsdb::compareLabels(c->labels, *min) < 0)) min = &c->labels;
  if (!min) return false;
  *labels = *min;
  out->clear();

  std::vector<LoadedChunk> loaded;
  for (size_t i = 0; i < cursors_.size(); ++i) {
    Cursor& c = *cursors_[i];
    if (!c.valid || tsdb::compareLabels(c.labels, *labels) != 0) continue;
    for (const tsdb::ChunkRef& ref : c.chunks) {
      uint8_t enc = 0;
      tsdb::ByteView data;
      std::string err;
      if (!c.reader->rawChunk(ref.ref, &enc, &data, &err)) corrupt(*c.reader, err);
      if (enc != tsdb::kEncXor && enc != tsdb::kEncAggr)
        corrupt(*c.reader, "chunk encoding " + std::to_string(enc) + " is not supported yet");
      loaded.push_back({ref.min_time, ref.max_time, i, std::move(data), enc});
    }
    advance(c);
  }
  std::stable_sort(loaded.begin(), loaded.end(), [](const LoadedChunk& a, const LoadedChunk& b) {
    return a.min_time != b.min_time ? a.min_time < b.min_time : a.priority < b.priority;
  });
  bool overlap = false;
  for (size_t i = 1; i < loaded.size() && !overlap; ++i)
    overlap = loaded[i].min_time <= loaded[i - 1].max_time;
  ++stats_.series;
  if (!overlap) {
    for (const auto& l : loaded) {
      out->push_back({l.min_time, l.max_time,
                      std::vector<uint8_t>(l.data.data(), l.data.data() + l.data.size()),
                      l.encoding});
      ++stats_.chunks_passed;
    }
    return true;
  }
  std::vector<PrioritizedSample> samples;
  for (const auto& l : loaded) {
    if (l.encoding != tsdb::kEncXor)
      corrupt(*cursors_[l.priority]->reader,
              "overlapping aggregate chunks (downsampled data) cannot be merged yet");
    tsdb::XorIterator it(l.data.data(), l.data.size());
    while (it.next()) samples.push_back({it.t(), it.v(), l.priority});
    if (it.error()) {
      const Cursor& c = *cursors_[l.priority];
      corrupt(*c.reader, "corrupt XOR chunk of a series");
    }
  }
  *out = mergeSamples(std::move(samples), chunk_samples_, &stats_.samples_deduplicated);
  stats_.chunks_reencoded += out->size();
  return true;
}

std::vector<tsdb::ChunkData> mergeSamples(std::vector<PrioritizedSample> samples,
                                          size_t chunk_samples, uint64_t* dropped) {
  std::stable_sort(samples.begin(), samples.end(),
                   [](const PrioritizedSample& a, const PrioritizedSample& b) {
                     return a.t != b.t ? a.t < b.t : a.priority < b.priority;
                   });
  std::vector<tsdb::ChunkData> out;
  tsdb::XorAppender app;
  auto cut = [&] {
    if (app.numSamples() == 0) return;
    out.push_back({app.minTime(), app.maxTime(), app.bytes()});
    app = tsdb::XorAppender();
  };
  for (size_t i = 0; i < samples.size(); ++i) {
    if (i > 0 && samples[i].t == samples[i - 1].t) {
      if (dropped) ++*dropped;
      continue;
    }
    if (app.numSamples() >= chunk_samples) cut();
    app.append(samples[i].t, samples[i].v);
  }
  cut();
  return out;
}

}  // namespace strata::compact
