#include "tsdb/block/meta_json.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cstdio>
#include <stdexcept>
#include <strata/sdk/json.hpp>

namespace strata::tsdb {
namespace {

std::string quote(const std::string& s) { return sdk::jsonString(s); }

}  // namespace

std::string metaToJson(const BlockMeta& m) {
  if (m.thanos_source.empty())
    throw std::invalid_argument("meta.json: no thanos.source (who writes the block must say)");
  std::string o = "{\n";
  o += "\t\"ulid\": " + quote(m.ulid) + ",\n";
  o += "\t\"minTime\": " + std::to_string(m.min_time) + ",\n";
  o += "\t\"maxTime\": " + std::to_string(m.max_time) + ",\n";
  o += "\t\"stats\": {\n";
  o += "\t\t\"numSamples\": " + std::to_string(m.num_samples) + ",\n";
  o += "\t\t\"numSeries\": " + std::to_string(m.num_series) + ",\n";
  o += "\t\t\"numChunks\": " + std::to_string(m.num_chunks) + "\n\t},\n";
  o += "\t\"compaction\": {\n\t\t\"level\": " + std::to_string(m.compaction_level) +
       ",\n\t\t\"sources\": [";
  for (size_t i = 0; i < m.compaction_sources.size(); ++i)
    o += (i ? ", " : "") + quote(m.compaction_sources[i]);
  o += "]";
  if (!m.compaction_parents.empty()) {
    o += ",\n\t\t\"parents\": [";
    for (size_t i = 0; i < m.compaction_parents.size(); ++i) {
      const BlockDesc& p = m.compaction_parents[i];
      o += std::string(i ? "," : "") + "\n\t\t\t{\"ulid\": " + quote(p.ulid) +
           ", \"minTime\": " + std::to_string(p.min_time) +
           ", \"maxTime\": " + std::to_string(p.max_time) + "}";
    }
    o += "\n\t\t]";
  }
  o += "\n\t},\n";
  o += "\t\"version\": 1,\n";
  o += "\t\"thanos\": {\n\t\t\"labels\": {";
  bool first = true;
  for (const auto& [k, v] : m.thanos_labels) {
    o += (first ? "\n\t\t\t" : ",\n\t\t\t") + quote(k) + ": " + quote(v);
    first = false;
  }
  o += first ? "},\n" : "\n\t\t},\n";
  o +=
      "\t\t\"downsample\": {\n\t\t\t\"resolution\": " + std::to_string(m.downsample_resolution_ms) +
      "\n\t\t},\n";
  o += "\t\t\"source\": " + quote(m.thanos_source) + "\n\t}\n}\n";
  return o;
}

BlockMeta metaFromJson(const std::string& text, const std::string& where) {
  BlockMeta m;
  try {
    Poco::JSON::Parser parser;
    auto root = parser.parse(text).extract<Poco::JSON::Object::Ptr>();
    if (!root) throw std::runtime_error("not an object");
    int version = root->optValue<int>("version", 0);
    if (version != 1)
      throw std::runtime_error("unsupported meta version " + std::to_string(version));
    m.ulid = root->getValue<std::string>("ulid");
    m.min_time = root->getValue<int64_t>("minTime");
    m.max_time = root->getValue<int64_t>("maxTime");
    if (auto st = root->getObject("stats")) {
      m.num_samples = st->optValue<uint64_t>("numSamples", 0);
      m.num_series = st->optValue<uint64_t>("numSeries", 0);
      m.num_chunks = st->optValue<uint64_t>("numChunks", 0);
    }
    if (auto c = root->getObject("compaction")) {
      m.compaction_level = c->optValue<int>("level", 1);
      if (auto srcs = c->getArray("sources"))
        for (size_t i = 0; i < srcs->size(); ++i)
          m.compaction_sources.push_back(srcs->getElement<std::string>(unsigned(i)));
      if (auto parents = c->getArray("parents"))
        for (size_t i = 0; i < parents->size(); ++i) {
          auto p = parents->getObject(unsigned(i));
          if (!p) throw std::runtime_error("compaction.parents: not an object");
          m.compaction_parents.push_back({p->getValue<std::string>("ulid"),
                                          p->getValue<int64_t>("minTime"),
                                          p->getValue<int64_t>("maxTime")});
        }
    }
    if (auto th = root->getObject("thanos")) {
      if (auto labels = th->getObject("labels"))
        for (const auto& [k, v] : *labels) m.thanos_labels[k] = v.convert<std::string>();
      if (auto ds = th->getObject("downsample"))
        m.downsample_resolution_ms = ds->optValue<int64_t>("resolution", 0);
      m.thanos_source = th->optValue<std::string>("source", "");
    }
  } catch (const Poco::Exception& e) {
    throw std::runtime_error(where + ": bad meta.json: " + e.displayText());
  } catch (const std::exception& e) {
    throw std::runtime_error(where + ": bad meta.json: " + e.what());
  }
  return m;
}

}  // namespace strata::tsdb
