// Builders shared by the transaction tests.
#include "fake_clock.hpp"

namespace fedgate::sip::test {

Request make_request(Method method, std::string_view user, std::string_view branch) {
  Request r;
  r.method = method;
  r.request_uri = Uri::parse(std::string("sip:") + std::string(user)).value();
  Via via = Via::parse("SIP/2.0/UDP gw.corp.example:5060").value();
  set_param(via.params, "branch", std::string(branch));
  r.via.push_back(via);
  r.from = NameAddr::parse("<sip:alice@corp.example>;tag=a1").value();
  r.to = NameAddr::parse("<sip:" + std::string(user) + ">").value();
  r.call_id = "call-1@gw.corp.example";
  r.cseq = CSeq{7, method, {}};
  r.max_forwards = 70;
  r.route.push_back(NameAddr::parse("<sip:edge.partner.example;lr>").value());
  return r;
}

Response make_response(const Request& request, int status) {
  Response r;
  r.status = status;
  r.reason = status < 200 ? "Ringing" : status < 300 ? "OK" : "Not Found";
  r.via = request.via;
  r.from = request.from;
  r.to = request.to;
  if (status > 100) {
    set_param(r.to.params, "tag", std::string("b2"));
  }
  r.call_id = request.call_id;
  r.cseq = request.cseq;
  return r;
}

}  // namespace fedgate::sip::test
