// /api/v1/read: Prometheus remote read. The response type is the first of the client's
// accepted types that we support: SAMPLES (one snappy-compressed ReadResponse) or
// STREAMED_XOR_CHUNKS (frames of ChunkedReadResponse: uvarint length, big-endian CRC-32C of
// the message, the message), as Prometheus' storage/remote/codec.go.
#include <cstring>

#include "core/promql/value.h"
#include "endpoints.h"
#include "merged_storage.h"
#include "prompb/snappy_body.h"
#include "proto/remote.pb.h"
#include "tsdb/chunkenc/xor_chunk.h"
#include "tsdb/encoding/crc32c.h"

namespace strata::promql_api {
namespace {

constexpr size_t kSamplesPerChunk = 120;  // what Prometheus' head cuts at

std::vector<promql::Matcher> toMatchers(const prometheus::Query& q) {
  std::vector<promql::Matcher> out;
  for (const auto& m : q.matchers()) {
    promql::MatchType t = promql::MatchType::kEqual;
    switch (m.type()) {
      case prometheus::LabelMatcher::NEQ:
        t = promql::MatchType::kNotEqual;
        break;
      case prometheus::LabelMatcher::RE:
        t = promql::MatchType::kRegex;
        break;
      case prometheus::LabelMatcher::NRE:
        t = promql::MatchType::kNotRegex;
        break;
      default:
        break;
    }
    try {
      out.emplace_back(t, m.name(), m.value());
    } catch (const promql::QueryError& e) {
      throw ApiError(kBadData, e.what());
    }
  }
  return out;
}

template <typename Series>
void setLabels(Series* ts, const promql::Labels& labels) {
  for (const auto& l : labels) {
    auto* pl = ts->add_labels();
    pl->set_name(l.name);
    pl->set_value(l.value);
  }
}

// Runs one query, calling `each(labels, points)` per series; enforces the sample limit.
template <typename F>
void runQuery(const RequestContext& ctx, const prometheus::Query& q, int64_t* samples, F&& each) {
  promql::SelectHints hints;
  hints.start_ms = q.has_hints() ? q.hints().start_ms() : q.start_timestamp_ms();
  hints.end_ms = q.has_hints() ? q.hints().end_ms() : q.end_timestamp_ms();
  if (q.has_hints()) {
    hints.step_ms = q.hints().step_ms();
    hints.range_ms = q.hints().range_ms();
    hints.function = q.hints().func();
    hints.grouping.assign(q.hints().grouping().begin(), q.hints().grouping().end());
    hints.by = q.hints().by();
  }
  auto set = ctx.storage.select(toMatchers(q), q.start_timestamp_ms(), q.end_timestamp_ms(), hints);
  while (set->next()) {
    auto points = readAll(*set);
    *samples += static_cast<int64_t>(points.size());
    int64_t limit = ctx.config.remote_read_sample_limit;
    if (limit > 0 && *samples > limit) {
      throw ApiError(kBadData, "exceeded sample limit (" + std::to_string(limit) + ")");
    }
    each(set->labels(), points);
  }
  if (!set->error().empty()) throw ApiError(kInternal, set->error());
}

void appendFrame(std::string& out, const std::string& msg) {
  uint64_t n = msg.size();
  while (n >= 0x80) {
    out += static_cast<char>((n & 0x7f) | 0x80);
    n >>= 7;
  }
  out += static_cast<char>(n);
  uint32_t crc = tsdb::crc32c(0, msg.data(), msg.size());
  char be[4] = {static_cast<char>(crc >> 24), static_cast<char>(crc >> 16),
                static_cast<char>(crc >> 8), static_cast<char>(crc)};
  out.append(be, 4);
  out += msg;
}

Reply samplesReply(const RequestContext& ctx, const prometheus::ReadRequest& req) {
  prometheus::ReadResponse resp;
  int64_t samples = 0;
  for (const auto& q : req.queries()) {
    auto* result = resp.add_results();
    runQuery(ctx, q, &samples, [&](const promql::Labels& labels, const auto& points) {
      if (points.empty()) return;
      auto* ts = result->add_timeseries();
      setLabels(ts, labels);
      for (const auto& p : points) {
        auto* s = ts->add_samples();
        s->set_timestamp(p.t);
        s->set_value(p.v);
      }
    });
  }
  Reply reply;
  reply.content_type = "application/x-protobuf";
  reply.headers.emplace_back("Content-Encoding", "snappy");
  reply.body = prompb::compress(resp.SerializeAsString());
  return reply;
}

// Where the frames of a streamed remote read go: straight to the client through the host's
// stream slots when it has them (memory: one frame, whatever the answer's size), else into
// the reply's body.
class FrameSink {
 public:
  FrameSink(strata_http_response* resp, Reply& reply)
      : resp_(resp && STRATA_HTTP_RESPONSE_HAS_STREAM(resp) && resp->begin ? resp : nullptr),
        reply_(reply) {}
  void frame(const std::string& msg) {
    if (!resp_) {
      appendFrame(reply_.body, msg);
      return;
    }
    buf_.clear();
    appendFrame(buf_, msg);
    start();
    if (resp_->write(resp_, buf_.data(), buf_.size()) != 0)
      throw std::runtime_error("the remote read client went away");
  }
  // After the last frame: a stream that sent nothing still has to begin (an empty answer).
  void finish() {
    if (!resp_) return;
    start();
    reply_.streamed = true;
  }

 private:
  void start() {
    if (begun_) return;
    begun_ = true;
    if (resp_->begin(resp_, 200, sdk::str(reply_.content_type)) != 0)
      throw std::runtime_error("the remote read client went away");
  }
  strata_http_response* resp_;
  Reply& reply_;
  std::string buf_;
  bool begun_ = false;
};

Reply streamedReply(const RequestContext& ctx, const prometheus::ReadRequest& req) {
  Reply reply;
  reply.content_type = "application/x-streamed-protobuf; proto=prometheus.ChunkedReadResponse";
  FrameSink sink(ctx.response, reply);
  int64_t samples = 0;
  for (int qi = 0; qi < req.queries_size(); ++qi) {
    prometheus::ChunkedReadResponse frame;
    frame.set_query_index(qi);
    size_t frame_bytes = 0;
    auto flush = [&] {
      if (frame.chunked_series_size() == 0) return;
      sink.frame(frame.SerializeAsString());
      frame.clear_chunked_series();
      frame_bytes = 0;
    };
    runQuery(ctx, req.queries(qi), &samples, [&](const promql::Labels& labels, const auto& pts) {
      if (pts.empty()) return;
      auto* cs = frame.add_chunked_series();
      setLabels(cs, labels);
      for (size_t i = 0; i < pts.size(); i += kSamplesPerChunk) {
        tsdb::XorAppender app;
        size_t end = std::min(pts.size(), i + kSamplesPerChunk);
        for (size_t j = i; j < end; ++j) app.append(pts[j].t, pts[j].v);
        auto* c = cs->add_chunks();
        c->set_min_time_ms(pts[i].t);
        c->set_max_time_ms(pts[end - 1].t);
        c->set_type(prometheus::Chunk::XOR);
        c->set_data(app.bytes().data(), app.bytes().size());
        frame_bytes += app.bytes().size();
      }
      // Frames stay near the limit Prometheus uses (1 MiB), a series never split.
      if (frame_bytes >= ctx.config.remote_read_max_frame_bytes) flush();
    });
    flush();
  }
  sink.finish();
  return reply;
}

}  // namespace

Reply handleRemoteRead(const RequestContext& ctx) {
  std::string raw, error;
  auto res = prompb::uncompressBounded(ctx.body, ctx.config.max_body_bytes, &raw, &error);
  if (res != prompb::SnappyResult::kOk) throw ApiError(kBadData, error);
  prometheus::ReadRequest req;
  if (!req.ParseFromString(raw)) throw ApiError(kBadData, "cannot parse the ReadRequest");
  for (int t : req.accepted_response_types()) {
    if (t == prometheus::ReadRequest::STREAMED_XOR_CHUNKS) return streamedReply(ctx, req);
    if (t == prometheus::ReadRequest::SAMPLES) break;
  }
  return samplesReply(ctx, req);
}

}  // namespace strata::promql_api
