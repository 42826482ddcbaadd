// RFC 3261 §12 dialogs: creation (§12.1), requests within a dialog (§12.2.1.1), and the
// checks on incoming in-dialog requests (§12.2.2).
#include "sip/dialog/dialog.hpp"

#include <algorithm>
#include <utility>

namespace fedgate::sip {
namespace {

bool is_target_refresh(Method m) {
  return m == Method::invite || m == Method::update || m == Method::subscribe ||
         m == Method::notify;
}

std::string tag_of(const NameAddr& a) { return a.tag().value_or(std::string{}); }

}  // namespace

DialogId incoming_dialog_id(const Request& request) {
  return {request.call_id, tag_of(request.to), tag_of(request.from)};
}

DialogId response_dialog_id(const Response& response) {
  return {response.call_id, tag_of(response.from), tag_of(response.to)};
}

result<Dialog> Dialog::from_uac(const Request& request, const Response& response) {
  const bool provisional = response.status > 100 && response.status < 200;
  if (!(provisional || (response.status >= 200 && response.status < 300)) || !response.to.tag()) {
    return make_error_code(DialogErrc::not_dialog_creating);
  }
  if (response.contact.empty()) {
    return make_error_code(DialogErrc::missing_contact);
  }
  Dialog d;
  d.state_ = provisional ? DialogState::early : DialogState::confirmed;
  d.id_ = {request.call_id, tag_of(request.from), tag_of(response.to)};
  d.local_ = request.from;
  d.remote_ = response.to;
  if (!request.contact.empty()) {
    d.local_contact_ = request.contact.front();
  }
  d.remote_target_ = response.contact.front().uri;
  d.route_set_.assign(response.record_route.rbegin(), response.record_route.rend());
  d.local_cseq_ = request.cseq.sequence;
  return d;
}

result<Dialog> Dialog::from_uas(const Request& request, std::string_view local_tag,
                                NameAddr local_contact) {
  if (request.contact.empty()) {
    return make_error_code(DialogErrc::missing_contact);
  }
  Dialog d;
  d.id_ = {request.call_id, std::string(local_tag), tag_of(request.from)};
  d.local_ = request.to;
  set_param(d.local_.params, "tag", std::string(local_tag));
  d.remote_ = request.from;
  d.local_contact_ = std::move(local_contact);
  d.remote_target_ = request.contact.front().uri;
  d.route_set_ = request.record_route;
  d.remote_cseq_ = request.cseq.sequence;
  return d;
}

result<Dialog> Dialog::from_notify(const Request& subscribe, const Request& notify) {
  if (notify.contact.empty()) {
    return make_error_code(DialogErrc::missing_contact);
  }
  if (notify.call_id != subscribe.call_id || tag_of(notify.to) != tag_of(subscribe.from) ||
      !notify.from.tag()) {
    return make_error_code(DialogErrc::unknown_dialog);
  }
  Dialog d;
  d.id_ = incoming_dialog_id(notify);
  d.local_ = subscribe.from;
  d.remote_ = notify.from;
  if (!subscribe.contact.empty()) {
    d.local_contact_ = subscribe.contact.front();
  }
  d.remote_target_ = notify.contact.front().uri;
  d.route_set_ = notify.record_route;
  d.local_cseq_ = subscribe.cseq.sequence;
  return d;
}

result<void> Dialog::on_confirming_response(const Response& response) {
  if (response.status < 200 || response.status >= 300 || tag_of(response.to) != id_.remote_tag) {
    return make_error_code(DialogErrc::not_dialog_creating);
  }
  ++revision_;
  if (state_ == DialogState::early) {
    state_ = DialogState::confirmed;
    remote_ = response.to;
    route_set_.assign(response.record_route.rbegin(), response.record_route.rend());
  }
  if (!response.contact.empty()) {
    remote_target_ = response.contact.front().uri;
  }
  return {};
}

result<void> Dialog::on_request(const Request& request) {
  if (incoming_dialog_id(request) != id_) {
    return make_error_code(DialogErrc::unknown_dialog);
  }
  const bool same_cseq_methods = request.method == Method::ack || request.method == Method::cancel;
  if (!same_cseq_methods) {
    if (remote_cseq_ && request.cseq.sequence <= *remote_cseq_) {
      return make_error_code(DialogErrc::cseq_out_of_order);
    }
    remote_cseq_ = request.cseq.sequence;
  }
  if (is_target_refresh(request.method) && !request.contact.empty() &&
      request.contact.front().uri != remote_target_) {
    remote_target_ = request.contact.front().uri;
    ++revision_;
  }
  return {};
}

void Dialog::address_request(Request& r) const {
  r.from = local_;
  r.to = remote_;
  r.call_id = id_.call_id;
  r.max_forwards = 70;
  if (route_set_.empty()) {
    r.request_uri = remote_target_;
  } else if (find_param(route_set_.front().uri.params, "lr") != nullptr) {
    r.request_uri = remote_target_;  // loose routing: Route = the route set
    r.route = route_set_;
  } else {
    r.request_uri = route_set_.front().uri;  // strict routing (§12.2.1.1, last paragraphs)
    r.request_uri.headers.clear();
    r.route.assign(route_set_.begin() + 1, route_set_.end());
    NameAddr target;
    target.uri = remote_target_;
    r.route.push_back(std::move(target));
  }
}

Request Dialog::make_request(Method method, Via via) {
  Request r;
  r.method = method;
  r.via.push_back(std::move(via));
  address_request(r);
  r.cseq = CSeq{next_local_cseq(), method, {}};
  if (is_target_refresh(method) && !local_contact_.uri.scheme.empty()) {
    r.contact.push_back(local_contact_);
  }
  return r;
}

Request Dialog::make_ack(std::uint32_t invite_cseq, Via via) const {
  Request r;
  r.method = Method::ack;
  r.via.push_back(std::move(via));
  address_request(r);
  r.cseq = CSeq{invite_cseq, Method::ack, {}};
  return r;
}

Response Dialog::make_response(const Request& request, int status, std::string reason) const {
  Response r;
  r.status = status;
  r.reason = std::move(reason);
  r.via = request.via;
  r.from = request.from;
  r.to = request.to;
  if (!r.to.tag() && status > 100) {
    set_param(r.to.params, "tag", id_.local_tag);
  }
  r.call_id = request.call_id;
  r.cseq = request.cseq;
  if (status >= 200 && status < 300 && is_target_refresh(request.method) &&
      !local_contact_.uri.scheme.empty()) {
    r.contact.push_back(local_contact_);
  }
  if (status >= 200 && status < 300 && request.method == Method::invite) {
    r.record_route = request.record_route;  // §12.1.1: copied into the 2xx
  }
  return r;
}

}  // namespace fedgate::sip
