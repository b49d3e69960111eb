#include "write_request.h"

#include <snappy.h>

#include <cstring>

namespace strata::connload {
namespace {

void appendVarint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
}

// A length-delimited field (wire type 2).
void appendBytesField(std::string& out, uint32_t field, const std::string& bytes) {
  appendVarint(out, (field << 3) | 2);
  appendVarint(out, bytes.size());
  out += bytes;
}

std::string label(const std::string& name, const std::string& value) {
  std::string m;
  appendBytesField(m, 1, name);
  appendBytesField(m, 2, value);
  return m;
}

std::string sample(double value, int64_t timestamp_ms) {
  std::string m;
  uint64_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  m += static_cast<char>((1 << 3) | 1);  // field 1, fixed64
  for (int i = 0; i < 8; ++i) m += static_cast<char>((bits >> (8 * i)) & 0xff);
  appendVarint(m, (2 << 3) | 0);  // field 2, varint (int64: two's complement)
  appendVarint(m, static_cast<uint64_t>(timestamp_ms));
  return m;
}

}  // namespace

std::string encodeWriteRequest(const std::string& metric, int64_t writer, int64_t series_count,
                               int64_t timestamp_ms, double value) {
  std::string request;
  const std::string writer_text = std::to_string(writer);
  const std::string one_sample = sample(value, timestamp_ms);
  for (int64_t i = 0; i < series_count; ++i) {
    std::string series;
    appendBytesField(series, 1, label("__name__", metric));
    appendBytesField(series, 1, label("series", std::to_string(i)));
    appendBytesField(series, 1, label("writer", writer_text));
    appendBytesField(series, 2, one_sample);
    appendBytesField(request, 1, series);
  }
  return request;
}

std::string buildWriteHttpRequest(const Endpoint& endpoint, const std::string& protobuf) {
  std::string body;
  snappy::Compress(protobuf.data(), protobuf.size(), &body);
  std::string http;
  http.reserve(256 + endpoint.target.size() + endpoint.host.size() + body.size());
  http += "POST ";
  http += endpoint.target;
  http += " HTTP/1.1\r\nHost: ";
  http += endpoint.host;
  http +=
      "\r\nUser-Agent: strata-conn-load/0.1\r\n"
      "Content-Type: application/x-protobuf\r\n"
      "Content-Encoding: snappy\r\n"
      "X-Prometheus-Remote-Write-Version: 0.1.0\r\n"
      "Content-Length: ";
  http += std::to_string(body.size());
  http += "\r\n\r\n";
  http += body;
  return http;
}

}  // namespace strata::connload
