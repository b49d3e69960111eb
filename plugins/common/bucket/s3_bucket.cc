#include "bucket/s3_bucket.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "bucket/s3_multipart.h"
#include "bucket/s3_xml.h"

namespace strata::bucket {

namespace {

bool ok(const S3Response& r) { return r.status / 100 == 2; }

}  // namespace

S3Bucket::S3Bucket(S3Config config) : client_(std::move(config)) {}

std::string S3Bucket::describe() const { return "s3:" + client_.endpoint().describe(); }

std::vector<uint8_t> S3Bucket::get(std::string_view name) {
  checkObjectName("get", name);
  S3Request req;
  req.key = std::string(name);
  S3Response r = client_.perform("get", name, req);
  if (!ok(r)) throw s3HttpError("get", name, r, client_.endpoint().bucket);
  return std::move(r.body);
}

std::vector<uint8_t> S3Bucket::getRange(std::string_view name, uint64_t offset, uint64_t length) {
  checkObjectName("get_range", name);
  if (length == 0) {
    head("get_range", name);  // NotFound for a missing object, as for other lengths
    return {};
  }
  S3Request req;
  req.key = std::string(name);
  std::string range = "Range: bytes=" + std::to_string(offset) + "-";
  if (length <= UINT64_MAX - offset) range += std::to_string(offset + length - 1);
  req.headers.push_back(range);
  S3Response r = client_.perform("get_range", name, req);
  if (r.status == 416) return {};  // offset at or past the end
  if (!ok(r)) throw s3HttpError("get_range", name, r, client_.endpoint().bucket);
  if (r.status == 200 && (offset > 0 || r.body.size() > length)) {
    // A server ignoring Range sends everything: cut it ourselves.
    if (offset >= r.body.size()) return {};
    auto first = r.body.begin() + static_cast<ptrdiff_t>(offset);
    auto last = r.body.begin() +
                static_cast<ptrdiff_t>(offset + std::min<uint64_t>(length, r.body.size() - offset));
    return std::vector<uint8_t>(first, last);
  }
  return std::move(r.body);
}

void S3Bucket::put(std::string_view name, std::span<const uint8_t> data) {
  checkObjectName("put", name);
  S3Request req;
  req.method = "PUT";
  req.key = std::string(name);
  req.headers = {"Content-Type: application/octet-stream"};
  req.body = data;
  S3Response r = client_.perform("put", name, req);
  if (!ok(r)) throw s3HttpError("put", name, r, client_.endpoint().bucket);
}

void S3Bucket::uploadFile(std::string_view name, const std::string& path) {
  checkObjectName("upload", name);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    throw BucketError(ErrorKind::Permanent, "upload", std::string(name),
                      "open local file " + path + ": " + std::strerror(errno));
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    throw BucketError(ErrorKind::Permanent, "upload", std::string(name),
                      "local file " + path + " is not a readable regular file");
  }
  uint64_t size = static_cast<uint64_t>(st.st_size);
  const S3Config& c = client_.config();
  if (size > c.part_size) {
    s3MultipartUpload(client_, name, fd, size, c.part_size, c.part_concurrency);
    return;
  }
  S3Request req;
  req.method = "PUT";
  req.key = std::string(name);
  req.headers = {"Content-Type: application/octet-stream"};
  req.file_fd = fd;
  req.file_length = size;
  req.sign_file_payload = false;  // UNSIGNED-PAYLOAD: one read of the file, streamed
  S3Response r = client_.perform("upload", name, req);
  if (!ok(r)) throw s3HttpError("upload", name, r, client_.endpoint().bucket);
}

void S3Bucket::list(std::string_view prefix, std::string_view delimiter,
                    const std::function<void(const std::string&)>& fn) {
  checkPrefix("list", prefix);
  std::vector<std::string> entries;
  std::string token;
  while (true) {
    S3Request req;
    req.query = {{"list-type", "2"}, {"max-keys", std::to_string(client_.config().list_max_keys)}};
    if (!prefix.empty()) req.query.emplace_back("prefix", std::string(prefix));
    if (!delimiter.empty()) req.query.emplace_back("delimiter", std::string(delimiter));
    if (!token.empty()) req.query.emplace_back("continuation-token", token);
    S3Response r = client_.perform("list", prefix, req);
    if (!ok(r)) throw s3HttpError("list", prefix, r, client_.endpoint().bucket);
    auto page = parseS3ListPage(
        std::string_view(reinterpret_cast<const char*>(r.body.data()), r.body.size()));
    if (!page) {
      throw BucketError(ErrorKind::Permanent, "list", std::string(prefix),
                        "unparseable ListObjectsV2 response");
    }
    for (auto& k : page->keys) entries.push_back(std::move(k));
    for (auto& p : page->prefixes) entries.push_back(std::move(p));
    if (!page->truncated) break;
    if (page->next_token.empty() || page->next_token == token) {
      throw BucketError(ErrorKind::Permanent, "list", std::string(prefix),
                        "truncated ListObjectsV2 page without a new continuation token");
    }
    token = page->next_token;
  }
  std::sort(entries.begin(), entries.end());
  entries.erase(std::unique(entries.begin(), entries.end()), entries.end());
  for (const auto& e : entries) fn(e);
}

S3Response S3Bucket::head(std::string_view op, std::string_view name) {
  S3Request req;
  req.method = "HEAD";
  req.key = std::string(name);
  S3Response r = client_.perform(op, name, req);
  if (!ok(r)) throw s3HttpError(op, name, r, client_.endpoint().bucket);
  return r;
}

bool S3Bucket::exists(std::string_view name) {
  checkObjectName("exists", name);
  S3Request req;
  req.method = "HEAD";
  req.key = std::string(name);
  S3Response r = client_.perform("exists", name, req);
  if (r.status == 404) return false;
  if (!ok(r)) throw s3HttpError("exists", name, r, client_.endpoint().bucket);
  return true;
}

ObjectAttributes S3Bucket::attributes(std::string_view name) {
  checkObjectName("attributes", name);
  S3Response r = head("attributes", name);
  ObjectAttributes a;
  std::string len = r.header("content-length");
  std::string lm = r.header("last-modified");
  if (len.empty() || lm.empty()) {
    throw BucketError(ErrorKind::Permanent, "attributes", std::string(name),
                      "HEAD response without Content-Length or Last-Modified");
  }
  a.size = std::stoull(len);
  time_t t = curl_getdate(lm.c_str(), nullptr);
  if (t < 0) {
    throw BucketError(ErrorKind::Permanent, "attributes", std::string(name),
                      "unparseable Last-Modified \"" + lm + "\"");
  }
  a.last_modified = std::chrono::system_clock::from_time_t(t);
  return a;
}

void S3Bucket::remove(std::string_view name) {
  checkObjectName("remove", name);
  S3Request req;
  req.method = "DELETE";
  req.key = std::string(name);
  S3Response r = client_.perform("remove", name, req);
  if (!ok(r)) throw s3HttpError("remove", name, r, client_.endpoint().bucket);
}

void S3Bucket::check() {
  S3Request req;
  req.query = {{"list-type", "2"}, {"max-keys", "1"}};
  S3Response r = client_.perform("check", "", req);
  if (!ok(r)) throw s3HttpError("check", "", r, client_.endpoint().bucket);
}

std::string S3Bucket::etag(std::string_view name) {
  checkObjectName("etag", name);
  return head("etag", name).header("etag");
}

}  // namespace strata::bucket
