// libFuzzer target: the HTTP front's request parser, which reads bytes from any client that
// can open a connection. The first input byte chooses the body limit and a split point; the
// rest is the byte stream of one connection.
//
// Besides ASan/UBSan, the invariants checked are:
//  - the parser never claims more bytes than it was given, and always makes progress or asks
//    for more (no loop without consuming);
//  - the outcome does not depend on how the bytes arrive: the stream whole, split in two at an
//    arbitrary point, and (for short inputs) one byte at a time give the same requests
//    (method, target, headers, body, framing flags) and the same refusal;
//  - a refusal is one of the statuses the server sends (400, 413, 417, 431, 501, 505) with a
//    message; a complete request's body respects the limit and its declared length.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/http/request_parser.h"
#include "fuzz_check.h"

namespace {

using strata::http::RequestParser;
using Step = RequestParser::Step;

std::string describe(const strata::http::ParsedRequest& r) {
  std::string out = r.method + " " + r.target + " 1." + std::to_string(r.version_minor);
  for (const auto& [k, v] : r.headers) out += "\n" + k + ": " + v;
  out += "\nka=" + std::to_string(r.keep_alive) + " ec=" + std::to_string(r.expect_continue) +
         " ch=" + std::to_string(r.chunked) + "\n" + r.body;
  return out;
}

// Parses up to 4 pipelined requests from `stream`, delivered in `pieces`; returns a transcript.
std::string run(std::string_view stream, const std::vector<size_t>& cuts, size_t limit) {
  RequestParser parser(1024, 32);
  std::string transcript;
  std::string buffered;
  size_t delivered = 0;
  size_t next_cut = 0;
  int requests = 0;
  for (int guard = 0; guard < 1 << 20; ++guard) {
    size_t consumed = 0;
    Step step = parser.parse(buffered, &consumed);
    FUZZ_CHECK(consumed <= buffered.size());
    buffered.erase(0, consumed);
    if (step == Step::kHeaders) {
      parser.setBodyLimit(limit);
      continue;
    }
    if (step == Step::kFailed) {
      int s = parser.errorStatus();
      FUZZ_CHECK(s == 400 || s == 413 || s == 417 || s == 431 || s == 501 || s == 505);
      FUZZ_CHECK(!parser.errorMessage().empty());
      return transcript + "\nFAILED " + std::to_string(s) + " " + parser.errorMessage();
    }
    if (step == Step::kComplete) {
      const auto& r = parser.request();
      FUZZ_CHECK(r.body.size() <= limit);
      if (r.content_length) FUZZ_CHECK(r.body.size() == *r.content_length);
      transcript += "\nREQUEST " + describe(r);
      parser.reset();
      if (++requests == 4) return transcript;
      continue;
    }
    // kNeedMore: deliver the next piece, or stop at the end of the stream.
    if (delivered == stream.size()) return transcript + "\nNEED MORE";
    size_t end = next_cut < cuts.size() ? cuts[next_cut++] : stream.size();
    if (end <= delivered) end = delivered + 1;
    buffered.append(stream.substr(delivered, end - delivered));
    delivered = end;
  }
  FUZZ_CHECK(false && "the parser loops without progress");
  return transcript;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  size_t limit = (data[0] & 0x0f) * 16;  // 0..240 bytes: limits are reached often
  std::string_view stream(reinterpret_cast<const char*>(data) + 2, size - 2);
  size_t split = stream.empty() ? 0 : data[1] % (stream.size() + 1);

  std::string whole = run(stream, {}, limit);
  std::string halves = run(stream, {split}, limit);
  FUZZ_CHECK(whole == halves);
  if (stream.size() <= 512) {
    std::vector<size_t> every;
    for (size_t i = 1; i <= stream.size(); ++i) every.push_back(i);
    FUZZ_CHECK(whole == run(stream, every, limit));
  }
  return 0;
}
