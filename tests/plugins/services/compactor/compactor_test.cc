// The compactor over a filesystem bucket: output equality (every source sample in the output
// exactly once), the output's meta.json, replica dedup by vertical compaction, overlaps
// skipped without a halt, crash safety (a crash after the output upload before the marks, a
// partial output upload, an interrupted deletion: the next run converges, nothing lost or
// duplicated), corrupt sources marked no-compact, deletion after delete_delay.
#include <gtest/gtest.h>

#include <fstream>
#include <iostream>

#include "block_fixture.h"
#include "bucket/bucket_factory.h"
#include "bucket/bucket_layout.h"
#include "compact/cleaner.h"
#include "compact/compact_group.h"
#include "compact/marks.h"
#include "compactor_core.h"
#include "fake_host.h"

namespace strata::compactor {
namespace {

using namespace compact::testing;

const tsdb::LabelSet kA = {{"__name__", "up"}, {"job", "a"}};
const tsdb::LabelSet kB = {{"__name__", "up"}, {"job", "b"}};
const tsdb::LabelSet kC = {{"__name__", "load"}, {"job", "a"}};

int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

tsdb::BlockMeta metaOf(const std::string& dir) {
  return tsdb::metaFromJson(readFile(dir + "/meta.json"), dir);
}

// A bucket whose ranged reads fail with a Transient error while `failing` is set.
class FlakyBucket : public bucket::Bucket {
 public:
  explicit FlakyBucket(std::shared_ptr<bucket::Bucket> inner) : inner_(std::move(inner)) {}
  std::atomic<bool> failing{true};
  std::string describe() const override { return "flaky"; }
  std::vector<uint8_t> get(std::string_view n) override { return inner_->get(n); }
  std::vector<uint8_t> getRange(std::string_view n, uint64_t off, uint64_t len) override {
    if (failing)
      throw bucket::BucketError(bucket::ErrorKind::Transient, "get_range", std::string(n), "503");
    return inner_->getRange(n, off, len);
  }
  void put(std::string_view n, std::span<const uint8_t> d) override { inner_->put(n, d); }
  void uploadFile(std::string_view n, const std::string& p) override { inner_->uploadFile(n, p); }
  void list(std::string_view p, std::string_view d,
            const std::function<void(const std::string&)>& fn) override {
    inner_->list(p, d, fn);
  }
  bool exists(std::string_view n) override { return inner_->exists(n); }
  bucket::ObjectAttributes attributes(std::string_view n) override { return inner_->attributes(n); }
  void remove(std::string_view n) override { inner_->remove(n); }

 private:
  std::shared_ptr<bucket::Bucket> inner_;
};

// A bucket that "kills the process" (throws Crash, which no std::exception handler catches)
// at its n-th mutating operation (put, upload, remove), before doing it.
struct Crash {};
class CrashingBucket : public bucket::Bucket {
 public:
  CrashingBucket(std::shared_ptr<bucket::Bucket> inner, int crash_at)
      : inner_(std::move(inner)), left_(crash_at) {}
  std::string describe() const override { return "crashing"; }
  std::vector<uint8_t> get(std::string_view n) override { return inner_->get(n); }
  std::vector<uint8_t> getRange(std::string_view n, uint64_t off, uint64_t len) override {
    return inner_->getRange(n, off, len);
  }
  void put(std::string_view n, std::span<const uint8_t> d) override {
    tick();
    inner_->put(n, d);
  }
  void uploadFile(std::string_view n, const std::string& p) override {
    tick();
    inner_->uploadFile(n, p);
  }
  void list(std::string_view p, std::string_view d,
            const std::function<void(const std::string&)>& fn) override {
    inner_->list(p, d, fn);
  }
  bool exists(std::string_view n) override { return inner_->exists(n); }
  bucket::ObjectAttributes attributes(std::string_view n) override { return inner_->attributes(n); }
  void remove(std::string_view n) override {
    tick();
    inner_->remove(n);
  }

 private:
  void tick() {
    if (--left_ == 0) throw Crash{};
  }
  std::shared_ptr<bucket::Bucket> inner_;
  int left_;
};

class CompactorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.bucket.type = "filesystem";
    options_.bucket.config["directory"] = bucket_dir_.path();
    options_.delete_delay_ms = 0;
    options_.read_buffer_bytes = 64 << 10;
    bucket_ = bucket::makeBucket(options_.bucket);
  }
  std::unique_ptr<CompactorCore> core() {
    return std::make_unique<CompactorCore>(host_.host(), options_, bucket_, scratch_.path());
  }
  std::string path(const std::string& ulid) const { return bucket_dir_.path() + "/" + ulid; }
  double metric(const std::string& name) { return host_.metric(name); }

  // Five 2h blocks over [0, 10h), series coming and going, ten-second samples.
  std::vector<Data> writeFiveBlocks(std::map<std::string, std::string> ext = {}) {
    std::vector<Data> data;
    for (int i = 0; i < 5; ++i) {
      int64_t from = i * 2 * kHour, to = from + 2 * kHour;
      Data d = {{kA, samples(from, to, 10000)}};
      if (i % 2 == 0) d[kB] = samples(from, to, 30000, 5);
      if (i >= 2) d[kC] = samples(from + 1000, to, 60000, 9);
      writeBlock(bucket_dir_.path(), from, to, d, ext);
      data.push_back(std::move(d));
    }
    return data;
  }

  TempDir bucket_dir_, scratch_;
  strata::testing::FakeHost host_;
  CompactorOptions options_;
  std::shared_ptr<bucket::Bucket> bucket_;
};

TEST_F(CompactorTest, CompactsFourBlocksIntoOneEightHourBlockWithEverySampleOnce) {
  auto data = writeFiveBlocks({{"tenant_id", "t1"}, {"cluster", "c"}});
  auto before = liveBlocks(bucket_dir_.path());
  ASSERT_EQ(before.size(), 5u);
  auto c = core();
  ASSERT_TRUE(c->run(nowMs()));

  auto after = liveBlocks(bucket_dir_.path());
  ASSERT_EQ(after.size(), 2u);                             // the 8h block and the newest 2h block
  EXPECT_EQ(readLive(bucket_dir_.path()), unionOf(data));  // sorted, duplicates kept: each once
  tsdb::BlockMeta out;
  for (const auto& b : after)
    if (metaOf(path(b)).compaction_level == 2) out = metaOf(path(b));
  ASSERT_FALSE(out.ulid.empty());
  EXPECT_EQ(out.min_time, 0);
  EXPECT_EQ(out.max_time, 8 * kHour);
  EXPECT_EQ(out.compaction_sources,
            std::vector<std::string>(before.begin(), before.begin() + 4));  // ULIDs sort by time
  ASSERT_EQ(out.compaction_parents.size(), 4u);
  EXPECT_EQ(out.compaction_parents[1].ulid, before[1]);
  EXPECT_EQ(out.compaction_parents[1].min_time, 2 * kHour);
  EXPECT_EQ(out.thanos_source, "compactor");
  EXPECT_EQ(out.thanos_labels,
            (std::map<std::string, std::string>{{"tenant_id", "t1"}, {"cluster", "c"}}));
  EXPECT_EQ(out.num_series, 3u);
  // delete_delay 0: the sources are gone already.
  for (size_t i = 0; i < 4; ++i) EXPECT_FALSE(fs::exists(path(before[i]))) << before[i];
  EXPECT_EQ(metric("strata_compactor_runs_total"), 1);
  EXPECT_EQ(metric("strata_compactor_run_failures_total"), 0);
  EXPECT_EQ(metric("strata_compactor_groups_compacted_total"), 1);
  EXPECT_EQ(metric("strata_compactor_blocks_compacted_total"), 4);
  EXPECT_EQ(metric("strata_compactor_blocks_marked_for_deletion_total"), 4);
  EXPECT_EQ(metric("strata_compactor_blocks_deleted_total"), 4);
  EXPECT_EQ(metric("strata_compactor_backlog_groups"), 0);
  EXPECT_GT(metric("strata_compactor_last_successful_run_timestamp_seconds"), 0);

  // A second run has nothing to do.
  ASSERT_TRUE(c->run(nowMs()));
  EXPECT_EQ(liveBlocks(bucket_dir_.path()), after);
  EXPECT_EQ(metric("strata_compactor_groups_compacted_total"), 1);
}

TEST_F(CompactorTest, SourcesStayUntilDeleteDelay) {
  writeFiveBlocks();
  options_.delete_delay_ms = 3600'000;
  auto before = liveBlocks(bucket_dir_.path());
  auto c = core();
  ASSERT_TRUE(c->run(nowMs()));
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_TRUE(fs::exists(path(before[i]) + "/meta.json"));
    EXPECT_TRUE(fs::exists(path(before[i]) + "/deletion-mark.json"));
    std::string mark = readFile(path(before[i]) + "/deletion-mark.json");
    EXPECT_NE(mark.find("\"id\":\"" + before[i] + "\""), std::string::npos) << mark;
    EXPECT_NE(mark.find("\"version\":1"), std::string::npos) << mark;
  }
  EXPECT_EQ(metric("strata_compactor_blocks_deleted_total"), 0);
  ASSERT_TRUE(c->run(nowMs() + 3600'000));  // an hour later
  for (size_t i = 0; i < 4; ++i) EXPECT_FALSE(fs::exists(path(before[i])));
  EXPECT_EQ(metric("strata_compactor_blocks_deleted_total"), 4);
}

TEST_F(CompactorTest, LevelsCascade) {
  // 25 2h blocks over [0, 50h): six 8h blocks fill [0, 48h) and become one 2d block.
  std::vector<Data> data;
  for (int i = 0; i < 25; ++i) {
    int64_t from = i * 2 * kHour;
    Data d = {{kA, samples(from, from + 2 * kHour, 60000)}};
    writeBlock(bucket_dir_.path(), from, from + 2 * kHour, d);
    data.push_back(std::move(d));
  }
  ASSERT_TRUE(core()->run(nowMs()));
  int level3 = 0;
  for (const auto& b : liveBlocks(bucket_dir_.path())) {
    auto m = metaOf(path(b));
    if (m.compaction_level == 3) {
      ++level3;
      EXPECT_EQ(m.min_time, 0);
      EXPECT_EQ(m.max_time, 48 * kHour);
      EXPECT_EQ(m.compaction_sources.size(), 24u);
    }
  }
  EXPECT_EQ(level3, 1);
  EXPECT_EQ(liveBlocks(bucket_dir_.path()).size(), 2u);
  EXPECT_EQ(readLive(bucket_dir_.path()), unionOf(data));
  EXPECT_EQ(metric("strata_compactor_groups_compacted_total"), 7);
}

TEST_F(CompactorTest, ReplicasMergedByVerticalCompactionWithReplicaLabelDropped) {
  options_.vertical_compaction = true;
  options_.deduplication_replica_labels = {"replica"};
  // Two replicas scraping the same targets with offset timestamps, partly identical.
  Data r1 = {{kA, samples(0, 2 * kHour, 15000)}, {kB, samples(0, 2 * kHour, 15000, 1)}};
  Data r2 = {{kA, samples(0, 2 * kHour, 15000)}, {kC, samples(0, 2 * kHour, 60000, 2)}};
  for (auto& [t, v] : samples(5000, 2 * kHour, 15000, 3)) r2[kA].push_back({t, v});
  std::sort(r2[kA].begin(), r2[kA].end());
  writeBlock(bucket_dir_.path(), 0, 2 * kHour, r1, {{"cluster", "c"}, {"replica", "0"}});
  writeBlock(bucket_dir_.path(), 0, 2 * kHour, r2, {{"cluster", "c"}, {"replica", "1"}});
  ASSERT_TRUE(core()->run(nowMs()));
  auto live = liveBlocks(bucket_dir_.path());
  ASSERT_EQ(live.size(), 1u);
  auto m = metaOf(path(live[0]));
  EXPECT_EQ(m.thanos_labels, (std::map<std::string, std::string>{{"cluster", "c"}}));
  EXPECT_EQ(m.compaction_level, 2);
  Data got = readBlock(path(live[0]));
  EXPECT_EQ(got, unionOf({r1, r2}));  // one sample per timestamp
  EXPECT_EQ(got[kA].size(), 2 * samples(0, 2 * kHour, 15000).size());
  EXPECT_EQ(metric("strata_compactor_overlaps_total"), 0);
}

TEST_F(CompactorTest, OverlapSkippedAndReportedWithoutVerticalCompaction) {
  // Stream 1: two overlapping blocks; stream 2 (another tenant): compactable.
  writeBlock(bucket_dir_.path(), 0, 2 * kHour, {{kA, samples(0, 2 * kHour, 60000)}},
             {{"tenant_id", "x"}});
  writeBlock(bucket_dir_.path(), kHour, 3 * kHour, {{kA, samples(kHour, 3 * kHour, 60000)}},
             {{"tenant_id", "x"}});
  auto data = writeFiveBlocks({{"tenant_id", "y"}});
  auto c = core();
  ASSERT_TRUE(c->run(nowMs()));  // not a failure of the run
  EXPECT_EQ(metric("strata_compactor_overlaps_total"), 1);
  EXPECT_EQ(metric("strata_compactor_groups_compacted_total"), 1);
  EXPECT_EQ(liveBlocks(bucket_dir_.path()).size(), 4u);
  bool logged = false;
  for (const auto& l : host_.logs()) logged = logged || l.find("overlapping") != std::string::npos;
  EXPECT_TRUE(logged);
  ASSERT_TRUE(c->run(nowMs()));  // counted again at each run that finds it
  EXPECT_EQ(metric("strata_compactor_overlaps_total"), 2);
}

TEST_F(CompactorTest, CrashAfterOutputUploadBeforeMarksConverges) {
  auto data = writeFiveBlocks();
  auto before = liveBlocks(bucket_dir_.path());
  // A run that died right after uploading the output's meta.json: no source marked.
  std::vector<tsdb::BlockMeta> group;
  for (size_t i = 0; i < 4; ++i) group.push_back(metaOf(path(before[i])));
  compact::CompactOptions copts;
  copts.scratch_dir = scratch_.path();
  auto out = compact::compactGroup(bucket_, group, compact::streamKeyOf(group[0], {}), copts);
  // One source already marked (the crash came part-way through the marks).
  compact::markForDeletion(*bucket_, before[0], nowMs() / 1000);
  ASSERT_EQ(liveBlocks(bucket_dir_.path()).size(), 5u);  // 3 sources + output + newest

  ASSERT_TRUE(core()->run(nowMs()));
  EXPECT_EQ(metric("strata_compactor_groups_compacted_total"), 0);  // not compacted twice
  EXPECT_EQ(metric("strata_compactor_blocks_marked_for_deletion_total"), 3);
  auto live = liveBlocks(bucket_dir_.path());
  ASSERT_EQ(live.size(), 2u);
  EXPECT_TRUE(std::count(live.begin(), live.end(), out.meta.ulid));
  EXPECT_EQ(readLive(bucket_dir_.path()), unionOf(data));
  for (size_t i = 0; i < 4; ++i) EXPECT_FALSE(fs::exists(path(before[i])));
}

TEST_F(CompactorTest, SameCompactionUploadedTwiceKeepsOne) {
  auto data = writeFiveBlocks();
  auto before = liveBlocks(bucket_dir_.path());
  std::vector<tsdb::BlockMeta> group;
  for (size_t i = 0; i < 4; ++i) group.push_back(metaOf(path(before[i])));
  compact::CompactOptions copts;
  copts.scratch_dir = scratch_.path();
  auto key = compact::streamKeyOf(group[0], {});
  auto first = compact::compactGroup(bucket_, group, key, copts);
  auto second = compact::compactGroup(bucket_, group, key, copts);
  ASSERT_TRUE(core()->run(nowMs()));
  auto live = liveBlocks(bucket_dir_.path());
  ASSERT_EQ(live.size(), 2u);
  EXPECT_TRUE(std::count(live.begin(), live.end(), std::min(first.meta.ulid, second.meta.ulid)));
  EXPECT_EQ(readLive(bucket_dir_.path()), unionOf(data));
}

TEST_F(CompactorTest, PartialOutputUploadIsIgnoredThenDeleted) {
  auto data = writeFiveBlocks();
  auto before = liveBlocks(bucket_dir_.path());
  // A run that died part-way through uploading its output: index and chunks, no meta.json.
  std::vector<tsdb::BlockMeta> group;
  for (size_t i = 0; i < 4; ++i) group.push_back(metaOf(path(before[i])));
  compact::CompactOptions copts;
  copts.scratch_dir = scratch_.path();
  auto out = compact::compactGroup(bucket_, group, compact::streamKeyOf(group[0], {}), copts);
  bucket_->remove(bucket::blockMetaName(out.meta.ulid));
  ASSERT_TRUE(fs::exists(path(out.meta.ulid) + "/index"));

  options_.partial_block_delete_delay_ms = 3600'000;
  auto c = core();
  ASSERT_TRUE(c->run(nowMs()));  // compacts again; the partial block is too young to delete
  EXPECT_EQ(metric("strata_compactor_groups_compacted_total"), 1);
  EXPECT_TRUE(fs::exists(path(out.meta.ulid) + "/index"));
  EXPECT_EQ(readLive(bucket_dir_.path()), unionOf(data));
  ASSERT_TRUE(c->run(nowMs() + 2 * 3600'000));
  EXPECT_FALSE(fs::exists(path(out.meta.ulid)));
  EXPECT_EQ(metric("strata_compactor_partial_blocks_deleted_total"), 1);
  EXPECT_EQ(readLive(bucket_dir_.path()), unionOf(data));
}

TEST_F(CompactorTest, InterruptedDeletionIsFinished) {
  auto data = writeFiveBlocks();
  options_.delete_delay_ms = 3600'000;
  auto before = liveBlocks(bucket_dir_.path());
  ASSERT_TRUE(core()->run(nowMs()));
  // A deletion killed after meta.json went: the block is partial and marked.
  bucket_->remove(bucket::blockMetaName(before[0]));
  options_.delete_delay_ms = 3600'000 * 24;
  ASSERT_TRUE(core()->run(nowMs()));
  EXPECT_FALSE(fs::exists(path(before[0])));
  EXPECT_TRUE(fs::exists(path(before[1]) + "/meta.json"));  // marked, not due yet
  EXPECT_EQ(readLive(bucket_dir_.path()), unionOf(data));
}

TEST_F(CompactorTest, CorruptSourceMarkedNoCompactAndTheRestCompacted) {
  auto data = writeFiveBlocks();
  auto before = liveBlocks(bucket_dir_.path());
  {  // Garbage over the index's table of contents.
    std::string index = path(before[1]) + "/index";
    auto size = fs::file_size(index);
    std::fstream f(index, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(std::streamoff(size - 40));
    f.write("0123456789012345678901234567890123456789", 40);
  }
  ASSERT_TRUE(core()->run(nowMs()));
  EXPECT_EQ(metric("strata_compactor_blocks_marked_no_compact_total"), 1);
  std::string mark = readFile(path(before[1]) + "/no-compact-mark.json");
  EXPECT_NE(mark.find("\"reason\":\"block-unreadable\""), std::string::npos) << mark;
  EXPECT_NE(mark.find("\"id\":\"" + before[1] + "\""), std::string::npos) << mark;
  EXPECT_NE(mark.find("\"no_compact_time\":"), std::string::npos) << mark;
  EXPECT_NE(mark.find("\"details\":"), std::string::npos) << mark;
  // The others of [0, 8h) were compacted without it.
  EXPECT_EQ(metric("strata_compactor_groups_compacted_total"), 1);
  EXPECT_EQ(metric("strata_compactor_blocks_compacted_total"), 3);
  auto live = liveBlocks(bucket_dir_.path());
  EXPECT_EQ(live.size(), 3u);  // output, the corrupt block, the newest
  EXPECT_TRUE(std::count(live.begin(), live.end(), before[1]));
  // Every sample except the corrupt block's, once.
  std::vector<Data> got;
  for (const auto& b : live)
    if (b != before[1]) got.push_back(readBlock(path(b)));
  Data merged;
  for (const auto& d : got)
    for (const auto& [labels, s] : d)
      merged[labels].insert(merged[labels].end(), s.begin(), s.end());
  for (auto& [labels, s] : merged) std::sort(s.begin(), s.end());
  EXPECT_EQ(merged, unionOf({data[0], data[2], data[3], data[4]}));
  // The next run leaves it alone.
  ASSERT_TRUE(core()->run(nowMs()));
  EXPECT_EQ(metric("strata_compactor_blocks_marked_no_compact_total"), 1);
}

TEST_F(CompactorTest, BucketStateSeparatesPartialMarkedAndNoCompact) {
  writeFiveBlocks();
  auto b = liveBlocks(bucket_dir_.path());
  compact::markForDeletion(*bucket_, b[0], 100);
  compact::markNoCompact(*bucket_, b[1], "manual", "test", 100);
  bucket_->remove(bucket::blockMetaName(b[2]));
  bucket_->put("debug/metas/x.json", std::string("{}"));
  auto st = compact::syncBucket(*bucket_);
  EXPECT_EQ(st.blocks.size(), 3u);  // b1, b3, b4
  EXPECT_EQ(st.no_compact, (std::set<std::string>{b[1]}));
  EXPECT_EQ(st.deletion_marked.at(b[0]), 100);
  ASSERT_EQ(st.partial.size(), 1u);
  EXPECT_EQ(st.partial[0].ulid, b[2]);
  EXPECT_FALSE(st.partial[0].deletion_marked);
}

TEST_F(CompactorTest, TransientBucketErrorsFailTheRunNotTheBlock) {
  auto data = writeFiveBlocks();
  auto flaky = std::make_shared<FlakyBucket>(bucket_);
  bucket_ = flaky;
  auto c = core();
  EXPECT_FALSE(c->run(nowMs()));
  EXPECT_EQ(metric("strata_compactor_run_failures_total"), 1);
  EXPECT_EQ(metric("strata_compactor_group_failures_total"), 1);
  EXPECT_EQ(metric("strata_compactor_blocks_marked_no_compact_total"), 0);
  EXPECT_EQ(metric("strata_compactor_last_successful_run_timestamp_seconds"), 0);
  EXPECT_EQ(liveBlocks(bucket_dir_.path()).size(), 5u);
  for (const auto& b : liveBlocks(bucket_dir_.path()))
    EXPECT_FALSE(fs::exists(path(b) + "/no-compact-mark.json"));
  flaky->failing = false;  // the bucket recovers: the next run compacts
  EXPECT_TRUE(c->run(nowMs()));
  EXPECT_EQ(metric("strata_compactor_groups_compacted_total"), 1);
  EXPECT_EQ(readLive(bucket_dir_.path()), unionOf(data));
}

TEST_F(CompactorTest, KilledAtEveryBucketWriteTheNextRunConverges) {
  // Nine 2h blocks: two 8h groups, marks and deletions (delete_delay 0): every mutating
  // bucket operation of a run is a crash point. After the crash a clean run (partial blocks
  // deleted at once) must leave the same bucket as an uninterrupted run: three blocks, every
  // sample once.
  options_.partial_block_delete_delay_ms = 0;
  TempDir original;  // written once, copied for every crash point
  std::vector<Data> data;
  for (int i = 0; i < 9; ++i) {
    int64_t from = i * 2 * kHour;
    Data d = {{kA, samples(from, from + 2 * kHour, 60000)}};
    if (i % 3 == 0) d[kB] = samples(from, from + 2 * kHour, 120000, 1);
    writeBlock(original.path(), from, from + 2 * kHour, d);
    data.push_back(std::move(d));
  }
  int crash_points = 0;
  for (int n = 1;; ++n) {
    TempDir dir, scratch;
    fs::copy(original.path(), dir.path(), fs::copy_options::recursive);
    options_.bucket.config["directory"] = dir.path();
    std::shared_ptr<bucket::Bucket> real = bucket::makeBucket(options_.bucket);
    bool crashed = false;
    try {
      CompactorCore(host_.host(), options_, std::make_shared<CrashingBucket>(real, n),
                    scratch.path())
          .run(nowMs());
    } catch (const Crash&) {
      crashed = true;
    }
    CompactorCore clean(host_.host(), options_, real, scratch.path());
    ASSERT_TRUE(clean.run(nowMs())) << "crash point " << n;
    ASSERT_TRUE(clean.run(nowMs())) << "crash point " << n;
    EXPECT_EQ(liveBlocks(dir.path()).size(), 3u) << "crash point " << n;
    EXPECT_EQ(readLive(dir.path()), unionOf(data)) << "crash point " << n;
    size_t dirs = 0;
    for (const auto& e : fs::directory_iterator(dir.path())) dirs += e.is_directory();
    EXPECT_EQ(dirs, 3u) << "crash point " << n << ": leftovers in the bucket";
    if (!crashed) break;
    ++crash_points;
  }
  EXPECT_GT(crash_points, 20) << crash_points;  // uploads, meta.json, marks, deletions
  std::cout << "   crash points: " << crash_points << "\n";
}

TEST_F(CompactorTest, ScratchLeftoversOfACrashRemovedNothingElse) {
  fs::create_directories(scratch_.path() + "/01HZZZZZZZZZZZZZZZZZZZZZZZ.tmp/chunks");
  fs::create_directories(scratch_.path() + "/01HYYYYYYYYYYYYYYYYYYYYYYY");
  std::ofstream(scratch_.path() + "/notes.txt") << "mine";
  ASSERT_TRUE(core()->run(nowMs()));
  EXPECT_FALSE(fs::exists(scratch_.path() + "/01HZZZZZZZZZZZZZZZZZZZZZZZ.tmp"));
  EXPECT_FALSE(fs::exists(scratch_.path() + "/01HYYYYYYYYYYYYYYYYYYYYYYY"));
  EXPECT_TRUE(fs::exists(scratch_.path() + "/notes.txt"));
}

}  // namespace
}  // namespace strata::compactor
