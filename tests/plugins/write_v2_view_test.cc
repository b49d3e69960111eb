// The zero-copy remote write 2.0 parser against protobuf's own: the same symbols, references,
// samples, metadata and counts for random requests (unknown fields, unpacked references and
// repeated metadata included), and the same verdict on every truncation.
#include "prompb/write_v2_view.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>

#include "proto/write_v2.pb.h"

namespace strata::prompb {
namespace {

namespace v2 = io::prometheus::write::v2;

std::string varint(uint64_t v) {
  std::string out;
  for (; v >= 0x80; v >>= 7) out += static_cast<char>((v & 0x7f) | 0x80);
  out += static_cast<char>(v);
  return out;
}
std::string key(uint32_t field, uint32_t type) { return varint(uint64_t{field} << 3 | type); }
std::string len(uint32_t field, const std::string& body) {
  return key(field, 2) + varint(body.size()) + body;
}

// Unknown fields of every wire type, a group with a nested one among them.
std::string unknownFields(std::mt19937_64& rng) {
  std::string out;
  int n = static_cast<int>(rng() % 3);
  for (int i = 0; i < n; ++i) {
    uint32_t field = 9 + static_cast<uint32_t>(rng() % 20);
    switch (rng() % 5) {
      case 0:
        out += key(field, 0) + varint(rng() >> (rng() % 64));
        break;
      case 1:
        out += key(field, 1) + std::string(8, 'x');
        break;
      case 2:
        out += len(field, std::string(rng() % 5, 'u'));
        break;
      case 3:
        out += key(field, 5) + std::string(4, 'y');
        break;
      default:
        out += key(field, 3) + key(1, 0) + "\x01" + key(2, 3) + key(2, 4) + key(field, 4);
    }
  }
  return out;
}

// A TimeSeries written by hand: what protobuf's serializer never produces (unpacked and
// split references, metadata in pieces, out-of-range enum values, unknown fields inside).
std::string handMadeSeries(std::mt19937_64& rng) {
  std::string out;
  int parts = static_cast<int>(rng() % 6);
  for (int i = 0; i < parts; ++i) {
    switch (rng() % 6) {
      case 0:
        out += key(1, 0) + varint(rng() % 8);  // unpacked reference
        break;
      case 1:
        out += len(1, varint(rng() % 8) + varint(rng() % 8) + varint(uint64_t{1} << 33 | 2));
        break;
      case 2:
        out += len(
            2, key(1, 1) + std::string(8, '\x40') + key(2, 0) + varint(rng()) + unknownFields(rng));
        break;
      case 3:
        out += len(5, key(1, 0) + varint(rng() % 12) + key(3, 0) + varint(rng() % 8));
        break;
      case 4:
        out += len(5, key(4, 0) + varint(rng() % 8) + unknownFields(rng));
        break;
      default:
        out += len(4, len(1, varint(3)) + key(1, 0) + "\x02") + len(3, "h") + unknownFields(rng);
    }
  }
  return out;
}

std::string randomRequest(std::mt19937_64& rng) {
  v2::Request r;
  int symbols = static_cast<int>(rng() % 8);
  for (int i = 0; i < symbols; ++i)
    r.add_symbols(i == 0 && rng() % 4 ? "" : std::string(rng() % 12, 'a' + rng() % 26));
  int series = static_cast<int>(rng() % 12);
  for (int i = 0; i < series; ++i) {
    auto* ts = r.add_timeseries();
    int refs = static_cast<int>(rng() % 8);
    for (int k = 0; k < refs; ++k) ts->add_labels_refs(static_cast<uint32_t>(rng() % 10));
    int samples = static_cast<int>(rng() % 4);
    for (int s = 0; s < samples; ++s) {
      auto* sm = ts->add_samples();
      sm->set_timestamp(static_cast<int64_t>(rng()) >> (rng() % 64));
      sm->set_value(static_cast<double>(static_cast<int64_t>(rng())) / 7.0);
    }
    if (rng() % 5 == 0) {
      auto* e = ts->add_exemplars();
      e->set_value(1);
      e->add_labels_refs(1);
      e->set_timestamp(5);
    }
    if (rng() % 7 == 0) ts->add_histograms("x");
    if (rng() % 3 == 0) {
      auto* m = ts->mutable_metadata();
      m->set_type(static_cast<v2::Metadata::MetricType>(rng() % 8));
      m->set_help_ref(static_cast<uint32_t>(rng() % 9));
      if (rng() % 2) m->set_unit_ref(static_cast<uint32_t>(rng() % 9));
    }
    if (rng() % 4 == 0) ts->set_created_timestamp(static_cast<int64_t>(rng() % 1000));
  }
  if (rng() % 20 == 0) r.add_v1_timeseries("old");
  std::string wire = r.SerializeAsString();
  if (rng() % 2) wire += unknownFields(rng);
  if (rng() % 2) wire += len(5, handMadeSeries(rng));
  if (rng() % 3 == 0) wire += len(4, "late");  // symbols after the series that use them
  return wire;
}

void expectSameAsProtobuf(const std::string& wire, int round) {
  v2::Request r;
  ASSERT_TRUE(r.ParseFromString(wire)) << round;
  ParsedWriteV2Request parsed;
  ASSERT_TRUE(parseWriteV2Request(wire, &parsed)) << round;
  ASSERT_EQ(parsed.symbols.size(), static_cast<size_t>(r.symbols_size())) << round;
  for (int i = 0; i < r.symbols_size(); ++i)
    EXPECT_EQ(parsed.symbols[static_cast<size_t>(i)], r.symbols(i));
  EXPECT_EQ(parsed.v1_fields, static_cast<size_t>(r.v1_timeseries_size() + r.v1_field_2_size() +
                                                  r.v1_metadata_size()));
  ASSERT_EQ(parsed.series.size(), static_cast<size_t>(r.timeseries_size())) << round;
  size_t exemplars = 0, histograms = 0;
  for (int i = 0; i < r.timeseries_size(); ++i) {
    const auto& want = r.timeseries(i);
    const auto& got = parsed.series[static_cast<size_t>(i)];
    ASSERT_EQ(got.ref_count, static_cast<uint32_t>(want.labels_refs_size())) << round;
    for (int k = 0; k < want.labels_refs_size(); ++k)
      EXPECT_EQ(parsed.label_refs[got.ref_begin + static_cast<uint32_t>(k)], want.labels_refs(k));
    ASSERT_EQ(got.sample_count, static_cast<uint32_t>(want.samples_size())) << round;
    for (int s = 0; s < want.samples_size(); ++s) {
      EXPECT_EQ(parsed.timestamps[got.sample_begin + static_cast<uint32_t>(s)],
                want.samples(s).timestamp());
      double got_v = parsed.values[got.sample_begin + static_cast<uint32_t>(s)];
      double want_v = want.samples(s).value();
      EXPECT_EQ(std::memcmp(&got_v, &want_v, sizeof got_v), 0) << round;
    }
    EXPECT_EQ(got.has_metadata, want.has_metadata()) << round;
    EXPECT_EQ(got.type, static_cast<uint32_t>(want.metadata().type())) << round;
    EXPECT_EQ(got.help_ref, want.metadata().help_ref()) << round;
    EXPECT_EQ(got.unit_ref, want.metadata().unit_ref()) << round;
    exemplars += static_cast<size_t>(want.exemplars_size());
    histograms += static_cast<size_t>(want.histograms_size());
  }
  EXPECT_EQ(parsed.exemplars, exemplars) << round;
  EXPECT_EQ(parsed.histograms, histograms) << round;
}

TEST(WriteV2View, SameAsProtobufOnRandomRequests) {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 500; ++round) expectSameAsProtobuf(randomRequest(rng), round);
}

TEST(WriteV2View, EveryTruncationGetsProtobufsVerdict) {
  std::mt19937_64 rng(11);
  ParsedWriteV2Request parsed;
  for (int round = 0; round < 60; ++round) {
    std::string wire = randomRequest(rng);
    for (size_t cut = 0; cut < wire.size(); ++cut) {
      std::string part = wire.substr(0, cut);
      v2::Request r;
      bool want = r.ParseFromString(part);
      ASSERT_EQ(parseWriteV2Request(part, &parsed), want) << "round " << round << " cut " << cut;
      if (want) expectSameAsProtobuf(part, round);
    }
  }
}

TEST(WriteV2View, MalformedBodiesGetProtobufsVerdict) {
  const std::string cases[] = {
      std::string("\x00\x01", 2),                              // field 0
      "\x22\x7f",                                              // length past the end
      "\x0f",                                                  // wire type 7
      "\x0c",                                                  // end group without a start
      "\x4b\x08\x01\x54",                                      // group 9 ended as 10
      "\x4b\x08\x01\x4c",                                      // group 9, well formed
      "\x2a\x03\x0a\x01\x80",                                  // packed ref cut mid-varint
      "\x2a\x04\x22\x02\x0a\x00",                              // exemplar: empty packed refs
      "\x2a\x04\x22\x02\x0a\x01",                              // exemplar: packed past its end
      "\x2a\x03\x12\x01\x09",                                  // sample: value cut
      "\x2a\x04\x2a\x02\x08\x80",                              // metadata: type cut
      "\x2a\x02\x1a\x00",                                      // an empty histogram
      "\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01",      // an 11-byte varint
      "\x2a\x0b\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01",  // a 10-byte reference
      "",
  };
  ParsedWriteV2Request parsed;
  for (const std::string& wire : cases) {
    v2::Request r;
    EXPECT_EQ(parseWriteV2Request(wire, &parsed), r.ParseFromString(wire))
        << testing::PrintToString(wire);
  }
}

}  // namespace
}  // namespace strata::prompb
