// Session-mode IM in the Lync dialect (MS-SIPRE; RFC 3261 §13-15 for INVITE/ACK/BYE;
// RFC 3428 MESSAGE inside the dialog).
#include "sip/dialog/im_session.hpp"

#include <utility>

#include "sip/codec/error_response.hpp"

namespace fedgate::sip {
namespace {

constexpr std::string_view kTextFormatHeader = "ms-text-format";

MediaType sdp_type() { return MediaType{"application", "sdp", {}}; }

Response refuse(const Request& request, DialogErrc e) {
  return make_error_response(request, status_for(e), std::string(reason_for(e)));
}

// The first message of an incoming INVITE, when its ms-text-format header is readable.
std::optional<Body> first_message(const Request& invite) {
  const Header* h = find_header(invite.other, kTextFormatHeader);
  if (h == nullptr) {
    return std::nullopt;
  }
  auto text = parse_ms_text_format(h->value);
  if (!text) {
    return std::nullopt;
  }
  auto type = MediaType::parse(text->content_type);
  if (!type) {
    return std::nullopt;
  }
  if (!text->charset.empty()) {
    set_param(type->params, "charset", text->charset);
  }
  return Body{std::move(*type), std::move(text->body)};
}

}  // namespace

Request ImSession::invite(BranchGenerator& branches) {
  Request r;
  r.method = Method::invite;
  r.request_uri = params_.target;
  r.via.push_back(params_.local.next_via(branches));
  r.from = params_.from;
  r.to = params_.to;
  r.call_id = params_.call_id;
  r.cseq = CSeq{1, Method::invite, {}};
  r.contact.push_back(params_.local.contact);
  r.max_forwards = 70;
  r.supported = params_.supported;
  if (!params_.conversation_id.empty()) {
    r.other.push_back({std::string(kConversationIdHeader), params_.conversation_id});
  }
  if (params_.first_message) {
    r.other.push_back(
        {std::string(kTextFormatHeader), write_ms_text_format(*params_.first_message)});
  }
  attach_body(r, Body{sdp_type(), write_im_sdp(params_.sdp)});
  invite_ = r;
  return r;
}

ImActions ImSession::end(ImEndReason reason) {
  ImActions a;
  if (state_ != ImState::terminated) {
    state_ = ImState::terminated;
    a.ended = reason;
  }
  return a;
}

ImActions ImSession::on_invite_response(const Response& response, BranchGenerator& branches,
                                        TimePoint now) {
  if (response.status < 200 || state_ == ImState::terminated) {
    return {};
  }
  if (response.status >= 300) {
    return end(ImEndReason::refused);
  }
  ImActions a;
  if (!dialog_) {
    auto d = invite_ ? Dialog::from_uac(*invite_, response)
                     : result<Dialog>(make_error_code(DialogErrc::not_dialog_creating));
    if (!d) {
      return end(ImEndReason::refused);
    }
    dialog_ = std::move(*d);
    a.first_delivered = params_.first_message && supports(response, kTextFormatTag);
    state_ = ImState::established;
    last_activity_ = now;
    a.wake_at = idle_deadline();
  }
  a.send = dialog_->make_ack(response.cseq.sequence, params_.local.next_via(branches));
  invite_.reset();
  return a;  // a retransmitted 2xx gets the ACK again (§13.2.2.4)
}

result<ImSession> ImSession::incoming(const Request& invite, std::string_view local_tag,
                                      LocalEndpoint local, const ImSdp& answer, TimePoint now,
                                      ImActions& actions) {
  if (invite.method != Method::invite || !invite.content_type ||
      !invite.content_type->is("application/sdp") || !parse_im_sdp(invite.body)) {
    return make_error_code(DialogErrc::not_acceptable);
  }
  auto dialog = Dialog::from_uas(invite, local_tag, local.contact);
  if (!dialog) {
    return dialog.error();
  }
  ImInviteParams params;
  params.local = std::move(local);
  if (const Header* id = find_header(invite.other, kConversationIdHeader)) {
    params.conversation_id = id->value;
  }
  ImSession s{std::move(params)};
  s.dialog_ = std::move(*dialog);
  s.last_activity_ = now;
  actions = ImActions{};
  actions.received = first_message(invite);
  actions.respond = s.dialog_->make_response(invite, 200, "OK");
  if (actions.received) {
    actions.respond->supported.emplace_back(kTextFormatTag);
  }
  attach_body(*actions.respond, Body{sdp_type(), write_im_sdp(answer)});
  actions.wake_at = s.idle_deadline();
  return s;
}

Request ImSession::in_dialog(Method method, BranchGenerator& branches) {
  return dialog_->make_request(method, params_.local.next_via(branches));
}

Request ImSession::send_message(Body body, BranchGenerator& branches, TimePoint now) {
  Request r = in_dialog(Method::message, branches);
  attach_body(r, std::move(body));
  last_activity_ = now;
  return r;
}

ImActions ImSession::on_message_response(const Response& response, TimePoint /*now*/) {
  if (response.status < 200) {
    return {};
  }
  MessageResult result{response.cseq.sequence, MessageOutcome::failed, response.status};
  ImActions a;
  if (response.status < 300) {
    result.outcome = MessageOutcome::delivered;
  } else if (response.status == 408 || response.status == 480 || response.status == 481) {
    result.outcome = MessageOutcome::dialog_dead;
    a = end(ImEndReason::dialog_dead);
  }
  a.message = result;
  return a;
}

ImActions ImSession::on_in_dialog_message(const Request& request, TimePoint now) {
  ImActions a;
  a.respond = dialog_->make_response(request, 200, "OK");
  if (request.content_type) {
    a.received = Body{*request.content_type, request.body};
  }
  if (request.method == Method::message) {
    last_activity_ = now;
    a.wake_at = idle_deadline();
  }
  return a;
}

ImActions ImSession::on_request(const Request& request, TimePoint now) {
  ImActions a;
  if (!dialog_ || state_ == ImState::terminated) {
    if (request.method != Method::ack) {
      a.respond = refuse(request, DialogErrc::unknown_dialog);
    }
    return a;
  }
  if (auto ok = dialog_->on_request(request); !ok) {
    if (request.method != Method::ack) {
      a.respond = refuse(request, ok.error() == DialogErrc::cseq_out_of_order
                                      ? DialogErrc::cseq_out_of_order
                                      : DialogErrc::unknown_dialog);
    }
    return a;
  }
  switch (request.method) {
    case Method::ack:
      state_ = ImState::established;
      return a;
    case Method::message:
    case Method::info:
      return on_in_dialog_message(request, now);
    case Method::bye:
      a = end(ImEndReason::bye_received);
      a.respond = dialog_->make_response(request, 200, "OK");
      return a;
    default:
      a.respond = refuse(request, DialogErrc::wrong_method);
      return a;
  }
}

Request ImSession::bye(BranchGenerator& branches) {
  state_ = ImState::terminated;
  return in_dialog(Method::bye, branches);
}

ImActions ImSession::on_wake(TimePoint now, BranchGenerator& branches) {
  if (state_ == ImState::terminated || !dialog_) {
    return {};
  }
  if (now < idle_deadline()) {
    ImActions a;
    a.wake_at = idle_deadline();
    return a;
  }
  ImActions a = end(ImEndReason::idle_timeout);
  a.send = in_dialog(Method::bye, branches);
  return a;
}

}  // namespace fedgate::sip
