#include "sip/transport/keep_alive_negotiation.hpp"

#include <algorithm>

namespace fedgate::sip {

bool KeepAliveNegotiation::on_request(const Request& request) {
  auto found = find_ms_keep_alive(request);
  if (!found || !*found || (*found)->role != MsKeepAlive::Role::uac) {
    return false;
  }
  if (request.method != Method::ack && request.method != Method::cancel) {
    std::lock_guard lock(mutex_);
    if (pending_.size() >= kMaxPending) {
      pending_.erase(pending_.begin());
    }
    pending_.push_back(Offer{request.call_id, request.cseq});
  }
  return (*found)->hop_hop.value_or(false);
}

std::optional<std::uint32_t> KeepAliveNegotiation::on_response(const Response& response) {
  auto found = find_ms_keep_alive(response);
  if (!found || !*found || (*found)->role != MsKeepAlive::Role::uas) {
    return std::nullopt;
  }
  {
    std::lock_guard lock(mutex_);
    answered_ = true;
  }
  const auto& answer = **found;
  if (!answer.hop_hop.value_or(false) || !answer.timeout || *answer.timeout == 0) {
    return std::nullopt;
  }
  return answer.timeout;
}

std::optional<std::string> KeepAliveNegotiation::header_for(const Message& message) {
  const auto& headers = headers_of(message);
  if (find_header(headers.other, kMsKeepAliveHeader) != nullptr) {
    return std::nullopt;  // the layer above wrote its own
  }
  std::lock_guard lock(mutex_);
  if (const auto* response = std::get_if<Response>(&message)) {
    auto same = [&](const Offer& o) {
      return o.call_id == response->call_id && o.cseq.sequence == response->cseq.sequence &&
             o.cseq.name() == response->cseq.name();
    };
    auto it = std::find_if(pending_.begin(), pending_.end(), same);
    if (response->status < 200 || it == pending_.end()) {
      return std::nullopt;
    }
    pending_.erase(it);
    return ms_keep_alive_answer(answer_timeout_).str();
  }
  const auto& request = std::get<Request>(message);
  if (!offer_ || answered_ || request.method == Method::ack || request.method == Method::cancel) {
    return std::nullopt;
  }
  return ms_keep_alive_offer().str();
}

}  // namespace fedgate::sip
