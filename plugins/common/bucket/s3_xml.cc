#include "bucket/s3_xml.h"

#include <cstdlib>

namespace strata::bucket {

namespace {

void appendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

// Decodes entities in raw text; false on an unknown or unterminated one.
bool decodeText(std::string_view raw, std::string& out) {
  out.clear();
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '&') {
      out += raw[i];
      continue;
    }
    size_t semi = raw.find(';', i);
    if (semi == std::string_view::npos) return false;
    std::string_view ent = raw.substr(i + 1, semi - i - 1);
    if (ent == "amp") {
      out += '&';
    } else if (ent == "lt") {
      out += '<';
    } else if (ent == "gt") {
      out += '>';
    } else if (ent == "quot") {
      out += '"';
    } else if (ent == "apos") {
      out += '\'';
    } else if (ent.size() > 1 && ent[0] == '#') {
      std::string num(ent.substr(1));
      int base = 10;
      if (num[0] == 'x' || num[0] == 'X') {
        base = 16;
        num = num.substr(1);
      }
      char* end = nullptr;
      unsigned long cp = std::strtoul(num.c_str(), &end, base);
      if (num.empty() || *end != '\0' || cp > 0x10ffff) return false;
      appendUtf8(out, static_cast<uint32_t>(cp));
    } else {
      return false;
    }
    i = semi;
  }
  return true;
}

}  // namespace

bool parseS3Xml(std::string_view doc,
                const std::function<void(const std::string&, const std::string&)>& fn) {
  std::vector<std::string> stack;
  std::vector<bool> has_child;
  std::string text, decoded;
  size_t i = 0;
  bool seen_root = false;
  while (i < doc.size()) {
    if (doc[i] != '<') {
      size_t lt = doc.find('<', i);
      if (lt == std::string_view::npos) lt = doc.size();
      if (!stack.empty()) text.append(doc.substr(i, lt - i));
      i = lt;
      continue;
    }
    if (doc.substr(i, 2) == "<?") {
      size_t e = doc.find("?>", i);
      if (e == std::string_view::npos) return false;
      i = e + 2;
      continue;
    }
    if (doc.substr(i, 4) == "<!--") {
      size_t e = doc.find("-->", i);
      if (e == std::string_view::npos) return false;
      i = e + 3;
      continue;
    }
    size_t gt = doc.find('>', i);
    if (gt == std::string_view::npos) return false;
    std::string_view tag = doc.substr(i + 1, gt - i - 1);
    i = gt + 1;
    if (!tag.empty() && tag[0] == '/') {  // closing
      std::string_view name = tag.substr(1);
      while (!name.empty() && (name.back() == ' ' || name.back() == '\n')) name.remove_suffix(1);
      if (stack.empty() || stack.back() != name) return false;
      if (!has_child.back()) {
        if (!decodeText(text, decoded)) return false;
        std::string path;
        for (const auto& s : stack) path += (path.empty() ? "" : "/") + s;
        fn(path, decoded);
      }
      text.clear();
      stack.pop_back();
      has_child.pop_back();
      continue;
    }
    bool self_closing = !tag.empty() && tag.back() == '/';
    if (self_closing) tag.remove_suffix(1);
    size_t end = tag.find_first_of(" \t\r\n");
    std::string name(tag.substr(0, end));
    if (name.empty()) return false;
    if (stack.empty() && seen_root) return false;
    seen_root = true;
    if (!has_child.empty()) has_child.back() = true;
    text.clear();
    if (self_closing) {
      std::string path;
      for (const auto& s : stack) path += s + "/";
      fn(path + name, "");
    } else {
      stack.push_back(std::move(name));
      has_child.push_back(false);
    }
  }
  return stack.empty() && seen_root;
}

std::optional<S3ErrorBody> parseS3Error(std::string_view doc) {
  S3ErrorBody e;
  bool is_error = false;
  bool ok = parseS3Xml(doc, [&](const std::string& path, const std::string& text) {
    if (path == "Error/Code") {
      e.code = text;
      is_error = true;
    } else if (path == "Error/Message") {
      e.message = text;
    }
  });
  if (!ok || !is_error) return std::nullopt;
  return e;
}

std::optional<S3ListPage> parseS3ListPage(std::string_view doc) {
  S3ListPage p;
  bool root = false;
  bool ok = parseS3Xml(doc, [&](const std::string& path, const std::string& text) {
    if (path.starts_with("ListBucketResult/")) root = true;
    if (path == "ListBucketResult/Contents/Key") {
      p.keys.push_back(text);
    } else if (path == "ListBucketResult/CommonPrefixes/Prefix") {
      p.prefixes.push_back(text);
    } else if (path == "ListBucketResult/IsTruncated") {
      p.truncated = text == "true";
    } else if (path == "ListBucketResult/NextContinuationToken") {
      p.next_token = text;
    }
  });
  if (!ok || !root) return std::nullopt;
  return p;
}

std::optional<std::string> parseS3UploadId(std::string_view doc) {
  std::optional<std::string> id;
  bool ok = parseS3Xml(doc, [&](const std::string& path, const std::string& text) {
    if (path == "InitiateMultipartUploadResult/UploadId" && !text.empty()) id = text;
  });
  if (!ok) return std::nullopt;
  return id;
}

std::string xmlEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string s3CompleteMultipartBody(const std::vector<std::string>& etags) {
  std::string b = "<CompleteMultipartUpload>";
  for (size_t i = 0; i < etags.size(); ++i) {
    b += "<Part><PartNumber>" + std::to_string(i + 1) + "</PartNumber><ETag>" +
         xmlEscape(etags[i]) + "</ETag></Part>";
  }
  return b + "</CompleteMultipartUpload>";
}

}  // namespace strata::bucket
