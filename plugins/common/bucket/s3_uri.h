// URI encoding as SigV4 wants it, since libcurl 7.88 signs the path and query exactly as given:
// RFC 3986 percent-encoding (everything but A-Z a-z 0-9 - . _ ~ as %XX, upper-case hex) and a
// query sorted by name then value, every parameter written "name=value" ("uploads=").
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace strata::bucket {

using S3Query = std::vector<std::pair<std::string, std::string>>;

// Percent-encodes s; with keep_slash, '/' stays as is (object keys in a path).
std::string s3UriEncode(std::string_view s, bool keep_slash);
// "a=1&b=x%2Fy&uploads=": sorted, encoded.
std::string s3CanonicalQuery(S3Query query);

}  // namespace strata::bucket
