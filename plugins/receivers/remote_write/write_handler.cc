#include "write_handler.h"

#include <string_view>
#include <utility>

#include "prompb/write_request_decoder.h"
#include "prompb/write_v2_codec.h"

namespace strata::remote_write {
namespace {

constexpr const char* kRequests = "strata_remote_write_requests_total";
constexpr const char* kRequestsHelp = "Remote write requests by HTTP status code.";
constexpr const char* kRefused = "strata_remote_write_requests_refused_total";
constexpr const char* kRefusedHelp =
    "Requests not accepted (every status but 2xx), by reason; their samples, where the body "
    "could be read, count in strata_remote_write_samples_rejected_total.";
constexpr const char* kRejected = "strata_remote_write_samples_rejected_total";
constexpr const char* kRejectedHelp = "Samples not stored, by reason.";

bool contains(std::string_view hay, std::string_view needle) {
  return hay.find(needle) != std::string_view::npos;
}

}  // namespace

WriteHandler::WriteHandler(sdk::Host host, ReceiverConfig config)
    : host_(host),
      config_(std::move(config)),
      auth_(config_.auth),
      received_(host.counter("strata_remote_write_samples_received_total",
                             "Samples in remote write requests that decoded and passed checks.")),
      metadata_received_(
          host.counter("strata_remote_write_metadata_received_total",
                       "Metric family metadata entries in requests that decoded (1.0 metadata, "
                       "2.0 per-series metadata, one per family and request).")) {}

void WriteHandler::callback(void* user, const strata_http_request* request,
                            strata_http_response* response) {
  // An exception must not unwind into the host's HTTP thread.
  try {
    static_cast<WriteHandler*>(user)->handle(request, response);
  } catch (const std::exception& e) {
    sdk::respond(response, 500, std::string("internal error: ") + e.what() + "\n");
  } catch (...) {
    sdk::respond(response, 500, "internal error\n");
  }
}

void WriteHandler::count(const char* name, const char* help, const char* label,
                         const std::string& value, double delta) {
  std::string key = std::string(name) + '\0' + value;
  sdk::Metric m;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = metrics_.find(key);
    if (it == metrics_.end())
      it = metrics_.emplace(key, host_.counter(name, help, {{label, value}})).first;
    m = it->second;
  }
  m.add(delta);
}

WriteHandler::Version WriteHandler::versionOf(std::string_view type) {
  // application/x-protobuf[;proto=prometheus.WriteRequest|io.prometheus.write.v2.Request];
  // an empty type is taken as 1.0, as Prometheus 2.42 does.
  if (type.empty()) return Version::k1;
  if (!contains(type, "application/x-protobuf")) return Version::kUnsupported;
  auto at = type.find("proto=");
  if (at == std::string_view::npos) return Version::k1;
  std::string_view proto = type.substr(at + 6);
  proto = proto.substr(0, proto.find(';'));
  while (!proto.empty() && proto.back() == ' ') proto.remove_suffix(1);
  if (proto == "prometheus.WriteRequest") return Version::k1;
  if (proto == prompb::kWriteV2Proto) return Version::k2;
  return Version::kUnsupported;
}

void WriteHandler::handle(const strata_http_request* request, strata_http_response* response) {
  Reply reply = process(request);
  if (versionOf(sdk::header(request, "Content-Type")) == Version::k2) {
    // 2.0 senders learn what was stored from these, on success and on failure alike.
    std::string written = std::to_string(reply.written);
    response->add_header(response, sdk::str("X-Prometheus-Remote-Write-Samples-Written"),
                         sdk::str(written));
    response->add_header(response, sdk::str("X-Prometheus-Remote-Write-Histograms-Written"),
                         sdk::str("0"));
    response->add_header(response, sdk::str("X-Prometheus-Remote-Write-Exemplars-Written"),
                         sdk::str("0"));
  }
  count(kRequests, kRequestsHelp, "code", std::to_string(reply.status), 1);
  if (!reply.reason.empty()) count(kRefused, kRefusedHelp, "reason", reply.reason, 1);
  if (reply.status == 503) response->add_header(response, sdk::str("Retry-After"), sdk::str("1"));
  if (reply.status == 405) response->add_header(response, sdk::str("Allow"), sdk::str("POST"));
  if (reply.status == 401)
    for (const auto& challenge : auth_.challenges())
      response->add_header(response, sdk::str("WWW-Authenticate"), sdk::str(challenge));
  if (!reply.body.empty() && reply.body.back() != '\n') reply.body += '\n';
  sdk::respond(response, reply.status, reply.body);
}

WriteHandler::Reply WriteHandler::process(const strata_http_request* request) {
  // Before anything else, so an unauthenticated client learns nothing about the endpoint.
  if (!auth_.allowed(request)) return {401, "missing or wrong credentials", "unauthorized"};
  if (sdk::view(request->method) != "POST") return {405, "only POST is allowed", "method"};
  if (!accepting_) return {503, "receiver is shutting down, retry", "draining"};
  std::string_view type = sdk::header(request, "Content-Type");
  Version version = versionOf(type);
  if (version == Version::kUnsupported)
    return {415,
            "Content-Type must be application/x-protobuf with proto=prometheus.WriteRequest "
            "or proto=io.prometheus.write.v2.Request, got \"" +
                std::string(type) + "\"",
            "content_type"};
  std::string_view encoding = sdk::header(request, "Content-Encoding");
  if (!encoding.empty() && encoding != "snappy")
    return {415, "Content-Encoding must be snappy, got \"" + std::string(encoding) + "\"",
            "content_encoding"};

  std::string_view tenant = sdk::header(request, config_.tenant_header);
  sdk::BatchBuilder builder(std::string(tenant.empty() ? config_.default_tenant : tenant));
  prompb::DecodeStats stats;
  prompb::DecodeError error;
  std::string_view body(request->body, request->body_len);
  bool decoded = version == Version::k2
                     ? prompb::decodeWriteV2Request(body, config_.limits, builder, &stats, &error)
                     : prompb::decodeWriteRequest(body, config_.limits, builder, &stats, &error);
  if (!decoded) {
    count(kRejected, kRejectedHelp, "reason", error.reason, static_cast<double>(stats.samples));
    return {400, error.message, error.reason};
  }
  received_.add(static_cast<double>(stats.samples));
  // Not carried by batches yet: say so in a metric rather than lose them unseen.
  if (stats.exemplars)
    count(kRejected, kRejectedHelp, "reason", "exemplar_unsupported",
          static_cast<double>(stats.exemplars));
  if (stats.histograms)
    count(kRejected, kRejectedHelp, "reason", "native_histogram_unsupported",
          static_cast<double>(stats.histograms));
  if (stats.metadata) metadata_received_.add(static_cast<double>(stats.metadata));
  size_t samples = builder.sampleCount();
  // A metadata-only request (1.0 senders send metadata on its own) still goes downstream.
  if (samples == 0 && builder.metadataCount() == 0) return {204, ""};
  Reply reply = emitBatch(
      builder.finish(config_.ack_on_delivery ? STRATA_BATCH_ACK_ON_DELIVERY : 0), samples);
  if (reply.status == 204) reply.written = samples;
  return reply;
}

WriteHandler::Reply WriteHandler::emitBatch(strata_metrics_batch* batch, size_t samples) {
  double n = static_cast<double>(samples);
  strata_status status = host_.emit(batch);
  // The refusing component's own words ("block_store: ..."), when the host passes them on.
  std::string why = status == STRATA_OK ? std::string() : host_.emitError();
  auto with = [&why](std::string text) { return why.empty() ? text : text + ": " + why; };
  switch (status) {
    case STRATA_OK:
      return {204, ""};
    case STRATA_RETRY:
      count(kRejected, kRejectedHelp, "reason", "backpressure", n);
      return {503, with("pipeline is full, retry later"), "backpressure"};
    case STRATA_REJECT:
      count(kRejected, kRejectedHelp, "reason", "pipeline_rejected", n);
      return {400, with("the pipeline rejected the batch"), "pipeline_rejected"};
    default:
      count(kRejected, kRejectedHelp, "reason", "pipeline_failed", n);
      return {500, with("the pipeline failed to take the batch"), "pipeline_failed"};
  }
}

}  // namespace strata::remote_write
