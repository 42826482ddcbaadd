// LeanSip: the load generator's cheap SIP path for the timed phases, beside the partner's
// SipAgent (which still does setup). Requests in known dialogs are written from pre-encoded
// templates (branch, CSeq, body patched; one write per batch), their final responses matched by
// CSeq; fedgate's NOTIFYs and MESSAGEs in those dialogs are answered 200 at once and handed up.
// Owned by PartnerServer; generator thread only. RFC 3261 §8.2.6, §12.2, RFC 6665, RFC 3428.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "gateway/base/clock.hpp"
#include "sip/codec/message.hpp"
#include "sip/dialog/dialog.hpp"
#include "sip/transport/connection_handle.hpp"

namespace fedgate::load {

// What LeanSip hands up: final responses of its sends, requests it answered (checks are the
// scenario's). Called on the generator thread.
class LeanEvents {
 public:
  virtual ~LeanEvents() = default;
  virtual void lean_answered(std::size_t seq, std::size_t serial, int status) = 0;
  // A NOTIFY (already answered 200) in the subscription of pair j.
  virtual void lean_notify(std::size_t j, const sip::Request& notify) = 0;
  // A MESSAGE (already answered 200) in the IM session of pair j.
  virtual void lean_message(std::size_t j, const sip::Request& message) = 0;
};

// An in-dialog request, serialized once and cut at its variable fields: pieces[0] + branch +
// pieces[1] + CSeq number [+ pieces[2] + Subscription-State expires] + last piece, then
// Content-Length and the body are appended per send.
struct RequestTemplate {
  std::vector<std::string> pieces;
  std::string call_id;
  TimePoint expires_at{};  // NOTIFY: when the subscription ends (its remaining seconds vary)
  bool ready() const { return !pieces.empty(); }
};

class LeanSip {
 public:
  // `via_host`/`via_port`: our sent-by and Contact (the partner's listener).
  LeanSip(std::size_t users, std::string via_host, std::uint16_t via_port);
  void set_events(LeanEvents* events) { events_ = events; }

  // Setup (any time before enable()): fedgate's SUBSCRIBE that made our notifier for pair j,
  // with its dialog id; our subscription's dialog; our session (from the observed 200 OK).
  void add_notifier(std::size_t j, const sip::Request& subscribe, const sip::DialogId& dialog);
  void add_subscription(std::size_t j, const sip::DialogId& dialog);
  void add_session(std::size_t j, const sip::DialogId& dialog);
  // Every message from fedgate passes here before the agent: 2xx answers to our INVITEs (the
  // session's route and target), CSeq numbers the agent used, the connection it sends on.
  void observe(const sip::Message& m, const sip::ConnectionHandle& from);
  // From now on take() handles what belongs to the lean dialogs.
  void enable();

  // True when `m` was handled here (a lean response, or a request answered into answers_).
  bool take(sip::Message& m);
  // Writes the answers take() queued to `to` (the connection their requests came on).
  void flush_answers(const sip::ConnectionHandle& to);

  // Queues a NOTIFY (phase a) / MESSAGE (phase d) for pair j; false when it has no dialog.
  bool send_notify(std::size_t j, std::size_t seq, std::size_t serial, std::string_view body);
  bool send_message(std::size_t j, std::size_t seq, std::size_t serial, std::string_view text);
  // Hands what the sends queued to the connection in one write.
  void flush();
  // Sends still waiting for their final response.
  std::size_t pending() const { return pending_count_; }
  // For tests: what flush() / flush_answers() would write.
  const std::string& queued() const { return out_buf_; }
  const std::string& queued_answers() const { return answers_; }

 private:
  struct Pending {
    std::uint32_t seq = 0;
    std::uint32_t serial = 0;
    std::uint32_t j = 0;
    bool open = false;
  };
  bool send(const RequestTemplate& t, std::size_t j, std::size_t seq, std::size_t serial,
            std::string_view body);
  sip::Via via() const;
  bool take_response(const sip::Response& r);
  bool take_request(sip::Request& r);
  void answer_200(sip::Request& r);

  std::size_t users_;
  std::string via_host_;
  std::uint16_t via_port_;
  std::string branch_prefix_;
  LeanEvents* events_ = nullptr;
  bool enabled_ = false;

  std::vector<RequestTemplate> notify_, message_;  // per pair
  std::unordered_map<std::string, std::size_t> subscription_by_call_, session_by_call_;
  std::vector<std::string> subscription_tag_, session_tag_;  // our local tag per pair
  std::unordered_map<std::string, sip::Response> invite_ok_;  // by Call-ID, until add_session
  std::uint32_t max_seen_cseq_ = 0;
  std::uint32_t base_cseq_ = 0;  // lean CSeq = base + index into pending_
  std::vector<Pending> pending_;
  std::size_t pending_count_ = 0;
  sip::ConnectionHandle out_;  // the agent's connection to fedgate
  std::string out_buf_, answers_;
};

}  // namespace fedgate::load
