#include "compact/marks.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <stdexcept>
#include <strata/sdk/json.hpp>

#include "bucket/bucket_layout.h"

namespace strata::compact {

std::string deletionMarkJson(const std::string& ulid, int64_t deletion_time_s) {
  return "{\"id\":" + sdk::jsonString(ulid) +
         ",\"deletion_time\":" + std::to_string(deletion_time_s) + ",\"version\":1}\n";
}

int64_t parseDeletionMark(const std::string& text, const std::string& where) {
  try {
    Poco::JSON::Parser parser;
    auto root = parser.parse(text).extract<Poco::JSON::Object::Ptr>();
    if (!root) throw std::runtime_error("not an object");
    return root->getValue<int64_t>("deletion_time");
  } catch (const Poco::Exception& e) {
    throw std::runtime_error(where + ": bad deletion mark: " + e.displayText());
  } catch (const std::exception& e) {
    throw std::runtime_error(where + ": bad deletion mark: " + e.what());
  }
}

std::string noCompactMarkJson(const std::string& ulid, const std::string& reason,
                              const std::string& details, int64_t now_s) {
  return "{\"id\":" + sdk::jsonString(ulid) +
         ",\"version\":1,\"details\":" + sdk::jsonString(details) +
         ",\"no_compact_time\":" + std::to_string(now_s) +
         ",\"reason\":" + sdk::jsonString(reason) + "}\n";
}

void markForDeletion(bucket::Bucket& bucket, const std::string& ulid, int64_t now_s) {
  bucket.put(bucket::blockDeletionMarkName(ulid), deletionMarkJson(ulid, now_s));
}

void markNoCompact(bucket::Bucket& bucket, const std::string& ulid, const std::string& reason,
                   const std::string& details, int64_t now_s) {
  bucket.put(bucket::blockNoCompactMarkName(ulid), noCompactMarkJson(ulid, reason, details, now_s));
}

}  // namespace strata::compact
