// A SIP dialog (RFC 3261 §12): its id, route set, remote target and CSeq spaces; builds
// in-dialog requests (§12.2.1.1 loose and strict routing) and checks incoming ones (§12.2.2).
// Owned by sip_core; sans-I/O value, used on the owning session's strand. From/To keep every
// parameter as received, so the Microsoft `epid` (MS-SIPRE §2.2.4) is echoed untouched.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/base/result.hpp"
#include "sip/codec/message.hpp"
#include "sip/dialog/dialog_error.hpp"

namespace fedgate::sip {

struct DialogId {
  std::string call_id;
  std::string local_tag;
  std::string remote_tag;
  friend auto operator<=>(const DialogId&, const DialogId&) = default;
};

// The dialog an incoming request claims (local tag = To tag, remote tag = From tag).
DialogId incoming_dialog_id(const Request& request);
// The dialog a response to one of our requests belongs to (local = From tag, remote = To tag).
DialogId response_dialog_id(const Response& response);

enum class DialogState { early, confirmed };

// What a usage restored after a restart skips in its local CSeq: more than it can send between
// two writes of its stored state (coalesced writes; longer while the database is away).
inline constexpr std::uint32_t kRestartCseqGap = 10000;

class Dialog {
 public:
  // UAC side: our dialog-creating `request` and a 101-199 response with a To tag (early) or
  // a 2xx (confirmed). The route set is the response's Record-Route reversed (§12.1.2).
  static result<Dialog> from_uac(const Request& request, const Response& response);
  // UAS side: the received dialog-creating `request`; `local_tag` goes on our To (§12.1.1).
  static result<Dialog> from_uas(const Request& request, std::string_view local_tag,
                                 NameAddr local_contact);

  // Subscriber side, when a NOTIFY arrives before the 200 to our `subscribe` (RFC 6665
  // §4.1.2.4): the NOTIFY creates the dialog; its Record-Route is the route set, in order.
  static result<Dialog> from_notify(const Request& subscribe, const Request& notify);

  // A 2xx that confirms an early UAC dialog: remote target and route set are recomputed.
  result<void> on_confirming_response(const Response& response);
  // §12.2.2: matching dialog, CSeq order; updates the remote CSeq and, for target refresh
  // requests (INVITE, UPDATE, SUBSCRIBE, NOTIFY), the remote target.
  result<void> on_request(const Request& request);

  // A new in-dialog request with the next local CSeq and `via` as its only Via (§12.2.1.1).
  Request make_request(Method method, Via via);
  // The ACK of a 2xx to the INVITE numbered `invite_cseq` (§13.2.2.4): same CSeq number.
  Request make_ack(std::uint32_t invite_cseq, Via via) const;
  // A response to an in-dialog or dialog-creating request: our To tag; Contact on 2xx.
  Response make_response(const Request& request, int status, std::string reason) const;

  // The next local CSeq without building a request (a NOTIFY piggy-backed in a 200 OK).
  std::uint32_t next_local_cseq() { return ++local_cseq_; }
  // After a restart from stored state: requests sent after the last write must not get their
  // numbers again (§12.2.1.1: strictly increasing), so the local CSeq skips ahead (capped
  // below 2^31, §8.1.1.5).
  void skip_local_cseq(std::uint32_t gap) {
    local_cseq_ = local_cseq_ > kMaxCseq - gap ? kMaxCseq : local_cseq_ + gap;
  }
  // MS-SIPRE ms-piggyback-cseq: the piggy-backed NOTIFY consumed this remote CSeq.
  void set_remote_cseq(std::uint32_t cseq) { remote_cseq_ = cseq; }

  const DialogId& id() const { return id_; }
  DialogState state() const { return state_; }
  const NameAddr& local() const { return local_; }
  const NameAddr& remote() const { return remote_; }
  const Uri& remote_target() const { return remote_target_; }
  const std::vector<NameAddr>& route_set() const { return route_set_; }
  std::uint32_t local_cseq() const { return local_cseq_; }
  std::optional<std::uint32_t> remote_cseq() const { return remote_cseq_; }
  // Counts changes of the durable fields (state, remote party, target, route set) since this
  // value was made or decoded; CSeqs do not count (they are covered by kRestartCseqGap).
  std::uint32_t revision() const { return revision_; }

  // The compact text form (dialog_codec.cpp): '\n'-separated fields (Call-ID, tags, state,
  // local/remote name-addr, local contact, remote target, route set, CSeqs), no NUL bytes, so
  // it fits a PostgreSQL text column. `shared_contact`: a local contact equal to it is
  // written as "*" and restored from it (the node's Contact is the same for every dialog).
  void encode(std::string& out, const NameAddr* shared_contact = nullptr) const;
  // Reads the fields encode() wrote from the front of `in` and removes them.
  // Errors: DialogErrc::corrupt_state.
  static result<Dialog> decode(std::string_view& in, const NameAddr* shared_contact = nullptr);
  // Only the id of an encoded dialog (Call-ID and tags), without decoding the rest.
  static result<DialogId> decode_id(std::string_view in);
  // encode() behind a version field ("D1"); restore() refuses other versions.
  std::string serialize() const;
  static result<Dialog> restore(std::string_view data);

 private:
  friend class Notifier;  // an empty dialog stands in for a corrupt packed one (a bug)
  Dialog() = default;
  void address_request(Request& r) const;

  DialogId id_;
  DialogState state_ = DialogState::confirmed;
  NameAddr local_;
  NameAddr remote_;
  NameAddr local_contact_;
  Uri remote_target_;
  std::vector<NameAddr> route_set_;
  static constexpr std::uint32_t kMaxCseq = 0x7fffffffu;
  std::uint32_t local_cseq_ = 0;  // 0: empty (the first request gets 1)
  std::optional<std::uint32_t> remote_cseq_;
  std::uint32_t revision_ = 0;  // not encoded
};

}  // namespace fedgate::sip
