// SipDialogBook: maps between bridged relations and the agent's dialogs.
#include "gateway/app/sip_edge_book.hpp"

#include <algorithm>

namespace fedgate::gateway {

SipDialogBook::Key SipDialogBook::key(const Watching& w) {
  return {std::string(w.watcher.bare()), std::string(w.presentity.bare())};
}

SipDialogBook::KeyView SipDialogBook::view(const Watching& w) {
  return {w.watcher.bare(), w.presentity.bare()};
}

SipDialogBook::DialogKey SipDialogBook::dialog_key(const sip::DialogId& id) {
  return {id.call_id, id.local_tag};
}

SipDialogBook::KeyView SipDialogBook::dialog_view(const sip::DialogId& id) {
  return {id.call_id, id.local_tag};
}

void SipDialogBook::add_notifier(const Watching& w, NotifierRecord r) {
  remove_notifier(w);
  notifier_by_dialog_.emplace(r.dialog, w);
  notifiers_[key(w)] = std::move(r);
}

const NotifierRecord* SipDialogBook::notifier(const Watching& w) const {
  auto it = notifiers_.find(view(w));
  return it == notifiers_.end() ? nullptr : &it->second;
}

NotifierRecord* SipDialogBook::notifier(const Watching& w) {
  auto it = notifiers_.find(view(w));
  return it == notifiers_.end() ? nullptr : &it->second;
}

std::optional<Watching> SipDialogBook::remove_notifier(const sip::DialogId& id) {
  auto it = notifier_by_dialog_.find(id);
  if (it == notifier_by_dialog_.end()) {
    return std::nullopt;
  }
  Watching w = it->second;
  notifier_by_dialog_.erase(it);
  notifiers_.erase(key(w));
  return w;
}

void SipDialogBook::remove_notifier(const Watching& w) {
  auto it = notifiers_.find(view(w));
  if (it == notifiers_.end()) {
    return;
  }
  auto [first, last] = notifier_by_dialog_.equal_range(it->second.dialog);
  for (auto d = first; d != last; ++d) {
    if (d->second == w) {
      notifier_by_dialog_.erase(d);
      break;
    }
  }
  notifiers_.erase(it);
}

std::vector<Watching> SipDialogBook::remove_notifiers(const sip::DialogId& id) {
  std::vector<Watching> out;
  while (auto w = remove_notifier(id)) {
    out.push_back(std::move(*w));
  }
  return out;
}

void SipDialogBook::add_batch(const sip::DialogId& id, BatchRecord r) {
  batches_.insert_or_assign(id, std::move(r));
}

BatchRecord* SipDialogBook::batch(const sip::DialogId& id) {
  auto it = batches_.find(id);
  return it == batches_.end() ? nullptr : &it->second;
}

void SipDialogBook::remove_batch(const sip::DialogId& id) { batches_.erase(id); }

void SipDialogBook::begin_subscribe(const Watching& w) { attempts_.push_back(w); }

bool SipDialogBook::subscribing(const Watching& w) const {
  return std::find(attempts_.begin(), attempts_.end(), w) != attempts_.end();
}

void SipDialogBook::end_subscribe_attempt(const Watching& w) {
  auto it = std::find(attempts_.begin(), attempts_.end(), w);
  if (it != attempts_.end()) {
    attempts_.erase(it);
  }
}

std::optional<presence::Address> SipDialogBook::attempt_for(
    const presence::Address& presentity) const {
  for (const auto& w : attempts_) {
    if (w.presentity.bare() == presentity.bare()) {
      return w.watcher;
    }
  }
  return std::nullopt;
}

void SipDialogBook::add_subscriber(const Watching& w, const sip::DialogId& id) {
  auto k = key(w);
  if (auto old = subscribers_.find(k); old != subscribers_.end()) {
    subscriber_by_dialog_.erase(dialog_key(old->second.dialog));
  }
  subscribers_[k].dialog = id;
  subscriber_by_dialog_[dialog_key(id)] = w;
}

SubscriberRecord* SipDialogBook::subscriber(const Watching& w) {
  auto it = subscribers_.find(view(w));
  return it == subscribers_.end() ? nullptr : &it->second;
}

std::optional<Watching> SipDialogBook::subscriber_of(const sip::DialogId& id) const {
  auto it = subscriber_by_dialog_.find(dialog_view(id));
  if (it == subscriber_by_dialog_.end()) {
    return std::nullopt;
  }
  return it->second;
}

std::optional<Watching> SipDialogBook::remove_subscriber(const sip::DialogId& id) {
  auto it = subscriber_by_dialog_.find(dialog_view(id));
  if (it == subscriber_by_dialog_.end()) {
    return std::nullopt;
  }
  Watching w = it->second;
  subscriber_by_dialog_.erase(it);
  auto sub = subscribers_.find(view(w));
  if (sub != subscribers_.end() && dialog_view(sub->second.dialog) == dialog_view(id)) {
    subscribers_.erase(sub);
  }
  return w;
}

void SipDialogBook::open_answer(const Watching& w) { pending_[key(w)] = PendingAnswer{}; }

PendingAnswer* SipDialogBook::pending(const Watching& w) {
  auto it = pending_.find(view(w));
  return it == pending_.end() ? nullptr : &it->second;
}

std::optional<PendingAnswer> SipDialogBook::take_answer(const Watching& w) {
  auto it = pending_.find(view(w));
  if (it == pending_.end()) {
    return std::nullopt;
  }
  PendingAnswer a = std::move(it->second);
  pending_.erase(it);
  return a;
}

const presence::Presence* SipDialogBook::held(const presence::Address& entity) const {
  auto it = held_.find(std::string(entity.bare()));
  return it == held_.end() ? nullptr : &it->second;
}

void SipDialogBook::hold(presence::Presence p) {
  std::string k(p.entity.bare());
  held_.insert_or_assign(std::move(k), std::move(p));
}

void SipDialogBook::forget_held(const presence::Address& entity) {
  held_.erase(std::string(entity.bare()));
}

void SipDialogBook::add_session(const sip::DialogId& id, SessionParties parties) {
  sessions_.insert_or_assign(dialog_key(id), std::move(parties));
}

std::optional<SessionParties> SipDialogBook::session(const sip::DialogId& id) const {
  auto it = sessions_.find(dialog_view(id));
  if (it == sessions_.end()) {
    return std::nullopt;
  }
  return it->second;
}

SessionParties* SipDialogBook::find_session(const sip::DialogId& id) {
  auto it = sessions_.find(dialog_view(id));
  return it == sessions_.end() ? nullptr : &it->second;
}

std::optional<SessionParties> SipDialogBook::remove_session(const sip::DialogId& id) {
  auto it = sessions_.find(dialog_view(id));
  if (it == sessions_.end()) {
    return std::nullopt;
  }
  SessionParties p = std::move(it->second);
  sessions_.erase(it);
  return p;
}

}  // namespace fedgate::gateway
