// Multipart upload of a local file: initiate, upload the parts in parallel (each read from the
// file by pread and signed with its own SHA-256), complete; abort the upload on any failure so
// no parts linger. docs/bucket.md.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "bucket/s3_request.h"

namespace strata::bucket {

// Uploads `size` bytes of the open file fd as object key in parts of part_size (raised when
// the file would need more than 10000 parts) with up to `concurrency` parts in flight.
// Throws BucketError(op "upload", key); the first failure of a part ends the upload.
void s3MultipartUpload(S3Client& client, std::string_view key, int fd, uint64_t size,
                       uint64_t part_size, int concurrency);

}  // namespace strata::bucket
