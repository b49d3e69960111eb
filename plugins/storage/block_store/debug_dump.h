// A debug HTTP route (option debug_listen_address) until the PromQL API exists:
//   GET /api/v1/strata/dump?tenant=T
// returns every sample of the tenant (head and blocks merged) as sample lines in the format
// of plugins/common/prompb/sample_line.h, series in label order, so tests can compare it
// with remote-write-sender's --ack-log.
#pragma once

#include <strata/plugin_abi.h>

namespace strata::block_store {

// A strata_http_handler; `user` is the BlockStore.
void serveDump(void* user, const strata_http_request* request, strata_http_response* response);

}  // namespace strata::block_store
