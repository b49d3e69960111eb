#include "core/http/request_dispatch.h"

#include <exception>
#include <vector>

#include "core/http/response_bytes.h"

namespace strata::http {
namespace {

strata_str str(const std::string& s) { return {s.data(), s.size()}; }
strata_str str(std::string_view s) { return {s.data(), s.size()}; }

// What strata_http_response.host_private points to.
struct ResponseState {
  ResponseHead head;
  std::string body;
  bool sent = false;
  // A streamed response (begin/write/end).
  StreamSink* sink = nullptr;
  bool streaming = false;
  bool broken = false;  // the client went away mid-stream: the rest is dropped
  bool http10 = false;  // no chunked encoding: the body ends with the connection
};

// The C callbacks a handler sees. Nothing may throw across them.
void addHeaderCallback(strata_http_response* self, strata_str name, strata_str value) {
  auto* state = static_cast<ResponseState*>(self->host_private);
  if (state->sent) return;
  try {
    state->head.headers.emplace_back(std::string(name.data, name.len),
                                     std::string(value.data, value.len));
  } catch (...) {
  }
}

void sendCallback(strata_http_response* self, int status, strata_str content_type, const char* body,
                  size_t body_len) {
  auto* state = static_cast<ResponseState*>(self->host_private);
  if (state->streaming) state->broken = true;  // an error after begin(): cut the body off
  if (state->sent) return;                     // the first send wins
  try {
    state->head.status = status >= 100 && status <= 999 ? status : 500;
    state->head.content_type.assign(content_type.data, content_type.len);
    state->body.assign(body, body_len);
    state->sent = true;
  } catch (...) {
  }
}

int beginCallback(strata_http_response* self, int status, strata_str content_type) {
  auto* state = static_cast<ResponseState*>(self->host_private);
  if (state->sent || !state->sink) return -1;
  try {
    state->head.status = status >= 200 && status <= 999 ? status : 500;
    state->head.content_type.assign(content_type.data, content_type.len);
    state->head.chunked = !state->http10;
    state->head.unframed = state->http10;
    if (state->http10) state->head.keep_alive = false;  // the close ends the body
    state->sent = state->streaming = true;
    if (!state->sink->post(serializeResponse(state->head, {}))) state->broken = true;
  } catch (...) {
    state->broken = true;
  }
  return state->broken ? -1 : 0;
}

int writeCallback(strata_http_response* self, const char* data, size_t len) {
  auto* state = static_cast<ResponseState*>(self->host_private);
  if (!state->streaming || state->broken) return -1;
  if (state->head.head_only || len == 0) return 0;
  try {
    std::string bytes = state->head.chunked ? chunkBytes({data, len}) : std::string(data, len);
    StreamSink& sink = *state->sink;
    if (!sink.gate->add(bytes.size()) || !sink.post(std::move(bytes)) ||
        !sink.gate->waitBelowHighWater(sink.stall_timeout))
      state->broken = true;
  } catch (...) {
    state->broken = true;
  }
  return state->broken ? -1 : 0;
}

void endCallback(strata_http_response*) {}  // the handler returning ends the response too

}  // namespace

DispatchResult runRequest(const RouteTable& table, ParsedRequest& request,
                          const std::string& remote_address, bool keep_alive, StreamSink* sink) {
  DispatchResult result;
  result.keep_alive = keep_alive;
  std::string_view path = request.path();
  Miss miss = Miss::kNone;
  auto call = table.acquire(path, &miss);
  if (!call) {
    result.status = miss == Miss::kDraining ? 503 : 404;
    std::string text = result.status == 503 ? "503 " + std::string(path) +
                                                  " is not available on this node right now "
                                                  "(draining or stopping); retry"
                                            : "404 page not found: " + std::string(path);
    if (result.status == 503) result.keep_alive = false;
    if (table.on_refusal) table.on_refusal(result.status);
    result.bytes = simpleResponse(result.status, text, result.keep_alive);
    return result;
  }

  std::vector<strata_http_header> headers;
  headers.reserve(request.headers.size());
  for (const auto& [name, value] : request.headers) headers.push_back({str(name), str(value)});
  strata_http_request req{};
  req.struct_size = sizeof req;
  req.method = str(request.method);
  req.path = str(path);
  req.query = str(request.query());
  req.headers = headers.data();
  req.header_count = headers.size();
  req.body = request.body.data();
  req.body_len = request.body.size();
  req.remote_address = str(remote_address);

  ResponseState state;
  strata_http_response resp{};
  resp.struct_size = sizeof resp;
  resp.host_private = &state;
  resp.add_header = addHeaderCallback;
  resp.send = sendCallback;
  resp.begin = beginCallback;
  resp.write = writeCallback;
  resp.end = endCallback;
  state.sink = sink;
  state.head.keep_alive = keep_alive;
  state.head.head_only = request.method == "HEAD";
  state.http10 = request.version_minor < 1;
  std::string failure = "handler sent no response";
  try {
    call->handler()(&req, &resp);
  } catch (const std::exception& e) {
    failure = std::string("handler failed: ") + e.what();
  } catch (...) {
    failure = "handler failed";
  }
  call.reset();
  request.body = std::string();  // freed on the worker, not on the loop
  if (!state.sent) {
    result.status = 500;
    result.bytes = simpleResponse(500, failure, result.keep_alive);
    return result;
  }
  if (state.streaming) {
    result.status = state.head.status;
    // A stream cut short (the handler failed or the client went away) cannot say so in-band:
    // no last chunk, and the connection closes, so the client sees a truncated body.
    bool complete = !state.broken && failure == "handler sent no response";
    result.keep_alive = complete && state.head.keep_alive;
    if (complete && state.head.chunked && !state.head.head_only) result.bytes = kLastChunk;
    return result;
  }
  state.head.keep_alive = result.keep_alive;
  state.head.head_only = request.method == "HEAD";
  result.status = state.head.status;
  result.bytes = serializeResponse(state.head, state.body);
  return result;
}

}  // namespace strata::http
