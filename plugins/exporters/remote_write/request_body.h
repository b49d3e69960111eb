// The HTTP body of one request, from a lease's payload, in the protocol the exporter speaks.
//
// Queue entries hold serialized remote write 1.0 WriteRequests whatever the protocol (see
// queue_entry.h): 1.0 entries concatenate into one request, while 2.0 Requests cannot (each
// carries its own symbol table). So the payload is converted at send time, and entries queued
// under one protocol send unchanged after the protocol option changes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "metadata_cache.h"

namespace strata::rwexporter {

enum class Protocol { k1, k2 };

// Snappy-compressed body: the payload as is (1.0), or re-encoded as an
// io.prometheus.write.v2.Request (2.0). `samples` (may be null) gets the float samples in it.
// With `metadata` (2.0 only), each series carries its family's metadata from the cache.
// Throws std::runtime_error if the payload does not parse (a corrupt queue entry).
std::string requestBody(std::string_view payload, Protocol protocol, uint64_t* samples = nullptr,
                        const MetadataCache* metadata = nullptr);

}  // namespace strata::rwexporter
