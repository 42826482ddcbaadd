// RFC 4475 §3 and RFC 5118 §4 torture messages, table-driven over tests/data/sip/torture:
// valid ones parse (and survive serialize/parse), invalid ones fail with a specific reason.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "sip/codec/parser.hpp"
#include "sip/codec/serializer.hpp"
#include "test_data.hpp"

namespace fedgate::sip {
namespace {

struct Case {
  const char* file;
  std::optional<ParseErrc> error;  // nullopt: must parse
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.file; }

constexpr std::nullopt_t kAccept = std::nullopt;

const Case kCases[] = {
    {"3.1.1.1-wsinv.dat", kAccept},
    {"3.1.1.2-intmeth.dat", kAccept},
    {"3.1.1.3-esc01.dat", kAccept},
    {"3.1.1.4-escnull.dat", kAccept},
    {"3.1.1.5-esc02.dat", kAccept},
    {"3.1.1.6-lwsdisp.dat", kAccept},
    {"3.1.1.7-longreq.dat", kAccept},
    {"3.1.1.8-dblreq.dat", kAccept},
    {"3.1.1.9-semiuri.dat", kAccept},
    {"3.1.1.10-transports.dat", kAccept},
    {"3.1.1.11-mpart01.dat", kAccept},
    {"3.1.1.12-unreason.dat", kAccept},
    {"3.1.1.13-noreason.dat", kAccept},
    {"3.1.2.1-badinv01.dat", ParseErrc::bad_via},
    {"3.1.2.2-clerr.dat", ParseErrc::truncated},
    {"3.1.2.3-ncl.dat", ParseErrc::bad_content_length},
    {"3.1.2.4-scalar02.dat", ParseErrc::bad_cseq},
    {"3.1.2.5-scalarlg.dat", ParseErrc::bad_cseq},
    {"3.1.2.6-quotbal.dat", ParseErrc::bad_to},
    {"3.1.2.7-ltgtruri.dat", ParseErrc::bad_request_uri},
    {"3.1.2.8-lwsruri.dat", ParseErrc::bad_start_line},
    {"3.1.2.9-lwsstart.dat", ParseErrc::bad_start_line},
    {"3.1.2.10-trws.dat", ParseErrc::bad_start_line},
    {"3.1.2.11-escruri.dat", ParseErrc::bad_request_uri},
    {"3.1.2.12-baddate.dat", ParseErrc::bad_date},
    {"3.1.2.13-regbadct.dat", ParseErrc::bad_contact},
    {"3.1.2.14-badaspec.dat", ParseErrc::bad_to},
    {"3.1.2.15-baddn.dat", ParseErrc::bad_from},
    {"3.1.2.16-badvers.dat", ParseErrc::bad_version},
    {"3.1.2.17-mismatch01.dat", ParseErrc::cseq_method_mismatch},
    {"3.1.2.18-mismatch02.dat", ParseErrc::cseq_method_mismatch},
    {"3.1.2.19-bigcode.dat", ParseErrc::bad_status_code},
    {"3.2.1-badbranch.dat", kAccept},  // the transaction layer decides (RFC 4475 §3.2.1)
    {"3.3.1-insuf.dat", ParseErrc::missing_header},
    {"3.3.2-unkscm.dat", kAccept},
    {"3.3.3-novelsc.dat", kAccept},
    {"3.3.4-unksm2.dat", kAccept},
    {"3.3.5-bext01.dat", kAccept},
    {"3.3.6-invut.dat", kAccept},
    {"3.3.7-regaut01.dat", kAccept},
    {"3.3.8-multi01.dat", ParseErrc::duplicate_header},
    {"3.3.9-mcl01.dat", ParseErrc::bad_content_length},
    {"3.3.10-bcast.dat", kAccept},
    {"3.3.11-zeromf.dat", kAccept},
    {"3.3.12-cparam01.dat", kAccept},
    {"3.3.13-cparam02.dat", kAccept},
    {"3.3.14-regescrt.dat", kAccept},
    {"3.3.15-sdp01.dat", kAccept},
    {"3.4.1-inv2543.dat", kAccept},
    {"rfc5118/4.1-ipv6-good.dat", kAccept},
    {"rfc5118/4.2-ipv6-bad.dat", ParseErrc::bad_request_uri},
    {"rfc5118/4.3-port-ambiguous.dat", kAccept},
    {"rfc5118/4.4-port-unambiguous.dat", kAccept},
    {"rfc5118/4.5-via-received-param-with-delim.dat", kAccept},
    {"rfc5118/4.5-via-received-param-no-delim.dat", kAccept},
    {"rfc5118/4.6-ipv6-in-sdp.dat", kAccept},
    {"rfc5118/4.7-mult-ip-in-header.dat", kAccept},
    {"rfc5118/4.8-mult-ip-in-sdp.dat", kAccept},
    {"rfc5118/4.9-ipv4-mapped-ipv6.dat", kAccept},
    {"rfc5118/4.10-ipv6-bug-abnf-3-colons.dat", kAccept},
    {"rfc5118/4.10-ipv6-correct-abnf-2-colons.dat", kAccept},
};

std::string wire_bytes(const Case& c) {
  std::string raw = test::read_file(std::string("torture/") + c.file);
  std::string_view name = c.file;
  return name.rfind("rfc5118/", 0) == 0 ? test::rfc5118_wire_form(raw) : raw;
}

class Torture : public ::testing::TestWithParam<Case> {};

TEST_P(Torture, ParsesOrRejectsWithTheExpectedReason) {
  std::string bytes = wire_bytes(GetParam());
  ASSERT_FALSE(bytes.empty()) << "missing corpus file";
  auto m = parse_message(bytes);
  if (!GetParam().error) {
    ASSERT_TRUE(m) << m.error().message();
    auto again = parse_message(serialize(*m));
    ASSERT_TRUE(again) << again.error().message();
    EXPECT_EQ(*again, *m);
  } else {
    ASSERT_FALSE(m);
    EXPECT_EQ(m.error(), make_error_code(*GetParam().error)) << m.error().message();
  }
}

INSTANTIATE_TEST_SUITE_P(Rfc4475And5118, Torture, ::testing::ValuesIn(kCases));

TEST(TortureIndex, EveryIndexedMessageIsInTheTable) {
  std::string index = test::read_file("torture/index.tsv");
  std::size_t listed = 0;
  for (std::size_t pos = index.find('\n'); pos != std::string::npos; pos = index.find('\n', pos + 1)) {
    listed += pos + 1 < index.size() ? 1 : 0;
  }
  EXPECT_EQ(listed, std::size(kCases));
}

}  // namespace
}  // namespace fedgate::sip
