#include "bucket/s3_multipart.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "bucket/s3_xml.h"

namespace strata::bucket {

namespace {

constexpr uint64_t kMaxParts = 10000;

std::string_view asText(const std::vector<uint8_t>& b) {
  return std::string_view(reinterpret_cast<const char*>(b.data()), b.size());
}

// After a retried completion answered 404 (NoSuchUpload): whether an earlier attempt did
// complete it (its response lost), i.e. the object now has our size and a multipart ETag of
// our part count.
bool completedEarlier(S3Client& client, const std::string& key, uint64_t size, uint64_t parts) {
  S3Request head;
  head.method = "HEAD";
  head.key = key;
  try {
    S3Response r = client.perform("upload", key, head);
    std::string etag = r.header("etag");
    if (!etag.empty() && etag.back() == '"') etag.pop_back();
    return r.status == 200 && r.header("content-length") == std::to_string(size) &&
           etag.ends_with("-" + std::to_string(parts));
  } catch (const BucketError&) {
    return false;
  }
}

}  // namespace

void s3MultipartUpload(S3Client& client, std::string_view key, int fd, uint64_t size,
                       uint64_t part_size, int concurrency) {
  const std::string op = "upload";
  const std::string k(key);
  const std::string& bucket = client.endpoint().bucket;
  part_size = std::max(part_size, (size + kMaxParts - 1) / kMaxParts);
  const uint64_t parts = std::max<uint64_t>(1, (size + part_size - 1) / part_size);

  S3Request init;
  init.method = "POST";
  init.key = k;
  init.query = {{"uploads", ""}};
  init.headers = {"Content-Type: application/octet-stream"};
  S3Response r = client.perform(op, k, init);
  if (r.status / 100 != 2) throw s3HttpError(op, k, r, bucket);
  auto upload_id = parseS3UploadId(asText(r.body));
  if (!upload_id) {
    throw BucketError(ErrorKind::Permanent, op, k,
                      "initiate multipart upload: no UploadId in the response");
  }

  std::vector<std::string> etags(parts);
  std::atomic<uint64_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr first_error;
  std::mutex mu;
  auto worker = [&] {
    while (!failed.load()) {
      uint64_t i = next.fetch_add(1);
      if (i >= parts) return;
      try {
        S3Request part;
        part.method = "PUT";
        part.key = k;
        part.query = {{"partNumber", std::to_string(i + 1)}, {"uploadId", *upload_id}};
        part.file_fd = fd;
        part.file_offset = i * part_size;
        part.file_length = std::min(part_size, size - part.file_offset);
        part.sign_file_payload = true;
        S3Response pr = client.perform(op, k, part);
        if (pr.status / 100 != 2) throw s3HttpError(op, k, pr, bucket);
        std::string etag = pr.header("etag");
        if (etag.empty()) {
          throw BucketError(ErrorKind::Transient, op, k,
                            "part " + std::to_string(i + 1) + ": no ETag in the response");
        }
        etags[i] = etag;
      } catch (...) {
        std::lock_guard<std::mutex> l(mu);
        if (!first_error) first_error = std::current_exception();
        failed = true;
        return;
      }
    }
  };
  int n =
      static_cast<int>(std::min<uint64_t>(parts, static_cast<uint64_t>(std::max(1, concurrency))));
  std::vector<std::thread> threads;
  for (int t = 1; t < n; ++t) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();

  try {
    if (first_error) std::rethrow_exception(first_error);
    std::string body = s3CompleteMultipartBody(etags);
    S3Request done;
    done.method = "POST";
    done.key = k;
    done.query = {{"uploadId", *upload_id}};
    done.headers = {"Content-Type: application/xml"};
    done.body =
        std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(body.data()), body.size());
    S3Response cr = client.perform(op, k, done);
    if (cr.status == 404 && completedEarlier(client, k, size, parts)) return;
    if (cr.status / 100 != 2) throw s3HttpError(op, k, cr, bucket);
    // A 200 may still carry an <Error> (the failure happened after the headers were sent).
    if (auto e = parseS3Error(asText(cr.body))) {
      cr.status = e->code == "InternalError" || e->code == "SlowDown" ? 500 : 400;
      throw s3HttpError(op, k, cr, bucket);
    }
  } catch (...) {
    S3Request abort;
    abort.method = "DELETE";
    abort.key = k;
    abort.query = {{"uploadId", *upload_id}};
    try {
      client.perform(op, k, abort);  // best effort; a lifecycle rule catches what remains
    } catch (const BucketError&) {
    }
    throw;
  }
}

}  // namespace strata::bucket
