#include "bucket/bucket_factory.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <stdexcept>

#include "bucket/filesystem_bucket.h"
#include "bucket/s3_bucket.h"
#include "bucket/s3_config.h"

namespace strata::bucket {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string unknownKey(const BucketConfig& c, std::initializer_list<const char*> known) {
  for (const auto& [key, value] : c.config) {
    bool ok = false;
    for (const char* k : known) ok |= key == k;
    if (!ok) return "bucket.config." + key + ": unknown option for type " + lower(c.type);
  }
  return "";
}

}  // namespace

std::string checkBucketConfig(const BucketConfig& c) {
  std::string type = lower(c.type);
  if (type.empty()) return "bucket.type: required (filesystem)";
  if (type == "filesystem") {
    auto it = c.config.find("directory");
    if (it == c.config.end() || it->second.empty()) return "bucket.config.directory: required";
    return unknownKey(c, {"directory"});
  }
  if (type == "s3") {
    try {
      S3Config s3 = parseS3Config(c.config);
      if (s3.endpoint.empty()) return "bucket.config.endpoint: required";
      if (s3.bucket.empty()) return "bucket.config.bucket: required";
    } catch (const std::invalid_argument& e) {
      return std::string("bucket.config: ") + e.what();
    }
    return "";
  }
  return "bucket.type: unknown type \"" + c.type + "\" (filesystem, s3)";
}

std::unique_ptr<Bucket> makeBucket(const BucketConfig& c) {
  std::string problem = checkBucketConfig(c);
  if (!problem.empty()) throw std::invalid_argument(problem);
  if (lower(c.type) == "s3") return std::make_unique<S3Bucket>(parseS3Config(c.config));
  std::filesystem::path dir = c.config.at("directory");
  if (dir.is_relative() && !c.base_dir.empty()) dir = std::filesystem::path(c.base_dir) / dir;
  return std::make_unique<FilesystemBucket>(dir.lexically_normal().string());
}

std::optional<BucketError> probeBucket(Bucket& bucket) {
  auto* s3 = dynamic_cast<S3Bucket*>(&bucket);
  if (!s3) return std::nullopt;
  try {
    s3->check();
  } catch (const BucketError& e) {
    return e;
  }
  return std::nullopt;
}

}  // namespace strata::bucket
