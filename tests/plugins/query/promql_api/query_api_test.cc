// /api/v1/query and /api/v1/query_range: JSON shapes, errors and their status codes.
#include "api_fixture.h"

namespace strata::testing {
namespace {

constexpr const char* kUpA = R"({"__name__":"up","instance":"x","job":"a"})";
constexpr const char* kUpB = R"({"__name__":"up","instance":"y","job":"b"})";

class QueryApiTest : public ApiFixture {};

TEST_F(QueryApiTest, InstantVectorShape) {
  auto r = get("/api/v1/query", "query=up&time=30");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(r.body, std::string(R"({"status":"success","data":{"resultType":"vector","result":[)") +
                        R"({"metric":)" + kUpA + R"(,"value":[30,"3"]},{"metric":)" + kUpB +
                        R"(,"value":[30,"20"]}]}})");
}

TEST_F(QueryApiTest, ScalarStringAndMatrixShapes) {
  EXPECT_EQ(get("/api/v1/query", "query=1.5&time=2.25").body,
            R"({"status":"success","data":{"resultType":"scalar","result":[2.250,"1.5"]}})");
  EXPECT_EQ(get("/api/v1/query", "query=%22a%5C%5Cb%22&time=1").body,
            R"({"status":"success","data":{"resultType":"string","result":[1,"a\\b"]}})");
  auto r = get("/api/v1/query", "query=up%7Bjob%3D%22a%22%7D%5B20s%5D&time=30");
  EXPECT_EQ(r.body, std::string(R"({"status":"success","data":{"resultType":"matrix","result":[)") +
                        R"({"metric":)" + kUpA + R"(,"values":[[15,"2"],[30,"3"]]}]}})");
}

TEST_F(QueryApiTest, SpecialValuesAndNegativeTimes) {
  EXPECT_EQ(get("/api/v1/query", "query=1%2F0&time=-1.5").body,
            R"({"status":"success","data":{"resultType":"scalar","result":[-1.500,"+Inf"]}})");
  EXPECT_EQ(get("/api/v1/query", "query=-1%2F0&time=0").body,
            R"({"status":"success","data":{"resultType":"scalar","result":[0,"-Inf"]}})");
  EXPECT_EQ(get("/api/v1/query", "query=0%2F0&time=0.001").body,
            R"({"status":"success","data":{"resultType":"scalar","result":[0.001,"NaN"]}})");
  EXPECT_EQ(
      get("/api/v1/query", "query=0.1%2B0.2&time=0").body,
      R"({"status":"success","data":{"resultType":"scalar","result":[0,"0.30000000000000004"]}})");
}

TEST_F(QueryApiTest, RangeQueryMatrix) {
  auto r = get("/api/v1/query_range", "query=up&start=0&end=30&step=15s");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, std::string(R"({"status":"success","data":{"resultType":"matrix","result":[)") +
                        R"({"metric":)" + kUpA + R"(,"values":[[0,"1"],[15,"2"],[30,"3"]]},)" +
                        R"({"metric":)" + kUpB + R"(,"values":[[0,"10"],[15,"10"],[30,"20"]]}]}})");
  // A float step and RFC 3339 bounds give the same answer.
  auto same = get("/api/v1/query_range",
                  "query=up&start=1970-01-01T00:00:00Z&end=1970-01-01T00:00:30.000Z&step=15");
  EXPECT_EQ(same.body, r.body);
}

TEST_F(QueryApiTest, ParseErrorIsBadData) {
  auto r = get("/api/v1/query", "query=sum(");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(
      r.body.rfind(
          R"({"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": 1:5: parse error:)",
          0),
      0u)
      << r.body;
}

TEST_F(QueryApiTest, BadTimeParameters) {
  auto r = get("/api/v1/query", "query=up&time=abc");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(
      r.body,
      R"({"status":"error","errorType":"bad_data","error":"invalid parameter \"time\": cannot parse \"abc\" to a valid timestamp"})");
  r = get("/api/v1/query_range", "query=up&start=10&end=5&step=1");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("end timestamp must not be before start time"), std::string::npos);
  r = get("/api/v1/query_range", "query=up&start=0&end=5&step=0");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("zero or negative query resolution step"), std::string::npos);
  r = get("/api/v1/query_range", "query=up&start=0&end=100000&step=1");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("exceeded maximum resolution of 11,000 points"), std::string::npos);
  r = get("/api/v1/query_range", "query=up&start=0&end=5&step=xyz");
  EXPECT_NE(r.body.find(R"(invalid parameter \"step\": cannot parse \"xyz\" to a valid duration)"),
            std::string::npos)
      << r.body;
  r = get("/api/v1/query_range", "query=up%5B1m%5D&start=0&end=5&step=1");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("invalid expression type \\\"range vector\\\" for range query"),
            std::string::npos)
      << r.body;
}

TEST_F(QueryApiTest, ExecutionLimitIsUnprocessable) {
  start({"block_store"}, {{"max_samples", 1}});
  ASSERT_EQ(start_status_, STRATA_OK);
  auto r = get("/api/v1/query", "query=sum(up)&time=30");
  EXPECT_EQ(r.status, 422);
  EXPECT_NE(r.body.find(R"("errorType":"execution")"), std::string::npos) << r.body;
}

TEST_F(QueryApiTest, StorageFailureIsInternal) {
  mem_.setFailing(true);
  auto r = get("/api/v1/query", "query=up&time=30");
  EXPECT_EQ(r.status, 500);
  EXPECT_NE(r.body.find(R"("errorType":"internal")"), std::string::npos) << r.body;
}

TEST_F(QueryApiTest, PostFormEqualsGet) {
  HttpCall c;
  c.method = "POST";
  c.path = "/api/v1/query";
  c.body = "query=sum+by+%28job%29+%28up%29&time=30";
  c.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  auto post = host_.request(c);
  EXPECT_EQ(post.status, 200);
  EXPECT_EQ(post.body, get("/api/v1/query", c.body).body);
  EXPECT_NE(post.body.find(R"({"metric":{"job":"b"},"value":[30,"20"]})"), std::string::npos)
      << post.body;
}

TEST_F(QueryApiTest, TenantHeaderSelectsTheTenant) {
  HttpCall c;
  c.path = "/api/v1/query";
  c.query = "query=other_metric&time=10";
  EXPECT_NE(host_.request(c).body.find(R"("result":[])"), std::string::npos);
  c.headers = {{"thanos-tenant", "other"}};
  EXPECT_NE(host_.request(c).body.find(R"("value":[10,"7"])"), std::string::npos);
}

TEST_F(QueryApiTest, TwoSourcesAreMerged) {
  MemoryQueryable second;
  promql::Labels a{{"__name__", "up"}, {"instance", "x"}, {"job", "a"}};
  second.tenant("default-tenant").append(a, 45000, 4);
  second.tenant("default-tenant").append(promql::Labels{{"__name__", "up"}, {"job", "c"}}, 0, 5);
  host_.addQueryable("second", second.queryable());
  start({"block_store", "second"});
  ASSERT_EQ(start_status_, STRATA_OK);
  auto r = get("/api/v1/query", "query=count(up)&time=45");
  EXPECT_NE(r.body.find(R"("value":[45,"3"])"), std::string::npos) << r.body;
  r = get("/api/v1/query", "query=up%7Bjob%3D%22a%22%7D&time=45");
  EXPECT_NE(r.body.find(R"("value":[45,"4"])"), std::string::npos) << r.body;
  api_.reset();  // before `second` goes away
}

TEST_F(QueryApiTest, FailingFurtherSourceIsAWarningAndFailingFirstAnError) {
  // As Prometheus' fanout storage: the first source is primary.
  MemoryQueryable second;
  second.tenant("default-tenant").append(promql::Labels{{"__name__", "up"}, {"job", "c"}}, 0, 5);
  second.setFailing(true);
  host_.addQueryable("second", second.queryable());
  start({"block_store", "second"});
  ASSERT_EQ(start_status_, STRATA_OK);
  for (const char* path : {"/api/v1/query", "/api/v1/labels", "/api/v1/label/job/values"}) {
    auto r = get(path, "query=count(up)&time=30");
    EXPECT_EQ(r.status, 200) << path << ": " << r.body;
    EXPECT_NE(r.body.find(R"("warnings":["source second left out: )"), std::string::npos)
        << path << ": " << r.body;
  }
  auto r = get("/api/v1/query", "query=count(up)&time=30");
  EXPECT_NE(r.body.find(R"("value":[30,"2"])"), std::string::npos) << r.body;  // first's only
  second.setFailing(false);
  r = get("/api/v1/query", "query=count(up)&time=30");
  EXPECT_EQ(r.body.find("warnings"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find(R"("value":[30,"3"])"), std::string::npos) << r.body;
  mem_.setFailing(true);
  r = get("/api/v1/query", "query=count(up)&time=30");
  EXPECT_EQ(r.status, 500) << r.body;
  api_.reset();  // before `second` goes away
}

TEST_F(QueryApiTest, ASourceIsSkippedWhenItsAdvertisedRangeOrLabelsCannotMatch) {
  // Like Thanos' query skipping stores: `second` says it holds only cluster="b" data of
  // [100s, 200s]; a source that is not asked cannot fail the request either.
  MemoryQueryable second;
  second.tenant("default-tenant")
      .append(promql::Labels{{"__name__", "up"}, {"cluster", "b"}, {"job", "c"}}, 150000, 5);
  sdk::SourceInfo info;
  info.min_time_ms = 100000;
  info.max_time_ms = 200000;
  info.label_sets = {{{"cluster", "b"}}};
  second.setInfo(info);
  host_.addQueryable("second", second.queryable());
  start({"block_store", "second"});
  ASSERT_EQ(start_status_, STRATA_OK);
  auto r = get("/api/v1/query", "query=count(up)&time=30");  // range [-270s, 30s]: before it
  EXPECT_NE(r.body.find(R"("value":[30,"2"])"), std::string::npos) << r.body;
  EXPECT_EQ(second.selects(), 0);
  r = get("/api/v1/query", "query=count(up%7Bcluster%3D%22a%22%7D)&time=150");  // cluster="a"
  EXPECT_EQ(second.selects(), 0) << r.body;
  second.setFailing(true);  // skipped: no warning
  r = get("/api/v1/query", "query=count(up%7Bcluster!%3D%22b%22%7D)&time=150");
  EXPECT_EQ(r.body.find("warnings"), std::string::npos) << r.body;
  EXPECT_EQ(second.selects(), 0);
  second.setFailing(false);
  r = get("/api/v1/query", "query=count(up%7Bcluster%3D%22b%22%7D)&time=150");  // its range
  EXPECT_NE(r.body.find(R"("value":[150,"1"])"), std::string::npos) << r.body;
  EXPECT_EQ(second.selects(), 1);
  r = get("/api/v1/query", "query=count(up)&time=150");  // no label excludes it
  EXPECT_EQ(second.selects(), 2);
  EXPECT_NE(r.body.find(R"("value":[150,"3"])"), std::string::npos) << r.body;  // 2 + 1
  api_.reset();  // before `second` goes away
}

TEST_F(QueryApiTest, SourceResolvedOnFirstRequest) {
  // The host may publish a provider only after every component started.
  start({"late"});
  ASSERT_EQ(start_status_, STRATA_OK);
  auto r = get("/api/v1/query", "query=up&time=30");
  EXPECT_EQ(r.status, 503);
  EXPECT_NE(r.body.find("source late provides no Queryable"), std::string::npos) << r.body;
  host_.addQueryable("late", mem_.queryable());
  r = get("/api/v1/query", "query=up&time=30");
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find(R"("value":[30,"3"])"), std::string::npos) << r.body;
}

TEST_F(QueryApiTest, UnknownPathUnderAPrefixIs404) {
  auto r = get("/api/v1/queryx");
  EXPECT_EQ(r.status, 404);
}

TEST_F(QueryApiTest, DrainedApiAnswers503) {
  api_->drain();
  auto r = get("/api/v1/query", "query=up");
  EXPECT_EQ(r.status, 503);
  EXPECT_NE(r.body.find(R"("errorType":"unavailable")"), std::string::npos);
}

}  // namespace
}  // namespace strata::testing
