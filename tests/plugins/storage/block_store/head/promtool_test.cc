// Blocks cut by the store pass promtool: `tsdb list` and `tsdb analyze` accept them, and
// `tsdb dump` prints exactly the ingested samples. Label `integration` (runs promtool).
#include <cstdio>
#include <set>
#include <sstream>

#include "store_test_util.h"

namespace strata::block_store::testing {
namespace {

namespace fs = std::filesystem;

std::string run(const std::string& cmd, int* rc) {
  std::string out;
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  if (!p) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  *rc = pclose(p);
  return out;
}

TEST(Promtool, AcceptsOurBlocksAndDumpsExactlyTheIngestedSamples) {
  auto dir = tempDir("promtool");
  StoreFixture f(dir);
  f.set("block_duration", 120'000);
  auto store = f.open();
  // 12 series x 10 minutes at 15s, counters and gauges with decimals, plus a NaN marker.
  std::multiset<std::string> expected;
  sdk::BatchBuilder b("acme");
  for (int s = 0; s < 12; ++s) {
    b.beginSeries({{"__name__", s % 2 ? "http_requests_total" : "temperature"},
                   {"instance", "host-" + std::to_string(s)}});
    for (int64_t t = 1'700'000'040'000; t < 1'700'000'040'000 + 600'000; t += 15'000) {
      double v = s % 2 ? double((t / 15'000) % 1000) * 3 : 20.25 + (t / 15'000 % 7) * 0.1;
      b.addSample(t, v);
    }
  }
  ASSERT_EQ(store->consume(b.finish()), STRATA_OK);
  store->cutBlocks();
  auto db = store->tenant("acme", false);
  auto blocks = db->blocks.snapshot();
  ASSERT_GE(blocks.size(), 3u);
  // What promtool must print: every sample of the blocks' ranges, from our own head copy.
  int64_t lo = blocks.front()->reader->meta().min_time;
  int64_t hi = blocks.back()->reader->meta().max_time;
  std::string ours = dumpLines(*store, "acme", {}, lo, hi - 1);
  store->stop();
  fs::create_directories(fs::path(dir) / "acme" / "wal");  // promtool wants a wal dir
  int rc = 0;
  std::string list = run("promtool tsdb list " + dir + "/acme", &rc);
  ASSERT_EQ(rc, 0) << list;
  for (const auto& blk : blocks)
    EXPECT_NE(list.find(fs::path(blk->dir).filename().string()), std::string::npos) << list;
  for (const auto& blk : blocks) {
    std::string analyze = run(
        "promtool tsdb analyze " + dir + "/acme " + fs::path(blk->dir).filename().string(), &rc);
    EXPECT_EQ(rc, 0) << analyze;
  }
  std::string dump = run("promtool tsdb dump " + dir + "/acme", &rc);
  ASSERT_EQ(rc, 0) << dump;
  // promtool prints `{__name__="x", instance="y"} VALUE TS`; ours is `x{instance="y"} VALUE TS`.
  std::multiset<std::string> got, want;
  std::istringstream in(dump);
  std::string line;
  while (std::getline(in, line)) {
    auto close = line.find("} ");
    if (line.empty() || line[0] != '{' || close == std::string::npos) continue;
    std::string labels = line.substr(1, close - 1), rest = line.substr(close + 2);
    std::string name, others;
    std::istringstream ls(labels);
    std::string part;
    while (std::getline(ls, part, ',')) {
      if (!part.empty() && part[0] == ' ') part.erase(0, 1);
      if (part.rfind("__name__=", 0) == 0)
        name = part.substr(10, part.size() - 11);
      else
        others += (others.empty() ? "" : ",") + part;
    }
    double v = std::stod(rest.substr(0, rest.find(' ')));
    std::string canon = name + (others.empty() ? "" : "{" + others + "}") + " ";
    prompb::appendValue(canon, v);
    canon += rest.substr(rest.find(' '));
    got.insert(canon);
  }
  std::istringstream os(ours);
  while (std::getline(os, line)) want.insert(line);
  EXPECT_EQ(want.size(), 12u * 32);  // 3 blocks of 2m at 15s, or more
  EXPECT_EQ(got.size(), want.size());
  EXPECT_TRUE(got == want) << "promtool dump differs; first lines:\n" << dump.substr(0, 400);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace strata::block_store::testing
