#include "core/http/request_handler.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <exception>
#include <istream>
#include <string>
#include <vector>

namespace strata::http {
namespace {

using Poco::Net::HTTPResponse;

strata_str str(const std::string& s) { return {s.data(), s.size()}; }

// What strata_http_response.host_private points to.
struct ResponseState {
  Poco::Net::HTTPServerResponse* response;
  bool sent = false;
};

void sendNow(Poco::Net::HTTPServerResponse& response, int status, const std::string& type,
             const char* body, size_t len) {
  response.setStatusAndReason(static_cast<HTTPResponse::HTTPStatus>(status));
  response.setContentType(type);
  response.sendBuffer(body, len);
}

void sendText(Poco::Net::HTTPServerResponse& response, int status, const std::string& text) {
  sendNow(response, status, "text/plain; charset=utf-8", text.data(), text.size());
}

// The C callbacks a handler sees. Nothing may throw across them.
void addHeaderCallback(strata_http_response* self, strata_str name, strata_str value) {
  auto* state = static_cast<ResponseState*>(self->host_private);
  if (state->sent) return;
  try {
    state->response->add(std::string(name.data, name.len), std::string(value.data, value.len));
  } catch (...) {
  }
}

void sendCallback(strata_http_response* self, int status, strata_str content_type, const char* body,
                  size_t body_len) {
  auto* state = static_cast<ResponseState*>(self->host_private);
  if (state->sent) return;  // the first send wins
  state->sent = true;
  try {
    sendNow(*state->response, status, std::string(content_type.data, content_type.len), body,
            body_len);
  } catch (...) {
    // The client went away; nothing useful to tell the handler.
  }
}

bool hasBody(const Poco::Net::HTTPServerRequest& request) {
  return request.getChunkedTransferEncoding() ||
         (request.hasContentLength() && request.getContentLength64() > 0);
}

// Reads at most limit+1 bytes; false if the body is larger than `limit`.
bool readBody(std::istream& in, size_t limit, std::string* body) {
  char buf[16384];
  while (in) {
    in.read(buf, sizeof buf);
    body->append(buf, static_cast<size_t>(in.gcount()));
    if (body->size() > limit) return false;
  }
  return true;
}

std::string tooLarge(size_t limit) {
  return "request body larger than the limit of " + std::to_string(limit) + " bytes\n";
}

}  // namespace

void RouteRequestHandler::handleRequest(Poco::Net::HTTPServerRequest& request,
                                        Poco::Net::HTTPServerResponse& response) {
  const std::string& uri = request.getURI();
  auto q = uri.find('?');
  std::string_view path(uri.data(), q == std::string::npos ? uri.size() : q);
  std::string_view query =
      q == std::string::npos ? std::string_view() : std::string_view(uri).substr(q + 1);

  // A body we do not read would be taken for the next request: close such connections.
  auto refuse = [&](int status, const std::string& text) {
    if (table_->on_refusal) table_->on_refusal(status);
    if (hasBody(request)) response.setKeepAlive(false);
    sendText(response, status, text);
  };
  auto limit = table_->maxBodyFor(path);
  if (!limit) return refuse(404, "404 page not found: " + std::string(path) + "\n");
  if (request.hasContentLength() && request.getContentLength64() >= 0 &&
      static_cast<uint64_t>(request.getContentLength64()) > *limit)
    return refuse(413, tooLarge(*limit));
  std::string body;
  if (hasBody(request) && !readBody(request.stream(), *limit, &body))
    return refuse(413, tooLarge(*limit));

  // The body is read before the call is counted, so removeRoute() never waits for a slow
  // client, only for the handler itself.
  auto call = table_->acquire(path);
  if (!call) return sendText(response, 404, "404 page not found: " + std::string(path) + "\n");

  std::vector<strata_http_header> headers;
  for (const auto& [name, value] : request) headers.push_back({str(name), str(value)});
  std::string remote = request.clientAddress().toString();
  strata_http_request req{};
  req.struct_size = sizeof req;
  req.method = str(request.getMethod());
  req.path = {path.data(), path.size()};
  req.query = {query.data(), query.size()};
  req.headers = headers.data();
  req.header_count = headers.size();
  req.body = body.data();
  req.body_len = body.size();
  req.remote_address = str(remote);

  ResponseState state{&response};
  strata_http_response resp{};
  resp.struct_size = sizeof resp;
  resp.host_private = &state;
  resp.add_header = addHeaderCallback;
  resp.send = sendCallback;
  std::string failure = "handler sent no response\n";
  try {
    call->handler()(&req, &resp);
  } catch (const std::exception& e) {
    failure = std::string("handler failed: ") + e.what() + "\n";
  } catch (...) {
    failure = "handler failed\n";
  }
  call.reset();
  if (!state.sent) sendText(response, 500, failure);
}

}  // namespace strata::http
