// SIP responses → answer fields (Warning, ms-diagnostics), refusals with the RFC 7247 §7 form.
#include "sip/bridge/convert_answer.hpp"

#include <gtest/gtest.h>

#include "corpus.hpp"

namespace fedgate::sip {
namespace {

constexpr std::string_view kRefused =
    "SIP/2.0 404 Not Found\nVia: SIP/2.0/TLS gw.corp.example:5061;branch=z9hG4bK9"
    "\nFrom: <sip:alice@corp.example>;tag=1\nTo: <sip:nobody@contoso.com>;tag=2"
    "\nCall-ID: c1\nCSeq: 1 MESSAGE"
    "\nms-diagnostics: 1003;reason=\"User does not exist\";source=\"edge.contoso.com\""
    "\nWarning: 399 edge.contoso.com \"No such user\"\n\n";

TEST(AnswerFields, WarningAndMsDiagnosticsAreKept) {
  auto a = answer_fields(test::response_from(kRefused));
  EXPECT_EQ(a.status, 404);
  EXPECT_EQ(a.reason_phrase, "Not Found");
  EXPECT_EQ(a.warning, "399 edge.contoso.com \"No such user\"");
  EXPECT_EQ(a.ms_diagnostics, "1003;reason=\"User does not exist\";source=\"edge.contoso.com\"");
  EXPECT_EQ(diagnostic_text(a), "User does not exist");
}

TEST(AnswerFields, DiagnosticFallsBackToWarningThenReasonPhrase) {
  SipAnswerFields a{480, "Temporarily Unavailable", "399 gw \"Offline\"", ""};
  EXPECT_EQ(diagnostic_text(a), "Offline");
  a.warning.clear();
  EXPECT_EQ(diagnostic_text(a), "Temporarily Unavailable");
  EXPECT_EQ(timeout_answer().status, 408);
}

TEST(ErrorResponseFor, MappedFormWithWarning) {
  const Request r = test::rfc_request("rfc7572/5-01-sip2xmpp.txt");
  Response resp = error_response_for(r, 404, "", "399 fedgate.corp.example \"No such user\"", "t9");
  EXPECT_EQ(resp.status, 404);
  EXPECT_EQ(resp.reason, "Not Found");
  EXPECT_EQ(resp.to.tag(), "t9");
  EXPECT_EQ(resp.call_id, r.call_id);
  EXPECT_EQ(find_header(resp.other, "Warning")->value, "399 fedgate.corp.example \"No such user\"");
}

TEST(RefusalFor, UnsupportedMediaTypeListsAccept) {
  const Request r = test::rfc_request("rfc7572/5-01-sip2xmpp.txt");
  Response resp = refusal_for(r, ConvertErrc::unsupported_media_type, "text/plain, text/html");
  EXPECT_EQ(resp.status, 415);
  EXPECT_EQ(find_header(resp.other, "Accept")->value, "text/plain, text/html");
  EXPECT_EQ(refusal_for(r, ConvertErrc::bad_body).status, 400);
}

}  // namespace
}  // namespace fedgate::sip
