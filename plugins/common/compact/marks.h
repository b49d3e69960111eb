// The marker files of Thanos' bucket layout, in Thanos' JSON format, so Thanos' tools read our
// marks and we read theirs:
//   <ULID>/deletion-mark.json    {"id", "deletion_time" (unix seconds), "version": 1}
//   <ULID>/no-compact-mark.json  {"id", "version": 1, "details", "no_compact_time", "reason"}
#pragma once

#include <cstdint>
#include <string>

#include "bucket/bucket.h"

namespace strata::compact {

std::string deletionMarkJson(const std::string& ulid, int64_t deletion_time_s);
// The deletion time (unix seconds) of a deletion-mark.json; throws std::runtime_error naming
// `where` when it is not one.
int64_t parseDeletionMark(const std::string& text, const std::string& where);

std::string noCompactMarkJson(const std::string& ulid, const std::string& reason,
                              const std::string& details, int64_t now_s);

// Write the marks (put: replaces an existing mark, which is harmless).
void markForDeletion(bucket::Bucket& bucket, const std::string& ulid, int64_t now_s);
void markNoCompact(bucket::Bucket& bucket, const std::string& ulid, const std::string& reason,
                   const std::string& details, int64_t now_s);

}  // namespace strata::compact
