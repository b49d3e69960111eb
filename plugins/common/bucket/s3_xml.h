// The few S3 XML documents the backend reads and writes, with a small purpose-built parser:
// elements, text, the five predefined entities and numeric character references; attributes,
// comments, processing instructions and CDATA-free documents as S3 sends them.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace strata::bucket {

// Calls fn(path, text) when an element without child elements closes, path being the element
// names from the root joined by '/' ("ListBucketResult/Contents/Key"), text entity-decoded.
// Returns false for a document it cannot parse (unbalanced or truncated).
bool parseS3Xml(std::string_view doc,
                const std::function<void(const std::string& path, const std::string& text)>& fn);

// <Error><Code>..</Code><Message>..</Message></Error>; nullopt when doc is no such document.
struct S3ErrorBody {
  std::string code;
  std::string message;
};
std::optional<S3ErrorBody> parseS3Error(std::string_view doc);

// One ListObjectsV2 page.
struct S3ListPage {
  std::vector<std::string> keys;      // Contents/Key
  std::vector<std::string> prefixes;  // CommonPrefixes/Prefix
  bool truncated = false;
  std::string next_token;  // NextContinuationToken
};
std::optional<S3ListPage> parseS3ListPage(std::string_view doc);

// InitiateMultipartUploadResult/UploadId; nullopt when absent.
std::optional<std::string> parseS3UploadId(std::string_view doc);

// The CompleteMultipartUpload body for parts 1..n with these ETags (quotes included).
std::string s3CompleteMultipartBody(const std::vector<std::string>& etags);

std::string xmlEscape(std::string_view s);

}  // namespace strata::bucket
