// PIDF + RPID read and write (RFC 3863, RFC 4480), with the RFC 7248 §5.2 example.
#include "sip/codec/pidf.hpp"

#include <gtest/gtest.h>

#include "sip/codec/parse_error.hpp"
#include "sip/codec/parser.hpp"
#include "test_data.hpp"

namespace fedgate::sip {
namespace {

std::string strip_rfc_margin(const std::string& text) {
  std::string out;
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t nl = text.find('\n', pos);
    std::string line = text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    out += (line.rfind("|  ", 0) == 0 ? line.substr(3) : line.rfind("|", 0) == 0 ? "" : line) + "\n";
    pos = nl == std::string::npos ? text.size() : nl + 1;
  }
  return out;
}

TEST(Pidf, ReadsTheRfc7248NotifyBody) {
  std::string wire = test::crlf_with_length(
      strip_rfc_margin(test::read_file("interworking/rfc7248-5.2-02-pres-xmpp.txt")));
  auto notify = parse_request(wire);
  ASSERT_TRUE(notify) << notify.error().message();
  ASSERT_TRUE(notify->content_type->is("application/pidf+xml"));
  auto doc = parse_pidf(notify->body);
  ASSERT_TRUE(doc) << doc.error().message();
  EXPECT_EQ(doc->entity, "pres:juliet@example.com");
  ASSERT_EQ(doc->tuples.size(), 1u);
  EXPECT_EQ(doc->tuples[0].id, "ID-balcony");
  EXPECT_EQ(doc->tuples[0].open, true);
}

TEST(Pidf, ReadsRpidActivitiesAndPersonNote) {
  auto doc = parse_pidf(
      "<presence xmlns='urn:ietf:params:xml:ns:pidf' xmlns:dm='urn:ietf:params:xml:ns:pidf:data-model'"
      " xmlns:rpid='urn:ietf:params:xml:ns:pidf:rpid' entity='sip:bob@example.com'>"
      "<tuple id='t1'><status><basic>closed</basic></status></tuple>"
      "<dm:person id='p1'><rpid:activities><rpid:on-the-phone/></rpid:activities>"
      "<dm:note>In a call</dm:note></dm:person></presence>");
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->tuples[0].open, false);
  ASSERT_EQ(doc->persons.size(), 1u);
  EXPECT_EQ(doc->persons[0].activities, std::vector<std::string>{"on-the-phone"});
  EXPECT_EQ(doc->persons[0].notes, std::vector<std::string>{"In a call"});
}

TEST(Pidf, WrittenDocumentReadsBackEqual) {
  PidfDocument doc{"pres:alice@example.org",
                   {PidfTuple{"t<1>", true, "sip:alice@example.org", {"Gone & back"}, ""}},
                   {PidfPerson{"p", {"away"}, {"lunch"}}},
                   {"top note"}};
  auto back = parse_pidf(write_pidf(doc));
  ASSERT_TRUE(back) << back.error().message();
  EXPECT_EQ(*back, doc);
}

TEST(Pidf, RejectsOtherRootsAndMissingEntity) {
  EXPECT_EQ(parse_pidf("<presence xmlns='urn:ietf:params:xml:ns:pidf'/>").error(),
            make_error_code(ParseErrc::bad_body));
  EXPECT_EQ(parse_pidf("<presentity uri='x'/>").error(), make_error_code(ParseErrc::bad_body));
}

}  // namespace
}  // namespace fedgate::sip
