#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

#include "test_util.h"
#include "tsdb/index/index_reader.h"
#include "tsdb/index/index_writer.h"

namespace strata::tsdb {
namespace {

using testing::TempDir;

struct Fixture {
  std::vector<LabelSet> labels;
  std::vector<IndexSeriesInput> in;
  std::vector<uint32_t> refs;
  std::string path;
};

void build(Fixture* f, const std::string& dir) {
  f->labels = {
      {{"__name__", "up"}, {"job", "a"}},
      {{"__name__", "up"}, {"job", "b"}},
      {{"__name__", "up"}, {"instance", "x"}, {"job", "b"}},
      {{"__name__", "http_requests_total"}, {"code", "200"}, {"job", "a"}},
      {{"a", ""}},  // empty values are legal symbols too
  };
  std::sort(f->labels.begin(), f->labels.end(),
            [](const LabelSet& a, const LabelSet& b) { return compareLabels(a, b) < 0; });
  for (size_t i = 0; i < f->labels.size(); ++i) {
    IndexSeriesInput s;
    s.labels = &f->labels[i];
    for (int c = 0; c < int(i); ++c)
      s.chunks.push_back({-50 + c * 1000, -50 + c * 1000 + 999, uint64_t(8 + i * 100 + c * 20)});
    f->in.push_back(std::move(s));
  }
  f->path = dir + "/index";
  f->refs = writeIndexFile(f->path, f->in);
}

TEST(Index, WriteReadRoundTrip) {
  TempDir dir;
  Fixture f;
  build(&f, dir.path());
  IndexReader r(f.path);
  EXPECT_EQ(r.version(), 2);
  EXPECT_EQ(r.labelNames(), (std::vector<std::string>{"__name__", "a", "code", "instance", "job"}));
  EXPECT_EQ(r.labelValues("job"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(r.labelValues("a"), (std::vector<std::string>{""}));
  EXPECT_TRUE(r.labelValues("nope").empty());

  auto all = r.postings("", "");
  ASSERT_EQ(all.size(), f.labels.size());
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i], f.refs[i]);
    if (i) {
      EXPECT_LT(all[i - 1], all[i]);
    }
    LabelSet ls;
    std::vector<IndexChunkMeta> chunks;
    ASSERT_TRUE(r.series(all[i], &ls, &chunks));
    EXPECT_EQ(ls, f.labels[i]);
    ASSERT_EQ(chunks.size(), f.in[i].chunks.size());
    for (size_t c = 0; c < chunks.size(); ++c) {
      EXPECT_EQ(chunks[c].min_time, f.in[i].chunks[c].min_time);
      EXPECT_EQ(chunks[c].max_time, f.in[i].chunks[c].max_time);
      EXPECT_EQ(chunks[c].ref, f.in[i].chunks[c].ref);
    }
  }
  // Postings by pair, checked against a scan of the series.
  for (const auto& [name, value] : std::vector<std::pair<std::string, std::string>>{
           {"job", "b"}, {"__name__", "up"}, {"code", "200"}, {"job", "zzz"}}) {
    std::vector<uint64_t> want;
    for (size_t i = 0; i < f.labels.size(); ++i)
      for (const auto& l : f.labels[i])
        if (l.first == name && l.second == value) want.push_back(f.refs[i]);
    EXPECT_EQ(r.postings(name, value), want) << name << "=" << value;
  }
}

TEST(Index, SeriesAreSixteenByteAlignedRefs) {
  TempDir dir;
  Fixture f;
  build(&f, dir.path());
  auto size = std::filesystem::file_size(f.path);
  for (uint32_t ref : f.refs) EXPECT_LT(uint64_t(ref) * 16, size);
}

TEST(Index, RejectsUnsortedSeries) {
  TempDir dir;
  LabelSet a = {{"x", "2"}}, b = {{"x", "1"}};
  std::vector<IndexSeriesInput> in = {{&a, {}}, {&b, {}}};
  EXPECT_THROW(writeIndexFile(dir.path() + "/index", in), std::invalid_argument);
}

TEST(Index, CorruptionIsDetected) {
  TempDir dir;
  Fixture f;
  build(&f, dir.path());
  // Flip a byte of the last series entry: its CRC no longer matches.
  uint64_t off = uint64_t(f.refs.back()) * 16 + 2;
  {
    std::fstream io(f.path, std::ios::in | std::ios::out | std::ios::binary);
    io.seekg(off);
    char c;
    io.get(c);
    io.seekp(off);
    io.put(char(c ^ 0x40));
  }
  IndexReader r(f.path);
  LabelSet ls;
  EXPECT_FALSE(r.series(f.refs.back(), &ls, nullptr));
  EXPECT_TRUE(r.series(f.refs.front(), &ls, nullptr));
  // A broken TOC makes the whole file unreadable, with the path in the message.
  auto size = std::filesystem::file_size(f.path);
  {
    std::fstream io(f.path, std::ios::in | std::ios::out | std::ios::binary);
    io.seekp(size - 10);
    io.put('\x55');
  }
  try {
    IndexReader bad(f.path);
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(f.path), std::string::npos);
  }
}

}  // namespace
}  // namespace strata::tsdb

namespace strata::tsdb {
namespace {

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Writes 3000 series through IndexWriter with the given pass bound; returns the path.
std::string writeWithBatch(const std::string& dir, size_t batch, IndexWriter::Stats* stats) {
  std::vector<LabelSet> ls;
  for (int i = 0; i < 3000; ++i)
    ls.push_back({{"__name__", "m" + std::to_string(i % 13)},
                  {"a", i % 5 ? "" : "x"},
                  {"i", std::to_string(i)},
                  {"job", "j" + std::to_string(i % 3)}});
  std::sort(ls.begin(), ls.end(),
            [](const LabelSet& a, const LabelSet& b) { return compareLabels(a, b) < 0; });
  std::set<std::string> syms;
  for (const auto& l : ls)
    for (const auto& [n, v] : l) syms.insert({n, v});
  std::string path = dir + "/index-" + std::to_string(batch);
  IndexWriter w(path, IndexWriterOptions{batch});
  for (const auto& s : syms) w.addSymbol(s);
  for (size_t i = 0; i < ls.size(); ++i)
    w.addSeries(ls[i], {{int64_t(i), int64_t(i) + 10, 8 + i * 32}});
  w.finish();
  *stats = w.stats();
  return path;
}

TEST(IndexWriter, PostingsPassesDoNotChangeTheBytes) {
  TempDir dir;
  IndexWriter::Stats one, small, tiny;
  std::string want = readFile(writeWithBatch(dir.path(), 1 << 20, &one));
  EXPECT_EQ(one.postings_passes, 2u);  // the all-series list, then every pair at once
  // 12,000 pairs in passes of at most 2 x 500; job=j0 (1000 series) takes a pass of its own.
  EXPECT_EQ(readFile(writeWithBatch(dir.path(), 500, &small)), want);
  EXPECT_GT(small.postings_passes, 12u);
  EXPECT_LE(small.peak_postings_entries, 1000u);
  // One entry per pass: every pair counted, then streamed.
  EXPECT_EQ(readFile(writeWithBatch(dir.path(), 1, &tiny)), want);
  EXPECT_LE(tiny.peak_postings_entries, 2u);
  // No spill files left behind.
  size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
    EXPECT_EQ(e.path().string().find(".tmp-"), std::string::npos) << e.path();
    ++files;
  }
  EXPECT_EQ(files, 3u);
  IndexReader r(dir.path() + "/index-1");
  EXPECT_EQ(r.postings("", "").size(), 3000u);
  EXPECT_EQ(r.postings("a", "x").size(), 600u);
}

TEST(IndexWriter, RejectsMisuse) {
  TempDir dir;
  {
    IndexWriter w(dir.path() + "/i1");
    w.addSymbol("b");
    EXPECT_THROW(w.addSymbol("a"), std::invalid_argument);
    EXPECT_THROW(w.addSymbol("b"), std::invalid_argument);
    EXPECT_THROW(w.addSeries({{"b", "c"}}, {}), std::invalid_argument);  // "c" not a symbol
  }
  IndexWriter w(dir.path() + "/i2");
  for (const char* s : {"1", "2", "x"}) w.addSymbol(s);
  w.addSeries({{"x", "2"}}, {});
  EXPECT_THROW(w.addSymbol("y"), std::invalid_argument);
  EXPECT_THROW(w.addSeries({{"x", "1"}}, {}), std::invalid_argument);
  EXPECT_THROW(w.addSeries({{"x", "2"}}, {}), std::invalid_argument);
}

}  // namespace
}  // namespace strata::tsdb
