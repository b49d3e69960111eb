// /api/v1/read: SAMPLES and STREAMED_XOR_CHUNKS responses decoded as a Prometheus client would.
#include "api_fixture.h"
#include "prompb/snappy_body.h"
#include "proto/remote.pb.h"
#include "tsdb/chunkenc/xor_chunk.h"
#include "tsdb/encoding/crc32c.h"

namespace strata::testing {
namespace {

class RemoteReadTest : public ApiFixture {
 protected:
  HttpResult read(prometheus::ReadRequest::ResponseType type, int64_t start, int64_t end) {
    prometheus::ReadRequest req;
    auto* q = req.add_queries();
    q->set_start_timestamp_ms(start);
    q->set_end_timestamp_ms(end);
    auto* m = q->add_matchers();
    m->set_type(prometheus::LabelMatcher::EQ);
    m->set_name("__name__");
    m->set_value("up");
    req.add_accepted_response_types(type);
    HttpCall c;
    c.method = "POST";
    c.path = "/api/v1/read";
    c.body = prompb::compress(req.SerializeAsString());
    return host_.request(c);
  }
};

std::string labelsOf(const google::protobuf::RepeatedPtrField<prometheus::Label>& ls) {
  std::string out;
  for (const auto& l : ls) out += l.name() + "=" + l.value() + ",";
  return out;
}

TEST_F(RemoteReadTest, Samples) {
  auto r = read(prometheus::ReadRequest::SAMPLES, 10000, 30000);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "application/x-protobuf");
  EXPECT_EQ(r.headers["Content-Encoding"], "snappy");
  std::string raw, err;
  ASSERT_EQ(prompb::uncompressBounded(r.body, 1 << 20, &raw, &err), prompb::SnappyResult::kOk);
  prometheus::ReadResponse resp;
  ASSERT_TRUE(resp.ParseFromString(raw));
  ASSERT_EQ(resp.results_size(), 1);
  const auto& ts = resp.results(0).timeseries();
  ASSERT_EQ(ts.size(), 2);
  EXPECT_EQ(labelsOf(ts[0].labels()), "__name__=up,instance=x,job=a,");
  ASSERT_EQ(ts[0].samples_size(), 2);
  EXPECT_EQ(ts[0].samples(0).timestamp(), 15000);
  EXPECT_EQ(ts[0].samples(1).value(), 3);
  EXPECT_EQ(ts[1].samples_size(), 1);
}

TEST_F(RemoteReadTest, StreamedXorChunks) {
  auto r = read(prometheus::ReadRequest::STREAMED_XOR_CHUNKS, 0, 30000);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type,
            "application/x-streamed-protobuf; proto=prometheus.ChunkedReadResponse");
  std::string_view in = r.body;
  std::vector<std::string> series;
  while (!in.empty()) {
    uint64_t len = 0;
    int shift = 0;
    size_t i = 0;
    for (; i < in.size(); ++i) {
      len |= static_cast<uint64_t>(in[i] & 0x7f) << shift;
      shift += 7;
      if (!(in[i] & 0x80)) break;
    }
    in.remove_prefix(i + 1);
    ASSERT_GE(in.size(), 4 + len);
    uint32_t crc =
        (uint8_t(in[0]) << 24) | (uint8_t(in[1]) << 16) | (uint8_t(in[2]) << 8) | uint8_t(in[3]);
    std::string msg(in.substr(4, len));
    in.remove_prefix(4 + len);
    EXPECT_EQ(crc, tsdb::crc32c(0, msg.data(), msg.size()));
    prometheus::ChunkedReadResponse frame;
    ASSERT_TRUE(frame.ParseFromString(msg));
    EXPECT_EQ(frame.query_index(), 0);
    for (const auto& cs : frame.chunked_series()) {
      std::string s = labelsOf(cs.labels());
      for (const auto& c : cs.chunks()) {
        EXPECT_EQ(c.type(), prometheus::Chunk::XOR);
        tsdb::XorIterator it(reinterpret_cast<const uint8_t*>(c.data().data()), c.data().size());
        while (it.next()) s += " " + std::to_string(it.t()) + ":" + std::to_string(int(it.v()));
        EXPECT_FALSE(it.error());
      }
      series.push_back(s);
    }
  }
  EXPECT_EQ(series, (std::vector<std::string>{"__name__=up,instance=x,job=a, 0:1 15000:2 30000:3",
                                              "__name__=up,instance=y,job=b, 0:10 30000:20"}));
}

TEST_F(RemoteReadTest, CorruptBodyIsBadRequest) {
  HttpCall c;
  c.method = "POST";
  c.path = "/api/v1/read";
  c.body = "not snappy";
  EXPECT_EQ(host_.request(c).status, 400);
}

}  // namespace
}  // namespace strata::testing
