// ChatSessionMachine: the SIP side of bridged IM, sans-I/O (events and `now` in, ChatEffects
// out). Owned by gateway/app's Switchboard on one strand. RFC 7572 §4-§7, RFC 3428,
// RFC 7573 §6.1 (gone ↔ BYE), RFC 7247 §7 (errors).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "presence/chat_effects.hpp"
#include "presence/string_hash.hpp"

// Session mode (Lync/S4B/O365, SIP homes): one dialog per pair of users, the first message
// in the INVITE, later ones as MESSAGE in the dialog, idle close after 10 minutes,
// re-establishment when the dialog is dead (408/480/481). Page mode (standard SIP peers):
// one MESSAGE each, no session state.
namespace fedgate::presence {

// A SIP final response as the bridge reports it (status 408 also stands for a transaction
// timeout, RFC 3261 §17.1.2.2).
struct SipAnswer {
  int status = 200;
  std::string reason_phrase;
  std::string warning;         // Warning header value, empty when none
  std::string ms_diagnostics;  // ms-diagnostics header value, empty when none
};

class ChatSessionMachine {
 public:
  struct Config {
    Duration idle_timeout = std::chrono::minutes{10};
    std::size_t max_queued = 32;        // messages waiting for the INVITE's answer
    std::uint32_t max_reestablish = 1;  // new dialogs per failed message
  };

  ChatSessionMachine() = default;
  explicit ChatSessionMachine(Config config) : config_(config) {}

  // An accepted message for the SIP side (mode sip_session or sip_page; outbox_id set).
  ChatEffects on_outbound(OutboundMessage m, TimePoint now);
  ChatEffects on_invite_answer(const Address& sip_user, const Address& peer, const SipAnswer& a,
                               std::string sip_dialog, TimePoint now);
  ChatEffects on_message_answer(std::int64_t outbox_id, const SipAnswer& a, TimePoint now);
  // The SIP user opened a dialog (incoming INVITE), sent a MESSAGE in it, or hung up.
  ChatEffects on_remote_invite(const Address& sip_user, const Address& peer, std::string sip_dialog,
                               TimePoint now);
  ChatEffects on_remote_activity(const Address& sip_user, const Address& peer, TimePoint now);
  ChatEffects on_bye(const Address& sip_user, const Address& peer, TimePoint now);
  ChatEffects on_wake(TimePoint now);

  const ChatSession* find(const Address& sip_user, const Address& peer) const;
  std::size_t size() const noexcept { return sessions_.size(); }
  std::size_t in_flight() const noexcept { return in_flight_.size(); }

 private:
  struct Entry {
    ChatSession session;
    std::vector<OutboundMessage> queued;  // waiting for the INVITE's answer
    std::int64_t invite_message = 0;      // outbox id carried by the pending INVITE
  };
  struct InFlight {
    OutboundMessage message;
    std::uint32_t attempts = 0;
  };

  static std::string key(const Address& sip_user, const Address& peer);
  Entry* lookup(const Address& sip_user, const Address& peer);
  Entry& open(const OutboundMessage& m, TimePoint now);
  bool may_reestablish(const ChatSession& s, const InFlight& f, int status) const;
  bool handled_without_dialog(OutboundMessage& m, Entry* e, ChatEffects& out);
  void establish(Entry& e, std::string sip_dialog, ChatEffects& out);
  void invite(Entry& e, OutboundMessage m, std::uint32_t attempts, ChatEffects& out);
  void send_in_dialog(Entry& e, OutboundMessage m, ChatEffects& out);
  void bounce_all(Entry& e, const StanzaError& error, ChatEffects& out);
  void close(const std::string& k, ChatEffects& out);
  void touch(Entry& e, TimePoint now, ChatEffects& out) const;

  Config config_;
  StringMap<Entry> sessions_;                             // key(sip_user, peer) → session
  std::unordered_map<std::int64_t, InFlight> in_flight_;  // outbox id → message sent
};

}  // namespace fedgate::presence
