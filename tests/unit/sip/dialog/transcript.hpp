// Transcripts for the dialog tests: data/*.sip files (LF line ends, CRLF on the wire, ${bN}
// for the N-th Via branch), a FakeClock and the two endpoints of the scenarios.
// Owned by tests/unit/sip/dialog; single-threaded.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/base/clock.hpp"
#include "sip/codec/message.hpp"
#include "sip/dialog/subscriber.hpp"
#include "sip/dialog/usage.hpp"

namespace fedgate::sip::test {

struct FakeClock {
  TimePoint t{};
  TimePoint now() const { return t; }
  void advance(Duration d) { t += d; }
};

inline constexpr std::uint64_t kSeed = 4475;

// The first `n` branches a BranchGenerator{kSeed} produces.
std::vector<std::string> branches(std::size_t n);
// data/<name> as wire bytes, with ${bN} replaced by branch_values[N-1].
std::string transcript(std::string_view name, const std::vector<std::string>& branch_values = {});
Request request(std::string_view name, const std::vector<std::string>& branch_values = {});
Response response(std::string_view name, const std::vector<std::string>& branch_values = {});
// The body bytes of data/<name> (everything after the blank line).
std::string body_of(std::string_view name);

// fedgate (alice's side): Via SIP/2.0/TLS fedgate.corp.example:5061, its Contact.
LocalEndpoint gateway();
// The Lync partner (bob's side): Via SIP/2.0/TLS 192.0.2.10:5061, bob's Contact.
LocalEndpoint partner();

// alice@corp.example (through gateway()) subscribing to bob@partner.example's presence, with
// the Microsoft Accept and Supported values.
SubscribeParams alice_watches_bob();
// That subscription started and answered by sub_200_piggyback.sip (branches from `gen`).
Subscriber subscribed_to_bob(BranchGenerator& gen);

}  // namespace fedgate::sip::test
