// The Queryable through its C function table, as a query engine would use it.
#include "store_test_util.h"

namespace strata::block_store::testing {
namespace {

struct Read {
  std::vector<std::string> series;
  size_t samples = 0;
};

Read readSet(strata_series_set* set) {
  Read r;
  const strata_label* labels;
  size_t n;
  while (set->next(set, &labels, &n) == 1) {
    std::string s;
    prompb::appendSeries(s, labels, n);
    r.series.push_back(s);
    int64_t ts[7];
    double vs[7];
    long got;
    while ((got = set->read_samples(set, ts, vs, 7)) > 0) r.samples += static_cast<size_t>(got);
    EXPECT_EQ(got, 0) << set->last_error(set);
  }
  set->release(set);
  return r;
}

class QueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = tempDir("query");
    f_ = std::make_unique<StoreFixture>(dir_);
    store_ = f_->open();
    for (auto job : {"api", "db", "apigw"})
      for (auto zone : {"x", "y"}) {
        Labels l{{"__name__", "up"}, {"job", job}, {"zone", zone}};
        std::vector<Sample> s;
        for (int i = 0; i < 50; ++i) s.emplace_back(1000 * i, i);
        ASSERT_EQ(store_->consume(batchOf("t", l, s)), STRATA_OK);
      }
    ASSERT_EQ(store_->consume(batchOf("t", {{"__name__", "cpu"}, {"job", "api"}}, {{5, 1}})),
              STRATA_OK);
    ASSERT_EQ(store_->queryable(&q_), STRATA_OK);
  }
  void TearDown() override {
    store_->stop();
    std::filesystem::remove_all(dir_);
  }
  Read select(std::vector<strata_matcher> ms, int64_t lo = 0, int64_t hi = 1'000'000) {
    strata_series_set set{};
    EXPECT_EQ(q_.select(q_.self, sdk::str("t"), ms.data(), ms.size(), lo, hi, nullptr, &set),
              STRATA_OK);
    return readSet(&set);
  }
  static strata_matcher m(strata_match_type t, const char* n, const char* v) {
    return {static_cast<uint32_t>(t), sdk::str(n), sdk::str(v)};
  }
  std::string dir_;
  std::unique_ptr<StoreFixture> f_;
  std::unique_ptr<BlockStore> store_;
  strata_queryable q_{};
};

TEST_F(QueryTest, EqualityAndRegexAreAnchored) {
  auto r = select({m(STRATA_MATCH_EQ, "__name__", "up"), m(STRATA_MATCH_RE, "job", "api")});
  EXPECT_EQ(r.series,
            (std::vector<std::string>{"up{job=\"api\",zone=\"x\"}", "up{job=\"api\",zone=\"y\"}"}));
  EXPECT_EQ(r.samples, 100u);
  r = select({m(STRATA_MATCH_RE, "job", "api.*"), m(STRATA_MATCH_NEQ, "zone", "x")});
  EXPECT_EQ(r.series.size(), 3u);  // up api y, up apigw y, and cpu (no zone: kept by !=)
  r = select({m(STRATA_MATCH_RE, "job", "api.*"), m(STRATA_MATCH_NEQ, "zone", "x"),
              m(STRATA_MATCH_EQ, "__name__", "cpu")});
  EXPECT_EQ(r.series, (std::vector<std::string>{"cpu{job=\"api\"}"}));
  r = select({m(STRATA_MATCH_NRE, "job", "api|db")});
  EXPECT_EQ(r.series.size(), 2u);
}

TEST_F(QueryTest, TimeRangeIsInclusive) {
  auto r =
      select({m(STRATA_MATCH_EQ, "job", "db"), m(STRATA_MATCH_EQ, "zone", "x")}, 10'000, 20'000);
  EXPECT_EQ(r.samples, 11u);
}

TEST_F(QueryTest, BadRegexIsRejected) {
  strata_series_set set{};
  auto bad = m(STRATA_MATCH_RE, "job", "(");
  EXPECT_EQ(q_.select(q_.self, sdk::str("t"), &bad, 1, 0, 1, nullptr, &set), STRATA_REJECT);
  EXPECT_NE(f_->fake.lastError().find("regex"), std::string::npos);
}

TEST_F(QueryTest, LabelNamesAndValues) {
  strata_string_list list{};
  ASSERT_EQ(q_.label_names(q_.self, sdk::str("t"), nullptr, 0, 0, 1'000'000, &list), STRATA_OK);
  std::vector<std::string> names;
  for (size_t i = 0; i < list.count; ++i) names.emplace_back(sdk::view(list.items[i]));
  list.release(&list);
  EXPECT_EQ(names, (std::vector<std::string>{"__name__", "job", "zone"}));
  auto cpu = m(STRATA_MATCH_EQ, "__name__", "cpu");
  ASSERT_EQ(q_.label_values(q_.self, sdk::str("t"), sdk::str("job"), &cpu, 1, 0, 1'000'000, &list),
            STRATA_OK);
  ASSERT_EQ(list.count, 1u);
  EXPECT_EQ(sdk::view(list.items[0]), "api");
  list.release(&list);
  ASSERT_EQ(
      q_.label_values(q_.self, sdk::str("t"), sdk::str("job"), nullptr, 0, 0, 1'000'000, &list),
      STRATA_OK);
  EXPECT_EQ(list.count, 3u);
  list.release(&list);
}

TEST_F(QueryTest, LabelNamesAndValuesHonourTheTimeRange) {
  // up{job,zone} at 0..49 s and cpu{job="api"} at 5 ms are in the head; add a later series.
  ASSERT_EQ(store_->consume(batchOf("t", {{"__name__", "late"}, {"job", "batch"}, {"team", "b"}},
                                    {{900'000, 1}, {960'000, 2}})),
            STRATA_OK);
  auto list = [&](const char* name, std::vector<strata_matcher> ms, int64_t lo, int64_t hi) {
    strata_string_list l{};
    strata_status st =
        name ? q_.label_values(q_.self, sdk::str("t"), sdk::str(name), ms.data(), ms.size(), lo, hi,
                               &l)
             : q_.label_names(q_.self, sdk::str("t"), ms.data(), ms.size(), lo, hi, &l);
    EXPECT_EQ(st, STRATA_OK);
    std::vector<std::string> out;
    for (size_t i = 0; i < l.count; ++i) out.emplace_back(sdk::view(l.items[i]));
    l.release(&l);
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(list(nullptr, {}, 0, 1'000'000), (V{"__name__", "job", "team", "zone"}));
  EXPECT_EQ(list(nullptr, {}, 800'000, 1'000'000), (V{"__name__", "job", "team"}));
  EXPECT_EQ(list(nullptr, {}, 0, 4), (V{"__name__", "job", "zone"}));
  EXPECT_EQ(list(nullptr, {}, 100'000, 800'000), V{});      // inside the head, between series
  EXPECT_EQ(list(nullptr, {}, 2'000'000, 3'000'000), V{});  // after the head
  EXPECT_EQ(list("job", {}, 950'000, 2'000'000), V{"batch"});
  EXPECT_EQ(list("job", {}, 5, 5), (V{"api", "apigw", "db"}));  // cpu at 5, up at 0..49 s
  EXPECT_EQ(list("job", {}, 1, 4), (V{"api", "apigw", "db"}));  // up's chunk spans 1..4
  EXPECT_EQ(list("__name__", {}, 5, 5), (V{"cpu", "up"}));
  EXPECT_EQ(list("__name__", {}, 6, 999), V{"up"});
  EXPECT_EQ(list("zone", {}, 60'000, 899'999), V{});
  auto not_up = m(STRATA_MATCH_NEQ, "__name__", "up");
  EXPECT_EQ(list("job", {not_up}, 0, 1'000'000), (V{"api", "batch"}));
  EXPECT_EQ(list("job", {not_up}, 10, 1'000'000), V{"batch"});
  EXPECT_EQ(list(nullptr, {not_up}, 0, 10), (V{"__name__", "job"}));
  EXPECT_EQ(list(nullptr, {not_up}, 100, 200), V{});
}

}  // namespace
}  // namespace strata::block_store::testing
