// FakeClock for the transaction tests (STYLE.md B8): time only moves when a test says so.
// Owned by tests/unit/sip/txn; single-threaded. Also the request/response builders they share.
#pragma once

#include <string>
#include <string_view>

#include "gateway/base/clock.hpp"
#include "sip/codec/message.hpp"

namespace fedgate::sip::test {

struct FakeClock {
  TimePoint t{};
  TimePoint now() const { return t; }
  void advance(Duration d) { t += d; }
};

// A request `method` from alice@corp.example to `user` with top Via branch `branch`.
Request make_request(Method method, std::string_view user,
                     std::string_view branch = "z9hG4bK-test-1");
// The response `status` to `request` (Via, From, To, Call-ID, CSeq copied; a To tag added
// for statuses above 100).
Response make_response(const Request& request, int status);

}  // namespace fedgate::sip::test
