// A Lync-dialect session-mode IM usage of an INVITE dialog (MS-SIPRE, MS-SDPEXT): INVITE with
// `m=message <port> sip null` SDP and the first message in `ms-text-format`, ACK, in-dialog
// MESSAGE, BYE, a 10-minute idle timeout, 408/480/481 meaning the dialog is dead.
// Owned by sip_core; sans-I/O (events + now in, actions out), on the session's strand.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gateway/base/clock.hpp"
#include "gateway/base/result.hpp"
#include "sip/codec/im_sdp.hpp"
#include "sip/codec/ms_text_format.hpp"
#include "sip/dialog/dialog.hpp"
#include "sip/dialog/usage.hpp"

namespace fedgate::sip {

inline constexpr Duration kImIdleTimeout = std::chrono::minutes(10);
inline constexpr std::string_view kConversationIdHeader = "Ms-Conversation-ID";

struct ImInviteParams {
  Uri target;
  NameAddr from;  // with our tag (and epid)
  NameAddr to;
  std::string call_id;
  std::string conversation_id;  // Ms-Conversation-ID; omitted when empty
  LocalEndpoint local;
  ImSdp sdp;
  std::optional<MsTextFormat> first_message;
  std::vector<std::string> supported;
};

enum class ImState { inviting, established, terminated };
enum class MessageOutcome { delivered, failed, dialog_dead };
enum class ImEndReason { refused, dialog_dead, bye_received, bye_sent, idle_timeout };

struct MessageResult {
  std::uint32_t cseq = 0;  // the CSeq of the MESSAGE this result is for
  MessageOutcome outcome = MessageOutcome::failed;
  int status = 0;
  friend bool operator==(const MessageResult&, const MessageResult&) = default;
};

struct ImActions {
  std::optional<Request> send;           // ACK of the 2xx, or BYE
  std::optional<Response> respond;       // the answer to an incoming request
  std::optional<Body> received;          // a message (or INFO document) for the layer above
  bool first_delivered = false;          // the INVITE's ms-text-format message was delivered
  std::optional<MessageResult> message;  // the result of one of our MESSAGEs
  std::optional<TimePoint> wake_at;      // the idle deadline
  std::optional<ImEndReason> ended;      // set once
};

class ImSession {
 public:
  static ImSession outgoing(ImInviteParams params) { return ImSession{std::move(params)}; }
  Request invite(BranchGenerator& branches);
  // A response to our INVITE: 2xx → ACK, established, first_delivered when the 200 has
  // Supported: ms-text-format; another final response → ended (refused).
  ImActions on_invite_response(const Response& response, BranchGenerator& branches, TimePoint now);

  // An incoming INVITE: DialogErrc::not_acceptable (488) without `m=message` SDP. The
  // actions hold the 200 (Supported: ms-text-format when the first message was read) and
  // the first message. The session is established when the ACK arrives.
  static result<ImSession> incoming(const Request& invite, std::string_view local_tag,
                                    LocalEndpoint local, const ImSdp& answer, TimePoint now,
                                    ImActions& actions);

  // A MESSAGE (text/plain; charset=UTF-8, or text/html) in the dialog.
  Request send_message(Body body, BranchGenerator& branches, TimePoint now);
  // 2xx: delivered; 408/480/481: the dialog is dead (ended; open a new one, resend); else failed.
  ImActions on_message_response(const Response& response, TimePoint now);
  // MESSAGE, INFO, ACK or BYE in the dialog (481/500 on a dialog mismatch or bad CSeq).
  ImActions on_request(const Request& request, TimePoint now);
  Request bye(BranchGenerator& branches);
  // After kImIdleTimeout without a MESSAGE either way: the BYE, and ended (idle_timeout).
  ImActions on_wake(TimePoint now, BranchGenerator& branches);

  ImState state() const { return state_; }
  bool has_dialog() const { return dialog_.has_value(); }
  const Dialog& dialog() const { return *dialog_; }
  const std::string& conversation_id() const { return params_.conversation_id; }
  TimePoint idle_deadline() const { return last_activity_ + kImIdleTimeout; }

 private:
  explicit ImSession(ImInviteParams params) : params_(std::move(params)) {}
  ImActions end(ImEndReason reason);
  ImActions on_in_dialog_message(const Request& request, TimePoint now);
  Request in_dialog(Method method, BranchGenerator& branches);

  ImInviteParams params_;
  std::optional<Request> invite_;  // kept until the dialog exists
  std::optional<Dialog> dialog_;
  ImState state_ = ImState::inviting;
  TimePoint last_activity_{};
};

}  // namespace fedgate::sip
