// The remote_write receiver's descriptor: Prometheus remote write 1.0 in.
#include <strata/sdk.hpp>

#include "remote_write_receiver.h"

namespace {

using strata::sdk::object;
using strata::sdk::option;

const strata_option_def kTls[] = {
    option("cert_file", STRATA_OPT_STRING, nullptr, "PEM server certificate (chain)."),
    option("key_file", STRATA_OPT_STRING, nullptr, "PEM private key (unencrypted)."),
    option("client_ca_file", STRATA_OPT_STRING, nullptr,
           "PEM CA bundle; when set, clients must present a certificate it signed."),
};

const strata_option_def kOptions[] = {
    option("listen_address", STRATA_OPT_STRING, "0.0.0.0:19291", "host:port to serve on.",
           STRATA_OPTF_LISTEN_ADDRESS),
    option("tenant_header", STRATA_OPT_STRING, "THANOS-TENANT", "Header naming the tenant."),
    option("default_tenant", STRATA_OPT_STRING, "default-tenant",
           "Tenant of requests without the tenant header."),
    option("max_body_bytes", STRATA_OPT_INT, "33554432",
           "Largest request body, checked on the wire and after snappy decompression."),
    option("max_series_per_request", STRATA_OPT_INT, "0", "0 = unlimited."),
    option("max_label_count", STRATA_OPT_INT, "0", "Labels per series; 0 = unlimited."),
    option("max_label_value_length", STRATA_OPT_INT, "0", "Bytes per label value; 0 = unlimited."),
    object("tls_config", STRATA_OPT_OBJECT,
           "Serve over TLS (with cert_file and key_file); client_ca_file requires client "
           "certificates signed by that CA (mTLS).",
           kTls),
    option("basic_auth_users", STRATA_OPT_STRING_MAP, nullptr,
           "HTTP basic auth: user -> hex SHA-256 of the password (printf %s PASS | sha256sum).",
           STRATA_OPTF_SECRET),
    option("bearer_token", STRATA_OPT_STRING, nullptr,
           "Accept `Authorization: Bearer <token>` with this token.", STRATA_OPTF_SECRET),
    option("bearer_token_file", STRATA_OPT_STRING, nullptr,
           "File whose first line is the bearer token (read at start and on reload)."),
    option("ack", STRATA_OPT_STRING, "accepted",
           "accepted: 2xx once every downstream queue took the batch; delivered: once every "
           "sink consumed or committed it."),
};

using strata::remote_write::RemoteWriteReceiver;
const strata_component_def kReceiver =
    strata::sdk::component<RemoteWriteReceiver, &RemoteWriteReceiver::validate>(
        STRATA_KIND_RECEIVER, "remote_write", "Prometheus remote write 1.0 and 2.0 receiver.", 0,
        STRATA_EDGE_METRICS, kOptions);

}  // namespace

STRATA_PLUGIN("remote_write_receiver", "0.1.0", &kReceiver);
