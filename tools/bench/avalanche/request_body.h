// Remote write request bodies for the send: the same series and samples as remote write 1.0
// (prometheus.WriteRequest) or 2.0 (io.prometheus.write.v2.Request, with each series' metric
// type as metadata), snappy-compressed, built before the clock starts.
#pragma once

#include <cstdint>
#include <string>

#include "workload.h"
#include "workload_options.h"

namespace strata::avalanche {

struct Request {
  std::string body;
  int64_t samples = 0;
  int64_t step = 0;  // the first step of data time it holds
};

// One request: `steps` consecutive samples (from `step0`) of every slot in [first, last), the
// series in slot order; a slot that churns inside the request gives one series per generation.
Request buildRequest(const Workload& w, RemoteWriteProtocol protocol, int64_t first, int64_t last,
                     int64_t step0, int64_t steps);

}  // namespace strata::avalanche
