// /api/v1/series, labels, label values, metadata, buildinfo, format_query and /federate.
#include "api_fixture.h"

namespace strata::testing {
namespace {

class MetadataApiTest : public ApiFixture {};

TEST_F(MetadataApiTest, SeriesNeedsMatchAndReturnsLabelSets) {
  auto r = get("/api/v1/series");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body,
            R"({"status":"error","errorType":"bad_data","error":"no match[] parameter provided"})");
  r = get("/api/v1/series", "match%5B%5D=up%7Bjob%3D~%22a%7Cb%22%7D&start=0&end=100");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"status":"success","data":[{"__name__":"up","instance":"x","job":"a"},)"
                    R"({"__name__":"up","instance":"y","job":"b"}]})");
  r = get("/api/v1/series", "match%5B%5D=nothing");
  EXPECT_EQ(r.body, R"({"status":"success","data":[]})");
  r = get("/api/v1/series", "match%5B%5D=sum(up)");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find(R"(invalid parameter \"match[]\")"), std::string::npos) << r.body;
}

TEST_F(MetadataApiTest, LabelsAndValues) {
  EXPECT_EQ(get("/api/v1/labels").body,
            R"({"status":"success","data":["__name__","instance","job"]})");
  EXPECT_EQ(get("/api/v1/label/job/values").body, R"({"status":"success","data":["a","b"]})");
  EXPECT_EQ(get("/api/v1/label/job/values", "match%5B%5D=up%7Binstance%3D%22y%22%7D").body,
            R"({"status":"success","data":["b"]})");
  EXPECT_EQ(get("/api/v1/label/nope/values").body, R"({"status":"success","data":[]})");
  auto r = get("/api/v1/label/1bad/values");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find(R"(invalid label name: \"1bad\")"), std::string::npos) << r.body;
  HttpCall c;
  c.path = "/api/v1/label/__name__/values";
  c.headers = {{"THANOS-TENANT", "other"}};
  EXPECT_EQ(host_.request(c).body, R"({"status":"success","data":["other_metric"]})");
}

TEST_F(MetadataApiTest, MetadataEmptyAndBuildInfo) {
  EXPECT_EQ(get("/api/v1/metadata").body, R"({"status":"success","data":{}})");
  auto r = get("/api/v1/status/buildinfo");
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find(R"("version":)"), std::string::npos);
}

TEST_F(MetadataApiTest, MetadataShapeAndParameters) {
  mem_.addMetadata("default-tenant", {"up", STRATA_FAMILY_GAUGE, "1 if the target is up.", ""});
  mem_.addMetadata("default-tenant",
                   {"a_seconds_total", STRATA_FAMILY_COUNTER, "A \"q\" <b>.", "seconds"});
  mem_.addMetadata("other", {"other_metric", STRATA_FAMILY_UNKNOWN, "", ""});
  EXPECT_EQ(
      get("/api/v1/metadata").body,
      R"({"status":"success","data":{)"
      R"("a_seconds_total":[{"type":"counter","help":"A \"q\" \u003cb\u003e.","unit":"seconds"}],)"
      R"("up":[{"type":"gauge","help":"1 if the target is up.","unit":""}]}})");
  EXPECT_EQ(
      get("/api/v1/metadata", "metric=up").body,
      R"({"status":"success","data":{"up":[{"type":"gauge","help":"1 if the target is up.","unit":""}]}})");
  EXPECT_EQ(get("/api/v1/metadata", "metric=nope").body, R"({"status":"success","data":{}})");
  EXPECT_EQ(
      get("/api/v1/metadata", "limit=1").body,
      R"({"status":"success","data":{"a_seconds_total":[{"type":"counter","help":"A \"q\" \u003cb\u003e.","unit":"seconds"}]}})");
  EXPECT_EQ(get("/api/v1/metadata", "limit=0").body, R"({"status":"success","data":{}})");
  EXPECT_EQ(get("/api/v1/metadata", "limit=-1").body, get("/api/v1/metadata").body);
  auto bad = get("/api/v1/metadata", "limit=x");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.body,
            R"({"status":"error","errorType":"bad_data","error":"limit must be a number"})");
  EXPECT_EQ(get("/api/v1/metadata", "limit_per_metric=z").status, 400);

  // The tenant comes from the same header as queries.
  HttpCall c;
  c.path = "/api/v1/metadata";
  c.headers = {{"THANOS-TENANT", "other"}};
  EXPECT_EQ(
      host_.request(c).body,
      R"({"status":"success","data":{"other_metric":[{"type":"unknown","help":"","unit":""}]}})");
}

TEST_F(MetadataApiTest, MetadataUnionOverSources) {
  MemoryQueryable second, old;
  second.addMetadata("default-tenant", {"up", STRATA_FAMILY_GAUGE, "Other help.", ""});
  second.addMetadata("default-tenant", {"up", STRATA_FAMILY_GAUGE, "1 if up.", ""});
  second.addMetadata("default-tenant", {"z", STRATA_FAMILY_HISTOGRAM, "Z.", ""});
  old.addMetadata("default-tenant", {"never", STRATA_FAMILY_GAUGE, "1.0 plugin.", ""});
  old.withoutMetadataSlot();
  mem_.addMetadata("default-tenant", {"up", STRATA_FAMILY_GAUGE, "1 if up.", ""});
  host_.addQueryable("second", second.queryable());
  host_.addQueryable("old", old.queryable());
  start({"block_store", "second", "old"});
  ASSERT_EQ(start_status_, STRATA_OK);
  EXPECT_EQ(get("/api/v1/metadata").body,
            R"({"status":"success","data":{"up":[{"type":"gauge","help":"1 if up.","unit":""},)"
            R"({"type":"gauge","help":"Other help.","unit":""}],)"
            R"("z":[{"type":"histogram","help":"Z.","unit":""}]}})");
  EXPECT_EQ(get("/api/v1/metadata", "limit_per_metric=1&limit=1").body,
            R"({"status":"success","data":{"up":[{"type":"gauge","help":"1 if up.","unit":""}]}})");
}

TEST_F(MetadataApiTest, FormatQuery) {
  auto fmt = [&](const std::string& q) {
    auto r = get("/api/v1/format_query", "query=" + q);
    return r.body;
  };
  EXPECT_EQ(
      fmt("sum%20by(job)(rate(up%7Bjob%3D%22a%22%2Cinstance!%3D%22%22%7D%5B5m%5D%20offset%201m))"),
      R"x({"status":"success","data":"sum by (job) (rate(up{instance!=\"\",job=\"a\"}[5m] offset 1m))"})x");
  EXPECT_EQ(fmt("a%2Bon(x)group_left(y)%20b%20%3E%20bool%201e6"),
            R"({"status":"success","data":"a + on (x) group_left (y) b \u003e bool 1e+06"})");
  EXPECT_EQ(fmt("topk(3%2C%20max_over_time(x%5B1h%3A5m%5D%20%40%20100))"),
            R"x({"status":"success","data":"topk(3, max_over_time(x[1h:5m] @ 100.000))"})x");
  auto r = get("/api/v1/format_query", "query=foo(");
  EXPECT_EQ(r.status, 400);
}

TEST_F(MetadataApiTest, FormatQuerySplitsLongExpressions) {
  // Prometheus 2.42's reply for this query: over 100 characters, the binary expression splits.
  auto r = get("/api/v1/format_query",
               "query=sum%20by%20(job)%20(rate(http_requests_total%7Bjob%3D%22api-server%22%2C"
               "handler%3D%22%2Fapi%2Fv1%2Fquery%22%7D%5B5m%5D))%20%2F%20on%20(job)%20group_left%20"
               "sum%20by%20(job)%20(rate(http_requests_total%5B5m%5D))");
  EXPECT_EQ(
      r.body,
      R"x({"status":"success","data":"  sum by (job) (rate(http_requests_total{handler=\"/api/v1/query\",job=\"api-server\"}[5m]))\n/ on (job) group_left ()\n  sum by (job) (rate(http_requests_total[5m]))"})x");
}

TEST_F(MetadataApiTest, FederateTextFormat) {
  // now is far beyond the samples: nothing within the lookback.
  auto r = get("/federate", "match%5B%5D=up");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "");
  r = get("/federate");
  EXPECT_EQ(r.status, 400);
  auto& t = mem_.tenant("default-tenant");
  auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  t.append(promql::Labels{{"__name__", "fresh"}, {"k", "v\"q"}}, now - 1000, 1234567);
  r = get("/federate", "match%5B%5D=fresh");
  EXPECT_EQ(r.body, "# TYPE fresh untyped\nfresh{k=\"v\\\"q\"} 1.234567e+06 " +
                        std::to_string(now - 1000) + "\n");
}

}  // namespace
}  // namespace strata::testing
