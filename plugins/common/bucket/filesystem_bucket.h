// The `filesystem` bucket backend: objects are regular files under a root directory, the
// object name being the path relative to it. Writes are atomic (temp file in the same
// directory, fsync, rename, fsync of the directory), so a reader sees the old or the new
// content, never a partial one, and a crash leaves at most an unlisted temp file. docs/bucket.md.
#pragma once

#include <string>

#include "bucket/bucket.h"

namespace strata::bucket {

class FilesystemBucket : public Bucket {
 public:
  // Creates root (and its parents) when missing. Throws BucketError when it cannot.
  explicit FilesystemBucket(std::string root);

  const std::string& root() const { return root_; }

  std::string describe() const override;
  std::vector<uint8_t> get(std::string_view name) override;
  std::vector<uint8_t> getRange(std::string_view name, uint64_t offset, uint64_t length) override;
  using Bucket::put;
  void put(std::string_view name, std::span<const uint8_t> data) override;
  void uploadFile(std::string_view name, const std::string& path) override;
  void list(std::string_view prefix, std::string_view delimiter,
            const std::function<void(const std::string&)>& fn) override;
  bool exists(std::string_view name) override;
  ObjectAttributes attributes(std::string_view name) override;
  void remove(std::string_view name) override;

  // Whether a file name (one path segment) is one of this backend's temp files:
  // "<name>.strata-tmp.<16 hex digits>". Never listed; object names cannot contain the marker.
  static bool isTempFileName(std::string_view segment);

 private:
  std::string pathOf(std::string_view name) const { return root_ + "/" + std::string(name); }
  // Writes an object from a source (called with the temp file's fd until it returns false).
  template <typename Fill>
  void atomicWrite(std::string_view op, std::string_view name, Fill&& fill);

  std::string root_;  // absolute, no trailing '/'
};

}  // namespace strata::bucket
