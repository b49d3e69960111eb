#include "discovery.h"

#include <curl/curl.h>
#include <glob.h>
#include <sys/stat.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>

#include "http_client/curl_setup.h"

namespace strata::scrape {
namespace {

void addGroup(const std::vector<std::string>& addrs,
              const std::map<std::string, std::string>& labels, const std::string& meta_name,
              const std::string& meta_value, std::vector<relabel::LabelSet>* out) {
  for (const auto& a : addrs) {
    relabel::LabelSet ls;
    for (const auto& [k, v] : labels) ls.set(k, v);
    if (!meta_name.empty()) ls.set(meta_name, meta_value);
    ls.set("__address__", a);  // the target's own label wins over the group's
    out->push_back(std::move(ls));
  }
}

size_t appendBody(char* p, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(p, size * n);
  return size * n;
}

bool httpGet(const std::string& url, std::string* body, std::string* error) {
  http_client::ensureCurlGlobalInit();
  CURL* c = curl_easy_init();
  if (!c) return false;
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 30000L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &appendBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, body);
  CURLcode rc = curl_easy_perform(c);
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_cleanup(c);
  if (rc != CURLE_OK) {
    *error = curl_easy_strerror(rc);
    return false;
  }
  if (status != 200) {
    *error = "server returned HTTP status " + std::to_string(status);
    return false;
  }
  return true;
}

int64_t mtimeNs(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return -1;
  return static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
}

std::vector<std::string> expandGlob(const std::string& pattern) {
  std::vector<std::string> out;
  glob_t g{};
  if (glob(pattern.c_str(), 0, nullptr, &g) == 0) {
    for (size_t i = 0; i < g.gl_pathc; ++i) out.push_back(g.gl_pathv[i]);
  }
  globfree(&g);
  return out;
}

}  // namespace

bool parseTargetGroups(const std::string& text, const std::string& meta_name,
                       const std::string& meta_value, std::vector<relabel::LabelSet>* out,
                       std::string* error) {
  try {
    YAML::Node root = YAML::Load(text);  // JSON is YAML
    if (root.IsNull()) return true;
    if (!root.IsSequence()) {
      *error = "expected a list of target groups";
      return false;
    }
    for (const auto& g : root) {
      if (!g.IsMap()) {
        *error = "a target group must be a map";
        return false;
      }
      std::vector<std::string> addrs;
      std::map<std::string, std::string> labels;
      if (g["targets"]) {
        for (const auto& t : g["targets"]) addrs.push_back(t.as<std::string>());
      }
      if (g["labels"]) {
        for (const auto& kv : g["labels"]) {
          std::string name = kv.first.as<std::string>();
          if (!relabel::isValidLabelName(name)) {
            *error = "\"" + name + "\" is not a valid label name";
            return false;
          }
          labels[name] = kv.second.IsNull() ? "" : kv.second.as<std::string>();
        }
      }
      addGroup(addrs, labels, meta_name, meta_value, out);
    }
    return true;
  } catch (const std::exception& e) {
    *error = e.what();
    return false;
  }
}

JobDiscovery::JobDiscovery(const JobConfig& job) : job_(job) {
  for (const auto& g : job.static_configs) addGroup(g.targets, g.labels, "", "", &static_targets_);
  file_sources_.resize(job.file_sd.size());
  http_sources_.resize(job.http_sd.size());
  for (size_t i = 0; i < job.file_sd.size(); ++i)
    file_sources_[i].refresh_ms = job.file_sd[i].refresh_ms;
  for (size_t i = 0; i < job.http_sd.size(); ++i)
    http_sources_[i].refresh_ms = job.http_sd[i].refresh_ms;
}

bool JobDiscovery::refreshFiles(const FileSd& cfg, Source& src, bool due,
                                std::vector<std::string>* errors) {
  bool changed = false;
  std::map<std::string, FileState> next;
  for (const auto& pattern : cfg.files) {
    for (const auto& path : expandGlob(pattern)) {
      FileState st;
      auto old = src.files.find(path);
      st.mtime_ns = mtimeNs(path);
      if (old != src.files.end() && old->second.mtime_ns == st.mtime_ns && !due) {
        next[path] = std::move(old->second);
        continue;
      }
      std::ifstream in(path);
      std::stringstream ss;
      ss << in.rdbuf();
      std::string error;
      if (!in || !parseTargetGroups(ss.str(), "__meta_filepath", path, &st.targets, &error)) {
        errors->push_back("file_sd " + path + ": " + (error.empty() ? "unreadable" : error));
        if (old != src.files.end()) st.targets = old->second.targets;  // keep the last good
      }
      if (old == src.files.end() || !(old->second.targets == st.targets)) changed = true;
      next[path] = std::move(st);
    }
  }
  if (next.size() != src.files.size()) changed = true;
  src.files = std::move(next);
  return changed;
}

bool JobDiscovery::refreshHttp(const HttpSd& cfg, Source& src, std::vector<std::string>* errors) {
  std::string body, error;
  std::vector<relabel::LabelSet> targets;
  if (!httpGet(cfg.url, &body, &error) ||
      !parseTargetGroups(body, "__meta_url", cfg.url, &targets, &error)) {
    errors->push_back("http_sd " + cfg.url + ": " + error);
    return false;
  }
  if (targets == src.http_targets) return false;
  src.http_targets = std::move(targets);
  return true;
}

bool JobDiscovery::refresh(int64_t now_ms, std::vector<std::string>* errors) {
  bool changed = false;
  for (size_t i = 0; i < file_sources_.size(); ++i) {
    Source& s = file_sources_[i];
    bool due = now_ms >= s.next_ms;
    if (due) s.next_ms = now_ms + s.refresh_ms;
    changed |= refreshFiles(job_.file_sd[i], s, due, errors);  // mtime checks are cheap
  }
  for (size_t i = 0; i < http_sources_.size(); ++i) {
    Source& s = http_sources_[i];
    if (now_ms < s.next_ms) continue;
    s.next_ms = now_ms + s.refresh_ms;
    changed |= refreshHttp(job_.http_sd[i], s, errors);
  }
  return changed;
}

std::vector<relabel::LabelSet> JobDiscovery::targets() const {
  std::vector<relabel::LabelSet> all = static_targets_;
  for (const auto& s : file_sources_)
    for (const auto& [path, f] : s.files) all.insert(all.end(), f.targets.begin(), f.targets.end());
  for (const auto& s : http_sources_)
    all.insert(all.end(), s.http_targets.begin(), s.http_targets.end());
  return all;
}

}  // namespace strata::scrape
