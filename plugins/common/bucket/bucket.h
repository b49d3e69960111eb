// The one object storage bucket interface every backend (filesystem, s3) implements, shaped
// after Thanos' objstore.Bucket. Synchronous; every method may be called from several threads
// at once. Failures are BucketError exceptions whose kind tells the caller what to do (retry a
// Transient one, report the others). docs/bucket.md.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace strata::bucket {

enum class ErrorKind {
  NotFound,      // the object does not exist (HTTP 404)
  Unauthorized,  // credentials missing or rejected (HTTP 401)
  Forbidden,     // credentials valid but not allowed (HTTP 403)
  Transient,     // worth retrying: I/O hiccup, 5xx, throttling, connection errors, disk full
  Permanent,     // retrying will not help: malformed name, 4xx, a local file that is missing
};

const char* errorKindName(ErrorKind kind);

// what() is "bucket <op> \"<object>\": <detail>" (no object part when the failure is not about
// one object), e.g. `bucket get "01H.../meta.json": not found`.
class BucketError : public std::runtime_error {
 public:
  BucketError(ErrorKind kind, std::string op, std::string object, const std::string& detail);
  ErrorKind kind() const { return kind_; }
  const std::string& op() const { return op_; }          // "get", "put", "list", ...
  const std::string& object() const { return object_; }  // the object name or list prefix
  bool isNotFound() const { return kind_ == ErrorKind::NotFound; }
  bool isTransient() const { return kind_ == ErrorKind::Transient; }

 private:
  ErrorKind kind_;
  std::string op_;
  std::string object_;
};

struct ObjectAttributes {
  uint64_t size = 0;
  std::chrono::system_clock::time_point last_modified;
};

// Object names are '/'-separated segments: not empty, no leading '/', no empty, "." or ".."
// segment (so no "//" and no trailing '/'), no NUL. Segments containing ".strata-tmp." are
// reserved for the filesystem backend's temp files. Every method refuses any other name with
// a Permanent BucketError before touching storage.
bool isValidObjectName(std::string_view name);
// A list prefix: empty, or like an object name except that it may end with '/'.
bool isValidPrefix(std::string_view prefix);
// Throws Permanent BucketError(op, name, "invalid object name ...") unless valid.
void checkObjectName(std::string_view op, std::string_view name);
void checkPrefix(std::string_view op, std::string_view prefix);

class Bucket {
 public:
  virtual ~Bucket() = default;

  // A description for logs and errors ("filesystem:/var/lib/strata/bucket"); never secrets.
  virtual std::string describe() const = 0;

  // The whole object. NotFound when it does not exist.
  virtual std::vector<uint8_t> get(std::string_view name) = 0;
  // Bytes [offset, offset + length) clipped to the object's size: a range reaching past the
  // end returns what exists, an offset at or past the end returns no bytes (not an error; an
  // S3 backend maps 416 to empty). NotFound when the object does not exist.
  virtual std::vector<uint8_t> getRange(std::string_view name, uint64_t offset,
                                        uint64_t length) = 0;
  // Creates or replaces the object. Readers see the old or the new content, never a mix.
  virtual void put(std::string_view name, std::span<const uint8_t> data) = 0;
  // put() streaming the content of the local file at path (not held in memory whole).
  // A missing or unreadable local file is Permanent.
  virtual void uploadFile(std::string_view name, const std::string& path) = 0;
  // Calls fn with every entry whose name starts with prefix (which need not end at a '/'),
  // in byte-wise lexicographic order, each once. With an empty delimiter: every object below
  // prefix (recursive). With a delimiter: as S3 common prefixes, a name whose remainder after
  // prefix contains the delimiter is reported once as prefix + remainder up to and including
  // the delimiter ("dir/"); other names as themselves. Delimiter "/" lists one level.
  // Listing a prefix with nothing under it calls fn never (not an error). Exceptions thrown
  // by fn propagate; entries are gathered before the first call.
  virtual void list(std::string_view prefix, std::string_view delimiter,
                    const std::function<void(const std::string&)>& fn) = 0;
  // Whether the object exists. False for a "directory" (a name only prefixes exist under).
  virtual bool exists(std::string_view name) = 0;
  // Size and last modification time. NotFound when the object does not exist.
  virtual ObjectAttributes attributes(std::string_view name) = 0;
  // Deletes the object. NotFound when it does not exist (the filesystem backend; S3 deletes
  // are idempotent, so callers treat NotFound from remove as done).
  virtual void remove(std::string_view name) = 0;

  // Convenience: put() of a string's bytes.
  void put(std::string_view name, std::string_view data) {
    put(name, std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(data.data()), data.size()));
  }
  // Convenience: list() gathered into a vector.
  std::vector<std::string> listAll(std::string_view prefix, std::string_view delimiter) {
    std::vector<std::string> out;
    list(prefix, delimiter, [&](const std::string& e) { out.push_back(e); });
    return out;
  }
};

}  // namespace strata::bucket
