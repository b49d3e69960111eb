#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

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
