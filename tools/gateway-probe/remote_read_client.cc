// A remote read client asking for STREAMED_XOR_CHUNKS: reads the framed ChunkedReadResponse
// messages (uvarint length, CRC32C, message) as they arrive and counts series and samples.
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/URI.h>
#include <snappy.h>

#include <cstdio>
#include <istream>

#include "probe.h"
#include "proto/remote.pb.h"
#include "tsdb/chunkenc/xor_chunk.h"

namespace strata::probe {
namespace {

bool readUvarint(std::istream& in, uint64_t* v) {
  *v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    int c = in.get();
    if (c == EOF) return false;
    *v |= uint64_t(c & 0x7f) << shift;
    if (!(c & 0x80)) return true;
  }
  return false;
}

}  // namespace

int remoteRead(const std::string& url, const std::string& metric, int64_t start_ms,
               int64_t end_ms) {
  prometheus::ReadRequest req;
  req.add_accepted_response_types(prometheus::ReadRequest::STREAMED_XOR_CHUNKS);
  auto* q = req.add_queries();
  q->set_start_timestamp_ms(start_ms);
  q->set_end_timestamp_ms(end_ms);
  auto* m = q->add_matchers();
  m->set_type(prometheus::LabelMatcher::EQ);
  m->set_name("__name__");
  m->set_value(metric);
  std::string body;
  snappy::Compress(req.SerializeAsString().data(), req.ByteSizeLong(), &body);

  Poco::URI uri(url);
  Poco::Net::HTTPClientSession session(uri.getHost(), uri.getPort());
  session.setTimeout(Poco::Timespan(300, 0));
  Poco::Net::HTTPRequest http(Poco::Net::HTTPRequest::HTTP_POST, uri.getPathEtc(),
                              Poco::Net::HTTPMessage::HTTP_1_1);
  http.setContentType("application/x-protobuf");
  http.set("Content-Encoding", "snappy");
  http.set("X-Prometheus-Remote-Read-Version", "0.1.0");
  http.setContentLength(std::streamsize(body.size()));
  session.sendRequest(http) << body;
  Poco::Net::HTTPResponse resp;
  std::istream& in = session.receiveResponse(resp);
  if (resp.getStatus() != 200) {
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::fprintf(stderr, "remote read: HTTP %d: %s\n", int(resp.getStatus()), text.c_str());
    return 1;
  }
  uint64_t series = 0, samples = 0, len = 0;
  std::string msg;
  while (readUvarint(in, &len)) {
    char crc[4];
    in.read(crc, 4);
    msg.resize(len);
    in.read(msg.data(), std::streamsize(len));
    prometheus::ChunkedReadResponse frame;
    if (!in || !frame.ParseFromString(msg)) {
      std::fprintf(stderr, "remote read: bad frame\n");
      return 1;
    }
    for (const auto& cs : frame.chunked_series()) {
      ++series;
      for (const auto& c : cs.chunks()) {
        tsdb::XorIterator it(reinterpret_cast<const uint8_t*>(c.data().data()), c.data().size());
        while (it.next()) ++samples;
      }
    }
  }
  std::printf("series=%llu samples=%llu\n", (unsigned long long)series,
              (unsigned long long)samples);
  return 0;
}

}  // namespace strata::probe
